//! `acre assess FILE`: what the evidence supports — posteriors, bounds, Monte Carlo,
//! words and confidence.

use super::{Term, assess_case, load_case};
use std::path::Path;

/// Output formats of `acre assess`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The report for people.
    Text,
    /// The numbers as data.
    Json,
}

/// Assesses one case file.
pub fn run(t: &mut Term, path: &Path, format: Format, options: acre::infer::Options) {
    let Some((file, case)) = load_case(t, path) else {
        return;
    };
    let Some(a) = assess_case(t, &case, &options) else {
        return;
    };
    let checks = super::judgment_checks(&case, &a, &file.text);
    match format {
        Format::Text => {
            let mut text = acre::report::assess::text(&case, &a, &file.name);
            text.push_str(&acre::report::assess::judgments_text(&case, &checks));
            t.out(&text);
        }
        Format::Json => {
            let mut json = acre::report::assess::json(&case, &a, &file.name);
            json.judgments = checks;
            t.json(&json);
        }
    }
}
