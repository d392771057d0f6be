//! `vague-term`: an epistemic modal (may, might, could, possibly) used as a judgment in an
//! analytic sentence.

use crate::review::language;
use crate::review::read::Batch;
use crate::review::compare;
use crate::infer::words::written;
use crate::review::rewrite::{MODAL_READING, vague_rewrite};
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};
use crate::span::Span;

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
            if language::is_conditional(text, r, clause, m.span.start)
                || language::in_indirect_question(text, r, m.span.start)
                || r.addresses_reader(text)
            {
                continue;
            }
            // the term to restate it with: the case's, else how readers take the modal
            let from_case = cx.case.zip(m.target.as_ref()).and_then(|(case, target)| {
                compare::compare(case, target, (0.0, 1.0))
                    .map(|c| (written(y, c.point), c.label))
            });
            let word = m.span.text(text);
            let modal = matches!(
                word.to_lowercase().as_str(),
                "may" | "might" | "could" | "possibly" | "possible" | "possible that" | "perhaps"
                    | "potentially" | "conceivably"
            );
            let (term, why) = match from_case {
                Some((t, label)) => (
                    t,
                    format!("the case supports {} for {label}", y.term_with_band(t)),
                ),
                None if !modal => {
                    let suggestion = Some(format!(
                        "state how likely it is with {} (the term the evidence supports, with its range)",
                        y.a_term()
                    ));
                    out.push(finding(m.span, word, level, suggestion));
                    continue;
                }
                None => {
                    let t = written(y, MODAL_READING);
                    (
                        t,
                        format!(
                            "readers take `{}` to mean about {}% (the median of 5,174 readers in CAPphrase), {} under {}",
                            word.to_lowercase(),
                            crate::format::format_percent(MODAL_READING),
                            y.term_with_band(t),
                            y.display_name()
                        ),
                    )
                }
            };
            let example = vague_rewrite(text, r, m.span, &y.terms[term].name)
                .map(|(_, to)| format!(": e.g. `{to}`"))
                .unwrap_or_default();
            let suggestion = Some(format!(
                "state how likely it is with {}; {why}{example}",
                y.a_term()
            ));
            out.push(finding(m.span, word, level, suggestion));
        }
    }
}

fn finding(span: Span, word: &str, level: Level, suggestion: Option<String>) -> Finding {
    Finding {
        rule: RULE,
        level,
        message: format!("`{word}` states no probability"),
        suggestion,
        fix: None,
        span,
        label: "a modal used as a judgment".to_string(),
        related: Vec::new(),
        about: None,
    }
}
