//! `underclaim`: with `--case`, a term below what the case's numbers support, in the draft
//! or in the case's own judgments.

use super::overclaim::{against_case, of_judgments};
use crate::review::judgments::JudgmentCheck;
use crate::review::read::Batch;
use crate::review::rule::{Check, Cx, Finding, JudgmentCx, Level, Rule, RuleDef};
use crate::vocab::Verdict;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "underclaim",
    code: "acre::underclaim",
    summary: "with --case: a term below what the case's numbers support",
    rationale: "The draft claims less than the evidence supports: the computed posterior and its 90% interval lie above the term's band.",
    bad: "It is likely that APT31 conducted the reconnaissance. (computed 96%)",
    good: "It is almost certain that APT31 conducted the reconnaissance.",
    configurable: true,
    default_level: |_, _| Level::Error,
    check: &Underclaim,
});

struct Underclaim;

impl Check for Underclaim {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        against_case(cx, batch, RULE, Verdict::Underclaim, out);
    }

    fn judgments(&self, cx: &JudgmentCx, checks: &[JudgmentCheck], out: &mut Vec<(usize, Finding)>) {
        of_judgments(cx, checks, RULE, Verdict::Underclaim, out);
    }
}
