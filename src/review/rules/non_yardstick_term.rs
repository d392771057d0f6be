//! `non-yardstick-term`: a likelihood phrase the governing yardstick does not define.

use crate::review::read::{Batch, Form};
use crate::review::rewrite::non_term_fix;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "non-yardstick-term",
    code: "acre::non-yardstick-term",
    summary: "a likelihood phrase the governing yardstick does not define",
    rationale: "Readers take undefined phrases (\"high likelihood\", \"most likely\", \"not likely\") anywhere across a wide range; only the yardstick's terms carry agreed numbers. The fix replaces the phrase with the nearest term where the grammar allows.",
    bad: "There was a high likelihood that APT31 was behind the campaign.",
    good: "It was highly likely that APT31 was behind the campaign.",
    configurable: true,
    default_level: |_, _| Level::Error,
    check: &NonYardstickTerm,
});

struct NonYardstickTerm;

impl Check for NonYardstickTerm {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        for l in &batch.likelihoods {
            let Some(effective) = l.effective else {
                continue;
            };
            let t = &y.terms[effective];
            let written = l.span.text(text);
            let (fix, label) = match &l.form {
                Form::Restated { why, .. } => (None, why.clone()),
                Form::NonTerm { why } => (non_term_fix(text, l.span, &t.name), why.to_string()),
                _ => continue,
            };
            out.push(Finding {
                rule: RULE,
                level,
                message: format!("`{written}` is not a term of the {} yardstick", y.name),
                suggestion: Some(match &fix {
                    Some(f) => format!("write `{}` ({})", f.replacement, t.band_text()),
                    None => format!("use `{}` ({})", t.name, t.band_text()),
                }),
                fix,
                span: l.span,
                label,
                related: Vec::new(),
                about: None,
            });
        }
    }
}
