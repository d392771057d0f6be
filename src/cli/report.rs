//! `acre report FILE [-o OUT] [--format html|md]`: a self-contained HTML page or Markdown.

use super::{Exit, Term, assess_case, io, load_case};
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
    let x = match acre::explain::explain(&case, &a, None) {
        Ok(x) => x,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    let scanner = acre::review::scan::Scanner::new(&case.custom_yardsticks);
    let checks = acre::review::judgment_checks(&case, &a, &file.text, &scanner);
    let text = match format {
        Format::Html => acre::report::html::html(&case, &a, &x, &checks, &file.name),
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
