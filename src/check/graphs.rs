//! The source echo forest and the evidence dependency graph, built with petgraph.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Item, Param, Source};
use crate::span::Span;
use crate::syntax::ast;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap as HashMap;

/// At most this many edges of a cycle are labelled; a longer cycle says how long it is.
const CYCLE_LABELS: usize = 12;

/// Reports each cycle: one diagnostic per strongly connected component, labelling the edges
/// of one cycle through it (at most [`CYCLE_LABELS`]); returns whether there was one.
/// Iterative and linear in the size of the graph (Kosaraju's algorithm, then a walk).
fn report_cycles(
    graph: &DiGraph<(), Span>,
    code: Code,
    message: impl Fn(usize) -> String,
    help: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut component = vec![usize::MAX; graph.node_count()];
    let mut cyclic = Vec::new();
    for (c, scc) in kosaraju_scc(graph).into_iter().enumerate() {
        for n in &scc {
            component[n.index()] = c;
        }
        let first = scc[0];
        if scc.len() > 1 || graph.contains_edge(first, first) {
            cyclic.push((first, scc.len()));
        }
    }
    let mut found = Vec::new();
    for (start, size) in cyclic {
        let mut edges = one_cycle(graph, start, &component);
        edges.sort_by_key(|s| s.start);
        let total = edges.len();
        let mut d = Diagnostic::error(code, message(size)).with_help(if total > CYCLE_LABELS {
            format!("{help} (the cycle has {total} links; the first {CYCLE_LABELS} are shown)")
        } else {
            help.to_string()
        });
        for (i, span) in edges.iter().take(CYCLE_LABELS).enumerate() {
            d = d.with_label(
                *span,
                if i == 0 {
                    "this edge closes a cycle"
                } else {
                    "part of the cycle"
                },
            );
        }
        found.push(d);
    }
    found.sort_by_key(|d| d.primary().map(|s| s.start));
    let any = !found.is_empty();
    diags.extend(found);
    any
}

/// The edges of one cycle through `start`'s component: follows edges inside the component
/// until a node repeats (every node of a cyclic component has such an edge).
fn one_cycle(graph: &DiGraph<(), Span>, start: NodeIndex, component: &[usize]) -> Vec<Span> {
    let inside = component[start.index()];
    let mut position = HashMap::default();
    let mut path: Vec<Span> = Vec::new();
    let mut node = start;
    loop {
        if let Some(&at) = position.get(&node) {
            return path.split_off(at);
        }
        position.insert(node, path.len());
        let Some(edge) = graph
            .edges(node)
            .find(|e| component[e.target().index()] == inside)
        else {
            return path;
        };
        path.push(*edge.weight());
        node = edge.target();
    }
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
        Code::EchoCycle,
        |n| format!("{n} sources echo each other in a cycle"),
        "echoes form a tree rooted at the original source; remove the `echoes` that points back",
        diags,
    )
}

/// Sets each source's root: the original at the top of its echo chain (each source starts
/// as its own root).
pub(super) fn root_echo_forest(sources: &mut [Source]) {
    let roots = crate::model::along_echo_chains(sources, |s| s.root, |_, above| above);
    for (s, root) in sources.iter_mut().zip(roots) {
        s.root = root;
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
        Code::DependencyCycle,
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
            e.status == crate::vocab::Status::Absent,
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
            Diagnostic::warning(Code::SimilarItems, message)
                .with_label(b.span, "same source, same likelihoods")
                .with_label(a.span, "as this item")
                .with_help("if they are one observation reported twice, merge them; if the second follows from the first, add `depends on`"),
        );
    }
}
