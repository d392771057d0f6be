//! Hypotheses and their priors.

use super::*;

impl Checker<'_> {
    pub(super) fn hypotheses(&mut self, values: &mut ValueResolver) -> Vec<Hypothesis> {
        let k = self.hyps.len();
        let mut out = Vec::with_capacity(k);
        let any_prior = self.hyps.iter().any(|h| h.prior.is_some());
        let rests: Vec<Span> = self
            .hyps
            .iter()
            .filter_map(|h| match &h.prior {
                Some(Prob::Rest { span }) => Some(*span),
                _ => None,
            })
            .collect();
        if rests.len() > 1 {
            let mut d = Diagnostic::error(
                Code::MultipleRest,
                "only one hypothesis can take the `rest` of the prior",
            )
            .with_help("give every hypothesis but one an explicit prior");
            for s in &rests {
                d = d.with_label(*s, "`rest`");
            }
            self.diags.push(d);
        }
        let hyps = self.hyps.clone();
        for (idx, h) in hyps.iter().enumerate() {
            let hid = HypothesisId(idx as u32);
            let (prior, prior_point, is_rest) = match &h.prior {
                None if any_prior => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::MissingPrior,
                            format!("hypothesis `{}` has no prior, but others do", h.id.name),
                        )
                        .with_label(h.id.span, "no prior")
                        .with_help(
                            "give it a prior, or `prior rest` to take what the others leave",
                        ),
                    );
                    (None, 0.0, false)
                }
                None => (None, 1.0 / k as f64, false),
                Some(Prob::Rest { .. }) => (None, 0.0, true),
                Some(p) => match values.probability(p) {
                    Some(v) => {
                        let point = v.point;
                        (Some(self.add_param(v, ParamRole::Prior(hid))), point, false)
                    }
                    None => (None, 0.0, false),
                },
            };
            out.push(Hypothesis {
                id: h.id.name.clone(),
                label: h
                    .label
                    .as_ref()
                    .map_or_else(|| h.id.name.clone(), |t| t.value.clone()),
                aliases: h.aliases.iter().map(|a| a.value.clone()).collect(),
                prior,
                prior_point,
                is_rest,
                catch_all: h.catch_all.is_some(),
                span: h.id.span,
            });
        }
        if any_prior && rests.len() <= 1 {
            let sum: f64 = out
                .iter()
                .filter(|h| !h.is_rest)
                .map(|h| h.prior_point)
                .sum();
            let rest_idx = out.iter().position(|h| h.is_rest);
            let bad = match rest_idx {
                Some(_) => sum > 1.0 + 1e-9,
                None => (sum - 1.0).abs() > 1e-9,
            };
            if bad && !self.diags.iter().any(|d| d.code == Code::MissingPrior) {
                let mut d = Diagnostic::error(
                    Code::PriorsSum,
                    format!("the priors sum to {}, not 1", crate::format::trim_float(sum)),
                )
                .with_help(match rest_idx {
                    Some(_) => "the explicit priors leave nothing for `rest`: lower them so they sum to less than 1".to_string(),
                    None => "adjust the priors so they sum to 1, or give one hypothesis `prior rest`".to_string(),
                });
                for (h, decl) in out.iter().zip(&hyps) {
                    if let Some(p) = &decl.prior {
                        let value = if h.is_rest {
                            "rest (nothing is left)".to_string()
                        } else {
                            crate::format::trim_float(h.prior_point)
                        };
                        d = d.with_label(p.span(), format!("{} = {value}", h.id));
                    }
                }
                self.diags.push(d);
            } else if let Some(r) = rest_idx {
                out[r].prior_point = (1.0 - sum).max(0.0);
            }
        }
        if !out.iter().any(|h| h.catch_all) && k >= 2 {
            let mut d = Diagnostic::warning(Code::NoCatchAll, "no hypothesis is marked `catch-all`")
                .with_help("add `hypothesis other \"Someone else\" prior rest catch-all`, or the posterior assumes this list is exhaustive");
            if let Some(h) = out.first() {
                d = d.with_label(h.span, "the hypotheses start here");
            }
            self.diags.push(d);
        }
        out
    }
}
