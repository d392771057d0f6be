//! Every review rule in one place: its stable id, its default level under each
//! yardstick, what it checks, why, and an example of each side (`acre review
//! --explain RULE` prints them).

use crate::code::Code;

/// How a rule reports.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Information.
    Info,
    /// Warning.
    Warning,
    /// Error: `acre review` exits 1.
    Error,
}

impl Level {
    /// Parses `error`, `warning`, `info` (or `note`), `off`.
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "info" | "note" => Some(Level::Info),
            "off" | "none" => Some(Level::Off),
            _ => None,
        }
    }

    /// The word.
    pub fn word(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A review rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A likelihood phrase the governing yardstick does not define.
    NonYardstickTerm,
    /// Terms of another yardstick, or ICD 203's two rows mixed.
    MixedYardsticks,
    /// One claim given terms from different bands.
    ConflictingTerms,
    /// An evidential hedge or a modal governing an estimative term.
    HedgeStacking,
    /// An epistemic modal where a reader is owed a probability.
    VagueTerm,
    /// Attribution wording without a probability.
    UnquantifiedJudgment,
    /// A confidence level and a likelihood term in one sentence.
    ConfidenceWithLikelihood,
    /// A number beside a term, outside the term's band.
    NumberTermMismatch,
    /// A term above what the case supports.
    Overclaim,
    /// A term below what the case supports.
    Underclaim,
    /// A term printed without its numeric range.
    MissingNumber,
    /// A case's judgment compared with the computed posterior.
    Judgment,
}

/// What `acre review --explain` prints for a rule.
pub struct RuleDoc {
    /// What the rule checks, in one line.
    pub summary: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// Wording that triggers it.
    pub bad: &'static str,
    /// Wording that does not.
    pub good: &'static str,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 12] = [
        Rule::NonYardstickTerm,
        Rule::MixedYardsticks,
        Rule::ConflictingTerms,
        Rule::HedgeStacking,
        Rule::VagueTerm,
        Rule::UnquantifiedJudgment,
        Rule::ConfidenceWithLikelihood,
        Rule::NumberTermMismatch,
        Rule::Overclaim,
        Rule::Underclaim,
        Rule::MissingNumber,
        Rule::Judgment,
    ];

    /// The stable id users write in `acre.toml` and `--rule`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::NonYardstickTerm => "non-yardstick-term",
            Rule::MixedYardsticks => "mixed-yardsticks",
            Rule::ConflictingTerms => "conflicting-terms",
            Rule::HedgeStacking => "hedge-stacking",
            Rule::VagueTerm => "vague-term",
            Rule::UnquantifiedJudgment => "unquantified-judgment",
            Rule::ConfidenceWithLikelihood => "confidence-with-likelihood",
            Rule::NumberTermMismatch => "number-term-mismatch",
            Rule::Overclaim => "overclaim",
            Rule::Underclaim => "underclaim",
            Rule::MissingNumber => "missing-number",
            Rule::Judgment => "judgment",
        }
    }

    /// The diagnostic code (`acre::RULE`).
    pub fn code(self) -> Code {
        match self {
            Rule::NonYardstickTerm => Code::NonYardstickTerm,
            Rule::MixedYardsticks => Code::MixedYardsticks,
            Rule::ConflictingTerms => Code::ConflictingTerms,
            Rule::HedgeStacking => Code::HedgeStacking,
            Rule::VagueTerm => Code::VagueTerm,
            Rule::UnquantifiedJudgment => Code::UnquantifiedJudgment,
            Rule::ConfidenceWithLikelihood => Code::ConfidenceWithLikelihood,
            Rule::NumberTermMismatch => Code::NumberTermMismatch,
            Rule::Overclaim => Code::Overclaim,
            Rule::Underclaim => Code::Underclaim,
            Rule::MissingNumber => Code::MissingNumber,
            Rule::Judgment => Code::Judgment,
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Whether users can set its level (the judgment rule's level follows its verdict).
    pub fn configurable(self) -> bool {
        self != Rule::Judgment
    }

    /// The level when nothing configures it, under the yardstick named `yardstick`.
    /// `analytic` says whether the finding sits in an analytic sentence (it raises
    /// `unquantified-judgment` under ICD 203).
    pub fn default_level(self, yardstick: &str, analytic: bool) -> Level {
        let icd = yardstick == "icd203";
        match self {
            Rule::NonYardstickTerm
            | Rule::ConflictingTerms
            | Rule::NumberTermMismatch
            | Rule::Overclaim
            | Rule::Underclaim => Level::Error,
            Rule::MixedYardsticks => {
                if icd {
                    Level::Error
                } else {
                    Level::Warning
                }
            }
            Rule::HedgeStacking => Level::Warning,
            Rule::VagueTerm => {
                if icd {
                    Level::Info
                } else {
                    Level::Warning
                }
            }
            Rule::UnquantifiedJudgment => {
                if icd && analytic {
                    Level::Warning
                } else {
                    Level::Info
                }
            }
            Rule::ConfidenceWithLikelihood => match yardstick {
                "icd203" => Level::Error,
                "phia" => Level::Info,
                _ => Level::Warning,
            },
            Rule::MissingNumber => Level::Off,
            Rule::Judgment => Level::Info,
        }
    }

    /// What it checks, why, and an example of each side.
    pub fn doc(self) -> RuleDoc {
        match self {
            Rule::NonYardstickTerm => RuleDoc {
                summary: "a likelihood phrase the governing yardstick does not define",
                rationale: "Readers take undefined phrases (\"high likelihood\", \"most likely\", \"not likely\") anywhere across a wide range; only the yardstick's terms carry agreed numbers. The fix replaces the phrase with the nearest term where the grammar allows.",
                bad: "There was a high likelihood that APT31 was behind the campaign.",
                good: "It was highly likely that APT31 was behind the campaign.",
            },
            Rule::MixedYardsticks => RuleDoc {
                summary: "a term of another yardstick, or ICD 203's likelihood and probability rows mixed",
                rationale: "\"Very likely\" means 80-95% under ICD 203 but is not a PHIA term; a product should use one scale, and under ICD 203 one row of words unless it says the rows mean the same.",
                bad: "(under PHIA) The actor is very likely state-sponsored.",
                good: "(under PHIA) The actor is highly likely state-sponsored.",
            },
            Rule::ConflictingTerms => RuleDoc {
                summary: "one claim (same subject, same proposition) given terms from different bands",
                rationale: "Two terms for one judgment leave the reader to guess which the evidence supports. Claims are keyed by subject, predicate and named objects, so two different judgments about one actor do not conflict.",
                bad: "APT31 was highly likely behind the campaign. ... APT31 almost certainly conducted the reconnaissance.",
                good: "Sandworm almost certainly deployed NotPetya. Sandworm likely reused the loader in 2018.",
            },
            Rule::HedgeStacking => RuleDoc {
                summary: "an evidential hedge or a modal governing an estimative term in one clause",
                rationale: "\"Suggests ... almost certainly\" and \"may have likely\" hedge twice: the reader cannot tell which probability is meant. Let the term carry the uncertainty.",
                bad: "Evidence suggests the group was almost certainly responsible.",
                good: "Evidence shows the group was almost certainly responsible.",
            },
            Rule::VagueTerm => RuleDoc {
                summary: "an epistemic modal (may, might, could, possibly) in an analytic sentence",
                rationale: "A modal used as a judgment states no probability: readers put \"may\" anywhere from 10% to 90%. Permission, capability, habit and months are not judgments and are not flagged.",
                bad: "FIN6 may have been purchasing access from TrickBot operators.",
                good: "Depending on the target, FIN6 may identify POS systems. (a habit, not a judgment)",
            },
            Rule::UnquantifiedJudgment => RuleDoc {
                summary: "attribution wording with no probability: suspected, believed to be, reportedly",
                rationale: "\"The suspected Russian group\" attributes without saying how likely the attribution is. Information by default; a warning under ICD 203 in analytic sentences, which must express likelihood.",
                bad: "The group is believed to be linked to the GRU.",
                good: "The group is likely (55-75%) linked to the GRU.",
            },
            Rule::ConfidenceWithLikelihood => RuleDoc {
                summary: "a confidence level and a likelihood term in one sentence",
                rationale: "ICD 203 keeps confidence and likelihood in separate sentences so they are not read as one number; UK practice allows both, so it is only a note under PHIA.",
                bad: "We assess with high confidence that the SVR is very likely responsible.",
                good: "We have high confidence in this assessment. The SVR is very likely responsible.",
            },
            Rule::NumberTermMismatch => RuleDoc {
                summary: "a number beside a term, outside the term's band",
                rationale: "\"likely (90%)\" contradicts itself: 90% is not in likely's 55-75% band.",
                bad: "We judge it likely (90%) that Sandworm carried out the attack.",
                good: "We judge it highly likely (80-90%) that Sandworm carried out the attack.",
            },
            Rule::Overclaim => RuleDoc {
                summary: "with --case: a term above what the case's numbers support",
                rationale: "The draft claims more than the evidence in the case file supports: the computed posterior and its 90% interval lie below the term's band.",
                bad: "It is likely that another China state-affiliated actor took part. (computed 3%)",
                good: "It is highly unlikely that another China state-affiliated actor took part.",
            },
            Rule::Underclaim => RuleDoc {
                summary: "with --case: a term below what the case's numbers support",
                rationale: "The draft claims less than the evidence supports: the computed posterior and its 90% interval lie above the term's band.",
                bad: "It is likely that APT31 conducted the reconnaissance. (computed 96%)",
                good: "It is almost certain that APT31 conducted the reconnaissance.",
            },
            Rule::MissingNumber => RuleDoc {
                summary: "a term printed without its numeric range (off by default)",
                rationale: "Readers agree with the intended band about twice as often when the range is printed beside the term.",
                bad: "It is likely that the actor used stolen credentials.",
                good: "It is likely (55-75%) that the actor used stolen credentials.",
            },
            Rule::Judgment => RuleDoc {
                summary: "with --case: each judgment of the case file compared with the computed posterior",
                rationale: "Consistent when the point lies in the claimed band, defensible when only the 90% interval reaches it; otherwise an overclaim or underclaim.",
                bad: "judgment kj1 \"...\" { claims apt31 likely }  (computed 96%)",
                good: "judgment kj1 \"...\" { claims apt31 almost certain }",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes_agree_and_round_trip() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_id(r.id()), Some(r));
            assert_eq!(r.code().as_str(), format!("acre::{}", r.id()));
            let d = r.doc();
            assert!(!d.summary.is_empty() && !d.rationale.is_empty());
        }
    }

    #[test]
    fn defaults_per_yardstick() {
        assert_eq!(Rule::VagueTerm.default_level("phia", true), Level::Warning);
        assert_eq!(Rule::VagueTerm.default_level("icd203", true), Level::Info);
        assert_eq!(
            Rule::MixedYardsticks.default_level("icd203", true),
            Level::Error
        );
        assert_eq!(
            Rule::MixedYardsticks.default_level("phia", true),
            Level::Warning
        );
        assert_eq!(
            Rule::UnquantifiedJudgment.default_level("icd203", true),
            Level::Warning
        );
        assert_eq!(
            Rule::UnquantifiedJudgment.default_level("icd203", false),
            Level::Info
        );
        assert_eq!(
            Rule::UnquantifiedJudgment.default_level("phia", true),
            Level::Info
        );
        assert_eq!(Rule::MissingNumber.default_level("phia", true), Level::Off);
    }
}
