//! Diagnostics shared by every stage: a code, a severity, a message, labelled spans
//! and a help line.
//!
//! Invariant: a diagnostic never holds the source text; it is attached at the
//! rendering boundary ([`render`], [`to_json`]), so stages stay cheap to test.

use crate::code::Code;
use crate::span::{LineIndex, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information only.
    Advice,
    /// Suspicious, but the case can still be assessed.
    Warning,
    /// The case cannot be assessed until this is fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One labelled span.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub text: String,
}

/// A machine-applicable edit that a diagnostic's help proposes: replace `span` with
/// `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The bytes replaced.
    pub span: Span,
    /// What they are replaced with.
    pub replacement: String,
}

/// A finding about a source text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// Stable code, e.g. `acre::unknown-term`.
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// One lowercase sentence, user input in backticks.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Labelled spans; the first is the primary location.
    pub labels: Vec<Label>,
    /// Edits the help proposes, for editors and tools (none when the help is advice only).
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// An error with code and message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// A warning with code and message.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// An advice-level note with code and message.
    pub fn advice(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Advice,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds a label.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Adds the edit that the help proposes.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fixes.push(Fix {
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// Adds the edit when there is one (a suggestion that may not have been found).
    pub fn with_fix_if(self, span: Span, replacement: Option<impl Into<String>>) -> Self {
        match replacement {
            Some(r) => self.with_fix(span, r),
            None => self,
        }
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The primary span, if any.
    pub fn primary(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Advice => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().enumerate().map(|(idx, l)| {
            let text = (!l.text.is_empty()).then(|| l.text.clone());
            if idx == 0 {
                LabeledSpan::new_primary_with_span(text, l.span)
            } else {
                LabeledSpan::new_with_span(text, l.span)
            }
        })))
    }
}

/// A source text for miette, read through a line index: miette's own reader scans from
/// the start of the text for every diagnostic, which is quadratic on large files.
/// Context that would be longer than [`WINDOW`] bytes (a very long line) is cut to a
/// window around the span, so that no label is drawn past a huge column.
pub struct IndexedSource<'a> {
    name: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
}

/// The most bytes of context drawn around a diagnostic's span.
pub const WINDOW: usize = 2048;

/// Labels whose contexts are at most this many lines apart are drawn in one snippet.
const MERGE_GAP: usize = 8;

/// How far a window reaches on each side of the span.
const REACH: usize = 120;

impl<'a> IndexedSource<'a> {
    /// Indexes `text`, called `name` in reports.
    pub fn new(name: &'a str, text: &'a str) -> Self {
        IndexedSource {
            name,
            text,
            index: LineIndex::new(text),
        }
    }

    fn floor(&self, mut at: usize) -> usize {
        at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil(&self, mut at: usize) -> usize {
        at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

impl std::fmt::Debug for IndexedSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexedSource({})", self.name)
    }
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let len = self.text.len();
        if span.offset() > len {
            return Err(MietteError::OutOfBounds);
        }
        let start = self.floor(span.offset());
        let end = self.ceil((span.offset() + span.len()).min(len));
        let first = self.index.line_of(start);
        let last = self.index.line_of(end.saturating_sub(1).max(start));
        let mut from_line = first.saturating_sub(context_lines_before);
        let mut to_line = (last + context_lines_after).min(self.index.n_lines() - 1);
        let mut data_start = self.index.line_start(from_line);
        // the context's last line with its line break, as miette's own reader gives it
        let mut data_end = self.index.line_start(to_line + 1).min(len);
        if data_end.saturating_sub(data_start) > WINDOW {
            // a window around the span, on the span's own lines
            from_line = first;
            to_line = last;
            data_start = self.floor(
                start
                    .saturating_sub(REACH)
                    .max(self.index.line_start(first)),
            );
            data_end = self.ceil((end + REACH).min(self.index.line_end(last)));
        }
        let (_, column) = self.index.line_column(start);
        // the graphical handler merges two labels' contexts into one snippet when
        // `line + line_count` reaches the next context's first line: labels up to
        // MERGE_GAP lines apart share a snippet, farther ones get their own. (miette's own
        // reader counts every line break from the start of the text, which merges labels
        // hundreds of lines apart into one snippet with everything between.)
        let line_count = to_line - from_line + 1 + MERGE_GAP;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            &self.text.as_bytes()[data_start..data_end.max(data_start)],
            SourceSpan::new(data_start.into(), data_end.saturating_sub(data_start)),
            from_line,
            column - 1,
            line_count,
        )))
    }
}

/// A diagnostic with its source attached, ready for miette to render.
#[derive(Debug, thiserror::Error)]
#[error("{inner}")]
struct Attached<'a> {
    inner: &'a Diagnostic,
    text: &'a IndexedSource<'a>,
}

impl miette::Diagnostic for Attached<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.inner)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(self.inner)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        miette::Diagnostic::labels(self.inner)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.text)
    }
}

/// How to draw rendered diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Use colour.
    pub color: bool,
    /// Line width.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 80,
        }
    }
}

/// At most this many diagnostics of one file are drawn; the rest are counted (JSON has them all).
pub const MAX_RENDERED: usize = 200;

/// Renders diagnostics against their source text as miette reports, one after another.
pub fn render(
    diagnostics: &[Diagnostic],
    file_name: &str,
    source: &str,
    options: RenderOptions,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(options.width);
    let mut out = String::new();
    if diagnostics.is_empty() {
        return out;
    }
    // control characters and bidirectional controls are drawn as visible stand-ins, in
    // the text and in the messages; spans move with the text
    let shown = Shown::new(source);
    let name = crate::escape::visible(file_name);
    // one index of the text for every report
    let indexed = IndexedSource::new(&name, &shown.text);
    for diagnostic in diagnostics.iter().take(MAX_RENDERED) {
        let safe = shown.diagnostic(diagnostic);
        let attached = Attached {
            inner: &safe,
            text: &indexed,
        };
        if handler.render_report(&mut out, &attached).is_err() {
            out.push_str(&format!("{}: {}\n", safe.code, safe.message));
        }
        out.push('\n');
    }
    if diagnostics.len() > MAX_RENDERED {
        out.push_str(&format!(
            "... and {} more in {file_name} (`--format json` lists them all)\n",
            diagnostics.len() - MAX_RENDERED
        ));
    }
    out
}

/// A source text as drawn in a terminal: unsafe characters replaced by their stand-ins
/// ([`crate::escape::visible`]), with the byte offsets where the text grew, to move spans.
struct Shown<'a> {
    text: std::borrow::Cow<'a, str>,
    /// (offset in the original text, bytes added up to and including that replacement)
    shifts: Vec<(usize, usize)>,
}

impl<'a> Shown<'a> {
    fn new(source: &'a str) -> Self {
        if !crate::escape::needs_care(source) {
            return Shown {
                text: std::borrow::Cow::Borrowed(source),
                shifts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(source.len() + 64);
        let mut shifts = Vec::new();
        let mut added = 0;
        let mut chars = source.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let crlf = c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n');
            if crate::escape::is_unsafe(c) && !crlf {
                let stand_in = crate::escape::stand_in(c);
                text.push_str(&stand_in);
                added += stand_in.len() - c.len_utf8();
                shifts.push((i, added));
            } else {
                text.push(c);
            }
        }
        Shown {
            text: std::borrow::Cow::Owned(text),
            shifts,
        }
    }

    /// Where byte `offset` of the original text is in the shown text.
    fn at(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|(i, _)| *i < offset);
        offset + before.checked_sub(1).map_or(0, |k| self.shifts[k].1)
    }

    /// The diagnostic with its texts made visible and its spans moved.
    fn diagnostic(&self, d: &Diagnostic) -> Diagnostic {
        let visible = |s: &str| crate::escape::visible(s).into_owned();
        Diagnostic {
            code: d.code,
            severity: d.severity,
            message: visible(&d.message),
            help: d.help.as_deref().map(visible),
            labels: d
                .labels
                .iter()
                .map(|l| Label {
                    span: Span::new(self.at(l.span.start), self.at(l.span.end)),
                    text: visible(&l.text),
                })
                .collect(),
            // edits are for tools; the drawn copy needs none
            fixes: Vec::new(),
        }
    }
}

/// Renders a diagnostic that has no source text (an unreadable path, a usage mistake) as
/// miette draws it, without colour.
pub fn render_plain(error: &dyn miette::Diagnostic, _options: RenderOptions) -> String {
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut out, error).is_err() {
        out = format!("error: {error}\n");
    }
    // a path or a value the user gave may hold control characters; no colour is drawn here
    crate::escape::visible(&out).into_owned()
}

/// A diagnostic as data, for `--format json`.
#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct JsonDiagnostic {
    /// Stable code.
    pub code: String,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// Help line.
    pub help: Option<String>,
    /// File name as given.
    pub file: String,
    /// 1-based line of the primary label.
    pub line: usize,
    /// 1-based column (in characters) of the primary label.
    pub column: usize,
    /// Byte span of the primary label, `[start, end]`.
    pub span: [usize; 2],
    /// Every label with its position.
    pub labels: Vec<JsonLabel>,
    /// Edits the help proposes, each applicable as is (an editor's quick fix).
    pub fixes: Vec<JsonFix>,
}

/// An edit as data.
#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct JsonFix {
    /// Byte span replaced, `[start, end]`.
    pub span: [usize; 2],
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column (in characters) of the start.
    pub column: usize,
    /// The text that replaces it.
    pub replacement: String,
}

/// A label as data.
#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct JsonLabel {
    /// Text of the label.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte span `[start, end]`.
    pub span: [usize; 2],
}

/// Diagnostics as data, with positions computed against `source`.
pub fn to_json(diagnostics: &[Diagnostic], file_name: &str, source: &str) -> Vec<JsonDiagnostic> {
    let index = LineIndex::new(source);
    let line_column = |_: &str, offset: usize| index.line_column(offset);
    diagnostics
        .iter()
        .map(|d| {
            let primary = d.primary().unwrap_or_default();
            let (line, column) = line_column(source, primary.start);
            JsonDiagnostic {
                code: d.code.to_string(),
                severity: d.severity,
                message: d.message.clone(),
                help: d.help.clone(),
                file: file_name.to_string(),
                line,
                column,
                span: [primary.start, primary.end],
                labels: d
                    .labels
                    .iter()
                    .map(|l| {
                        let (line, column) = line_column(source, l.span.start);
                        JsonLabel {
                            text: l.text.clone(),
                            line,
                            column,
                            span: [l.span.start, l.span.end],
                        }
                    })
                    .collect(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| {
                        let (line, column) = line_column(source, f.span.start);
                        JsonFix {
                            span: [f.span.start, f.span.end],
                            line,
                            column,
                            replacement: f.replacement.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
