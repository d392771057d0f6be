//! What each subcommand does, as functions from arguments to output.
//!
//! Invariant: nothing here prints or exits; `main.rs` writes [`Output`] and
//! sets the exit code. Exit codes: 0 success, 1 findings (errors, failed
//! expectations), 2 usage or I/O problems.

use crate::check::{Checked, check_source};
use crate::diagnostic::{self, Diagnostic, RenderOptions, Severity};
use crate::source::{self, SourceFile};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
    /// Exit code.
    pub code: i32,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For programs.
    Json,
    /// SARIF 2.1.0, for code-review annotations (`acre review` only).
    Sarif,
}

/// A file read and checked.
pub struct CheckedFile {
    /// The text.
    pub file: SourceFile,
    /// The result.
    pub checked: Checked,
}

/// Reads and checks one file; an encoding error stops before parsing.
pub fn check_file(path: &Path) -> Result<CheckedFile, source::LoadError> {
    let file = source::load(path)?;
    let checked = match &file.encoding_error {
        Some(d) => Checked {
            case: None,
            diagnostics: vec![d.clone()],
        },
        None => check_source(&file.text),
    };
    Ok(CheckedFile { file, checked })
}

/// Renders a load error the way miette would.
pub fn render_load_error(err: &source::LoadError) -> String {
    render_load_error_like(err)
}

/// `acre check --format json`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CheckJson {
    /// One entry per file.
    pub files: Vec<FileJson>,
    /// Errors in all files.
    pub errors: usize,
    /// Warnings in all files.
    pub warnings: usize,
}

/// The diagnostics of one file.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FileJson {
    /// The path as given.
    pub file: String,
    /// No errors.
    pub ok: bool,
    /// Diagnostics in source order.
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

/// Expands directories into the `.acre` files inside them (recursively, sorted).
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect_acre(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn collect_acre(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_acre(&path, out);
        } else if path.extension().is_some_and(|e| e == "acre") {
            out.push(path);
        }
    }
}

/// `acre check FILE...`
pub fn check(paths: &[PathBuf], format: Format, render: RenderOptions) -> Output {
    let mut out = Output::default();
    let mut json = CheckJson {
        files: Vec::new(),
        errors: 0,
        warnings: 0,
    };
    let mut io_failed = false;
    for path in paths {
        let checked = match check_file(path) {
            Ok(c) => c,
            Err(e) => {
                io_failed = true;
                out.stderr.push_str(&render_load_error(&e));
                continue;
            }
        };
        let diags = &checked.checked.diagnostics;
        let n_errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let n_warnings = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        json.errors += n_errors;
        json.warnings += n_warnings;
        match format {
            Format::Json | Format::Sarif => json.files.push(FileJson {
                file: checked.file.name.clone(),
                ok: n_errors == 0,
                diagnostics: diagnostic::to_json(diags, &checked.file.name, &checked.file.text),
            }),
            Format::Text => {
                out.stderr.push_str(&diagnostic::render(
                    diags,
                    &checked.file.name,
                    &checked.file.text,
                    render,
                ));
                if let Some(case) = &checked.checked.case {
                    out.stdout.push_str(&format!(
                        "ok: {} ({} hypotheses, {} sources, {} evidence items, {} assumptions{})\n",
                        checked.file.name,
                        case.hypotheses.len(),
                        case.sources.iter().filter(|s| s.declared).count(),
                        case.items.len(),
                        case.assumptions.len(),
                        plural_warnings(n_warnings),
                    ));
                } else {
                    out.stdout.push_str(&format!(
                        "failed: {} ({} error{}{})\n",
                        checked.file.name,
                        n_errors,
                        if n_errors == 1 { "" } else { "s" },
                        plural_warnings(n_warnings)
                    ));
                }
            }
        }
    }
    if format != Format::Text {
        out.stdout = serde_json::to_string_pretty(&json).unwrap_or_default();
        out.stdout.push('\n');
    }
    out.code = if io_failed {
        2
    } else if json.errors > 0 {
        1
    } else {
        0
    };
    out
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

/// `acre yardstick [NAME]`
pub fn yardstick(name: Option<&str>) -> Output {
    let mut out = Output::default();
    match name {
        Some(name) => match crate::report::yardstick_table(name) {
            Some(table) => out.stdout = table,
            None => {
                let names = crate::report::tables::table_names();
                let hint = crate::lexicon::suggest(name, names.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                out.stderr = format!(
                    "error: unknown yardstick `{name}`\nhelp: {hint}known: {}\n",
                    names.join(", ")
                );
                out.code = 2;
            }
        },
        None => {
            for name in crate::report::tables::table_names() {
                if let Some(table) = crate::report::yardstick_table(&name) {
                    out.stdout.push_str(&table);
                    out.stdout.push('\n');
                }
            }
        }
    }
    out
}

/// Renders diagnostics for one file as text (used by several commands).
pub fn render_diagnostics(
    diags: &[Diagnostic],
    file: &SourceFile,
    render: RenderOptions,
) -> String {
    diagnostic::render(diags, &file.name, &file.text, render)
}

/// Checks a file and, when it has no errors, assesses it. Diagnostics go to
/// `out.stderr`; `None` means the file could not be assessed (the exit code is set).
fn checked_case(
    path: &Path,
    render: RenderOptions,
    out: &mut Output,
) -> Option<(CheckedFile, crate::model::Case)> {
    let checked = match check_file(path) {
        Ok(c) => c,
        Err(e) => {
            out.stderr.push_str(&render_load_error(&e));
            out.code = 2;
            return None;
        }
    };
    let diags = &checked.checked.diagnostics;
    if !diags.is_empty() {
        out.stderr
            .push_str(&render_diagnostics(diags, &checked.file, render));
    }
    match checked.checked.case.clone() {
        Some(case) => Some((checked, case)),
        None => {
            out.stderr.push_str(&format!(
                "error: `{}` has errors; fix them before assessing (see `acre check`)\n",
                path.display()
            ));
            out.code = 1;
            None
        }
    }
}

/// `acre assess FILE`
pub fn assess(
    path: &Path,
    format: Format,
    options: crate::infer::Options,
    render: RenderOptions,
) -> Output {
    let mut out = Output::default();
    let Some((checked, case)) = checked_case(path, render, &mut out) else {
        return out;
    };
    match crate::infer::assess(&case, &options) {
        Ok(a) => {
            let name = checked.file.name.as_str();
            out.stdout = match format {
                Format::Text => crate::report::assess::text(&case, &a, name),
                Format::Json | Format::Sarif => {
                    let mut s =
                        serde_json::to_string_pretty(&crate::report::assess::json(&case, &a, name))
                            .unwrap_or_default();
                    s.push('\n');
                    s
                }
            };
        }
        Err(e) => {
            out.stderr.push_str(&render_load_error_like(&e));
            out.code = 1;
        }
    }
    out
}

/// Renders any error without a source snippet as a miette report.
fn render_load_error_like(err: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut out, err).is_err() {
        out = format!("error: {err}\n");
    }
    out
}

/// `acre test FILE_OR_DIR...`: every case's expectations, like a test suite.
pub fn test(paths: &[PathBuf], options: crate::infer::Options, render: RenderOptions) -> Output {
    let mut out = Output::default();
    let files = expand_paths(paths);
    let (mut passed, mut failed) = (0usize, 0usize);
    if files.is_empty() {
        out.stderr.push_str("error: no `.acre` files found\n");
        out.code = 2;
        return out;
    }
    for path in &files {
        let mut sub = Output::default();
        let Some((_, case)) = checked_case(path, render, &mut sub) else {
            out.stderr.push_str(&sub.stderr);
            out.stdout.push_str(&format!(
                "case {} ... FAILED (does not check)\n",
                path.display()
            ));
            failed += 1;
            out.code = out.code.max(sub.code);
            continue;
        };
        match crate::infer::assess(&case, &options) {
            Ok(a) => {
                if a.expectations.is_empty() {
                    out.stdout
                        .push_str(&format!("case {} ... no expectations\n", path.display()));
                }
                for e in &a.expectations {
                    out.stdout.push_str(&format!(
                        "test {} :: {} ... {}\n",
                        path.display(),
                        e.text,
                        if e.met {
                            "ok".to_string()
                        } else {
                            format!("FAILED ({})", e.actual)
                        }
                    ));
                    if e.met { passed += 1 } else { failed += 1 }
                }
            }
            Err(e) => {
                out.stderr.push_str(&render_load_error_like(&e));
                out.stdout.push_str(&format!(
                    "case {} ... FAILED (cannot be assessed)\n",
                    path.display()
                ));
                failed += 1;
            }
        }
    }
    out.stdout
        .push_str(&format!("\n{passed} passed, {failed} failed\n"));
    if failed > 0 {
        out.code = out.code.max(1);
    }
    out
}

/// `acre explain FILE [--hypothesis ID]`
pub fn explain(
    path: &Path,
    hypothesis: Option<&str>,
    format: Format,
    options: crate::infer::Options,
    render: RenderOptions,
) -> Output {
    let mut out = Output::default();
    let Some((_, case)) = checked_case(path, render, &mut out) else {
        return out;
    };
    let focus = match hypothesis {
        None => None,
        Some(id) => match case.hypothesis(id) {
            Some(h) => Some(h),
            None => {
                let ids: Vec<&str> = case.hypotheses.iter().map(|h| h.id.as_str()).collect();
                out.stderr = format!(
                    "error: no hypothesis `{id}` in this case\nhelp: the hypotheses are {}\n",
                    ids.join(", ")
                );
                out.code = 2;
                return out;
            }
        },
    };
    let result = crate::infer::assess(&case, &options)
        .and_then(|a| crate::explain::explain(&case, &a, focus));
    match result {
        Ok(x) => {
            out.stdout = match format {
                Format::Text => crate::report::explain::text(&case, &x),
                Format::Json | Format::Sarif => {
                    let mut s = serde_json::to_string_pretty(&x).unwrap_or_default();
                    s.push('\n');
                    s
                }
            };
        }
        Err(e) => {
            out.stderr.push_str(&render_load_error_like(&e));
            out.code = 1;
        }
    }
    out
}

/// Arguments of `acre review`.
pub struct ReviewArgs {
    /// The draft (Markdown or plain text).
    pub draft: Option<PathBuf>,
    /// A case to check the draft (and the case's own judgments) against.
    pub case: Option<PathBuf>,
    /// The governing yardstick, overriding `acre.toml` and the case.
    pub yardstick: Option<String>,
    /// `RULE=LEVEL` overrides.
    pub rules: Vec<String>,
    /// Output format.
    pub format: Format,
    /// Engine options, for the case.
    pub options: crate::infer::Options,
    /// Apply the mechanical fixes to the draft (atomically), then report what remains.
    pub fix: bool,
    /// Print a rule's rationale and examples instead of reviewing.
    pub explain: Option<String>,
}

/// `acre review --explain RULE`: the rule's levels, rationale and examples.
fn explain_rule(id: &str) -> Output {
    use crate::review::Rule;
    let mut out = Output::default();
    let Some(rule) = Rule::from_id(id) else {
        let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        let hint = crate::lexicon::suggest(id, ids.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        out.stderr = format!(
            "error: unknown rule `{id}`\nhelp: {hint}rules: {}\n",
            ids.join(", ")
        );
        out.code = 2;
        return out;
    };
    let doc = rule.doc();
    let levels: Vec<String> = ["phia", "icd203", "kent", "ipcc"]
        .iter()
        .map(|y| format!("{y} {}", rule.default_level(y, true).word()))
        .collect();
    out.stdout = format!(
        "{} ({})\n\n{}\n\nDefault level: {}\n\nWhy: {}\n\nFlagged:     {}\nNot flagged: {}\n",
        rule.id(),
        rule.code(),
        doc.summary,
        levels.join(", "),
        crate::report::explain::wrap(doc.rationale, 88, "").trim_start(),
        doc.bad,
        doc.good
    );
    out
}

/// `acre review [DRAFT] [--case FILE]`
pub fn review(args: &ReviewArgs, render: RenderOptions) -> Output {
    use crate::review::{
        self,
        config::{Level, RuleConfig},
    };
    if let Some(id) = &args.explain {
        return explain_rule(id);
    }
    let mut out = Output::default();
    let anchor = args
        .draft
        .clone()
        .or_else(|| args.case.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut config = match RuleConfig::discover(&anchor) {
        Ok(c) => c,
        Err(e) => {
            out.stderr = render_load_error_like(&e);
            out.code = 2;
            return out;
        }
    };
    for spec in &args.rules {
        if let Err(e) = config.set(spec) {
            out.stderr = render_load_error_like(&e);
            out.code = 2;
            return out;
        }
    }
    if args.draft.is_none() && args.case.is_none() {
        out.stderr = "error: nothing to review\nhelp: give a draft (`acre review DRAFT.md`), a case (`--case FILE.acre`), or both\n".to_string();
        out.code = 2;
        return out;
    }
    // the case and its assessment
    let mut case_parts = None;
    if let Some(path) = &args.case {
        let Some((checked, case)) = checked_case(path, render, &mut out) else {
            return out;
        };
        match crate::infer::assess(&case, &args.options) {
            Ok(a) => case_parts = Some((checked.file, case, a)),
            Err(e) => {
                out.stderr.push_str(&render_load_error_like(&e));
                out.code = 1;
                return out;
            }
        }
    }
    // the governing yardstick
    let name = args
        .yardstick
        .clone()
        .or_else(|| config.yardstick.clone())
        .or_else(|| {
            case_parts
                .as_ref()
                .map(|(_, c, _)| c.yardstick.name.clone())
        })
        .unwrap_or_else(|| "phia".to_string());
    let customs: Vec<crate::lexicon::Yardstick> = case_parts
        .as_ref()
        .map(|(_, c, _)| c.custom_yardsticks.clone())
        .unwrap_or_default();
    let Some(yardstick) = customs
        .iter()
        .find(|y| y.name == name)
        .cloned()
        .or_else(|| crate::lexicon::builtin_yardstick(&name))
    else {
        out.stderr = format!(
            "error: unknown yardstick `{name}`\nhelp: known: phia, icd203, kent, ipcc, or one declared in the case\n"
        );
        out.code = 2;
        return out;
    };
    let scanner = review::scan::Scanner::new(&customs);
    // the draft
    let draft = match &args.draft {
        Some(path) => match source::load(path) {
            Ok(f) => Some(f),
            Err(e) => {
                out.stderr = render_load_error(&e);
                out.code = 2;
                return out;
            }
        },
        None => None,
    };
    let ctx = case_parts
        .as_ref()
        .map(|(_, case, assessment)| review::CaseContext { case, assessment });
    let options = review::Options {
        yardstick: yardstick.clone(),
        config: config.clone(),
        case: ctx,
    };
    let mut draft = draft;
    let mut result = draft
        .as_ref()
        .map(|d| review::review(&d.text, &scanner, &options))
        .unwrap_or_default();
    if args.fix {
        let (Some(d), Some(path)) = (draft.as_mut(), &args.draft) else {
            out.stderr = "error: `--fix` needs a draft to fix\n".to_string();
            out.code = 2;
            return out;
        };
        if d.encoding_error.is_some() {
            out.stderr = format!(
                "error: `{}` is not valid UTF-8; it is left as it is\n",
                path.display()
            );
            out.code = 1;
            return out;
        }
        let offered = result.findings.iter().filter(|f| f.fix.is_some()).count();
        let (fixed, applied) = review::apply_fixes(&d.text, &result.findings);
        if applied > 0 {
            if let Err(e) = write_atomic(path, &fixed) {
                out.stderr = format!("error: cannot write `{}`: {e}\n", path.display());
                out.code = 2;
                return out;
            }
            d.text = fixed;
            result = review::review(&d.text, &scanner, &options);
        }
        out.stderr.push_str(&format!(
            "fixed {applied} of {offered} fixable finding{} in {}\n",
            if offered == 1 { "" } else { "s" },
            path.display()
        ));
    }
    let judgments = case_parts.as_ref().map(|(file, case, a)| {
        let checks = review::judgment_checks(case, a, &file.text, &scanner);
        let findings = review::judgment_findings(case, &checks, &config);
        (checks, findings)
    });
    let draft_name = draft.as_ref().map_or(String::new(), |d| d.name.clone());
    let draft_text = draft.as_ref().map_or("", |d| d.text.as_str());
    let any_error = result
        .findings
        .iter()
        .chain(
            judgments
                .as_ref()
                .map_or(&[][..], |j| &j.1[..])
                .iter()
                .map(|(_, f)| f),
        )
        .any(|f| f.level == Level::Error)
        || draft.as_ref().is_some_and(|d| d.encoding_error.is_some());
    match args.format {
        Format::Text => {
            if let Some(d) = &draft {
                let mut diags: Vec<Diagnostic> = d.encoding_error.iter().cloned().collect();
                diags.extend(
                    result
                        .findings
                        .iter()
                        .map(crate::report::review::to_diagnostic),
                );
                out.stdout.push_str(&render_diagnostics(&diags, d, render));
            }
            if let (Some((file, _, _)), Some((_, findings))) = (&case_parts, &judgments) {
                let diags: Vec<Diagnostic> = findings
                    .iter()
                    .map(|(_, f)| crate::report::review::to_diagnostic(f))
                    .collect();
                out.stdout
                    .push_str(&render_diagnostics(&diags, file, render));
            }
            let all: Vec<&review::Finding> = result
                .findings
                .iter()
                .chain(
                    judgments
                        .as_ref()
                        .map_or(&[][..], |j| &j.1[..])
                        .iter()
                        .map(|(_, f)| f),
                )
                .collect();
            let n = |l: Level| all.iter().filter(|f| f.level == l).count();
            out.stdout.push_str(&format!(
                "{} estimative phrase{} under {}; {} error{}, {} warning{}, {} note{}\n",
                result.phrases.len(),
                if result.phrases.len() == 1 { "" } else { "s" },
                yardstick.name,
                n(Level::Error),
                if n(Level::Error) == 1 { "" } else { "s" },
                n(Level::Warning),
                if n(Level::Warning) == 1 { "" } else { "s" },
                n(Level::Info),
                if n(Level::Info) == 1 { "" } else { "s" },
            ));
        }
        Format::Json => {
            let j = judgments.as_ref().zip(case_parts.as_ref()).map(
                |((checks, findings), (file, _, _))| crate::report::review::CaseReview {
                    file: file.name.as_str(),
                    text: file.text.as_str(),
                    checks,
                    findings,
                },
            );
            let doc =
                crate::report::review::json(&draft_name, draft_text, &yardstick.name, &result, j);
            // one buffer sized for the usual output, so a large draft's JSON is not copied
            // over and over as it grows
            let mut buf = Vec::with_capacity(draft_text.len().saturating_mul(2) + 4096);
            if serde_json::to_writer_pretty(&mut buf, &doc).is_ok() {
                buf.push(b'\n');
                out.stdout = String::from_utf8(buf).unwrap_or_default();
            }
        }
        Format::Sarif => {
            let case_findings: Vec<review::Finding> = judgments
                .as_ref()
                .map(|j| j.1.iter().map(|(_, f)| f.clone()).collect())
                .unwrap_or_default();
            let mut files: Vec<(&str, &str, &[review::Finding])> = Vec::new();
            if let Some(d) = &draft {
                files.push((d.name.as_str(), d.text.as_str(), &result.findings[..]));
            }
            if let Some((file, _, _)) = &case_parts {
                files.push((file.name.as_str(), file.text.as_str(), &case_findings[..]));
            }
            out.stdout = serde_json::to_string_pretty(&crate::report::review::sarif(
                &files,
                &yardstick.name,
            ))
            .unwrap_or_default();
            out.stdout.push('\n');
        }
    }
    if any_error {
        out.code = out.code.max(1);
    }
    out
}

/// Writes a file atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.acre-tmp-{}", std::process::id()));
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Arguments of `acre calibrate`.
pub struct CalibrateArgs {
    /// Case files or directories.
    pub paths: Vec<PathBuf>,
    /// A forecast CSV instead of cases.
    pub forecasts: Option<PathBuf>,
    /// Column names.
    pub columns: crate::calibrate::sources::Columns,
    /// Yardstick for the band table (and for a term column).
    pub yardstick: Option<String>,
    /// Write the reliability diagram here.
    pub plot: Option<PathBuf>,
    /// Write the recalibrated yardstick here (case-file syntax).
    pub emit_yardstick: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Engine options.
    pub options: crate::infer::Options,
}

/// `acre calibrate PATH...` or `acre calibrate --forecasts FILE.csv`
pub fn calibrate(args: &CalibrateArgs) -> Output {
    use crate::calibrate::{score, sources};
    let mut out = Output::default();
    let named = match &args.yardstick {
        Some(n) => match crate::lexicon::builtin_yardstick(n) {
            Some(y) => Some(y),
            None => {
                out.stderr = format!(
                    "error: unknown yardstick `{n}`\nhelp: known: phia, icd203, kent, ipcc, capphrase\n"
                );
                out.code = 2;
                return out;
            }
        },
        None => None,
    };
    let (header, scorers, yardstick) = if let Some(csv) = &args.forecasts {
        let y = named
            .clone()
            .unwrap_or_else(|| crate::lexicon::builtin_yardsticks().remove(0));
        let forecasts = match sources::from_csv(csv, &args.columns, &y) {
            Ok(f) => f,
            Err(e) => {
                out.stderr = render_load_error_like(&e);
                out.code = if matches!(e, sources::CsvError::Read { .. }) {
                    2
                } else {
                    1
                };
                return out;
            }
        };
        if forecasts.is_empty() {
            out.stderr = format!("error: `{}` holds no forecasts\n", csv.display());
            out.code = 1;
            return out;
        }
        let header = format!(
            "Calibration of {} forecasts from {}",
            forecasts.len(),
            csv.display()
        );
        (header, vec![score("forecasts", &forecasts, &y)], y)
    } else {
        let files = expand_paths(&args.paths);
        if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
            out.stderr = format!("error: `{}` does not exist\n", missing.display());
            out.code = 2;
            return out;
        }
        let found = sources::from_cases(&files, &args.options);
        for (file, why) in &found.failed {
            out.stderr
                .push_str(&format!("warning: skipped `{file}`: {why}\n"));
        }
        if found.resolved.is_empty() {
            out.stderr.push_str(&format!(
                "error: none of the {} case files has an `outcome`; calibration needs resolved cases\nhelp: add `outcome HYPOTHESIS on DATE` to cases whose answer became known\n",
                files.len()
            ));
            out.code = 1;
            return out;
        }
        let y = named
            .clone()
            .or(found.yardstick.clone())
            .unwrap_or_else(|| crate::lexicon::builtin_yardsticks().remove(0));
        let header = format!(
            "Calibration over {} resolved case{} ({} unresolved skipped): {} engine forecasts, {} analysts' judgments",
            found.resolved.len(),
            if found.resolved.len() == 1 { "" } else { "s" },
            found.unresolved.len(),
            found.engine.len(),
            found.analysts.len()
        );
        let mut scorers = vec![score("engine", &found.engine, &y)];
        if !found.analysts.is_empty() {
            scorers.push(score("analysts", &found.analysts, &y));
        }
        (header, scorers, y)
    };
    if let Some(plot) = &args.plot {
        let refs: Vec<&crate::calibrate::Scores> = scorers.iter().collect();
        let svg =
            crate::calibrate::svg::reliability_diagram("Reliability diagram", &yardstick, &refs);
        if let Err(e) = write_atomic(plot, &svg) {
            out.stderr
                .push_str(&format!("error: cannot write `{}`: {e}\n", plot.display()));
            out.code = 2;
            return out;
        }
    }
    if let Some(path) = &args.emit_yardstick {
        let s = &scorers[0];
        let text =
            crate::calibrate::recalibrated_yardstick(&yardstick, &s.recalibration.blocks, s.n);
        if let Err(e) = write_atomic(path, &text) {
            out.stderr
                .push_str(&format!("error: cannot write `{}`: {e}\n", path.display()));
            out.code = 2;
            return out;
        }
    }
    out.stdout = match args.format {
        Format::Text => crate::report::calibrate::text(&header, &scorers),
        _ => {
            let doc = crate::report::calibrate::CalibrateJson {
                summary: header,
                yardstick: yardstick.name.clone(),
                forecasters: scorers,
            };
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    out
}

/// `acre lexicon fit SURVEY.csv`
pub fn lexicon_fit(
    survey: &Path,
    output: Option<&Path>,
    name: &str,
    compare: &[String],
    format: Format,
) -> Output {
    use crate::calibrate::lexicon_fit as lf;
    let mut out = Output::default();
    let readings = match lf::read_survey(survey) {
        Ok(r) => r,
        Err(e) => {
            out.stderr = render_load_error_like(&e);
            out.code = if survey.exists() { 1 } else { 2 };
            return out;
        }
    };
    let fits = lf::fit_all(&readings);
    let mut yardsticks = Vec::new();
    for c in compare {
        match crate::lexicon::builtin_yardstick(c) {
            Some(y) => yardsticks.push(y),
            None => {
                out.stderr = format!("error: unknown yardstick `{c}`\n");
                out.code = 2;
                return out;
            }
        }
    }
    let departures = lf::departures(&fits, &yardsticks);
    if let Some(path) = output {
        let text = lf::to_case_syntax(
            name,
            &format!("Readers' lexicon fitted to {}", survey.display()),
            &format!("acre lexicon fit on {}", survey.display()),
            &fits,
        );
        if let Err(e) = write_atomic(path, &text) {
            out.stderr = format!("error: cannot write `{}`: {e}\n", path.display());
            out.code = 2;
            return out;
        }
    }
    out.stdout = match format {
        Format::Text => lf_text(&fits, &departures),
        _ => {
            let mut s = serde_json::to_string_pretty(
                &serde_json::json!({ "phrases": fits, "departures": departures }),
            )
            .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    out
}

fn lf_text(
    fits: &[crate::calibrate::lexicon_fit::PhraseFit],
    departures: &[crate::calibrate::lexicon_fit::Departure],
) -> String {
    crate::report::calibrate::lexicon_text(fits, departures)
}

/// Everything a report or an export needs: the case, its assessment, explanation and judgment checks.
fn full_assessment(
    path: &Path,
    options: crate::infer::Options,
    render: RenderOptions,
    out: &mut Output,
) -> Option<(
    CheckedFile,
    crate::model::Case,
    crate::infer::Assessment,
    crate::explain::Explanation,
    Vec<crate::review::JudgmentCheck>,
)> {
    let (checked, case) = checked_case(path, render, out)?;
    let result = crate::infer::assess(&case, &options)
        .and_then(|a| crate::explain::explain(&case, &a, None).map(|x| (a, x)));
    match result {
        Ok((a, x)) => {
            let scanner = crate::review::scan::Scanner::new(&case.custom_yardsticks);
            let checks = crate::review::judgment_checks(&case, &a, &checked.file.text, &scanner);
            Some((checked, case, a, x, checks))
        }
        Err(e) => {
            out.stderr.push_str(&render_load_error_like(&e));
            out.code = 1;
            None
        }
    }
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Markdown,
}

/// `acre report FILE [-o OUT] [--format html|md]`
pub fn report(
    path: &Path,
    output: Option<&Path>,
    format: ReportFormat,
    options: crate::infer::Options,
    render: RenderOptions,
) -> Output {
    let mut out = Output::default();
    let Some((checked, case, a, x, checks)) = full_assessment(path, options, render, &mut out)
    else {
        return out;
    };
    let text = match format {
        ReportFormat::Html => crate::report::html::html(&case, &a, &x, &checks, &checked.file.name),
        ReportFormat::Markdown => crate::report::html::markdown(&case, &a, &x, &checks),
    };
    match output {
        Some(o) => {
            if let Err(e) = write_atomic(o, &text) {
                out.stderr
                    .push_str(&format!("error: cannot write `{}`: {e}\n", o.display()));
                out.code = 2;
            } else {
                out.stderr.push_str(&format!("wrote {}\n", o.display()));
            }
        }
        None => out.stdout = text,
    }
    out
}

/// `acre graph FILE`: the evidence graph in DOT.
pub fn graph(path: &Path, render: RenderOptions) -> Output {
    let mut out = Output::default();
    if let Some((_, case)) = checked_case(path, render, &mut out) {
        out.stdout = crate::export::dot(&case);
        out.stdout.push('\n');
    }
    out
}

/// Export targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportTarget {
    /// A STIX 2.1 bundle.
    Stix,
    /// A MISP event.
    Misp,
}

/// `acre export stix|misp FILE`
pub fn export(
    target: ExportTarget,
    path: &Path,
    options: crate::infer::Options,
    render: RenderOptions,
) -> Output {
    let mut out = Output::default();
    let Some((_, case, a, x, _)) = full_assessment(path, options, render, &mut out) else {
        return out;
    };
    let doc = match target {
        ExportTarget::Stix => crate::export::stix(&case, &a, &x),
        ExportTarget::Misp => crate::export::misp(&case, &a, &x),
    };
    out.stdout = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.stdout.push('\n');
    out
}

/// `acre schema [NAME]`: the JSON Schema of a command's `--format json` output.
pub fn schema(name: Option<&str>) -> Output {
    let mut out = Output::default();
    match name {
        None => {
            out.stdout = crate::report::schemas::NAMES.join("\n");
            out.stdout.push('\n');
        }
        Some(n) => match crate::report::schemas::schema(n) {
            Some(v) => {
                out.stdout = serde_json::to_string_pretty(&v).unwrap_or_default();
                out.stdout.push('\n');
            }
            None => {
                out.stderr = format!(
                    "error: no schema `{n}`\nhelp: schemas: {}\n",
                    crate::report::schemas::NAMES.join(", ")
                );
                out.code = 2;
            }
        },
    }
    out
}
