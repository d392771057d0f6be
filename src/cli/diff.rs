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
    // the assembled texts: included declarations are compared as part of the case, read
    // from the same revision as the case
    let mut texts = Vec::new();
    for (f, git) in [old_file, new_file] {
        let checked = match git {
            None => analyse_file(t, f, &Settings::new(Depth::Check)),
            Some(at) => {
                let key = f.name.clone();
                let loader = git_loader(at, t.max_input, t.include_anywhere);
                acre::analysis::analyse(f, &key, &loader, &Settings::new(Depth::Check))
            }
        };
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

/// Splits `FILE@REV` at the `@` that ends the file's name: the first `@` after `.acre`, else
/// the first `@` (so `case.acre@HEAD@{1}` is `case.acre` at `HEAD@{1}`).
pub fn split_rev(spec: &str) -> Option<(&str, &str)> {
    let at = spec
        .find(".acre@")
        .map(|i| i + ".acre".len())
        .or_else(|| spec.find('@'))?;
    let (file, rev) = (&spec[..at], &spec[at + 1..]);
    (!file.is_empty()).then_some((file, rev))
}

/// Reads a version: a file, or `FILE@REV` from git when no file has that name.
fn version(t: &mut Term, spec: &str) -> Option<(SourceFile, Option<GitAt>)> {
    let path = Path::new(spec);
    if path.exists() || !spec.contains('@') {
        return t.read(path).map(|f| (f, None));
    }
    let Some((file, rev)) = split_rev(spec) else {
        t.fail(
            &UsageError::Usage {
                message: format!("`{spec}` names no file and no revision"),
                help: Some("write FILE@REV, e.g. `case.acre@HEAD~1`".to_string()),
            },
            Exit::Usage,
        );
        return None;
    };
    let bad = |message: String, t: &mut Term| {
        t.fail(
            &UsageError::Usage {
                message,
                help: Some(
                    "write FILE@REV with a case file and a revision git knows (a commit, a tag, HEAD~1, origin/main)"
                        .to_string(),
                ),
            },
            Exit::Usage,
        );
    };
    // a revision is never an option of git's
    if rev.is_empty() || rev.starts_with('-') {
        bad(format!("`{rev}` is not a revision"), t);
        return None;
    }
    let file = Path::new(file);
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = file
        .file_name()
        .filter(|_| !file.ends_with(".."))
        .map(|n| n.to_string_lossy().into_owned())
    else {
        bad(format!("`{}` is not a file", file.display()), t);
        return None;
    };
    let at = GitAt {
        dir: dir.to_path_buf(),
        rev: rev.to_string(),
    };
    match git_show(&at, Path::new(&name), t.max_input) {
        Ok(bytes) => Some((acre::source::decode(spec.to_string(), bytes), Some(at))),
        Err(why) => {
            bad(format!("git could not show `{name}` at `{rev}`: {why}"), t);
            None
        }
    }
}

/// A version read from git: the folder of its case file and the revision.
#[derive(Clone)]
struct GitAt {
    dir: std::path::PathBuf,
    rev: String,
}

/// The bytes of `rel` (relative to `at.dir`) at `at.rev`, at most `limit` of them.
fn git_show(at: &GitAt, rel: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(&at.dir)
        .arg("show")
        .arg("--end-of-options")
        .arg(format!("{}:./{}", at.rev, rel.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("git could not run: {e}"))?;
    let mut bytes = Vec::new();
    if let Some(out) = child.stdout.take() {
        out.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
    }
    if bytes.len() as u64 > limit {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "it is larger than the input limit of {limit} bytes (`--max-input-size`)"
        ));
    }
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(bytes)
    } else {
        Err(err.trim().to_string())
    }
}

/// `path` with `.` and `..` taken out lexically; `None` when `..` climbs above its start.
fn normalise(path: &Path) -> Option<std::path::PathBuf> {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Reads a git version's includes from the same revision, with the rules of the working
/// tree's loader: `.acre` files only, within the case's folder unless `anywhere`.
fn git_loader(
    at: GitAt,
    limit: u64,
    anywhere: bool,
) -> impl Fn(&str, &str) -> Result<acre::check::includes::Loaded, String> {
    let suffix = format!("@{}", at.rev);
    move |from: &str, path: &str| {
        if Path::new(path).extension().is_none_or(|e| e != "acre") {
            return Err("only case files (`.acre`) are included".to_string());
        }
        if Path::new(path).is_absolute() {
            return Err("an absolute path is not followed from a git revision".to_string());
        }
        // names are the case folder's relative paths, with `@REV`
        let from = from.strip_suffix(&suffix).unwrap_or(from);
        let from_rel = Path::new(from)
            .strip_prefix(&at.dir)
            .unwrap_or(Path::new(from));
        let base = from_rel.parent().unwrap_or(Path::new(""));
        let rel = match normalise(&base.join(path)) {
            Some(rel) => rel,
            None if anywhere => base.join(path),
            None => {
                return Err(
                    "it lies outside the case's folder (`--include-anywhere` allows it)"
                        .to_string(),
                );
            }
        };
        let bytes = git_show(&at, &rel, limit)?;
        let file = acre::source::decode(String::new(), bytes);
        if let Some(bad) = file.encoding_error {
            return Err(bad.message);
        }
        let name = format!("{}{suffix}", at.dir.join(&rel).display());
        Ok(acre::check::includes::Loaded {
            key: name.clone(),
            name,
            text: file.text,
        })
    }
}
