//! `acre graph FILE` (DOT) and `acre export stix|misp FILE` (JSON for CTI tools).

use super::{Engine, Term, analyse, settings};
use acre::analysis::{Depth, Settings};
use std::path::PathBuf;

/// Export targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A STIX 2.1 bundle.
    Stix,
    /// A MISP event.
    Misp,
}

/// `acre graph`'s arguments.
#[derive(clap::Args)]
pub struct GraphArgs {
    /// A case file.
    pub file: PathBuf,
}

/// `acre export`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// stix or misp.
    #[arg(value_enum)]
    pub target: Target,
    /// A case file.
    pub file: PathBuf,
    #[command(flatten)]
    pub engine: Engine,
}

/// The evidence and source graph in Graphviz DOT.
pub fn graph(t: &mut Term, args: &GraphArgs) {
    if let Some(case) = analyse(t, &args.file, &Settings::new(Depth::Check)).and_then(|a| a.case) {
        t.out(&acre::export::dot(&case));
        t.out("\n");
    }
}

/// A STIX 2.1 bundle or a MISP event.
pub fn export(t: &mut Term, args: &Args) {
    let Some(analysis) = analyse(t, &args.file, &settings(Depth::Explain, args.engine)) else {
        return;
    };
    let (Some(case), Some(a), Some(x)) =
        (&analysis.case, &analysis.assessment, &analysis.explanation)
    else {
        return;
    };
    let doc = match args.target {
        Target::Stix => acre::export::stix(case, a, x, &analysis.file.text),
        Target::Misp => acre::export::misp(case, a, x, &analysis.file.text),
    };
    t.json(&doc);
}
