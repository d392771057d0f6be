//! `confidence-with-likelihood`: a confidence level and a likelihood term in one sentence.

use crate::review::read::Batch;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "confidence-with-likelihood",
    code: "acre::confidence-with-likelihood",
    summary: "a confidence level and a likelihood term in one sentence",
    rationale: "ICD 203 keeps confidence and likelihood in separate sentences so they are not read as one number; UK practice allows both, so it is only a note under PHIA.",
    bad: "We assess with high confidence that the SVR is very likely responsible.",
    good: "We have high confidence in this assessment. The SVR is very likely responsible.",
    configurable: true,
    default_level: |yardstick, _| match yardstick {
        "icd203" => Level::Error,
        "phia" => Level::Info,
        _ => Level::Warning,
    },
    check: &ConfidenceWithLikelihood,
});

struct ConfidenceWithLikelihood;

impl Check for ConfidenceWithLikelihood {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let text = cx.text;
        let is_icd = cx.yardstick.name == "icd203";
        for (c, s) in &batch.confidences {
            let Some(l) = batch.likelihood_in.get(s).and_then(|ls| {
                ls.iter()
                    .map(|i| &batch.likelihoods[*i])
                    .find(|l| l.effective.is_some())
            }) else {
                continue;
            };
            out.push(Finding {
                rule: RULE,
                level,
                message: format!("`{}` and `{}` share a sentence", c.text(text), l.span.text(text)),
                suggestion: Some(if is_icd {
                    "ICD 203 keeps confidence and likelihood in separate sentences: state each on its own".to_string()
                } else {
                    "allowed in UK practice; make sure the confidence level and the likelihood are not read as one number".to_string()
                }),
                fix: None,
                span: *c,
                label: "confidence level".to_string(),
                related: vec![(l.span, "likelihood term".to_string())],
                about: None,
            });
        }
    }
}
