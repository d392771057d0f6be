//! `acre check FILE_OR_FOLDER...`: every mistake in case files, with where and how to fix it.

use super::{Exit, Term, analyse_file, io};
use acre::analysis::{Depth, Settings};
use acre::diagnostic;
use acre::report::check::{CheckJson, FileJson, counts, summary_line};
use std::path::PathBuf;

/// Output formats of `acre check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics drawn for people, a line per file.
    Text,
    /// Every diagnostic as data.
    Json,
}

/// `acre check`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Case files (`.acre`) or folders holding them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Checks every case file named (folders are walked for `.acre` files).
pub fn run(t: &mut Term, args: &Args) {
    let format = args.format;
    let files = match io::expand(&args.files, "acre") {
        Ok(f) => f,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return;
        }
    };
    let mut json = CheckJson {
        files: Vec::new(),
        errors: 0,
        warnings: 0,
    };
    for path in &files {
        let Some(file) = t.read(path) else {
            continue;
        };
        let checked = analyse_file(t, file, &Settings::new(Depth::Judge));
        let file = &checked.file;
        let diags = &checked.diagnostics;
        let (n_errors, n_warnings) = counts(diags);
        json.errors += n_errors;
        json.warnings += n_warnings;
        match format {
            Format::Json if file.segments.len() > 1 => {
                // one entry per file: the case, then each included file with findings
                let pieces = acre::check::includes::split(diags, &file.segments);
                for (s, seg) in file.segments.iter().enumerate() {
                    let mine: Vec<acre::diagnostic::Diagnostic> = pieces
                        .iter()
                        .filter(|(p, _)| *p == s)
                        .map(|(_, d)| d.clone())
                        .collect();
                    if s > 0 && mine.is_empty() {
                        continue;
                    }
                    let text = &file.text[seg.start..seg.start + seg.len];
                    json.files.push(FileJson {
                        file: seg.name.clone(),
                        ok: if s == 0 {
                            n_errors == 0
                        } else {
                            counts(&mine).0 == 0
                        },
                        diagnostics: diagnostic::to_json(&mine, &seg.name, text),
                    });
                }
            }
            Format::Json => json.files.push(FileJson {
                file: file.name.clone(),
                ok: n_errors == 0,
                diagnostics: diagnostic::to_json(diags, &file.name, &file.text),
            }),
            Format::Text => {
                t.diagnostics(diags, file);
                t.out(&summary_line(&file.name, checked.case.as_ref(), diags));
            }
        }
    }
    if format == Format::Json {
        t.json(&json);
    }
    if json.errors > 0 {
        t.raise(Exit::Findings);
    }
}
