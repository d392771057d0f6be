//! `acre check` output: a line per file, or the diagnostics as data.

use crate::diagnostic::{self, Diagnostic, Severity};
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
    match n {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

/// The summary line of one file: `ok: FILE (2 hypotheses, ...)` or `failed: FILE (3 errors)`.
pub fn summary_line(file: &str, case: Option<&Case>, diags: &[Diagnostic]) -> String {
    let (n_errors, n_warnings) = counts(diags);
    match case {
        Some(case) => format!(
            "ok: {} ({} hypotheses, {} sources, {} evidence items, {} assumptions{})\n",
            file,
            case.hypotheses.len(),
            case.sources.iter().filter(|s| s.declared).count(),
            case.items.len(),
            case.assumptions.len(),
            plural_warnings(n_warnings),
        ),
        None => format!(
            "failed: {} ({} error{}{})\n",
            file,
            n_errors,
            if n_errors == 1 { "" } else { "s" },
            plural_warnings(n_warnings)
        ),
    }
}
