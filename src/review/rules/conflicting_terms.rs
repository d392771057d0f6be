//! `conflicting-terms`: one claim (same subject, same proposition) given terms from
//! different bands in different sentences.

use crate::review::read::{ClaimRecord, Draft};
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};
use crate::review::subjects::SubjectKey;
use crate::span::Span;
use std::collections::{HashMap, HashSet};

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

impl Check for ConflictingTerms {
    /// One finding per pair of terms per subject, on the later term, labelling the earlier.
    fn draft(&self, cx: &Cx, draft: &Draft, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        let mut reported: HashSet<(SubjectKey, usize, usize)> = HashSet::new();
        type ClaimKey<'k> = (SubjectKey, &'k str, &'k [String]);
        // per claim, the first place each distinct term was used
        let mut seen: HashMap<ClaimKey, Vec<(usize, Span, &ClaimRecord)>> = HashMap::new();
        for r in &draft.claims {
            let Some(key) = r.claim.key() else { continue };
            if matches!(key.0, SubjectKey::Assumption(_)) && cx.case.is_none() {
                continue;
            }
            let subject = r.claim.subject.as_ref().map_or(r.term, |s| s.span);
            let earlier = seen.entry(key.clone()).or_default();
            if let Some((first_eff, first_subject, first)) = earlier
                .iter()
                .find(|(e, _, f)| *e != r.effective && f.sentence != r.sentence)
                .filter(|(e, _, _)| reported.insert((key.0.clone(), *e, r.effective)))
            {
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
                        y.term_with_band(*first_eff),
                        y.term_with_band(r.effective)
                    )),
                    fix: None,
                    span: r.term,
                    label: format!("reads as {}", y.term_with_band(r.effective)),
                    related: vec![(
                        first.term,
                        format!("reads as {}", y.term_with_band(*first_eff)),
                    )],
                });
            }
            if !earlier.iter().any(|(e, _, _)| *e == r.effective) {
                earlier.push((r.effective, subject, r));
            }
        }
    }
}
