//! The codes of every diagnostic acre emits, as one enum with stable ids.
//!
//! Users see the ids (`acre::unknown-term`) in every output format and may filter or
//! configure by them, so an id never changes once published. Each code says where it can
//! arise ([`Origin`]); the test `tests/it/codes.rs` triggers every code from a fixture or a
//! command, so a new code without one fails the build of that test.

use std::fmt;

/// Where a diagnostic comes from, which says how a test triggers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A case file (`tests/fixtures/invalid/ID.acre` or `tests/fixtures/warnings/ID.acre`).
    Case,
    /// A review rule on a draft (`tests/fixtures/review/rules/ID.md`).
    Review,
    /// Files, folders, tables, configuration and the command line.
    Input,
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $origin:ident;)*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`acre::", $id, "`")]
                $variant,
            )*
            /// A review rule's code, `acre::RULE` (the rules are listed in `review::rules`, so
            /// that a rule is one file and one line there).
            Rule(&'static str),
        }

        impl Code {
            /// Every code but the review rules', in alphabetical order of ids.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The id users see, `acre::…`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!("acre::", $id),)*
                    Code::Rule(code) => code,
                }
            }

            /// The id without the `acre::` prefix (also the name of its fixture).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)*
                    Code::Rule(code) => code.strip_prefix("acre::").unwrap_or(code),
                }
            }

            /// Where the code arises.
            pub fn origin(self) -> Origin {
                match self {
                    $(Code::$variant => Origin::$origin,)*
                    Code::Rule(_) => Origin::Review,
                }
            }
        }
    };
}

codes! {
    BidiControl = "bidi-control", Case;
    CaseHasErrors = "case-has-errors", Input;
    Certainty = "certainty", Case;
    ConditionNotAllowed = "condition-not-allowed", Case;
    Config = "config", Input;
    ControlCharacter = "control-character", Case;
    CsvColumn = "csv-column", Input;
    CsvValue = "csv-value", Input;
    DependencyCycle = "dependency-cycle", Case;
    DuplicateCase = "duplicate-case", Case;
    DuplicateId = "duplicate-id", Case;
    DuplicateLikelihood = "duplicate-likelihood", Case;
    DuplicateOutcome = "duplicate-outcome", Case;
    EchoCycle = "echo-cycle", Case;
    EmptyFolder = "empty-folder", Input;
    EmptyGroup = "empty-group", Case;
    EmptyYardstick = "empty-yardstick", Case;
    ExpectedDeclaration = "expected-declaration", Case;
    ForeignTerm = "foreign-term", Case;
    GradeMismatch = "grade-mismatch", Case;
    GroupCycle = "group-cycle", Case;
    GroupOfAll = "group-of-all", Case;
    GroupOfOne = "group-of-one", Case;
    ImpossibleEvidence = "impossible-evidence", Case;
    IncludeCycle = "include-cycle", Input;
    IncludeNotFound = "include-not-found", Input;
    IncludeNotShareable = "include-not-shareable", Input;
    IncompleteJudgment = "incomplete-judgment", Case;
    InvalidBand = "invalid-band", Case;
    InvalidBeta = "invalid-beta", Case;
    InvalidDate = "invalid-date", Case;
    InvalidExpectation = "invalid-expectation", Case;
    InvalidGrade = "invalid-grade", Case;
    InvalidRatio = "invalid-ratio", Case;
    InvalidUrl = "invalid-url", Case;
    InvalidUtf8 = "invalid-utf8", Case;
    InvertedInterval = "inverted-interval", Case;
    IoError = "io-error", Input;
    IsADirectory = "is-a-directory", Input;
    JudgmentNeedsTerm = "judgment-needs-term", Case;
    KeywordAsName = "keyword-as-name", Case;
    MemberInTwoGroups = "member-in-two-groups", Case;
    MisplacedRest = "misplaced-rest", Case;
    MissingLikelihood = "missing-likelihood", Case;
    MissingPrior = "missing-prior", Case;
    MixedForms = "mixed-forms", Case;
    MixedRows = "mixed-rows", Case;
    MultipleRest = "multiple-rest", Case;
    NoCaseHeader = "no-case-header", Case;
    NoCatchAll = "no-catch-all", Case;
    NoLikelihood = "no-likelihood", Case;
    NoSuchFile = "no-such-file", Input;
    NotAFile = "not-a-file", Input;
    NotATerm = "not-a-term", Case;
    NotFormatted = "not-formatted", Input;
    NumberOutOfRange = "number-out-of-range", Case;
    OutcomeBeforeAssessed = "outcome-before-assessed", Case;
    OutcomeWithoutStrength = "outcome-without-strength", Case;
    OutputIsInput = "output-is-input", Input;
    PointOutsideBand = "point-outside-band", Case;
    PoolMismatch = "pool-mismatch", Input;
    PriorsSum = "priors-sum", Case;
    ProbabilityOutOfRange = "probability-out-of-range", Case;
    RatioAbsent = "ratio-absent", Case;
    RatioOverlap = "ratio-overlap", Case;
    ReportedAfterAssessed = "reported-after-assessed", Case;
    SharedAlias = "shared-alias", Case;
    SimilarItems = "similar-items", Case;
    Survey = "survey", Input;
    TooFewHypotheses = "too-few-hypotheses", Case;
    TooLarge = "too-large", Input;
    TooManyAssumptions = "too-many-assumptions", Case;
    TooManyErrors = "too-many-errors", Case;
    UnclosedBlock = "unclosed-block", Case;
    UnexpectedCharacter = "unexpected-character", Case;
    UnexpectedToken = "unexpected-token", Case;
    Ungraded = "ungraded", Case;
    UnknownConfidence = "unknown-confidence", Case;
    UnknownField = "unknown-field", Case;
    UnknownId = "unknown-id", Case;
    UnknownOutcomeStrength = "unknown-outcome-strength", Case;
    UnknownStrength = "unknown-strength", Case;
    UnknownTerm = "unknown-term", Case;
    UnknownYardstick = "unknown-yardstick", Case;
    UnreportedItem = "unreported-item", Case;
    UnterminatedString = "unterminated-string", Case;
    Unused = "unused", Case;
    Usage = "usage", Input;
    WrongKind = "wrong-kind", Case;
}

impl Code {
    /// The code with this id (with or without the `acre::` prefix), but for the review
    /// rules' (see `review::rules`).
    pub fn from_id(id: &str) -> Option<Code> {
        let name = id.strip_prefix("acre::").unwrap_or(id);
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sorted_unique_and_round_trip() {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for c in Code::ALL {
            assert_eq!(Code::from_id(c.as_str()), Some(*c));
            assert_eq!(Code::from_id(c.name()), Some(*c));
            assert_eq!(format!("{c}"), format!("acre::{}", c.name()));
        }
        assert_eq!(Code::from_id("acre::no-such-code"), None);
    }
}
