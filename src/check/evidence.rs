//! Evidence items: likelihood tables, ratios, dependencies and extremes.

use super::*;

/// Second likelihoods of one item reported, at most: the first few show the mistake.
const MAX_DUPLICATES_SHOWN: usize = 10;

impl Checker<'_> {
    pub(super) fn items(
        &mut self,
        values: &mut ValueResolver,
        grading: &Grading,
        mut sources: Vec<Source>,
        k: usize,
    ) -> (Vec<Item>, Vec<Source>) {
        let decls = self.items.clone();
        let mut out = Vec::with_capacity(decls.len());
        for (idx, e) in decls.iter().enumerate() {
            let item_id = ItemId(idx as u32);
            // grading
            let grade = e.grade.as_ref().and_then(|g| {
                let mut chars = g.text.chars();
                match (chars.next(), chars.next().and_then(|c| c.to_digit(10)), chars.next()) {
                    (Some(l), Some(d), None) if lexicon::reliability_index(l).is_some() && (1..=6).contains(&d) => {
                        Some((l.to_ascii_uppercase(), d as u8, g.span))
                    }
                    _ => {
                        self.diags.push(
                            Diagnostic::error(Code::InvalidGrade, format!("`{}` is not an Admiralty grade", g.text))
                                .with_label(g.span, "invalid grade")
                                .with_help("a grade is a reliability letter A-F followed by a credibility digit 1-6, like `B2`"),
                        );
                        None
                    }
                }
            });
            let mut credibility_grade = e.credibility.as_ref().and_then(|g| {
                match g.text.parse::<u8>().ok().filter(|d| (1..=6).contains(d)) {
                    Some(d) => Some(d),
                    None => {
                        self.invalid_grade(g, ast::Axis::Credibility);
                        None
                    }
                }
            });
            if let (Some((_, d, gspan)), Some(c)) = (grade, &e.credibility)
                && Some(d) != credibility_grade
            {
                self.diags.push(
                    Diagnostic::error(
                        Code::GradeMismatch,
                        "the grade and the credibility disagree",
                    )
                    .with_label(gspan, format!("grade says credibility {d}"))
                    .with_label(c.span, "credibility given here")
                    .with_help("keep one of them"),
                );
            }
            if let Some((_, d, _)) = grade {
                credibility_grade = credibility_grade.or(Some(d));
            }
            let source = match &e.from {
                Some(from) => {
                    let sid = self
                        .resolve(from, &[Kind::Source])
                        .map(|(_, i)| SourceId(i as u32));
                    if let (Some(sid), Some((letter, _, gspan))) = (sid, grade) {
                        let declared = sources
                            .get(sid.idx())
                            .and_then(|s| s.reliability)
                            .map(|(c, _)| c);
                        if declared.is_some_and(|c| c != letter) {
                            self.diags.push(
                                Diagnostic::error(
                                    Code::GradeMismatch,
                                    format!("grade `{letter}` disagrees with source `{}`, graded {}", from.name, declared.map_or('?', |c| c)),
                                )
                                .with_label(gspan, "reliability letter here")
                                .with_label(sources[sid.idx()].span, "source graded here")
                                .with_help("source reliability belongs to the source; give the item only `credibility N`"),
                            );
                        }
                    }
                    sid
                }
                None => None,
            };
            let source = source.unwrap_or_else(|| {
                // an implicit source of its own
                let reliability =
                    grade.and_then(|(l, _, _)| grading.reliability_of(l).map(|r| (l, r)));
                let sid = SourceId(sources.len() as u32);
                sources.push(Source {
                    id: format!("item:{}", e.id.name),
                    label: format!("the source of {}", e.id.name),
                    reliability,
                    echoes: None,
                    root: sid,
                    declared: false,
                    cite: None,
                    url: None,
                    span: e.id.span,
                });
                sid
            });
            let source_graded = sources
                .get(source.idx())
                .is_some_and(|s| s.reliability.is_some());
            if !source_graded && credibility_grade.is_none() {
                self.diags.push(
                    Diagnostic::warning(Code::Ungraded, format!("evidence `{}` is not graded", e.id.name))
                        .with_label(e.id.span, "counted as fully reliable")
                        .with_help("add `from SOURCE credibility N` (with the source's reliability A-F) or `grade B2`"),
                );
            }
            let credibility = credibility_grade
                .and_then(|d| grading.credibility_of(d))
                .unwrap_or(1.0);
            let status = e.status.map_or(Status::Observed, |(s, _)| s);
            let likelihood = self.likelihood(values, e, item_id, status, k);
            let depends_on = e
                .depends_on
                .iter()
                .filter_map(|d| self.resolve(d, &[Kind::Evidence]))
                .map(|(_, i)| ItemId(i as u32))
                .collect();
            out.push(Item {
                id: e.id.name.clone(),
                description: e
                    .label
                    .as_ref()
                    .map_or_else(String::new, |t| t.value.clone()),
                source,
                credibility_grade,
                credibility,
                status,
                depends_on,
                likelihood,
                cite: e.cite.as_ref().map(|t| t.value.clone()),
                url: self.url(e.url.as_ref()),
                reported: e.reported.as_ref().map(|d| (self.date(d), d.span)),
                span: e.id.span,
            });
        }
        graphs::dependency_cycles(&decls, &out, &mut self.diags);
        self.check_extremes(&out, &sources);
        graphs::similar_items(&out, &self.params, &mut self.diags);
        (out, sources)
    }

    pub(super) fn likelihood(
        &mut self,
        values: &mut ValueResolver,
        e: &ast::EvidenceDecl,
        item: ItemId,
        status: Status,
        k: usize,
    ) -> Likelihood {
        let empty = Likelihood {
            conds: Vec::new(),
            entries: vec![Entry::One; k],
            ratio: false,
        };
        if !e.supports.is_empty() && !e.given.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    Code::MixedForms,
                    format!(
                        "evidence `{}` mixes likelihoods and a likelihood ratio",
                        e.id.name
                    ),
                )
                .with_label(e.given[0].span, "likelihood here")
                .with_label(e.supports[0].span, "ratio here")
                .with_help("use either `given`/`otherwise` lines or one `supports` line"),
            );
            return empty;
        }
        if e.supports.is_empty() && e.given.is_empty() {
            self.diags.push(
                Diagnostic::error(Code::NoLikelihood, format!("evidence `{}` says nothing about how expected it is", e.id.name))
                    .with_label(e.id.span, "no `given`, `otherwise` or `supports` line")
                    .with_help("add `given HYPOTHESIS: TERM` lines with an `otherwise:` default, or `supports HYPOTHESIS: STRENGTH`"),
            );
            return empty;
        }
        if let Some(line) = e.supports.first() {
            return self.ratio_likelihood(values, e, line, item, status, k);
        }
        // conditions referenced
        let mut conds: Vec<AssumptionId> = Vec::new();
        let mut lines = Vec::new();
        let mut unresolved = false;
        for line in &e.given {
            let cond = match &line.condition {
                Some(c) => match self.resolve(&c.assumption, &[Kind::Assumption]) {
                    Some((_, a)) => {
                        let aid = AssumptionId(a as u32);
                        if !conds.contains(&aid) {
                            conds.push(aid);
                        }
                        Some((aid, !c.negated))
                    }
                    None => {
                        unresolved = true;
                        continue;
                    }
                },
                None => None,
            };
            let hyps: Vec<HypothesisId> = line
                .hypotheses
                .iter()
                .filter_map(|h| self.resolve_hyp(h))
                .collect();
            unresolved |= hyps.len() != line.hypotheses.len();
            let Some(v) = values.probability(&line.value) else {
                unresolved = true;
                continue;
            };
            let pid = self.add_param(v, ParamRole::Likelihood(item));
            lines.push((line, cond, hyps, pid));
        }
        conds.sort();
        let n_states = 1usize << conds.len().min(16);
        let mut entries = vec![Entry::One; n_states * k];
        let mut missing: Vec<usize> = Vec::new();
        for state in 0..n_states {
            let truth = |a: AssumptionId| {
                conds
                    .iter()
                    .position(|c| *c == a)
                    .is_some_and(|j| state >> j & 1 == 1)
            };
            for h in 0..k {
                // most specific line wins: named+condition, named, otherwise+condition, otherwise
                let mut best: Option<(u8, &ast::GivenLine, ParamId)> = None;
                for (line, cond, hyps, pid) in &lines {
                    let matches_cond = cond.is_none_or(|(a, want)| truth(a) == want);
                    let names_h = hyps.iter().any(|x| x.idx() == h);
                    if !matches_cond || (!line.hypotheses.is_empty() && !names_h) {
                        continue;
                    }
                    let rank = match (line.hypotheses.is_empty(), cond.is_some()) {
                        (false, true) => 3,
                        (false, false) => 2,
                        (true, true) => 1,
                        (true, false) => 0,
                    };
                    match best {
                        Some((r, prev, _)) if r == rank => {
                            if state == 0 || cond.is_some() {
                                self.duplicate_likelihood(e, h, prev, line);
                            }
                        }
                        Some((r, _, _)) if r > rank => {}
                        _ => best = Some((rank, line, *pid)),
                    }
                }
                match best {
                    Some((_, _, pid)) => entries[state * k + h] = Entry::Param(pid),
                    None => {
                        if !missing.contains(&h) {
                            missing.push(h);
                        }
                    }
                }
            }
        }
        // a line that failed to resolve was reported already; do not pile on
        if !missing.is_empty() && !unresolved {
            let names: Vec<String> = missing
                .iter()
                .filter_map(|h| self.hyps.get(*h))
                .map(|h| format!("`{}`", h.id.name))
                .collect();
            self.diags.push(
                Diagnostic::error(
                    Code::MissingLikelihood,
                    format!("evidence `{}` has no likelihood under {}", e.id.name, names.join(", ")),
                )
                .with_label(e.id.span, "incomplete likelihoods")
                .with_help("add `given HYPOTHESIS: TERM` for each, or an `otherwise: TERM` default (also for every assumption state)"),
            );
        }
        Likelihood {
            conds,
            entries,
            ratio: false,
        }
    }

    pub(super) fn duplicate_likelihood(
        &mut self,
        e: &ast::EvidenceDecl,
        h: usize,
        prev: &ast::GivenLine,
        line: &ast::GivenLine,
    ) {
        let name = self.hyps.get(h).map_or("?", |d| d.id.name.as_str());
        let code = Code::DuplicateLikelihood;
        if !self.duplicate_lines.insert(line.span.start) {
            return;
        }
        // the first few of one item are enough to see the mistake
        let count = self.duplicates_per_item.entry(e.id.span.start).or_default();
        *count += 1;
        if *count > MAX_DUPLICATES_SHOWN {
            return;
        }
        self.diags.push(
            Diagnostic::error(
                code,
                format!(
                    "evidence `{}` gives two likelihoods for `{name}`",
                    e.id.name
                ),
            )
            .with_label(line.span, "second")
            .with_label(prev.span, "first")
            .with_help("keep one line per hypothesis and assumption state"),
        );
    }

    pub(super) fn ratio_likelihood(
        &mut self,
        values: &mut ValueResolver,
        e: &ast::EvidenceDecl,
        line: &ast::SupportLine,
        item: ItemId,
        status: Status,
        k: usize,
    ) -> Likelihood {
        let mut entries = vec![Entry::One; k];
        if let Some(second) = e.supports.get(1) {
            self.diags.push(
                Diagnostic::error(Code::DuplicateLikelihood, format!("evidence `{}` has more than one `supports` line", e.id.name))
                    .with_label(second.span, "second")
                    .with_label(line.span, "first")
                    .with_help("state one likelihood ratio per item; split the item if it bears on different pairs"),
            );
        }
        if status == Status::Absent {
            let span = e.status.map_or(line.span, |(_, s)| s);
            self.diags.push(
                Diagnostic::error(Code::RatioAbsent, format!("absent evidence `{}` needs absolute likelihoods, not a ratio", e.id.name))
                    .with_label(span, "absent")
                    .with_label(line.span, "ratio form")
                    .with_help("absent evidence uses 1 - P(E | h): write `given h: TERM` lines with an `otherwise:` default"),
            );
        }
        let supported: Vec<HypothesisId> = line
            .supported
            .iter()
            .filter_map(|h| self.resolve_hyp(h))
            .collect();
        let over: Vec<HypothesisId> = line
            .over
            .iter()
            .filter_map(|h| self.resolve_hyp(h))
            .collect();
        for (h, id) in over.iter().zip(&line.over) {
            if supported.contains(h) {
                self.diags.push(
                    Diagnostic::error(
                        Code::RatioOverlap,
                        format!("`{}` is both supported and supported over", id.name),
                    )
                    .with_label(id.span, "named on both sides")
                    .with_help("a hypothesis is either supported or supported over"),
                );
            }
        }
        if !over.is_empty() {
            let missing: Vec<String> = (0..k)
                .filter(|h| !supported.iter().chain(&over).any(|x| x.idx() == *h))
                .filter_map(|h| self.hyps.get(h))
                .map(|h| format!("`{}`", h.id.name))
                .collect();
            if !missing.is_empty() {
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingLikelihood,
                        format!("evidence `{}` says nothing about {}", e.id.name, missing.join(", ")),
                    )
                    .with_label(line.span, "the ratio names neither")
                    .with_help("add them after `over`, or drop `over` to support the named hypotheses over all others"),
                );
            }
        }
        if let Some(v) = values.ratio(&line.strength) {
            let pid = self.add_param(v, ParamRole::Ratio(item));
            for h in &supported {
                entries[h.idx()] = Entry::Param(pid);
            }
        }
        Likelihood {
            conds: Vec::new(),
            entries,
            ratio: true,
        }
    }

    /// Zero likelihoods: an error when no hypothesis could produce the item, a warning
    /// when the item alone rules hypotheses out.
    pub(super) fn check_extremes(&mut self, items: &[Item], sources: &[Source]) {
        for (item, decl) in items.iter().zip(self.items.clone()) {
            // an item with no likelihood at all is reported as such (`no-likelihood`); its
            // table of ones is no finding of its own
            let stated = !decl.given.is_empty() || !decl.supports.is_empty();
            if item.status == Status::Pending || item.likelihood.ratio || !stated {
                continue;
            }
            let k = self.hyps.len();
            let absent = item.status == Status::Absent;
            let effective = |entry: &Entry| {
                let l = match entry {
                    Entry::One => 1.0,
                    Entry::Param(p) => self.params[p.idx()].value.point,
                };
                if absent { 1.0 - l } else { l }
            };
            let n_states = item.likelihood.entries.len() / k.max(1);
            for state in 0..n_states {
                let row = &item.likelihood.entries[state * k..(state + 1) * k];
                let values: Vec<f64> = row.iter().map(effective).collect();
                let spans: Vec<Span> = row
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Param(p) => Some(self.params[p.idx()].value.span),
                        Entry::One => None,
                    })
                    .collect();
                if values.iter().all(|v| *v == 0.0) {
                    let what = if absent { "its absence" } else { "it" };
                    let mut d = Diagnostic::error(
                        Code::ImpossibleEvidence,
                        format!("evidence `{}` is impossible under every hypothesis", item.id),
                    )
                    .with_label(item.span, format!("no hypothesis could produce {what}"))
                    .with_help(if absent {
                        "absent evidence uses 1 - P(E | h); a likelihood of 1 everywhere says its absence cannot happen"
                    } else {
                        "an observed item needs a likelihood above 0 under at least one hypothesis"
                    });
                    if let Some(s) = spans.first() {
                        d = d.with_label(*s, "");
                    }
                    self.diags.push(d);
                    break;
                }
                let source = &sources[item.source.idx()];
                let certain = values.contains(&0.0)
                    && item.credibility >= 1.0
                    && crate::model::relay_soundness_of(sources, item.source) >= 1.0
                    && sources[source.root.idx()].soundness() >= 1.0;
                if certain {
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Certainty,
                            format!("evidence `{}` rules hypotheses out with certainty", item.id),
                        )
                        .with_label(item.span, "a likelihood of 0 or 1 on an ungraded item")
                        .with_help("this item makes the judgment immune to all other evidence; use a yardstick term, or grade the item so a wrong report stays possible"),
                    );
                    break;
                }
            }
            let _ = decl;
        }
    }
}
