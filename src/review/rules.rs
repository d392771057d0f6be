//! Every review rule, one file each: its id, default level under each yardstick, what it
//! checks, why, an example of each side, and the check itself. A new rule is a new file
//! here and one line in the list below; `acre review --explain`, SARIF's rule metadata,
//! configuration and the rule fixtures' test read the list.

use super::rule::Rule;

macro_rules! registry {
    ($($rule:ident),* $(,)?) => {
        $(mod $rule;)*

        /// Every rule, in the order reports list them.
        pub const ALL: &[Rule] = &[$($rule::RULE),*];
    };
}

registry![
    non_yardstick_term,
    mixed_yardsticks,
    conflicting_terms,
    hedge_stacking,
    vague_term,
    unquantified_judgment,
    confidence_with_likelihood,
    number_term_mismatch,
    overclaim,
    underclaim,
    missing_number,
    judgment,
];

/// The rule with this id.
pub fn from_id(id: &str) -> Option<Rule> {
    ALL.iter().copied().find(|r| r.id() == id)
}

/// Where `rule` stands in [`ALL`] (the order reports list findings at one place in).
pub fn position(rule: Rule) -> usize {
    ALL.iter().position(|r| *r == rule).unwrap_or(ALL.len())
}

/// The rules by name, for the code that refers to one.
pub use {
    judgment::RULE as JUDGMENT, overclaim::RULE as OVERCLAIM, underclaim::RULE as UNDERCLAIM,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rule::Level;

    #[test]
    fn ids_and_codes_agree_and_round_trip() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id()).collect();
        for r in ALL {
            assert_eq!(from_id(r.id()), Some(*r));
            assert_eq!(r.code().as_str(), format!("acre::{}", r.id()));
            let d = r.doc();
            assert!(!d.summary.is_empty() && !d.rationale.is_empty());
            assert!(!d.bad.is_empty() && !d.good.is_empty());
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "two rules share an id");
    }

    #[test]
    fn defaults_per_yardstick() {
        let level =
            |id: &str, y: &str, analytic: bool| from_id(id).unwrap().default_level(y, analytic);
        assert_eq!(level("vague-term", "phia", true), Level::Warning);
        assert_eq!(level("vague-term", "icd203", true), Level::Info);
        assert_eq!(level("mixed-yardsticks", "icd203", true), Level::Error);
        assert_eq!(level("mixed-yardsticks", "phia", true), Level::Warning);
        assert_eq!(
            level("unquantified-judgment", "icd203", true),
            Level::Warning
        );
        assert_eq!(level("unquantified-judgment", "icd203", false), Level::Info);
        assert_eq!(level("unquantified-judgment", "phia", true), Level::Info);
        assert_eq!(level("missing-number", "phia", true), Level::Off);
        assert_eq!(
            level("confidence-with-likelihood", "icd203", true),
            Level::Error
        );
        assert_eq!(
            level("confidence-with-likelihood", "phia", true),
            Level::Info
        );
        assert_eq!(
            level("confidence-with-likelihood", "kent", true),
            Level::Warning
        );
    }
}
