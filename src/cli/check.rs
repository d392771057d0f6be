//! `acre check FILE_OR_FOLDER...`: every mistake in case files, with where and how to fix it.

use super::{Exit, Term, check_text, io};
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

/// Checks every case file named (folders are walked for `.acre` files).
pub fn run(t: &mut Term, paths: &[PathBuf], format: Format) {
    let files = match io::expand(paths, "acre") {
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
        let Some(file) = t.read(path) else { continue };
        let mut checked = check_text(&file);
        if let Some(case) = &checked.case {
            checked
                .diagnostics
                .extend(acre::review::judgment_warnings(case, &file.text));
            checked
                .diagnostics
                .sort_by_key(|d| d.primary().map_or(0, |s| s.start));
        }
        let diags = &checked.diagnostics;
        let (n_errors, n_warnings) = counts(diags);
        json.errors += n_errors;
        json.warnings += n_warnings;
        match format {
            Format::Json => json.files.push(FileJson {
                file: file.name.clone(),
                ok: n_errors == 0,
                diagnostics: diagnostic::to_json(diags, &file.name, &file.text),
            }),
            Format::Text => {
                t.diagnostics(diags, &file);
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
