//! `acre import stix|misp FILE`: a case skeleton from a STIX 2.1 bundle or a MISP event.

use super::{Exit, Term, io};
use std::path::{Path, PathBuf};

/// Import sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// A STIX 2.1 bundle (JSON).
    Stix,
    /// A MISP event (JSON).
    Misp,
}

/// How to report what was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The case on standard output (or `-o`), what was imported and skipped on standard error.
    Text,
    /// One JSON document: the case text and every object imported or skipped, with why.
    Json,
}

/// `acre import`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// stix or misp.
    #[arg(value_enum)]
    pub source: Source,
    /// The bundle or event (`-` for standard input).
    pub file: PathBuf,
    /// Where to write the case (default: standard output); never over the input.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// text (default) or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Reads the input, writes the skeleton, lists what was read and left out.
pub fn run(t: &mut Term, args: &Args) {
    let bytes = match io::read_bytes(&args.file, t.max_input) {
        Ok(b) => b,
        Err(e) => return t.fail(&e, Exit::Usage),
    };
    let text = String::from_utf8_lossy(&bytes);
    let imported = match args.source {
        Source::Stix => acre::import::stix(&text),
        Source::Misp => acre::import::misp(&text),
    };
    let imported = match imported {
        Ok(i) => i,
        Err(e) => return t.fail(&e, Exit::Usage),
    };
    if args.format == Format::Json {
        t.json(&imported);
        return;
    }
    match args.output.as_deref() {
        Some(o) => {
            if let Err(e) = io::write(o, imported.text.as_bytes(), &[args.file.as_path()]) {
                return t.fail(&e, Exit::Usage);
            }
            if o != Path::new("-") {
                t.err(&format!("wrote {}\n", o.display()));
            }
        }
        None => t.out(&imported.text),
    }
    let (read, skipped): (Vec<_>, Vec<_>) =
        imported.notes.iter().partition(|n| n.action == "imported");
    let mut report = format!(
        "imported {} object(s), skipped {}\n",
        read.len(),
        skipped.len()
    );
    for n in imported.notes.iter() {
        report.push_str(&format!("  {} {}: {}\n", n.action, n.what, n.why));
    }
    report.push_str("next: `acre check` on the case lists what is left for the analyst (how expected each item is under each hypothesis, grades, priors)\n");
    t.err(&report);
}
