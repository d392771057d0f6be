//! `unquantified-judgment`: attribution wording with no probability ("suspected", "believed
//! to be", "reportedly").

use crate::review::read::Batch;
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "unquantified-judgment",
    code: "acre::unquantified-judgment",
    summary: "attribution wording with no probability: suspected, believed to be, reportedly",
    rationale: "\"The suspected Russian group\" attributes without saying how likely the attribution is. Information by default; a warning under ICD 203 in analytic sentences, which must express likelihood.",
    bad: "The group is believed to be linked to the GRU.",
    good: "The group is likely (55-75%) linked to the GRU.",
    configurable: true,
    default_level: |yardstick, analytic| {
        if yardstick == "icd203" && analytic {
            Level::Warning
        } else {
            Level::Info
        }
    },
    check: &UnquantifiedJudgment,
});

struct UnquantifiedJudgment;

impl Check for UnquantifiedJudgment {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let (text, y) = (cx.text, cx.yardstick);
        for (u, s) in &batch.unquantified {
            if batch.likelihood_in.contains_key(s) {
                continue;
            }
            let analytic = batch
                .readings
                .get(s)
                .is_some_and(|r| r.is_analytic(text));
            let level = cx.level(RULE, analytic);
            if level == Level::Off {
                continue;
            }
            out.push(Finding {
                rule: RULE,
                level,
                message: format!("`{}` attributes without saying how likely it is", u.text(text)),
                suggestion: Some(format!(
                    "say how likely the attribution is with {} (the term the evidence supports, with its range)",
                    y.a_term()
                )),
                fix: None,
                span: *u,
                label: "an attribution with no probability".to_string(),
                related: Vec::new(),
                about: None,
            });
        }
    }
}
