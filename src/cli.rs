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
pub mod explain;
pub mod export;
pub mod fmt;
pub mod import;
pub mod io;
pub mod lexicon;
pub mod lsp;
pub mod pool;
pub mod report;
pub mod review;
pub mod schema;
pub mod serve;
pub mod table;
pub mod test;
pub mod timeline;
pub mod yardstick;

use acre::analysis::{Analysis, Depth, Settings, Stopped};
use acre::diagnostic::{self, RenderOptions};
use acre::source::SourceFile;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

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
    /// Whether included files may lie outside the including case's folder tree.
    pub include_anywhere: bool,
    out: BufWriter<Box<dyn Write + Send>>,
    /// Where standard error goes when the output is captured (`acre serve` runs commands
    /// in-process and hands their output to the browser).
    captured_err: Option<Captured>,
    exit: Exit,
}

/// A buffer that output is captured into, shared with the [`Term`] writing it.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far, as text (bytes that are not UTF-8 replaced).
    pub fn text(&self) -> String {
        match self.0.lock() {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(poisoned) => String::from_utf8_lossy(&poisoned.into_inner()).into_owned(),
        }
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut b) => b.extend_from_slice(buf),
            Err(poisoned) => poisoned.into_inner().extend_from_slice(buf),
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Term {
    /// A terminal with these options.
    pub fn new(render: RenderOptions, max_input: u64) -> Term {
        Term {
            render,
            max_input,
            include_anywhere: false,
            out: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
            captured_err: None,
            exit: Exit::Ok,
        }
    }

    /// A terminal whose standard output and standard error are captured (no colour): the
    /// two buffers are returned with it.
    pub fn captured(max_input: u64) -> (Term, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let t = Term {
            render: RenderOptions {
                color: false,
                width: 100,
            },
            max_input,
            include_anywhere: false,
            out: BufWriter::with_capacity(1 << 16, Box::new(out.clone())),
            captured_err: Some(err.clone()),
            exit: Exit::Ok,
        };
        (t, out, err)
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

    /// Writes a JSON document with `write` (which writes it as [`Term::json`] would).
    pub fn json_with(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        let _ = write(&mut self.out);
        self.out("\n");
    }

    /// Writes to standard error (after what is pending on standard output).
    pub fn err(&mut self, s: &str) {
        self.err_rendered(&acre::escape::visible(s));
    }

    /// Writes drawn diagnostics (already made safe, perhaps coloured) to standard error.
    fn err_rendered(&mut self, s: &str) {
        let _ = self.out.flush();
        match &mut self.captured_err {
            Some(buf) => {
                let _ = buf.write_all(s.as_bytes());
            }
            None => {
                let _ = std::io::stderr().write_all(s.as_bytes());
            }
        }
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

    /// Whether an error has been reported (the exit code is above 0).
    pub fn failed(&self) -> bool {
        self.exit > Exit::Ok
    }

    /// Flushes standard output and returns the exit code.
    pub fn finish(mut self) -> Exit {
        let _ = self.out.flush();
        self.exit
    }

    /// Sends what is pending on standard output.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }

    /// The exit code so far.
    pub fn exit(&self) -> Exit {
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

/// The error for an unknown yardstick (or table) among `known`, with a suggestion.
pub fn unknown_yardstick<'a>(
    name: &str,
    known: impl Iterator<Item = &'a str>,
) -> acre::analysis::UnknownYardstick {
    let known: Vec<&str> = known.collect();
    let hint = acre::text::suggest(name, known.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    acre::analysis::UnknownYardstick {
        name: name.to_string(),
        help: format!("{hint}known: {}", known.join(", ")),
    }
}

/// Monte Carlo settings shared by the commands that assess.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct Engine {
    /// Monte Carlo samples, at most (default 10,000, fewer once the percentiles settle, and
    /// fewer or none for cases where one draw is very costly).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Monte Carlo seed (the default is fixed, so runs repeat exactly).
    #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
    pub seed: u64,
}

impl From<Engine> for acre::infer::Options {
    fn from(e: Engine) -> acre::infer::Options {
        acre::infer::Options {
            samples: e.samples.unwrap_or(acre::infer::AUTO_SAMPLES),
            seed: e.seed,
        }
    }
}

/// What makes two paths the same file: the canonical path, or the name as given.
fn file_key(name: &str) -> String {
    io::file_identity(Path::new(name))
}

/// Runs the library's pipeline on a file already read, its includes read from disk.
pub fn analyse_file(t: &Term, file: SourceFile, settings: &Settings) -> Analysis {
    let key = file_key(&file.name);
    let loader = include_loader(t.max_input, include_root(t, &file.name));
    acre::analysis::analyse(file, &key, &loader, settings)
}

/// Reads a case file and runs the pipeline as far as `settings` asks; draws its
/// diagnostics; reports (and returns `None`) when it cannot be read or the pipeline stopped
/// short (a file with errors, an engine error, an unknown hypothesis).
pub fn analyse(t: &mut Term, path: &Path, settings: &Settings) -> Option<Analysis> {
    let file = t.read(path)?;
    let analysis = analyse_file(t, file, settings);
    t.diagnostics(&analysis.diagnostics, &analysis.file);
    if let Some(stopped) = &analysis.stopped {
        let exit = match stopped {
            Stopped::NoSuchHypothesis { .. } => Exit::Usage,
            // the case's content: errors in it, or evidence the engine cannot weigh
            _ => Exit::Findings,
        };
        t.fail(stopped, exit);
        return None;
    }
    Some(analysis)
}

/// The settings of a command that goes as far as `depth` with the engine options given.
pub fn settings(depth: Depth, engine: Engine) -> Settings {
    Settings {
        depth,
        engine: engine.into(),
        focus: None,
    }
}

/// The files a text was read from: a case's own file and every file it includes (its
/// segments), or the file alone. No output may be written over any of them.
pub fn file_inputs(file: &SourceFile) -> Vec<std::path::PathBuf> {
    if file.segments.is_empty() {
        vec![std::path::PathBuf::from(&file.name)]
    } else {
        file.segments
            .iter()
            .map(|s| std::path::PathBuf::from(&s.name))
            .collect()
    }
}

/// The folder tree a case's includes must stay in: the folder of the case (the working
/// folder for standard input), canonical; `None` when `--include-anywhere` lifts the rule.
pub fn include_root(t: &Term, name: &str) -> Option<std::path::PathBuf> {
    if t.include_anywhere {
        return None;
    }
    Some(case_folder(Path::new(name)))
}

/// The canonical folder of a case file (the working folder for `-`).
pub fn case_folder(path: &Path) -> std::path::PathBuf {
    let dir = if path == Path::new("-") {
        Path::new(".")
    } else {
        path.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Reads included files relative to the file that includes them (standard input's
/// includes relative to the working folder), up to `limit` bytes each. Only `.acre` files
/// are read, and with a `root`, only files under it: an absolute path, or `..` leading out
/// of the case's folder tree, is refused before anything is read (a file such as
/// `/proc/self/environ` or `.env` is never opened, so never quoted in a diagnostic).
pub fn include_loader(
    limit: u64,
    root: Option<std::path::PathBuf>,
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
        if Path::new(path).extension().is_none_or(|e| e != "acre") {
            return Err("only case files (`.acre`) are included".to_string());
        }
        if root.is_some() && Path::new(path).is_absolute() {
            return Err(
                "an absolute path is not followed: included files lie under the case's folder (`--include-anywhere` allows others)"
                    .to_string(),
            );
        }
        let target = base.join(path);
        if let Some(root) = &root {
            // resolved before it is read: `..` and symbolic links count where they lead
            match std::fs::canonicalize(&target) {
                Ok(real) if !real.starts_with(root) => {
                    return Err(format!(
                        "it lies outside the case's folder `{}` (`--include-anywhere` allows it)",
                        root.display()
                    ));
                }
                Ok(_) => {}
                Err(e) => return Err(io::io_error("read", &target, &e).to_string()),
            }
        }
        let file = io::read(&target, limit).map_err(|e| e.to_string())?;
        if let Some(bad) = file.encoding_error {
            return Err(bad.message);
        }
        // hard links to one file are one file: read once
        let key = io::file_identity(&target);
        Ok(acre::check::includes::Loaded {
            name: target.display().to_string(),
            key,
            text: file.text,
        })
    }
}
