//! `acre diff OLD NEW`: what changed between two versions of a case and how each change
//! moved the judgment; `FILE@REV` reads a version from git.

use super::{Exit, Term, UsageError, analyse_file};
use acre::analysis::{Depth, Settings};
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

/// `acre diff`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The old version (a file, or FILE@REV).
    pub old: String,
    /// The new version (a file, or FILE@REV).
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Compares two versions; exit 1 when the yardstick term of a hypothesis changed.
pub fn run(t: &mut Term, args: &Args) {
    let (old, new, format) = (args.old.as_str(), args.new.as_str(), args.format);
    let Some(old_file) = version(t, old) else {
        return;
    };
    let Some(new_file) = version(t, new) else {
        return;
    };
    // the assembled texts: included declarations are compared as part of the case
    let mut texts = Vec::new();
    for f in [old_file, new_file] {
        let checked = analyse_file(t, f, &Settings::new(Depth::Check));
        if let Some(stopped) = &checked.stopped {
            t.diagnostics(&checked.diagnostics, &checked.file);
            t.fail(stopped, Exit::Findings);
        }
        texts.push(checked.file.text);
    }
    if t.failed() {
        return;
    }
    let (old_file, new_file) = (&texts[0], &texts[1]);
    let d = match acre::history::diff::diff(old_file, new_file) {
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
