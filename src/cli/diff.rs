//! `acre diff OLD NEW`: what changed between two versions of a case and how each change
//! moved the judgment; `FILE@REV` reads a version from git.

use super::{Exit, Term, UsageError, check_text};
use acre::source::SourceFile;
use std::path::Path;

/// Output formats of `acre diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// As data.
    Json,
    /// Markdown, for a pull-request comment.
    Md,
}

/// Compares two versions; exit 1 when the words of the judgment changed.
pub fn run(t: &mut Term, old: &str, new: &str, format: Format) {
    let Some(mut old_file) = version(t, old) else {
        return;
    };
    let Some(mut new_file) = version(t, new) else {
        return;
    };
    let mut broken = false;
    for f in [&mut old_file, &mut new_file] {
        // the assembled text: included declarations are compared as part of the case
        let checked = check_text(f, t.max_input);
        if checked.case.is_none() {
            t.diagnostics(&checked.diagnostics, f);
            broken = true;
        }
    }
    if broken {
        t.fail(
            &super::CaseHasErrors(format!("{old} or {new}")),
            Exit::Findings,
        );
        return;
    }
    let d = match acre::history::diff::diff(&old_file.text, &new_file.text) {
        Ok(d) => d,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    match format {
        Format::Text => t.out(&acre::report::history::diff_text(&d, old, new)),
        Format::Json => t.json(&d),
        Format::Md => t.out(&acre::report::history::diff_markdown(&d, old, new)),
    }
    if d.term_changed {
        t.raise(Exit::Findings);
    }
}

/// Reads a version: a file, or `FILE@REV` from git when no file has that name.
fn version(t: &mut Term, spec: &str) -> Option<SourceFile> {
    let path = Path::new(spec);
    if path.exists() || !spec.contains('@') {
        return t.read(path);
    }
    let (file, rev) = spec.rsplit_once('@')?;
    let file = Path::new(file);
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned())?;
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .output();
    match output {
        Ok(o) if o.status.success() => Some(acre::source::decode(spec.to_string(), o.stdout)),
        Ok(o) => {
            t.fail(
                &UsageError::Usage {
                    message: format!(
                        "git could not show `{name}` at `{rev}`: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ),
                    help: Some(
                        "write FILE@REV with a file in a git repository and a revision git knows (a commit, a tag, HEAD~1)"
                            .to_string(),
                    ),
                },
                Exit::Usage,
            );
            None
        }
        Err(e) => {
            t.fail(
                &UsageError::Usage {
                    message: format!("`{spec}` is not a file, and git could not run: {e}"),
                    help: Some("install git, or name two files".to_string()),
                },
                Exit::Usage,
            );
            None
        }
    }
}
