//! Sources (with their echo forest) and assumptions.

use super::*;

impl Checker<'_> {
    /// A `url` as written, when it is an absolute web address; otherwise an error at it.
    pub(super) fn url(&mut self, url: Option<&ast::Text>) -> Option<String> {
        let u = url?;
        let v = u.value.trim();
        let ok = (v.starts_with("https://") || v.starts_with("http://"))
            && v.len() > "https://".len()
            && !v.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Some(v.to_string())
        } else {
            self.diags.push(
                Diagnostic::error(Code::InvalidUrl, format!("`{v}` is not a web address"))
                    .with_label(u.span, "not an http:// or https:// address")
                    .with_help("write the full address, e.g. `url \"https://blog.talosintelligence.com/…\"`; put other references in `cite \"…\"`"),
            );
            None
        }
    }

    pub(super) fn sources(&mut self, grading: &Grading) -> Vec<Source> {
        let decls = self.sources.clone();
        let mut out: Vec<Source> = Vec::with_capacity(decls.len());
        for (idx, s) in decls.iter().enumerate() {
            let reliability = match &s.reliability {
                None => None,
                Some(g) => match single_letter(&g.text).and_then(|c| {
                    grading
                        .reliability_of(c)
                        .map(|r| (c.to_ascii_uppercase(), r))
                }) {
                    Some(r) => Some(r),
                    None => {
                        self.invalid_grade(g, ast::Axis::Reliability);
                        None
                    }
                },
            };
            let echoes = s
                .echoes
                .as_ref()
                .and_then(|e| self.resolve(e, &[Kind::Source]))
                .map(|(_, i)| SourceId(i as u32));
            out.push(Source {
                id: s.id.name.clone(),
                label: s
                    .label
                    .as_ref()
                    .map_or_else(|| s.id.name.clone(), |t| t.value.clone()),
                reliability,
                echoes,
                root: SourceId(idx as u32),
                declared: true,
                cite: s.cite.as_ref().map(|t| t.value.clone()),
                url: self.url(s.url.as_ref()),
                span: s.id.span,
            });
        }
        if graphs::echo_cycles(&decls, &out, &mut self.diags) {
            // roots stay trivial: the case has an error and will not be assessed
            return out;
        }
        graphs::root_echo_forest(&mut out);
        out
    }

    pub(super) fn assumption_priors(
        &mut self,
        values: &mut ValueResolver,
        k: usize,
    ) -> Vec<Assumption> {
        let decls = self.assumptions.clone();
        if decls.len() > MAX_ASSUMPTIONS {
            self.diags.push(
                Diagnostic::error(Code::TooManyAssumptions, format!("{} assumptions is more than acre can sum out exactly ({MAX_ASSUMPTIONS})", decls.len()))
                    .with_label(decls[MAX_ASSUMPTIONS].id.span, format!("assumption number {}", MAX_ASSUMPTIONS + 1))
                    .with_help("merge assumptions that always go together, or drop those no evidence depends on"),
            );
        }
        let mut out = Vec::with_capacity(decls.len());
        for (idx, a) in decls.iter().enumerate() {
            let aid = AssumptionId(idx as u32);
            let default = a
                .prior
                .as_ref()
                .and_then(|p| values.probability(p))
                .map(|v| self.add_param(v, ParamRole::AssumptionPrior(aid)));
            let mut per_h: Vec<Option<ParamId>> = vec![default; k];
            for line in &a.given {
                if let Some(c) = &line.condition {
                    self.diags.push(
                        Diagnostic::error(Code::ConditionNotAllowed, "an assumption's prior cannot depend on another assumption")
                            .with_label(c.span, "condition here")
                            .with_help("assumptions are independent given the hypothesis; remove the condition"),
                    );
                }
                let Some(v) = values.probability(&line.value) else {
                    continue;
                };
                let pid = self.add_param(v, ParamRole::AssumptionPrior(aid));
                for h in &line.hypotheses {
                    if let Some(hid) = self.resolve_hyp(h)
                        && let Some(slot) = per_h.get_mut(hid.idx())
                    {
                        *slot = Some(pid);
                    }
                }
            }
            let missing: Vec<usize> = (0..k).filter(|h| per_h[*h].is_none()).collect();
            if !missing.is_empty() {
                let names: Vec<String> = missing
                    .iter()
                    .map(|h| format!("`{}`", self.hyps[*h].id.name))
                    .collect();
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingPrior,
                        format!(
                            "assumption `{}` has no prior under {}",
                            a.id.name,
                            names.join(", ")
                        ),
                    )
                    .with_label(a.id.span, "no prior for some hypotheses")
                    .with_help("add `prior P` for all hypotheses, or `given h: P` lines for each"),
                );
            }
            out.push(Assumption {
                id: a.id.name.clone(),
                label: a
                    .label
                    .as_ref()
                    .map_or_else(|| a.id.name.clone(), |t| t.value.clone()),
                prior: per_h.into_iter().map(|p| p.unwrap_or(ParamId(0))).collect(),
                aliases: a.aliases.iter().map(|t| t.value.clone()).collect(),
                span: a.id.span,
            });
        }
        out
    }
}
