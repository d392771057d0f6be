//! `acre assess FILE`: what the evidence supports — posteriors, bounds, Monte Carlo,
//! words and confidence.

use super::{Engine, Term, analyse, settings};
use acre::analysis::Depth;
use std::path::PathBuf;

/// Output formats of `acre assess`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The report for people.
    Text,
    /// The numbers as data.
    Json,
}

/// `acre assess`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A case file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub engine: Engine,
}

/// Assesses one case file.
pub fn run(t: &mut Term, args: &Args) {
    let Some(analysis) = analyse(t, &args.file, &settings(Depth::Assess, args.engine)) else {
        return;
    };
    let (Some(case), Some(a)) = (&analysis.case, &analysis.assessment) else {
        return;
    };
    let name = &analysis.file.name;
    match args.format {
        Format::Text => {
            let mut text = acre::report::assess::text(case, a, name);
            text.push_str(&acre::report::assess::judgments_text(
                case,
                &analysis.judgments,
            ));
            t.out(&text);
        }
        Format::Json => {
            let mut json = acre::report::assess::json(case, a, name);
            json.judgments = analysis.judgments.clone();
            t.json(&json);
        }
    }
}
