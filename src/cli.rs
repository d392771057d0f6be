//! The command line: one module per command; [`io`] reads inputs and writes outputs;
//! [`Term`] is what goes to the terminal.
//!
//! Invariant: only the binary prints, reads and writes files, and picks exit codes: 0
//! success, 1 findings (errors in a case, failed expectations, error-level review
//! findings), 2 usage or I/O problems. The library returns typed values and errors.

pub mod assess;
pub mod calibrate;
pub mod check;
pub mod diff;
pub mod document;
pub mod explain;
pub mod export;
pub mod fmt;
pub mod io;
pub mod lexicon;
pub mod lsp;
pub mod pool;
pub mod report;
pub mod review;
pub mod schema;
pub mod table;
pub mod test;
pub mod timeline;
pub mod yardstick;

use acre::check::Checked;
use acre::diagnostic::{self, RenderOptions};
use acre::model::Case;
use acre::source::SourceFile;
use std::io::{BufWriter, Stdout, Write};
use std::path::Path;

/// How a command ends (the process's exit code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// Findings: errors in a case, failed expectations, error-level review findings.
    Findings = 1,
    /// Usage or I/O problems.
    Usage = 2,
}

/// Standard output (buffered) and standard error, how to draw diagnostics, the input
/// size limit, and the exit code so far.
pub struct Term {
    /// Colour and width of diagnostics.
    pub render: RenderOptions,
    /// The largest input read.
    pub max_input: u64,
    out: BufWriter<Stdout>,
    exit: Exit,
}

impl Term {
    /// A terminal with these options.
    pub fn new(render: RenderOptions, max_input: u64) -> Term {
        Term {
            render,
            max_input,
            out: BufWriter::with_capacity(1 << 16, std::io::stdout()),
            exit: Exit::Ok,
        }
    }

    /// Writes text to standard output, control and bidirectional characters shown as
    /// visible stand-ins (a closed pipe is not an error worth reporting).
    pub fn out(&mut self, s: &str) {
        let _ = self.out.write_all(acre::escape::visible(s).as_bytes());
    }

    /// Writes diagnostics drawn by [`acre::diagnostic::render`] (already made safe, and
    /// perhaps coloured) to standard output.
    pub fn rendered(&mut self, s: &str) {
        let _ = self.out.write_all(s.as_bytes());
    }

    /// Writes a value as pretty JSON, and a line break, straight to standard output.
    pub fn json<T: serde::Serialize>(&mut self, value: &T) {
        let _ = serde_json::to_writer_pretty(&mut self.out, value);
        self.out("\n");
    }

    /// Writes to standard error (after what is pending on standard output).
    pub fn err(&mut self, s: &str) {
        self.err_rendered(&acre::escape::visible(s));
    }

    /// Writes drawn diagnostics (already made safe, perhaps coloured) to standard error.
    fn err_rendered(&mut self, s: &str) {
        let _ = self.out.flush();
        let _ = std::io::stderr().write_all(s.as_bytes());
    }

    /// Reports an error that has no source text (an unreadable path, a usage mistake) as
    /// miette draws it, and raises the exit code.
    pub fn fail(&mut self, error: &dyn miette::Diagnostic, exit: Exit) {
        let rendered = diagnostic::render_plain(error, self.render);
        self.err_rendered(&rendered);
        self.raise(exit);
    }

    /// Draws diagnostics of a text (of each file, for a case assembled with its includes).
    pub fn diagnostics(&mut self, diags: &[acre::diagnostic::Diagnostic], file: &SourceFile) {
        if diags.is_empty() {
            return;
        }
        if file.segments.len() < 2 {
            let rendered = diagnostic::render(diags, &file.name, &file.text, self.render);
            self.err_rendered(&rendered);
            return;
        }
        for (s, piece) in acre::check::includes::split(diags, &file.segments) {
            let seg = &file.segments[s];
            let text = &file.text[seg.start..seg.start + seg.len];
            let rendered = diagnostic::render(&[piece], &seg.name, text, self.render);
            self.err_rendered(&rendered);
        }
    }

    /// Raises the exit code to at least `exit`.
    pub fn raise(&mut self, exit: Exit) {
        self.exit = self.exit.max(exit);
    }

    /// Flushes standard output and returns the exit code.
    pub fn finish(mut self) -> Exit {
        let _ = self.out.flush();
        self.exit
    }

    /// Reads a text input, reporting (and returning `None`) when it cannot be read.
    pub fn read(&mut self, path: &Path) -> Option<SourceFile> {
        match io::read(path, self.max_input) {
            Ok(f) => Some(f),
            Err(e) => {
                self.fail(&e, Exit::Usage);
                None
            }
        }
    }
}

/// Problems of usage that are not about a file's content.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum UsageError {
    /// A yardstick that does not exist.
    #[error("unknown yardstick `{name}`")]
    #[diagnostic(code("acre::unknown-yardstick"))]
    UnknownYardstick {
        /// As given.
        name: String,
        /// The names there are, with a suggestion.
        #[help]
        help: String,
    },
    /// Something else the user asked that cannot be done.
    #[error("{message}")]
    #[diagnostic(code("acre::usage"))]
    Usage {
        /// What is wrong.
        message: String,
        /// How to ask instead.
        #[help]
        help: Option<String>,
    },
}

/// The error for an unknown yardstick among `known`, with a suggestion.
pub fn unknown_yardstick<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> UsageError {
    let known: Vec<&str> = known.collect();
    let hint = acre::text::suggest(name, known.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    UsageError::UnknownYardstick {
        name: name.to_string(),
        help: format!("{hint}known: {}", known.join(", ")),
    }
}

/// A built-in yardstick (or fitted lexicon) by name, or one of `customs`.
pub fn yardstick_named(
    name: &str,
    customs: &[acre::lexicon::Yardstick],
) -> Result<acre::lexicon::Yardstick, UsageError> {
    customs
        .iter()
        .find(|y| y.name == name)
        .cloned()
        .or_else(|| acre::lexicon::builtin_yardstick(name))
        .ok_or_else(|| {
            let builtin: Vec<String> = acre::lexicon::builtin_yardsticks()
                .into_iter()
                .chain(acre::lexicon::builtin_lexicons())
                .map(|y| y.name)
                .collect();
            unknown_yardstick(
                name,
                builtin
                    .iter()
                    .map(String::as_str)
                    .chain(customs.iter().map(|y| y.name.as_str())),
            )
        })
}

/// Checks a case file with the files it includes (an encoding error stops before
/// parsing). The file's text becomes the assembled text (the file, then each included one:
/// [`SourceFile::segments`]), which the diagnostics' spans point into.
pub fn check_text(file: &mut SourceFile, limit: u64) -> Checked {
    if let Some(d) = &file.encoding_error {
        return Checked {
            case: None,
            diagnostics: vec![d.clone()],
        };
    }
    let key = std::fs::canonicalize(&file.name)
        .map_or_else(|_| file.name.clone(), |p| p.display().to_string());
    let loader = include_loader(limit);
    let (assembled, checked) =
        acre::check::check_with_includes(&file.name, &key, &file.text, &loader);
    if assembled.segments.len() > 1 {
        file.text = assembled.text;
        file.segments = assembled.segments;
    }
    checked
}

/// Reads included files relative to the file that includes them (standard input's
/// includes relative to the working folder), up to `limit` bytes each.
pub fn include_loader(
    limit: u64,
) -> impl Fn(&str, &str) -> Result<acre::check::includes::Loaded, String> {
    move |from: &str, path: &str| {
        let base = if from == "-" {
            Path::new(".")
        } else {
            Path::new(from)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let target = base.join(path);
        let file = io::read(&target, limit).map_err(|e| e.to_string())?;
        if let Some(bad) = file.encoding_error {
            return Err(bad.message);
        }
        let key = std::fs::canonicalize(&target).map_or_else(
            |_| target.display().to_string(),
            |p| p.display().to_string(),
        );
        Ok(acre::check::includes::Loaded {
            name: target.display().to_string(),
            key,
            text: file.text,
        })
    }
}

/// Explains an assessment (for the leading hypothesis), reporting an engine error.
pub fn explain_case(
    t: &mut Term,
    case: &Case,
    a: &acre::infer::Assessment,
) -> Option<acre::explain::Explanation> {
    match acre::explain::explain(case, a, None) {
        Ok(x) => Some(x),
        Err(e) => {
            t.fail(&e, Exit::Findings);
            None
        }
    }
}

/// The case's judgments against an assessment (the scanner finds each term in the judgment's
/// own text, for the label).
pub fn judgment_checks(
    case: &Case,
    a: &acre::infer::Assessment,
    text: &str,
) -> Vec<acre::review::JudgmentCheck> {
    if case.judgments.is_empty() {
        return Vec::new();
    }
    let scanner = acre::review::scan::Scanner::new(&case.custom_yardsticks);
    acre::review::judgment_checks(case, a, text, &scanner)
}

/// A file with errors cannot be assessed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{0}` has errors; fix them before assessing (see `acre check`)")]
#[diagnostic(code("acre::case-has-errors"))]
pub struct CaseHasErrors(pub String);

/// Reads and checks a case file; draws its diagnostics; returns the case when it has no
/// errors (otherwise sets the exit code).
pub fn load_case(t: &mut Term, path: &Path) -> Option<(SourceFile, Case)> {
    let mut file = t.read(path)?;
    let checked = check_text(&mut file, t.max_input);
    t.diagnostics(&checked.diagnostics, &file);
    match checked.case {
        Some(case) => Some((file, case)),
        None => {
            t.fail(&CaseHasErrors(path.display().to_string()), Exit::Findings);
            None
        }
    }
}

/// Assesses a case, reporting an engine error.
pub fn assess_case(
    t: &mut Term,
    case: &Case,
    options: &acre::infer::Options,
) -> Option<acre::infer::Assessment> {
    match acre::infer::assess(case, options) {
        Ok(a) => Some(a),
        Err(e) => {
            t.fail(&e, Exit::Findings);
            None
        }
    }
}
