//! `number-term-mismatch`: a number beside a term, outside the term's band.

use crate::format::format_band;
use crate::review::read::Batch;
use crate::infer::words::written;
use crate::review::rewrite::number_after;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "number-term-mismatch",
    code: "acre::number-term-mismatch",
    summary: "a number beside a term, outside the term's band",
    rationale: "\"likely (90%)\" contradicts itself: 90% is not in likely's 55-75% band.",
    bad: "We judge it likely (90%) that Sandworm carried out the attack.",
    good: "We judge it highly likely (80-90%) that Sandworm carried out the attack.",
    configurable: true,
    default_level: |_, _| Level::Error,
    check: &NumberTermMismatch,
});

struct NumberTermMismatch;

impl Check for NumberTermMismatch {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        for l in batch.likelihoods.iter().filter(|l| l.effective.is_some()) {
            let Some((a, b, number)) = number_after(text, l.span.end) else {
                continue;
            };
            let (lo, hi) = (a.min(b), a.max(b));
            let inside = lo >= l.band.0 - 0.005 && hi <= l.band.1 + 0.005;
            if inside {
                continue;
            }
            out.push(Finding {
                rule: RULE,
                level,
                message: format!(
                    "`{}` means {}, but the number beside it says otherwise",
                    l.span.text(text),
                    format_band(l.band.0, l.band.1)
                ),
                suggestion: Some(format!(
                    "for {} use {}",
                    number.text(text),
                    y.term_with_band(written(y, (lo + hi) / 2.0))
                )),
                fix: None,
                span: number,
                label: "outside the term's band".to_string(),
                related: vec![(
                    l.span,
                    format!("means {}", format_band(l.band.0, l.band.1)),
                )],
                about: None,
            });
        }
    }
}
