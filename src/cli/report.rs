//! `acre report FILE [-o OUT] [--format html|md]`: a self-contained HTML page or Markdown.

use super::{Engine, Exit, Term, analyse, io, settings};
use acre::analysis::Depth;
use std::path::{Path, PathBuf};

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Md,
}

/// `acre report`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A case file.
    pub file: PathBuf,
    /// Where to write it (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// html (default) or md.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    #[command(flatten)]
    pub engine: Engine,
}

/// Writes the report of one case file to `--output` (standard output when absent).
pub fn run(t: &mut Term, args: &Args) {
    let path = args.file.as_path();
    let Some(analysis) = analyse(t, path, &settings(Depth::Explain, args.engine)) else {
        return;
    };
    let (Some(case), Some(a), Some(x)) =
        (&analysis.case, &analysis.assessment, &analysis.explanation)
    else {
        return;
    };
    let (file, checks) = (&analysis.file, &analysis.judgments);
    let options = args.engine.into();
    // a timeline when any item is dated
    let timeline = if case.items.iter().any(|e| e.reported.is_some()) {
        match acre::history::timeline(case, &options) {
            Ok(t) => Some(t),
            Err(e) => {
                t.fail(&e, Exit::Findings);
                return;
            }
        }
    } else {
        None
    };
    let text = match args.format {
        Format::Html => acre::report::html::html(case, a, x, checks, &file.name, timeline.as_ref()),
        Format::Md => acre::report::html::markdown(case, a, x, checks),
    };
    match args.output.as_deref() {
        Some(o) => match io::write(
            o,
            text.as_bytes(),
            &{
                // the case and every file it includes
                let mut inputs = super::file_inputs(file);
                inputs.push(path.to_path_buf());
                inputs
            }
            .iter()
            .map(std::path::PathBuf::as_path)
            .collect::<Vec<_>>(),
        ) {
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
