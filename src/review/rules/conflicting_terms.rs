//! `conflicting-terms`: one claim (same subject, same proposition) given terms from
//! different bands in different sentences.

use crate::review::proposition::{Mode, Predicate};
use crate::review::read::{ClaimRecord, Draft};
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};
use crate::review::subjects::SubjectKey;
use std::collections::HashMap;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "conflicting-terms",
    code: "acre::conflicting-terms",
    summary: "one claim (same subject, same proposition) given terms from different bands",
    rationale: "Two terms for one judgment leave the reader to guess which the evidence supports. Claims are keyed by subject, predicate and named objects, so two different judgments about one actor do not conflict.",
    bad: "APT31 was highly likely behind the campaign. ... APT31 almost certainly conducted the reconnaissance.",
    good: "Sandworm almost certainly deployed NotPetya. Sandworm likely reused the loader in 2018.",
    configurable: true,
    default_level: |_, _| Level::Error,
    check: &ConflictingTerms,
});

struct ConflictingTerms;

/// What makes two terms one claim's: the case's question for one hypothesis, one
/// assumption, or one subject, predicate, mode and polarity (then the objects must agree).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Target(SubjectKey),
    Claim(SubjectKey, Predicate, Voice, bool),
}

/// Whose statement a claim is.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Voice {
    Author,
    Prediction,
    Reported,
}

/// The most distinct earlier statements of one claim kept to compare a new one with: a
/// draft that repeats one claim ten thousand times stays linear.
const KEPT: usize = 32;

impl Check for ConflictingTerms {
    /// One finding per later term, on it, labelling the earliest earlier term of the same
    /// claim from another band in another sentence.
    fn draft(&self, cx: &Cx, draft: &Draft, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        // per claim, its earlier statements: one per distinct (object, band)
        let mut seen: HashMap<Key, Vec<&ClaimRecord>> = HashMap::new();
        for r in &draft.claims {
            let claim = &draft.distinct[r.claim as usize];
            let c = &claim.prop;
            let Some(subject) = &c.subject else { continue };
            // the author's own statements (acre's narrative pasted in counts as one) and
            // predictions; quotes, reported views, conditionals and denials are someone
            // else's or another claim
            // the author's own statements (acre's narrative pasted in counts as one), the
            // author's predictions, and what the text reports others to have said (coverage
            // that relays one judgment in two terms); a quotation is its speaker's words, a
            // conditional or a denial another claim
            let voice = match c.mode {
                Mode::Asserted | Mode::Narrative => Voice::Author,
                Mode::Prediction => Voice::Prediction,
                Mode::Reported => Voice::Reported,
                _ => continue,
            };
            if matches!(subject.key, SubjectKey::Assumption(_)) && cx.case.is_none() {
                continue;
            }
            let key = match (&claim.target, &subject.key, voice) {
                (_, SubjectKey::Assumption(_), Voice::Author) => Key::Target(subject.key.clone()),
                (Some(t), _, Voice::Author) => Key::Target(t.clone()),
                _ => Key::Claim(subject.key.clone(), c.predicate.clone(), voice, c.negated),
            };
            let by_object = matches!(key, Key::Claim(..));
            let earlier = seen.entry(key).or_default();
            let prop_of = |e: &ClaimRecord| &draft.distinct[e.claim as usize].prop;
            let first = earlier.iter().find(|e| {
                e.effective != r.effective
                    && e.sentence != r.sentence
                    && (!by_object || prop_of(e).object.compatible(&c.object))
            });
            if let Some(first) = first {
                let first_subject = prop_of(first)
                    .subject
                    .as_ref()
                    .map_or(first.term, |s| s.span);
                out.push(Finding {
                    rule: RULE,
                    level,
                    message: format!(
                        "{} is given `{}` here and `{}` earlier for the same judgment",
                        first_subject.text(text),
                        r.term.text(text),
                        first.term.text(text)
                    ),
                    suggestion: Some(format!(
                        "use one term for one judgment: {} or {}",
                        y.term_with_band(first.effective),
                        y.term_with_band(r.effective)
                    )),
                    fix: None,
                    span: r.term,
                    label: format!("reads as {}", y.term_with_band(r.effective)),
                    related: vec![(
                        first.term,
                        format!("reads as {}", y.term_with_band(first.effective)),
                    )],
                    about: None,
                });
            }
            let known = earlier
                .iter()
                .any(|e| e.effective == r.effective && (!by_object || e.claim == r.claim));
            if !known && earlier.len() < KEPT {
                earlier.push(r);
            }
        }
    }
}
