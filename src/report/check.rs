//! `acre check` output: a line per file, or the diagnostics as data.

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::format::counted;
use crate::model::Case;

/// `acre check --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct CheckJson {
    /// One entry per file.
    pub files: Vec<FileJson>,
    /// Errors in all files.
    pub errors: usize,
    /// Warnings in all files.
    pub warnings: usize,
}

/// The diagnostics of one file.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FileJson {
    /// The path as given.
    pub file: String,
    /// No errors.
    pub ok: bool,
    /// Diagnostics in source order.
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

/// How many errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let n = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    (n(Severity::Error), n(Severity::Warning))
}

fn plural_warnings(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {}", counted(n, "warning"))
    }
}

/// The summary line of one file: `ok: FILE (2 hypotheses, ...)` or `failed: FILE (3 errors)`.
pub fn summary_line(file: &str, case: Option<&Case>, diags: &[Diagnostic]) -> String {
    let (n_errors, n_warnings) = counts(diags);
    match case {
        Some(case) => format!(
            "ok: {file} ({}, {}, {}, {}{})\n",
            counted(case.hypotheses.len(), "hypothesis"),
            counted(case.sources.iter().filter(|s| s.declared).count(), "source"),
            counted(case.items.len(), "evidence item"),
            counted(case.assumptions.len(), "assumption"),
            plural_warnings(n_warnings),
        ),
        None => format!(
            "failed: {file} ({}{})\n",
            counted(n_errors, "error"),
            plural_warnings(n_warnings)
        ),
    }
}
