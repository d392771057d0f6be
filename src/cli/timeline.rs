//! `acre timeline FILE`: the posterior of every hypothesis after each date on which
//! evidence was reported.

use super::{Engine, Exit, Term, analyse, settings};
use acre::analysis::Depth;
use std::path::PathBuf;

/// Output formats of `acre timeline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// The steps as data.
    Json,
}

/// `acre timeline`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A case file (items dated with `reported`).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub engine: Engine,
}

/// Prints the timeline of one case file.
pub fn run(t: &mut Term, args: &Args) {
    let Some(analysis) = analyse(t, &args.file, &settings(Depth::Check, args.engine)) else {
        return;
    };
    let (Some(case), file) = (&analysis.case, &analysis.file) else {
        return;
    };
    let timeline = match acre::history::timeline(case, &args.engine.into()) {
        Ok(x) => x,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    match args.format {
        Format::Text => t.out(&acre::report::history::timeline_text(
            &timeline,
            &case.yardstick,
            &file.name,
        )),
        Format::Json => t.json(&timeline),
    }
}
