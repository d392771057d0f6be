//! What a review rule is: its metadata ([`RuleDef`]), the handle findings carry ([`Rule`]),
//! the finding itself, and the checks a rule may run ([`Check`]) over what the reading of
//! a draft found ([`super::read`]). The rules themselves live one per file in
//! [`super::rules`], which lists them.

use super::compare::CaseContext;
use super::judgments::JudgmentCheck;
use super::read::{Batch, Draft};
use super::scan::Scanner;
use crate::code::Code;
use crate::diagnostic::Fix;
use crate::lexicon::Yardstick;
use crate::span::Span;

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

/// Everything a rule declares about itself: `acre review --explain`, SARIF's rule metadata,
/// configuration and the docs read it.
pub struct RuleDef {
    /// The stable id users write in `acre.toml` and `--rule`.
    pub id: &'static str,
    /// The diagnostic code, `acre::` and the id.
    pub code: &'static str,
    /// What the rule checks, in one line.
    pub summary: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// Wording that triggers it.
    pub bad: &'static str,
    /// Wording that does not.
    pub good: &'static str,
    /// Whether users can set its level.
    pub configurable: bool,
    /// The level when nothing configures it, under the yardstick named by the first
    /// argument; the second says whether the finding sits in an analytic sentence.
    pub default_level: fn(&str, bool) -> Level,
    /// What it checks.
    pub check: &'static dyn Check,
}

/// A review rule, as findings name it.
#[derive(Clone, Copy)]
pub struct Rule(pub &'static RuleDef);

impl Rule {
    /// The stable id users write in `acre.toml` and `--rule`.
    pub fn id(self) -> &'static str {
        self.0.id
    }

    /// The diagnostic code (`acre::RULE`).
    pub fn code(self) -> Code {
        Code::Rule(self.0.code)
    }

    /// Whether users can set its level (the judgment rule's level follows its verdict).
    pub fn configurable(self) -> bool {
        self.0.configurable
    }

    /// The level when nothing configures it, under the yardstick named `yardstick`.
    /// `analytic` says whether the finding sits in an analytic sentence.
    pub fn default_level(self, yardstick: &str, analytic: bool) -> Level {
        (self.0.default_level)(yardstick, analytic)
    }

    /// Its metadata: summary, rationale and an example of each side.
    pub fn doc(self) -> &'static RuleDef {
        self.0
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for Rule {}

impl std::hash::Hash for Rule {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id.hash(state);
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({})", self.0.id)
    }
}

/// A problem found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Level in force.
    pub level: Level,
    /// One sentence.
    pub message: String,
    /// How to fix it: a rewrite of the text, or advice naming the terms to use.
    pub suggestion: Option<String>,
    /// The mechanical fix, when there is one.
    pub fix: Option<Fix>,
    /// Where.
    pub span: Span,
    /// What to say at the primary span.
    pub label: String,
    /// Other places involved.
    pub related: Vec<(Span, String)>,
    /// The case's hypothesis or assumption the finding compares the text with.
    pub about: Option<About>,
}

/// A hypothesis or an assumption of the case, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct About {
    /// Its id.
    pub id: String,
    /// Whether it is an assumption (else a hypothesis).
    pub assumption: bool,
}

impl Finding {
    /// The finding as a diagnostic (for miette rendering and the editor).
    pub fn to_diagnostic(&self) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::{Diagnostic, Label, Severity};
        let severity = match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info | Level::Off => Severity::Advice,
        };
        let mut labels = vec![Label {
            span: self.span,
            text: self.label.clone(),
        }];
        labels.extend(self.related.iter().map(|(span, text)| Label {
            span: *span,
            text: text.clone(),
        }));
        Diagnostic {
            code: self.rule.code(),
            severity,
            message: self.message.clone(),
            help: self.suggestion.clone(),
            labels,
            fixes: self.fix.iter().cloned().collect(),
        }
    }
}

/// What every check of one review shares, read-only.
pub struct Cx<'a> {
    /// The whole draft.
    pub text: &'a str,
    /// The governing yardstick.
    pub yardstick: &'a Yardstick,
    /// The scanner (and the yardsticks its term meanings refer to).
    pub scanner: &'a Scanner,
    /// The case, when the draft is checked against one.
    pub case: Option<CaseContext<'a>>,
    /// The level in force for a rule (`Off`: it is not reported); the flag says whether the
    /// finding sits in an analytic sentence.
    pub level: &'a dyn Fn(Rule, bool) -> Level,
}

impl Cx<'_> {
    /// The level of `rule` in force.
    pub fn level(&self, rule: Rule, analytic: bool) -> Level {
        (self.level)(rule, analytic)
    }
}

/// The checks a rule runs; each adds its findings to `out`, with the level in force (a
/// finding whose level is `Off` is never added). A rule implements the ones it needs.
pub trait Check: Sync {
    /// Within one batch of the draft (whole paragraphs, about 1 MiB).
    fn batch(&self, _cx: &Cx, _batch: &Batch, _out: &mut Vec<Finding>) {}

    /// Across the whole draft, after every batch was read.
    fn draft(&self, _cx: &Cx, _draft: &Draft, _out: &mut Vec<Finding>) {}

    /// On the case's own judgments (each check at most one finding, by one rule), paired
    /// with the index of its check.
    fn judgments(
        &self,
        _cx: &JudgmentCx,
        _checks: &[JudgmentCheck],
        _out: &mut Vec<(usize, Finding)>,
    ) {
    }
}

/// What the checks of a case's judgments share.
pub struct JudgmentCx<'a> {
    /// The case.
    pub case: &'a crate::model::Case,
    /// The level in force for a rule (always in an analytic sentence).
    pub level: &'a dyn Fn(Rule) -> Level,
}
