//! `acre explain FILE [--hypothesis ID]`: the waterfall, sensitivity, linchpins, flip
//! thresholds, ACH, value of information and the narrative.

use super::{Exit, Term, UsageError, assess_case, load_case};
use std::path::Path;

/// Output formats of `acre explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The explanation for people.
    Text,
    /// The explanation as data.
    Json,
}

/// Explains the leading hypothesis (or `hypothesis`) of one case file.
pub fn run(
    t: &mut Term,
    path: &Path,
    hypothesis: Option<&str>,
    format: Format,
    options: acre::infer::Options,
) {
    let Some((_, case)) = load_case(t, path) else {
        return;
    };
    let focus = match hypothesis {
        None => None,
        Some(id) => match case.hypothesis(id) {
            Some(h) => Some(h),
            None => {
                let ids: Vec<&str> = case.hypotheses.iter().map(|h| h.id.as_str()).collect();
                t.fail(
                    &UsageError::Usage {
                        message: format!("no hypothesis `{id}` in this case"),
                        help: Some(format!("the hypotheses are {}", ids.join(", "))),
                    },
                    Exit::Usage,
                );
                return;
            }
        },
    };
    let Some(a) = assess_case(t, &case, &options) else {
        return;
    };
    match acre::explain::explain(&case, &a, focus) {
        Ok(x) => match format {
            Format::Text => t.out(&acre::report::explain::text(&case, &x)),
            Format::Json => t.json(&x),
        },
        Err(e) => t.fail(&e, Exit::Findings),
    }
}
