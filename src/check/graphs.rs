//! The source echo forest and the evidence dependency graph, built with petgraph.

use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Item, Param, Source, SourceId};
use crate::span::Span;
use crate::syntax::ast;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap as HashMap;

/// Labels every edge of every cycle; returns whether there was one.
fn report_cycles(
    graph: &DiGraph<(), Span>,
    code: &'static str,
    message: impl Fn(usize) -> String,
    help: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut found = false;
    for scc in tarjan_scc(graph) {
        let cyclic = scc.len() > 1 || scc.first().is_some_and(|n| graph.contains_edge(*n, *n));
        if !cyclic {
            continue;
        }
        found = true;
        let mut edges: Vec<Span> = graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = graph.edge_endpoints(e)?;
                (scc.contains(&a) && scc.contains(&b)).then(|| graph[e])
            })
            .collect();
        edges.sort_by_key(|s| s.start);
        let mut d = Diagnostic::error(code, message(scc.len())).with_help(help.to_string());
        for (i, span) in edges.iter().enumerate() {
            d = d.with_label(
                *span,
                if i == 0 {
                    "this edge closes a cycle"
                } else {
                    "part of the cycle"
                },
            );
        }
        diags.push(d);
    }
    found
}

/// Reports cycles in `echoes`; returns whether there was one.
pub(super) fn echo_cycles(
    decls: &[&ast::SourceDecl],
    sources: &[Source],
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut graph: DiGraph<(), Span> = DiGraph::new();
    let nodes: Vec<NodeIndex> = sources.iter().map(|_| graph.add_node(())).collect();
    for (idx, (s, d)) in sources.iter().zip(decls).enumerate() {
        if let (Some(target), Some(id)) = (s.echoes, &d.echoes) {
            graph.add_edge(nodes[idx], nodes[target.idx()], id.span);
        }
    }
    report_cycles(
        &graph,
        "acre::echo-cycle",
        |n| format!("{n} sources echo each other in a cycle"),
        "echoes form a tree rooted at the original source; remove the `echoes` that points back",
        diags,
    )
}

/// Sets each source's root and the relays between it and the root.
pub(super) fn root_echo_forest(sources: &mut [Source]) {
    // the echo forest with edges from each original to the sources that repeat it;
    // a depth-first walk from every root hands each source its root and its relays
    let mut graph: DiGraph<(), ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = sources.iter().map(|_| graph.add_node(())).collect();
    for (idx, s) in sources.iter().enumerate() {
        if let Some(original) = s.echoes {
            graph.add_edge(nodes[original.idx()], nodes[idx], ());
        }
    }
    let roots: Vec<usize> = (0..sources.len())
        .filter(|i| sources[*i].echoes.is_none())
        .collect();
    for root in roots {
        let mut dfs = petgraph::visit::Dfs::new(&graph, nodes[root]);
        while let Some(node) = dfs.next(&graph) {
            let idx = node.index();
            // relays: this source and every source between it and the root
            let relays = match sources[idx].echoes {
                None => Vec::new(),
                Some(parent) => {
                    let mut r = vec![SourceId(idx as u32)];
                    r.extend(sources[parent.idx()].relays.iter().copied());
                    r
                }
            };
            sources[idx].root = SourceId(root as u32);
            sources[idx].relays = relays;
        }
    }
}

/// Reports cycles in `depends on`.
pub(super) fn dependency_cycles(
    decls: &[&ast::EvidenceDecl],
    items: &[Item],
    diags: &mut Vec<Diagnostic>,
) {
    let mut graph: DiGraph<(), Span> = DiGraph::new();
    let nodes: Vec<NodeIndex> = items.iter().map(|_| graph.add_node(())).collect();
    let index: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    for (idx, (item, decl)) in items.iter().zip(decls).enumerate() {
        let _ = item;
        for id in &decl.depends_on {
            // unresolved names were reported already
            if let Some(target) = index.get(id.name.as_str()) {
                graph.add_edge(nodes[idx], nodes[*target], id.span);
            }
        }
    }
    report_cycles(
        &graph,
        "acre::dependency-cycle",
        |n| format!("{n} evidence items depend on each other in a cycle"),
        "`depends on` must form a directed acyclic graph; remove one of these dependencies",
        diags,
    );
}

/// What makes two items look alike: source, absence, assumptions, likelihood bits.
type LookAlike = (u32, bool, Vec<u32>, Vec<u64>);

/// Warns when items of one source carry the same likelihoods: they may be one report
/// counted twice. One warning per group of look-alikes, however large.
pub(super) fn similar_items(items: &[Item], params: &[Param], diags: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<LookAlike, Vec<usize>> = HashMap::default();
    for (idx, e) in items.iter().enumerate() {
        let row: Vec<u64> = e
            .likelihood
            .entries
            .iter()
            .map(|x| match x {
                Entry::One => 1f64.to_bits(),
                Entry::Param(p) => params[p.idx()].value.point.to_bits(),
            })
            .collect();
        // identical rows that favour nobody are harmless
        if row.windows(2).all(|w| w[0] == w[1]) {
            continue;
        }
        let conds = e.likelihood.conds.iter().map(|a| a.0).collect();
        let key = (
            e.source.0,
            e.status == crate::syntax::ast::Status::Absent,
            conds,
            row,
        );
        groups.entry(key).or_default().push(idx);
    }
    let mut found: Vec<&Vec<usize>> = groups.values().filter(|m| m.len() > 1).collect();
    found.sort_by_key(|m| m[0]);
    for members in found {
        let (a, b) = (&items[members[0]], &items[members[1]]);
        let others = members.len() - 2;
        let message = if others == 0 {
            format!(
                "`{}` and `{}` come from one source and carry the same likelihoods",
                a.id, b.id
            )
        } else {
            format!(
                "`{}`, `{}` and {others} more items come from one source and carry the same likelihoods",
                a.id, b.id
            )
        };
        diags.push(
            Diagnostic::warning("acre::similar-items", message)
                .with_label(b.span, "same source, same likelihoods")
                .with_label(a.span, "as this item")
                .with_help("if they are one observation reported twice, merge them; if the second follows from the first, add `depends on`"),
        );
    }
}
