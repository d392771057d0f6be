//! Groups of hypotheses: members resolved, each member in one group, no cycles.

use super::*;

impl Checker<'_> {
    /// The groups, in the file's order; `k` hypotheses are declared.
    pub(super) fn groups(&mut self, k: usize) -> Vec<Group> {
        let decls = self.groups.clone();
        let n = decls.len();
        // direct members, resolved, each listed once in the whole case
        let mut members: Vec<Vec<Proposition>> = vec![Vec::new(); n];
        let mut listed_in: HashMap<Proposition, (usize, Span)> = HashMap::default();
        let example: Vec<&str> = self
            .hyps
            .iter()
            .take(2)
            .map(|h| h.id.name.as_str())
            .collect();
        let example = if example.len() == 2 {
            example.join(", ")
        } else {
            "apt31, other_cn".to_string()
        };
        for (g, d) in decls.iter().enumerate() {
            if d.members.is_empty() {
                self.diags.push(
                    Diagnostic::error(
                        Code::EmptyGroup,
                        format!("group `{}` has no members", d.id.name),
                    )
                    .with_label(d.id.span, "no members")
                    .with_help(format!(
                        "list the hypotheses it holds, e.g. `group {} \"…\" {{ {example} }}`",
                        d.id.name
                    )),
                );
                continue;
            }
            for m in &d.members {
                let p = match self.resolve(m, &[Kind::Hypothesis, Kind::Group]) {
                    Some((Kind::Hypothesis, i)) => Proposition::Hypothesis(HypothesisId(i as u32)),
                    Some((_, i)) => Proposition::Group(GroupId(i as u32)),
                    None => continue,
                };
                if p == Proposition::Group(GroupId(g as u32)) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::GroupCycle,
                            format!("group `{}` lists itself", d.id.name),
                        )
                        .with_label(m.span, "the group itself")
                        .with_help("a group holds hypotheses or smaller groups: remove this name"),
                    );
                    continue;
                }
                if let Some((first, first_span)) = listed_in.get(&p) {
                    let (message, help) = if *first == g {
                        (
                            format!("`{}` is listed twice in group `{}`", m.name, d.id.name),
                            "remove the second mention".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "`{}` is a member of two groups, `{}` and `{}`",
                                m.name, decls[*first].id.name, d.id.name
                            ),
                            format!(
                                "a hypothesis sits in one group per level, or its probability would count twice: to nest, make `{}` a member of `{}` (or the other way round) and list `{}` in the smaller one only",
                                decls[*first].id.name, d.id.name, m.name
                            ),
                        )
                    };
                    self.diags.push(
                        Diagnostic::error(Code::MemberInTwoGroups, message)
                            .with_label(m.span, "listed again here")
                            .with_label(*first_span, "first listed here")
                            .with_help(help),
                    );
                    continue;
                }
                listed_in.insert(p, (g, m.span));
                members[g].push(p);
            }
        }
        let parent: Vec<Option<usize>> = (0..n)
            .map(|g| {
                listed_in
                    .get(&Proposition::Group(GroupId(g as u32)))
                    .map(|(p, _)| *p)
            })
            .collect();
        // a chain of parents that comes back to where it started is a cycle
        let mut in_cycle = vec![false; n];
        for start in 0..n {
            let mut at = parent[start];
            let mut steps = 0;
            while let Some(g) = at {
                if g == start {
                    in_cycle[start] = true;
                    break;
                }
                steps += 1;
                if steps > n {
                    break;
                }
                at = parent[g];
            }
        }
        if let Some(first) = in_cycle.iter().position(|c| *c) {
            let mut d = Diagnostic::error(
                Code::GroupCycle,
                format!("group `{}` is nested inside itself", decls[first].id.name),
            )
            .with_help("groups nest from the largest down: one of these must not list the other");
            for (decl, _) in decls.iter().zip(&in_cycle).filter(|(_, c)| **c) {
                d = d.with_label(decl.id.span, format!("`{}`, in the cycle", decl.id.name));
            }
            self.diags.push(d);
            return Vec::new();
        }
        let depth: Vec<usize> = (0..n)
            .map(|g| std::iter::successors(parent[g], |p| parent[*p]).count())
            .collect();
        // every hypothesis under each group, in the case's order
        let mut under: Vec<Vec<bool>> = vec![vec![false; k]; n];
        for (g, ms) in members.iter().enumerate() {
            for m in ms {
                if let Proposition::Hypothesis(h) = m {
                    let mut at = Some(g);
                    while let Some(a) = at {
                        under[a][h.idx()] = true;
                        at = parent[a];
                    }
                }
            }
        }
        let groups: Vec<Group> = decls
            .iter()
            .enumerate()
            .map(|(g, d)| Group {
                id: d.id.name.clone(),
                label: d
                    .label
                    .as_ref()
                    .map_or_else(|| d.id.name.clone(), |t| t.value.clone()),
                aliases: d.aliases.iter().map(|a| a.value.clone()).collect(),
                members: members[g].clone(),
                hypotheses: (0..k)
                    .filter(|h| under[g][*h])
                    .map(|h| HypothesisId(h as u32))
                    .collect(),
                parent: parent[g].map(|p| GroupId(p as u32)),
                depth: depth[g],
                span: d.id.span,
            })
            .collect();
        for (g, d) in groups.iter().zip(&decls) {
            if g.members.len() == 1 && !d.members.is_empty() {
                self.diags.push(
                    Diagnostic::warning(
                        Code::GroupOfOne,
                        format!("group `{}` has one member", g.id),
                    )
                    .with_label(g.span, "one member")
                    .with_help("a group of one says nothing its member does not: add the other members, or name the member itself"),
                );
            } else if k > 0 && g.hypotheses.len() == k && g.parent.is_none() {
                self.diags.push(
                    Diagnostic::warning(
                        Code::GroupOfAll,
                        format!("group `{}` holds every hypothesis", g.id),
                    )
                    .with_label(g.span, "every hypothesis")
                    .with_help("its probability is 100% whatever the evidence: a group holds some of the hypotheses, as a report names them together"),
                );
            }
        }
        groups
    }
}
