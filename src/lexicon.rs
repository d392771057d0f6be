//! Yardsticks, likelihood-ratio scales and gradings: the data every stage may read.
//!
//! Invariant: this module holds facts and lookups only; it knows nothing about
//! case files, inference or output formats. Every built-in table names its source
//! and edition (see `../shared/domain/yardsticks.md`, copied into the docs).

mod builtin;
mod scale;

pub use builtin::{StixRow, admiralty, builtin_lexicons, builtin_yardsticks, enfsi, stix_tables};
pub use scale::{
    CREDIBILITY_WORDS, Grading, RELIABILITY_WORDS, RatioScale, RatioStep, Term, TermMatch,
    Yardstick, credibility_index, normalize_phrase, reliability_index,
};

/// The built-in yardstick (or fitted lexicon) called `name`, if any.
pub fn builtin_yardstick(name: &str) -> Option<Yardstick> {
    builtin_yardsticks()
        .into_iter()
        .chain(builtin_lexicons())
        .find(|y| y.name == name)
}

/// A yardstick term never means impossibility or certainty: band edges at 0 or 1
/// are taken as this far inside, so that no term alone can rule a hypothesis out.
pub const TERM_EDGE: f64 = 0.001;

/// Phrases that are not yardstick terms but are often used as if they were,
/// with the nearest defined term and why.
pub fn known_non_terms() -> &'static [(&'static str, &'static str, &'static str)] {
    &[
        (
            "high likelihood",
            "highly likely",
            "`high likelihood` is risk-matrix language, not a yardstick term",
        ),
        (
            "low likelihood",
            "unlikely",
            "`low likelihood` is risk-matrix language, not a yardstick term",
        ),
        (
            "strong possibility",
            "likely",
            "`strong possibility` is not a yardstick term; readers read it anywhere from 40% to 80%",
        ),
        (
            "good chance",
            "likely",
            "`good chance` is not a yardstick term; readers disagree widely on what it means",
        ),
        (
            "real possibility",
            "realistic possibility",
            "`real possibility` was read as anything from 20% to 80% (Mauboussin & Mauboussin, 2018)",
        ),
        (
            "fair chance",
            "realistic possibility",
            "`fair chance` was read as anything from 15% to 75% (Mauboussin & Mauboussin, 2018)",
        ),
        (
            "certain",
            "almost certain",
            "no yardstick term means certainty: intelligence judgments are never 100%",
        ),
        (
            "certainly",
            "almost certain",
            "no yardstick term means certainty: intelligence judgments are never 100%",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::suggest;

    #[test]
    fn phia_has_seven_terms_with_gaps() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(phia.terms.len(), 7);
        let names: Vec<&str> = phia.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "remote chance",
                "highly unlikely",
                "unlikely",
                "realistic possibility",
                "likely",
                "highly likely",
                "almost certain"
            ]
        );
        // every band is followed by a deliberate gap
        for pair in phia.terms.windows(2) {
            assert!(
                pair[1].lo > pair[0].hi,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
        let m = phia.find("almost certainly").unwrap();
        assert_eq!(phia.terms[m.term_idx].name, "almost certain");
        assert_eq!(phia.find("probably").unwrap().term_idx, 4);
        assert_eq!(phia.find("high likelihood"), None);
    }

    #[test]
    fn icd203_rows_are_told_apart() {
        let icd = builtin_yardstick("icd203").unwrap();
        assert_eq!(icd.find("very likely").unwrap().row, Some(0));
        assert_eq!(icd.find("highly probable").unwrap().row, Some(1));
        assert_eq!(
            icd.find("highly probable").unwrap().term_idx,
            icd.find("very likely").unwrap().term_idx
        );
    }

    #[test]
    fn suggestions_come_from_edit_distance() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(
            suggest("highly likly", phia.wordings().map(|(w, _)| w)),
            Some("highly likely")
        );
        assert_eq!(suggest("zebra", phia.wordings().map(|(w, _)| w)), None);
    }

    #[test]
    fn enfsi_words_for_ratios() {
        let scale = enfsi();
        assert_eq!(scale.describe(50.0, "a", "b"), "moderate support for a");
        assert_eq!(
            scale.describe(1.0 / 500.0, "a", "b"),
            "moderately strong support for b"
        );
        assert_eq!(
            scale.describe(1.5, "a", "b"),
            "between no support and weak support for a"
        );
        assert_eq!(scale.describe(1.0, "a", "b"), "no support either way");
        assert_eq!(scale.find("moderately strong support"), Some(2));
        assert!((scale.steps[1].point() - 1000f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn normalize_collapses_space_and_case() {
        assert_eq!(normalize_phrase("  Highly\n\tLikely "), "highly likely");
    }
}
