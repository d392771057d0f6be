//! `acre lsp`: a language server over standard input and output for case files (`.acre`)
//! and drafts (Markdown and text).
//!
//! The transport is lsp-server (rust-analyzer's, synchronous); the protocol's types come
//! from lsp-types. Every question is answered from an [`acre::editor::Analysis`] of the
//! document's latest text, computed once per version. Diagnostics are published after the
//! user pauses ([`DEBOUNCE`] without a new message): a change that arrives before then
//! replaces the text, so work for an older version is never started; a request analyses the
//! latest text at once (the fast part: milliseconds). The slow part of an analysis (bounds,
//! Monte Carlo intervals, judgment checks) runs on one background thread, one version at a
//! time: a version still queued when a newer one of the same document arrives is never
//! computed, and a result is attached only if the document is still at its version. Drafts get `acre review`'s findings, with the `acre.toml` that governs
//! them (its rules, yardstick and `case`).

use super::review::{ConfigProblem, load_config};
use super::{Exit, Term, io};
use acre::diagnostic::{Diagnostic, Severity};
use acre::editor::{Analysis, CompletionKind, TOKEN_TYPES, TokenType};
use acre::span::Span;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// One version's slow part, for the background thread.
struct Job {
    key: String,
    version: i32,
    case: acre::model::Case,
    text: String,
    partial: bool,
}

/// Computes queued jobs one at a time, newest version of each document only.
fn worker(jobs: crossbeam_channel::Receiver<Job>, results: crossbeam_channel::Sender<SlowResult>) {
    let mut queue: Vec<Job> = Vec::new();
    let push = |queue: &mut Vec<Job>, job: Job| match queue.iter_mut().find(|q| q.key == job.key) {
        Some(older) => *older = job,
        None => queue.push(job),
    };
    loop {
        if queue.is_empty() {
            match jobs.recv() {
                Ok(job) => push(&mut queue, job),
                Err(_) => return,
            }
        }
        while let Ok(job) = jobs.try_recv() {
            push(&mut queue, job);
        }
        let job = queue.remove(0);
        let (assessment, warnings) = acre::editor::slow_part(&job.case, &job.text, job.partial);
        let result = SlowResult {
            key: job.key,
            version: job.version,
            assessment,
            warnings,
        };
        if results.send(result).is_err() {
            return;
        }
    }
}

/// The slow part of one version's analysis, from the background thread.
struct SlowResult {
    key: String,
    version: i32,
    assessment: Option<acre::infer::Assessment>,
    warnings: Vec<Diagnostic>,
}

/// How long the user must pause before diagnostics are computed and published.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Runs the server until the client says `exit`.
pub fn run(t: &mut Term) {
    let (connection, threads) = stdio(t.max_input);
    let capabilities = match serde_json::to_value(capabilities()) {
        Ok(c) => c,
        Err(e) => {
            t.err(&format!("acre lsp: {e}\n"));
            t.raise(Exit::Usage);
            return;
        }
    };
    if let Err(e) = connection.initialize(capabilities) {
        t.err(&format!("acre lsp: the client did not initialise: {e}\n"));
        t.raise(Exit::Usage);
        return;
    }
    let (slow_tx, slow_rx) = crossbeam_channel::unbounded();
    let (jobs_tx, jobs_rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || worker(jobs_rx, slow_tx));
    let mut server = Server {
        connection: &connection,
        jobs: jobs_tx,
        slow_rx,
        documents: HashMap::new(),
        dirty: HashSet::new(),
        cases: HashMap::new(),
        scanner: acre::review::scan::Scanner::new(&[]),
        limit: t.max_input,
    };
    if let Err(e) = server.main_loop() {
        t.err(&format!("acre lsp: {e}\n"));
        t.raise(Exit::Usage);
    }
    drop(server);
    drop(connection);
    threads.join();
}

/// The transport's two threads: the reader ends at the end of input, at `exit`, or at a
/// frame it cannot read; the writer when the server drops its sender.
struct IoThreads {
    reader: std::thread::JoinHandle<()>,
    writer: std::thread::JoinHandle<()>,
}

impl IoThreads {
    fn join(self) {
        let _ = self.writer.join();
        // the reader may still wait on an input that never ends; it is not waited for
        drop(self.reader);
    }
}

/// A connection over standard input and output whose frames are bounded by `limit` and
/// whose writer takes the output's lock per message, so the process can always finish.
fn stdio(limit: u64) -> (Connection, IoThreads) {
    let (reader_tx, reader_rx) = crossbeam_channel::bounded::<Message>(0);
    let (writer_tx, writer_rx) = crossbeam_channel::bounded::<Message>(0);
    let writer = std::thread::spawn(move || {
        for message in writer_rx {
            let mut out = std::io::stdout().lock();
            if message.write(&mut out).is_err() {
                break;
            }
        }
    });
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match acre::frame::read_frame(&mut input, limit) {
                Ok(None) => break,
                Ok(Some(body)) => match serde_json::from_slice::<Message>(&body) {
                    Ok(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if reader_tx.send(message).is_err() || exit {
                            break;
                        }
                    }
                    Err(e) => {
                        eprintln!("acre lsp: a message that is not JSON-RPC was skipped: {e}")
                    }
                },
                Err(e) => {
                    eprintln!("acre lsp: {e}; the input is no longer read");
                    break;
                }
            }
        }
    });
    (
        Connection {
            sender: writer_tx,
            receiver: reader_rx,
        },
        IoThreads { reader, writer },
    )
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), ",".into()]),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp::SemanticTokensOptions {
                    legend: lsp::SemanticTokensLegend {
                        token_types: TOKEN_TYPES
                            .iter()
                            .map(|t| lsp::SemanticTokenType::new(t))
                            .collect(),
                        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
                    },
                    full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    ..Default::default()
                },
            ),
        ),
        ..Default::default()
    }
}

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Case,
    Draft,
}

/// An open document and its analysis (none until asked for or published).
struct Document {
    uri: lsp::Uri,
    text: String,
    version: i32,
    kind: Kind,
    lines: Vec<usize>,
    case: Option<Analysis>,
    draft: Option<Vec<Diagnostic>>,
}

impl Document {
    fn new(uri: lsp::Uri, text: String, version: i32, kind: Kind) -> Document {
        let lines = line_starts(&text);
        Document {
            uri,
            text,
            version,
            kind,
            lines,
            case: None,
            draft: None,
        }
    }

    /// The LSP position of a byte offset (UTF-16 columns).
    fn position(&self, offset: usize) -> lsp::Position {
        let offset = floor_boundary(&self.text, offset.min(self.text.len()));
        let line = self
            .lines
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.lines[line];
        let character = self.text[start..offset].encode_utf16().count();
        lsp::Position::new(line as u32, character as u32)
    }

    /// The byte offset of an LSP position (clamped to its line).
    fn offset(&self, p: lsp::Position) -> usize {
        let Some(&start) = self.lines.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .lines
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&e| e);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character || c == '\n' || c == '\r' {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    fn range(&self, span: Span) -> lsp::Range {
        lsp::Range::new(self.position(span.start), self.position(span.end))
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A case named by `acre.toml`, loaded for drafts' judgment checks.
struct LoadedCase {
    modified: Option<SystemTime>,
    case: acre::model::Case,
    assessment: acre::infer::Assessment,
    scanner: acre::review::scan::Scanner,
}

struct Server<'c> {
    connection: &'c Connection,
    /// Slow parts to compute, and their results.
    jobs: crossbeam_channel::Sender<Job>,
    slow_rx: crossbeam_channel::Receiver<SlowResult>,
    documents: HashMap<String, Document>,
    /// Documents whose diagnostics are not published for their latest text.
    dirty: HashSet<String>,
    cases: HashMap<PathBuf, LoadedCase>,
    /// The scanner of the built-in yardsticks, built once.
    scanner: acre::review::scan::Scanner,
    limit: u64,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Failure> {
        loop {
            let pause = if self.dirty.is_empty() {
                crossbeam_channel::never()
            } else {
                crossbeam_channel::after(DEBOUNCE)
            };
            let message = crossbeam_channel::select! {
                recv(self.connection.receiver) -> m => match m {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                },
                recv(self.slow_rx) -> r => {
                    if let Ok(r) = r {
                        self.attach(r)?;
                    }
                    continue;
                }
                recv(pause) -> _ => {
                    let dirty: Vec<String> = self.dirty.drain().collect();
                    for key in dirty {
                        self.publish(&key)?;
                    }
                    continue;
                }
            };
            match message {
                Message::Request(req) => {
                    if self.connection.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    let id = req.id.clone();
                    let response = match self.request(req) {
                        Ok(value) => Response::new_ok(id, value),
                        Err((code, message)) => Response::new_err(id, code as i32, message),
                    };
                    self.connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(n) => {
                    let method = n.method.clone();
                    if let Err(e) = self.notification(n) {
                        // a notification has no answer: one the server cannot read is
                        // skipped (a version of -1e30, a missing field), the server goes on
                        if e.downcast_ref::<serde_json::Error>().is_some() {
                            eprintln!("acre lsp: `{method}` skipped: {e}");
                        } else {
                            return Err(e);
                        }
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), Failure> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                let doc = p.text_document;
                let kind = kind_of(&doc.uri, &doc.language_id);
                let key = doc.uri.as_str().to_string();
                self.documents.insert(
                    key.clone(),
                    Document::new(doc.uri, doc.text, doc.version, kind),
                );
                self.dirty.insert(key);
            }
            "textDocument/didChange" => {
                let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                if let (Some(doc), Some(change)) = (
                    self.documents.get_mut(&key),
                    p.content_changes.into_iter().last(),
                ) {
                    // full synchronisation: the last change is the whole text
                    *doc = Document::new(
                        doc.uri.clone(),
                        change.text,
                        p.text_document.version,
                        doc.kind,
                    );
                    self.dirty.insert(key);
                }
            }
            "textDocument/didClose" => {
                let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                self.documents.remove(&key);
                self.dirty.remove(&key);
                self.send_diagnostics(p.text_document.uri, Vec::new(), None)?;
            }
            "textDocument/didSave" => {
                // a saved case may be the one drafts are checked against
                self.cases.clear();
                for (key, doc) in &mut self.documents {
                    if doc.kind == Kind::Draft {
                        doc.draft = None;
                        self.dirty.insert(key.clone());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Analyses a document if its latest text is not analysed yet, publishing its diagnostics.
    fn analyse(&mut self, key: &str) -> Result<(), Failure> {
        let Some(doc) = self.documents.get(key) else {
            return Ok(());
        };
        if doc.case.is_some() || doc.draft.is_some() {
            return Ok(());
        }
        self.publish(key)
    }

    fn publish(&mut self, key: &str) -> Result<(), Failure> {
        self.dirty.remove(key);
        let Some(kind) = self.documents.get(key).map(|d| d.kind) else {
            return Ok(());
        };
        match kind {
            Kind::Case => {
                let Some(doc) = self.documents.get_mut(key) else {
                    return Ok(());
                };
                if doc.case.is_none() {
                    // included files are read from the document's folder
                    let analysis = match file_path(&doc.uri) {
                        Some(path) => {
                            let name = path.display().to_string();
                            let key = super::io::file_identity(&path);
                            let root = Some(super::case_folder(&path));
                            let loader = super::include_loader(self.limit, root);
                            Analysis::with_includes(&doc.text, &name, &key, &loader)
                        }
                        None => Analysis::new(&doc.text),
                    };
                    if let Some(case) = analysis.case.clone() {
                        // a closed channel only means the worker is gone: hovers keep
                        // their point values
                        let _ = self.jobs.send(Job {
                            key: key.to_string(),
                            version: doc.version,
                            case,
                            text: doc.text.clone(),
                            partial: analysis.partial,
                        });
                    }
                    doc.case = Some(analysis);
                }
            }
            Kind::Draft => {
                let diags = self.review_draft(key);
                if let Some(doc) = self.documents.get_mut(key) {
                    doc.draft = Some(diags);
                }
            }
        }
        let Some(doc) = self.documents.get(key) else {
            return Ok(());
        };
        let diags = match (&doc.case, &doc.draft) {
            (Some(a), _) => &a.diagnostics,
            (None, Some(d)) => d,
            _ => return Ok(()),
        };
        let converted = diags.iter().map(|d| to_lsp(doc, d)).collect();
        self.send_diagnostics(doc.uri.clone(), converted, Some(doc.version))
    }

    /// Attaches a background result to the version it was computed for (and republishes
    /// the diagnostics when it found judgment warnings); a result for an older version is
    /// dropped.
    fn attach(&mut self, r: SlowResult) -> Result<(), Failure> {
        let Some(doc) = self
            .documents
            .get_mut(&r.key)
            .filter(|d| d.version == r.version)
        else {
            return Ok(());
        };
        let Some(analysis) = doc.case.as_mut() else {
            return Ok(());
        };
        let republish = !r.warnings.is_empty();
        analysis.attach(r.assessment, r.warnings);
        if republish {
            let doc = &self.documents[&r.key];
            let diags = doc.case.as_ref().map_or(&[][..], |a| &a.diagnostics[..]);
            let converted = diags.iter().map(|d| to_lsp(doc, d)).collect();
            self.send_diagnostics(doc.uri.clone(), converted, Some(doc.version))?;
        }
        Ok(())
    }

    fn send_diagnostics(
        &self,
        uri: lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), Failure> {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".to_string(),
                params,
            )))?;
        Ok(())
    }

    /// A draft's review findings, with the `acre.toml` that governs it.
    fn review_draft(&mut self, key: &str) -> Vec<Diagnostic> {
        let Some(doc) = self.documents.get(key) else {
            return Vec::new();
        };
        let path = file_path(&doc.uri);
        let anchor = path.clone().unwrap_or_else(|| PathBuf::from("."));
        let mut notes = Vec::new();
        let config = match load_config(&anchor, self.limit) {
            Ok(c) => Some(c),
            Err(problem) => {
                let why = match problem {
                    ConfigProblem::Io(e) => e.to_string(),
                    ConfigProblem::Invalid(invalid) => invalid
                        .1
                        .first()
                        .map_or_else(String::new, |d| d.message.clone()),
                    ConfigProblem::Rule(e) => e.to_string(),
                };
                notes.push(
                    Diagnostic::warning(
                        acre::code::Code::Config,
                        format!("acre.toml could not be used ({why}); the defaults apply"),
                    )
                    .with_label(Span::new(0, 0), ""),
                );
                None
            }
        };
        let (rules, case_path) = match config {
            Some(c) => (c.rules, c.case),
            None => (acre::review::config::RuleConfig::default(), None),
        };
        if let Some(p) = &case_path {
            self.load_case(p);
        }
        let Some(doc) = self.documents.get(key) else {
            return notes;
        };
        let loaded = case_path.as_ref().and_then(|p| self.cases.get(p));
        let governing = acre::analysis::governing_yardstick(
            None,
            rules.yardstick.as_deref(),
            loaded.map(|l| &l.case),
        );
        let yardstick = match governing {
            Ok(y) => y,
            Err(e) => {
                notes.push(
                    Diagnostic::warning(
                        acre::code::Code::Config,
                        format!(
                            "{e} in acre.toml; {} applies",
                            acre::analysis::DEFAULT_YARDSTICK
                        ),
                    )
                    .with_label(Span::new(0, 0), ""),
                );
                match acre::analysis::yardstick_named(acre::analysis::DEFAULT_YARDSTICK, &[]) {
                    Ok(y) => y,
                    Err(_) => return notes,
                }
            }
        };
        let scanner = loaded.map_or(&self.scanner, |l| &l.scanner);
        let options = acre::review::Options {
            yardstick,
            config: rules,
            case: loaded.map(|l| acre::review::CaseContext {
                case: &l.case,
                assessment: &l.assessment,
            }),
        };
        let review = acre::review::review(&doc.text, scanner, &options);
        notes.extend(
            review
                .findings
                .iter()
                .map(acre::review::Finding::to_diagnostic),
        );
        notes
    }

    /// Loads (or reloads, when it changed on disk) the case `acre.toml` names.
    fn load_case(&mut self, path: &Path) {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if self
            .cases
            .get(path)
            .is_some_and(|l| l.modified == modified && modified.is_some())
        {
            return;
        }
        self.cases.remove(path);
        let Ok(file) = io::read(path, self.limit) else {
            return;
        };
        let settings = acre::analysis::Settings {
            depth: acre::analysis::Depth::Assess,
            engine: acre::infer::Options::default(),
            focus: None,
        };
        let key = super::io::file_identity(path);
        let root = Some(super::case_folder(path));
        let loader = super::include_loader(self.limit, root);
        let analysis = acre::analysis::analyse(file, &key, &loader, &settings);
        let (Some(case), Some(assessment)) = (analysis.case, analysis.assessment) else {
            return;
        };
        let scanner = acre::review::scan::Scanner::new(&case.custom_yardsticks);
        self.cases.insert(
            path.to_path_buf(),
            LoadedCase {
                modified,
                case,
                assessment,
                scanner,
            },
        );
    }

    /// Answers a request: the document it names is analysed first, then the request goes
    /// to its typed handler.
    fn request(&mut self, req: Request) -> Result<serde_json::Value, Refusal> {
        let key = req
            .params
            .pointer("/textDocument/uri")
            .and_then(|u| u.as_str())
            .map(str::to_string);
        if let Some(key) = &key {
            self.analyse(key)
                .map_err(|e| (ErrorCode::InternalError, e.to_string()))?;
        }
        let Some(doc) = key.as_ref().and_then(|k| self.documents.get(k)) else {
            return match req.method.as_str() {
                <lsp::request::HoverRequest as lsp::request::Request>::METHOD
                | <lsp::request::GotoDefinition as lsp::request::Request>::METHOD => {
                    Ok(serde_json::Value::Null)
                }
                _ if key.is_some() => Err((
                    ErrorCode::InvalidParams,
                    "the document is not open".to_string(),
                )),
                _ => Err((
                    ErrorCode::MethodNotFound,
                    format!("acre lsp does not answer `{}`", req.method),
                )),
            };
        };
        use lsp::request as r;
        Dispatch::new(req, doc)
            .on::<r::HoverRequest>(hover)
            .on::<r::Completion>(completion)
            .on::<r::GotoDefinition>(definition)
            .on::<r::References>(references)
            .on::<r::Rename>(rename)
            .on::<r::DocumentSymbolRequest>(symbols)
            .on::<r::Formatting>(formatting)
            .on::<r::CodeActionRequest>(code_actions)
            .on::<r::InlayHintRequest>(inlay_hints)
            .on::<r::SemanticTokensFullRequest>(semantic_tokens)
            .finish()
    }
}

/// An error answer to a request: its code and message.
type Refusal = (ErrorCode, String);

/// A request on its way to the handler of its method (rust-analyzer's dispatcher, small):
/// the first handler whose method matches decodes the parameters as its protocol type and
/// answers with its protocol result.
struct Dispatch<'a> {
    req: Option<Request>,
    doc: &'a Document,
    answer: Option<Result<serde_json::Value, Refusal>>,
}

impl<'a> Dispatch<'a> {
    fn new(req: Request, doc: &'a Document) -> Self {
        Dispatch {
            req: Some(req),
            doc,
            answer: None,
        }
    }

    fn on<R: lsp::request::Request>(
        mut self,
        handler: fn(&Document, R::Params) -> Result<R::Result, Refusal>,
    ) -> Self {
        let Some(req) = self.req.take_if(|req| req.method == R::METHOD) else {
            return self;
        };
        let answer = serde_json::from_value::<R::Params>(req.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
            .and_then(|params| handler(self.doc, params))
            .and_then(|result| {
                serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
            });
        self.answer = Some(answer);
        self
    }

    fn finish(self) -> Result<serde_json::Value, Refusal> {
        match (self.answer, self.req) {
            (Some(answer), _) => answer,
            (None, Some(req)) => Err((
                ErrorCode::MethodNotFound,
                format!("acre lsp does not answer `{}`", req.method),
            )),
            (None, None) => Err((ErrorCode::InternalError, "no request".to_string())),
        }
    }
}

fn hover(doc: &Document, p: lsp::HoverParams) -> Result<Option<lsp::Hover>, Refusal> {
    let at = doc.offset(p.text_document_position_params.position);
    Ok(doc
        .case
        .as_ref()
        .and_then(|a| a.hover(at))
        .map(|h| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(doc.range(h.span)),
        }))
}

fn completion(
    doc: &Document,
    p: lsp::CompletionParams,
) -> Result<Option<lsp::CompletionResponse>, Refusal> {
    let analysis = doc.case.as_ref();
    let at = doc.offset(p.text_document_position.position);
    let replaced = analysis.map(|a| doc.range(a.completion_range(at)));
    let items: Vec<lsp::CompletionItem> = analysis
        .map(|a| a.completions(at))
        .unwrap_or_default()
        .into_iter()
        .map(|c| lsp::CompletionItem {
            // the whole phrase typed so far is replaced (`highly li`)
            text_edit: replaced
                .map(|r| lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(r, c.label.clone()))),
            label: c.label,
            kind: Some(match c.kind {
                CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                CompletionKind::Term => lsp::CompletionItemKind::ENUM_MEMBER,
                CompletionKind::Name(_) => lsp::CompletionItemKind::REFERENCE,
                CompletionKind::Grade => lsp::CompletionItemKind::CONSTANT,
                CompletionKind::Yardstick => lsp::CompletionItemKind::MODULE,
            }),
            detail: Some(c.detail),
            ..Default::default()
        })
        .collect();
    Ok(Some(lsp::CompletionResponse::Array(items)))
}

fn definition(
    doc: &Document,
    p: lsp::GotoDefinitionParams,
) -> Result<Option<lsp::GotoDefinitionResponse>, Refusal> {
    let analysis = doc.case.as_ref();
    let at = doc.offset(p.text_document_position_params.position);
    let here = analysis.and_then(|a| a.definition(at)).map(|s| {
        lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(doc.uri.clone(), doc.range(s)))
    });
    // else a name declared in an included file: that file, at the declaration
    Ok(here.or_else(|| {
        let d = analysis.and_then(|a| a.definition_elsewhere(at))?;
        elsewhere(d).map(lsp::GotoDefinitionResponse::Scalar)
    }))
}

fn references(
    doc: &Document,
    p: lsp::ReferenceParams,
) -> Result<Option<Vec<lsp::Location>>, Refusal> {
    let analysis = doc.case.as_ref();
    let at = doc.offset(p.text_document_position.position);
    let mut locations: Vec<lsp::Location> = analysis
        .map(|a| a.references(at, p.context.include_declaration))
        .unwrap_or_default()
        .into_iter()
        .map(|s| lsp::Location::new(doc.uri.clone(), doc.range(s)))
        .collect();
    // a name declared in an included file: its declaration there, when asked
    if p.context.include_declaration
        && let Some(d) = analysis.and_then(|a| a.definition_elsewhere(at))
    {
        locations.extend(elsewhere(d));
    }
    Ok(Some(locations))
}

fn rename(doc: &Document, p: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>, Refusal> {
    let at = doc.offset(p.text_document_position.position);
    let Some(a) = doc.case.as_ref() else {
        return Err((ErrorCode::RequestFailed, "not a case file".to_string()));
    };
    let edits = a
        .rename(at, &p.new_name)
        .map_err(|why| (ErrorCode::RequestFailed, why))?
        .into_iter()
        .map(|(s, text)| lsp::TextEdit::new(doc.range(s), text))
        .collect();
    Ok(Some(workspace_edit(&doc.uri, edits)))
}

fn symbols(
    doc: &Document,
    _: lsp::DocumentSymbolParams,
) -> Result<Option<lsp::DocumentSymbolResponse>, Refusal> {
    let symbols: Vec<lsp::DocumentSymbol> = doc
        .case
        .as_ref()
        .map(|a| a.symbols())
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            #[allow(deprecated)]
            lsp::DocumentSymbol {
                name: s.name,
                detail: (!s.detail.is_empty()).then_some(s.detail),
                kind: symbol_kind(s.keyword),
                tags: None,
                deprecated: None,
                range: doc.range(s.span),
                selection_range: doc.range(s.selection),
                children: None,
            }
        })
        .collect();
    Ok(Some(lsp::DocumentSymbolResponse::Nested(symbols)))
}

fn formatting(
    doc: &Document,
    _: lsp::DocumentFormattingParams,
) -> Result<Option<Vec<lsp::TextEdit>>, Refusal> {
    if doc.kind != Kind::Case {
        return Ok(None);
    }
    Ok(match acre::syntax::fmt::format(&doc.text) {
        Ok(formatted) if formatted != doc.text => {
            let whole = doc.range(Span::new(0, doc.text.len()));
            Some(vec![lsp::TextEdit::new(whole, formatted)])
        }
        Ok(_) => Some(Vec::new()),
        // syntax errors: nothing to format, the diagnostics say why
        Err(_) => None,
    })
}

fn code_actions(
    doc: &Document,
    p: lsp::CodeActionParams,
) -> Result<Option<lsp::CodeActionResponse>, Refusal> {
    let range = Span::new(doc.offset(p.range.start), doc.offset(p.range.end));
    let diags: Vec<&Diagnostic> = match (&doc.case, &doc.draft) {
        (Some(a), _) => a.fixes_in(range).into_iter().map(|(d, _)| d).collect(),
        (None, Some(d)) => d
            .iter()
            .filter(|x| !x.fixes.is_empty())
            .filter(|x| {
                x.primary()
                    .is_some_and(|s| s.start <= range.end && range.start <= s.end)
            })
            .collect(),
        _ => Vec::new(),
    };
    let actions = diags
        .into_iter()
        .map(|d| {
            let edits = d
                .fixes
                .iter()
                .map(|f| lsp::TextEdit::new(doc.range(f.span), f.replacement.clone()))
                .collect();
            let title = match d.fixes.first() {
                Some(f) if !f.replacement.is_empty() => {
                    format!("Replace with `{}`", f.replacement)
                }
                _ => "Remove it".to_string(),
            };
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(doc, d)]),
                edit: Some(workspace_edit(&doc.uri, edits)),
                is_preferred: Some(true),
                ..Default::default()
            })
        })
        .collect();
    Ok(Some(actions))
}

fn inlay_hints(
    doc: &Document,
    _: lsp::InlayHintParams,
) -> Result<Option<Vec<lsp::InlayHint>>, Refusal> {
    let hints = doc
        .case
        .as_ref()
        .map(|a| a.inlay_hints())
        .unwrap_or_default()
        .into_iter()
        .map(|h| lsp::InlayHint {
            position: doc.position(h.at),
            label: lsp::InlayHintLabel::String(h.label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect();
    Ok(Some(hints))
}

fn semantic_tokens(
    doc: &Document,
    _: lsp::SemanticTokensParams,
) -> Result<Option<lsp::SemanticTokensResult>, Refusal> {
    let tokens = doc
        .case
        .as_ref()
        .map(|a| a.semantic_tokens())
        .unwrap_or_default();
    Ok(Some(lsp::SemanticTokensResult::Tokens(
        lsp::SemanticTokens {
            result_id: None,
            data: encode_tokens(doc, &tokens),
        },
    )))
}

// lsp-types keys edits by `Uri`, whose parsed parts are cached inside; they never change
// once parsed
#[allow(clippy::mutable_key_type)]
fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

fn symbol_kind(k: acre::syntax::keyword::Keyword) -> lsp::SymbolKind {
    use acre::syntax::keyword::Keyword as K;
    match k {
        K::Case => lsp::SymbolKind::FILE,
        K::Hypothesis => lsp::SymbolKind::CLASS,
        K::Source => lsp::SymbolKind::NAMESPACE,
        K::Assumption => lsp::SymbolKind::TYPE_PARAMETER,
        K::Evidence => lsp::SymbolKind::VARIABLE,
        K::Judgment => lsp::SymbolKind::FUNCTION,
        K::Yardstick | K::Grading => lsp::SymbolKind::ENUM,
        _ => lsp::SymbolKind::KEY,
    }
}

/// Semantic tokens as the protocol encodes them: relative lines and columns, one token per
/// line (a text block is split at its line breaks).
fn encode_tokens(
    doc: &Document,
    tokens: &[acre::editor::SemanticToken],
) -> Vec<lsp::SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for t in tokens {
        let kind = TOKEN_TYPES
            .iter()
            .position(|name| *name == type_name(t.kind))
            .unwrap_or(0) as u32;
        let mut start = t.span.start;
        for piece in doc.text[t.span.start..t.span.end].split_inclusive('\n') {
            let body = piece.trim_end_matches(['\n', '\r']);
            let p = doc.position(start);
            let length = body.encode_utf16().count() as u32;
            start += piece.len();
            if length == 0 {
                continue;
            }
            let delta_line = p.line - last_line;
            let delta_start = if delta_line == 0 {
                p.character - last_col
            } else {
                p.character
            };
            out.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type: kind,
                token_modifiers_bitset: u32::from(t.declaration),
            });
            last_line = p.line;
            last_col = p.character;
        }
    }
    out
}

fn type_name(t: TokenType) -> &'static str {
    match t {
        TokenType::Keyword => "keyword",
        TokenType::String => "string",
        TokenType::Number => "number",
        TokenType::Comment => "comment",
        TokenType::Hypothesis => "class",
        TokenType::Source => "namespace",
        TokenType::Assumption => "parameter",
        TokenType::Evidence => "variable",
        TokenType::Other => "type",
        TokenType::Term => "enumMember",
    }
}

/// An acre diagnostic as the protocol has it: code, severity, the other labels as related
/// locations, the help after the message.
fn to_lsp(doc: &Document, d: &Diagnostic) -> lsp::Diagnostic {
    let primary = d.primary().unwrap_or(Span::new(0, 0));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(doc.uri.clone(), doc.range(l.span)),
            message: if l.text.is_empty() {
                d.message.clone()
            } else {
                l.text.clone()
            },
        })
        .collect();
    lsp::Diagnostic {
        range: doc.range(primary),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Advice => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("acre".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// Whether a document is a case or a draft: by the client's language id, then the extension.
fn kind_of(uri: &lsp::Uri, language: &str) -> Kind {
    match language {
        "acre" => Kind::Case,
        "markdown" | "plaintext" | "text" => Kind::Draft,
        _ if uri.as_str().ends_with(".acre") => Kind::Case,
        _ => Kind::Draft,
    }
}

/// Where a name declared in an included file is written, for the editor to open.
fn elsewhere(d: &acre::editor::DeclaredElsewhere) -> Option<lsp::Location> {
    let uri = file_uri(std::path::Path::new(&d.file))?;
    let position = |(line, column): (u32, u32)| lsp::Position::new(line, column);
    Some(lsp::Location::new(
        uri,
        lsp::Range::new(position(d.start), position(d.end)),
    ))
}

/// The `file:` URI of a local path (absolute once canonical), percent-escaping every byte
/// but unreserved characters and `/`.
fn file_uri(path: &std::path::Path) -> Option<lsp::Uri> {
    let path = std::fs::canonicalize(path).ok()?;
    let mut out = String::from("file://");
    for &b in path.to_str()?.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

/// The local path of a `file:` URI (percent-escapes decoded).
fn file_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = rest.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}
