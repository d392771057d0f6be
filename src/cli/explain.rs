//! `acre explain FILE [--hypothesis ID]`: the waterfall, sensitivity, linchpins, flip
//! thresholds, ACH, value of information and the narrative.

use super::{Engine, Term, analyse, settings};
use acre::analysis::Depth;
use std::path::PathBuf;

/// Output formats of `acre explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The explanation for people.
    Text,
    /// The explanation as data.
    Json,
}

/// `acre explain`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A case file.
    pub file: PathBuf,
    /// The hypothesis to explain (default: the leading one).
    #[arg(long)]
    pub hypothesis: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub engine: Engine,
}

/// Explains the leading hypothesis (or `--hypothesis`) of one case file.
pub fn run(t: &mut Term, args: &Args) {
    let mut settings = settings(Depth::Explain, args.engine);
    settings.focus = args.hypothesis.clone();
    let Some(analysis) = analyse(t, &args.file, &settings) else {
        return;
    };
    let (Some(case), Some(x)) = (&analysis.case, &analysis.explanation) else {
        return;
    };
    match args.format {
        Format::Text => t.out(&acre::report::explain::text(case, x)),
        Format::Json => t.json(x),
    }
}
