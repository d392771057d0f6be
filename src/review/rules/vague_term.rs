//! `vague-term`: an epistemic modal (may, might, could, possibly) used as a judgment in an
//! analytic sentence.

use crate::review::language;
use crate::review::read::Batch;
use crate::review::rewrite::vague_rewrite;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "vague-term",
    code: "acre::vague-term",
    summary: "an epistemic modal (may, might, could, possibly) in an analytic sentence",
    rationale: "A modal used as a judgment states no probability: readers put \"may\" anywhere from 10% to 90%. Permission, capability, habit and months are not judgments and are not flagged.",
    bad: "FIN6 may have been purchasing access from TrickBot operators.",
    good: "Depending on the target, FIN6 may identify POS systems. (a habit, not a judgment)",
    configurable: true,
    default_level: |yardstick, _| {
        if yardstick == "icd203" {
            Level::Info
        } else {
            Level::Warning
        }
    },
    check: &VagueTerm,
});

struct VagueTerm;

impl Check for VagueTerm {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        for m in &batch.modals {
            if m.stacked || !m.analytic {
                continue;
            }
            let Some(r) = batch.readings.get(&m.sentence) else {
                continue;
            };
            let clause = r.clause_at(m.span.start);
            if language::is_conditional(text, r, clause, m.span.start) || r.addresses_reader(text)
            {
                continue;
            }
            let suggestion = vague_rewrite(text, r, m.span).map(|(from, to)| {
                format!(
                    "state how likely it is with a {} term: e.g. `{}` instead of `{from}` ({}), or the term the evidence supports",
                    y.name,
                    to,
                    y.find("likely")
                        .map_or_else(String::new, |t| y.terms[t.term_idx].band_text())
                )
            });
            out.push(Finding {
                rule: RULE,
                level,
                message: format!("`{}` states no probability", m.span.text(text)),
                suggestion,
                fix: None,
                span: m.span,
                label: "a modal used as a judgment".to_string(),
                related: Vec::new(),
            });
        }
    }
}
