//! `missing-number`: a term printed without its numeric range (off by default).

use crate::diagnostic::Fix;
use crate::format::format_band;
use crate::review::read::Batch;
use crate::review::rewrite::number_after;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "missing-number",
    code: "acre::missing-number",
    summary: "a term printed without its numeric range (off by default)",
    rationale: "Readers agree with the intended band about twice as often when the range is printed beside the term.",
    bad: "It is likely that the actor used stolen credentials.",
    good: "It is likely (55-75%) that the actor used stolen credentials.",
    configurable: true,
    default_level: |_, _| Level::Off,
    check: &MissingNumber,
});

struct MissingNumber;

impl Check for MissingNumber {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let text = cx.text;
        for l in batch.likelihoods.iter().filter(|l| l.effective.is_some()) {
            if number_after(text, l.span.end).is_some() {
                continue;
            }
            let band = format_band(l.band.0, l.band.1);
            out.push(Finding {
                rule: RULE,
                level,
                message: format!("`{}` is printed without its range", l.span.text(text)),
                suggestion: Some(format!("write `{} ({band})`", l.span.text(text))),
                fix: Some(Fix {
                    span: Span::new(l.span.end, l.span.end),
                    replacement: format!(" ({band})"),
                }),
                span: l.span,
                label: "no numeric range".to_string(),
                related: Vec::new(),
                about: None,
            });
        }
    }
}
