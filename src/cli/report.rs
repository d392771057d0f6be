//! `acre report FILE [-o OUT] [--format html|md]`: a self-contained HTML page or Markdown.

use super::{Exit, Term, assess_case, explain_case, io, load_case};
use std::path::Path;

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Md,
}

/// Writes the report of one case file to `output` (standard output when absent).
pub fn run(
    t: &mut Term,
    path: &Path,
    output: Option<&Path>,
    format: Format,
    options: acre::infer::Options,
) {
    let Some((file, case)) = load_case(t, path) else {
        return;
    };
    let Some(a) = assess_case(t, &case, &options) else {
        return;
    };
    let Some(x) = explain_case(t, &case, &a) else {
        return;
    };
    let checks = super::judgment_checks(&case, &a, &file.text);
    // a timeline when any item is dated
    let timeline = if case.items.iter().any(|e| e.reported.is_some()) {
        match acre::history::timeline(&case, &options) {
            Ok(t) => Some(t),
            Err(e) => {
                t.fail(&e, Exit::Findings);
                return;
            }
        }
    } else {
        None
    };
    let text = match format {
        Format::Html => {
            acre::report::html::html(&case, &a, &x, &checks, &file.name, timeline.as_ref())
        }
        Format::Md => acre::report::html::markdown(&case, &a, &x, &checks),
    };
    match output {
        Some(o) => match io::write(o, text.as_bytes(), &[path]) {
            Ok(()) => {
                if o != Path::new("-") {
                    t.err(&format!("wrote {}\n", o.display()));
                }
            }
            Err(e) => t.fail(&e, Exit::Usage),
        },
        None => t.out(&text),
    }
}
