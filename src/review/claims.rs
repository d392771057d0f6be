//! Claims: what a likelihood term is said of.
//!
//! A judgment is a subject and a proposition. Two terms conflict only when they are
//! given to the same subject for the same proposition; "Sandworm almost certainly
//! deployed NotPetya" and "Sandworm likely reused the loader in 2018" are two
//! judgments, not one judgment worded twice.
//!
//! How a claim is keyed:
//! - **subject**: for "it is TERM that S ...", the first subject named after `that`;
//!   otherwise the nearest subject named before the term in its clause, else the first
//!   after it. Subjects inside asides (", which ...,", parentheses) are skipped, so in
//!   "A false flag, in which another actor planted North Korean indicators, is very
//!   unlikely" the subject is the false flag.
//! - **predicate**: the first content word of the proposition after the subject
//!   (auxiliaries, articles and adverbs skipped), reduced to a stem; every wording of
//!   responsibility ("responsible for", "behind", "conducted", "carried out", "the work
//!   of", "took part in", ...) is the one predicate `responsible`.
//! - **objects**: the named things the proposition holds besides its subject —
//!   capitalised words, numbers and years ("NotPetya", "2018"), in lower case, sorted.
//!
//! Conditional and counterfactual clauses ("if ...", "would lower our judgment to
//! likely") state no claim.

use super::language::{self, Token};
use super::subjects::{Mention, SubjectKey};
use crate::span::Span;

/// Wordings of responsibility: one predicate, `responsible`.
#[rustfmt::skip]
const RESPONSIBILITY: &[&str] = &[
    "responsible", "responsibility", "behind", "conducted", "conduct", "conducting", "carried",
    "carry", "carrying", "perpetrated", "perpetrator", "perpetrators", "orchestrated",
    "orchestrating", "launched", "mounted", "staged", "committed", "authored", "author",
    "authors", "attributed", "attributable", "culprit", "culprits", "participated", "involved",
    "involvement", "sponsored", "ran", "executed",
];

/// Words skipped when looking for the predicate.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "was", "is", "are", "were", "be", "been", "being", "has", "have", "had", "having", "do",
    "does", "did", "to", "also", "the", "a", "an", "that", "this", "these", "those", "it", "its",
    "their", "his", "her", "our", "indeed", "still", "already", "then", "now", "just", "only",
    "even", "both", "either", "currently", "further", "additionally", "in", "fact", "will",
    "would", "can", "may", "might", "could", "should", "must", "almost", "certainly", "likely",
    "probably", "highly", "very", "most", "more", "less", "unlikely", "remote", "realistic",
    "possibility", "chance", "certain", "probable", "probably", "all", "likelihood", "actually",
    "directly", "ultimately", "primarily", "mainly", "largely", "at", "least", "ultimately",
    "possibly", "perhaps", "clearly",
];

static RESPONSIBLE: language::Words = language::Words::new(RESPONSIBILITY);
static FUNCTION: language::Words = language::Words::new(FUNCTION_WORDS);

/// A claim: who, what, and whether it is asserted at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The subject, when one is named.
    pub subject: Option<Mention>,
    /// The predicate's stem, or `responsible` for every wording of responsibility.
    pub predicate: String,
    /// Named things in the proposition besides the subject, lower case, sorted.
    pub objects: Vec<String>,
    /// Said under a condition or counterfactually: no claim.
    pub conditional: bool,
}

impl Claim {
    /// The key two terms must share to conflict: subject, predicate and objects.
    pub fn key(&self) -> Option<(SubjectKey, &str, &[String])> {
        if self.conditional {
            return None;
        }
        self.subject.as_ref().map(|s| {
            (
                s.key.clone(),
                self.predicate.as_str(),
                self.objects.as_slice(),
            )
        })
    }

    /// Whether the proposition is about who is responsible.
    pub fn is_attribution(&self) -> bool {
        self.predicate == "responsible"
    }
}

/// A crude stem: `deployed`, `deploys`, `deploying` all read `deploy`.
fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = w.strip_suffix(suffix)
            && s.chars().count() >= 3
        {
            return s.to_string();
        }
    }
    w
}

/// The claim a likelihood term at `term` makes in `sentence`, given the mentions found
/// in that sentence (back references already resolved).
pub fn claim(text: &str, r: &language::Reading, term: Span, mentions: &[Mention]) -> Claim {
    // the clause, at most a few hundred bytes either side of the term: a claim is local,
    // and a clause with no break in a huge run-on text must not be read whole for each term
    let whole = r.clause_at(term.start);
    let mut clause = Span::new(
        floor_boundary(text, whole.start.max(term.start.saturating_sub(REACH))),
        ceil_boundary(text, whole.end.min(term.end + REACH)),
    );
    let mut asides = language::asides(text, clause);
    // a term inside an aside speaks within it
    if let Some(a) = asides
        .iter()
        .find(|a| a.start <= term.start && term.end <= a.end)
        .copied()
    {
        clause = a;
        asides.clear();
    }
    let conditional = language::is_conditional(text, r, clause, term.start);
    // the mentions in the clause (they are in text order)
    let from = mentions.partition_point(|m| m.span.start < clause.start);
    let to = mentions.partition_point(|m| m.span.start < clause.end);
    let mentions = &mentions[from..to.max(from)];
    let in_clause = |m: &&Mention| {
        clause.start <= m.span.start
            && m.span.end <= clause.end
            && !language::in_aside(&asides, m.span)
    };
    let toks = r.within(Span::new(term.end, clause.end));
    // "it is TERM that S ...": the proposition follows `that` (past a bracketed number)
    let that = toks
        .iter()
        .take_while(|t| !t.is_word || t.is_any(text, &["that"]) || is_number_word(text, **t))
        .position(|t| t.is(text, "that"));
    let (subject, prop_start) = match that {
        Some(i) => {
            let from = toks[i].span.end;
            let subject = mentions
                .iter()
                .filter(in_clause)
                .find(|m| m.span.start >= from)
                .cloned();
            (subject, from)
        }
        None => {
            let before = mentions
                .iter()
                .filter(in_clause)
                .rfind(|m| m.span.end <= term.start)
                .cloned();
            let subject = before.or_else(|| {
                mentions
                    .iter()
                    .filter(in_clause)
                    .find(|m| m.span.start >= term.end)
                    .cloned()
            });
            (subject, term.end)
        }
    };
    let prop = r.within(Span::new(prop_start, clause.end));
    let skip = |t: &Token| {
        !t.is_word
            || subject
                .as_ref()
                .is_some_and(|s| s.span.start <= t.span.start && t.span.end <= s.span.end)
            || language::in_aside(&asides, t.span)
            || is_number_word(text, *t) && t.span.start < term.end
    };
    let content: Vec<&Token> = prop
        .iter()
        .filter(|t| !skip(t))
        .filter(|t| !t.is_in(text, &FUNCTION))
        .collect();
    let predicate = match content.as_slice() {
        [] => String::new(),
        [first, rest @ ..] => {
            let second = rest.first();
            let took_part = first.is_any(text, &["took", "take", "takes", "taken", "taking"])
                && second.is_some_and(|s| s.is(text, "part"));
            let work_of = first.is(text, "work") && second.is_some_and(|s| s.is(text, "of"));
            if first.is_in(text, &RESPONSIBLE) || took_part || work_of {
                "responsible".to_string()
            } else {
                stem(first.text(text))
            }
        }
    };
    let mut objects: Vec<String> = content
        .iter()
        .skip(1)
        .filter(|t| {
            let w = t.text(text);
            w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        })
        .map(|t| t.text(text).to_lowercase())
        .collect();
    // other subjects named in the proposition are objects too
    for m in mentions.iter().filter(in_clause) {
        if m.span.start >= prop_start && subject.as_ref().is_none_or(|s| s.key != m.key) {
            objects.push(format!("{:?}", m.key));
        }
    }
    objects.sort();
    objects.dedup();
    Claim {
        subject,
        predicate,
        objects,
        conditional,
    }
}

/// How far a claim reaches either side of its term, in bytes.
const REACH: usize = 400;

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn is_number_word(text: &str, t: Token) -> bool {
    let w = t.text(text);
    w.starts_with(|c: char| c.is_ascii_digit()) || matches!(w, "(" | ")" | "%" | "-" | "–" | ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::subjects::Gazetteer;

    fn claim_of(text: &str, term: &str) -> Claim {
        let g = Gazetteer::get();
        let sentence = Span::new(0, text.len());
        let at = text.find(term).unwrap();
        let mentions = g.mentions(text, sentence);
        let r = language::Reading::new(text, sentence);
        claim(text, &r, Span::new(at, at + term.len()), &mentions)
    }

    #[test]
    fn responsibility_in_any_wording_is_one_predicate() {
        let a = claim_of(
            "there was a high likelihood that APT31 was behind the campaign, which sent emails",
            "high likelihood",
        );
        let b = claim_of(
            "A separate assessment said that APT31 almost certainly conducted the reconnaissance.",
            "almost certainly",
        );
        assert_eq!(a.predicate, "responsible");
        assert_eq!(a.key(), b.key());
        assert_eq!(a.subject.unwrap().span.len(), "APT31".len());
    }

    #[test]
    fn two_judgments_about_one_subject_are_two_claims() {
        let a = claim_of(
            "Sandworm almost certainly deployed NotPetya.",
            "almost certainly",
        );
        let b = claim_of("Sandworm likely reused the loader in 2018.", "likely");
        assert_eq!(
            a.subject.as_ref().map(|s| &s.key),
            b.subject.as_ref().map(|s| &s.key)
        );
        assert_ne!(a.key(), b.key());
        assert_eq!(a.objects, ["notpetya"]);
        assert_eq!(b.predicate, "reus");
    }

    #[test]
    fn conditionals_state_no_claim() {
        let c = claim_of(
            "If APT31 used the tool, APT31 is likely responsible",
            "likely",
        );
        assert!(c.conditional);
        assert_eq!(c.key(), None);
    }

    #[test]
    fn subjects_in_asides_are_skipped() {
        let c = claim_of(
            "The campaign, which Lazarus may have copied, is likely the work of Kimsuky",
            "likely",
        );
        let g = Gazetteer::get();
        assert_eq!(g.name(&c.subject.unwrap().key), Some("Kimsuky"));
        assert_eq!(c.predicate, "responsible");
    }
}
