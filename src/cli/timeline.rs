//! `acre timeline FILE`: the posterior of every hypothesis after each date on which
//! evidence was reported.

use super::{Exit, Term, load_case};
use std::path::Path;

/// Output formats of `acre timeline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// The steps as data.
    Json,
}

/// Prints the timeline of one case file.
pub fn run(t: &mut Term, path: &Path, format: Format, options: acre::infer::Options) {
    let Some((file, case)) = load_case(t, path) else {
        return;
    };
    let timeline = match acre::history::timeline(&case, &options) {
        Ok(x) => x,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    match format {
        Format::Text => t.out(&acre::report::history::timeline_text(
            &timeline,
            &case.yardstick,
            &file.name,
        )),
        Format::Json => t.json(&timeline),
    }
}
