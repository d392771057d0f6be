//! `acre graph FILE` (DOT) and `acre export stix|misp FILE` (JSON for CTI tools).

use super::{Term, assess_case, explain_case, load_case};
use std::path::Path;

/// Export targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A STIX 2.1 bundle.
    Stix,
    /// A MISP event.
    Misp,
}

/// The evidence and source graph in Graphviz DOT.
pub fn graph(t: &mut Term, path: &Path) {
    if let Some((_, case)) = load_case(t, path) {
        t.out(&acre::export::dot(&case));
        t.out("\n");
    }
}

/// A STIX 2.1 bundle or a MISP event.
pub fn export(t: &mut Term, target: Target, path: &Path, options: acre::infer::Options) {
    let Some((_, case)) = load_case(t, path) else {
        return;
    };
    let Some(a) = assess_case(t, &case, &options) else {
        return;
    };
    let Some(x) = explain_case(t, &case, &a) else {
        return;
    };
    let doc = match target {
        Target::Stix => acre::export::stix(&case, &a, &x),
        Target::Misp => acre::export::misp(&case, &a, &x),
    };
    t.json(&doc);
}
