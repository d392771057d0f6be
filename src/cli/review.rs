//! `acre review [DRAFT] [--case FILE]`: the confidence wording of a draft, and of a case's
//! judgments, checked against the yardstick and the case; `--fix` applies the mechanical
//! fixes; `--explain RULE` prints a rule's rationale.

use super::{Engine, Exit, Term, UsageError, analyse, io, settings};
use acre::analysis::{Depth, governing_yardstick, yardstick_named};
use acre::code::Code;
use acre::diagnostic::{self, Diagnostic};
use acre::format::counted;
use acre::review::config::{FileConfig, MaskConfig, RuleConfig};
use acre::review::{self, Finding, Level, rules};
use acre::source::SourceFile;
use acre::span::Span;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Output formats of `acre review`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings drawn on the text, and a summary line.
    Text,
    /// Every phrase and finding as data.
    Json,
    /// SARIF 2.1.0, for code-review annotations.
    Sarif,
}

/// `acre review`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The draft to review (`-` for standard input).
    pub draft: Option<PathBuf>,
    /// Apply the mechanical fixes to the draft in place (atomically), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// For a Word draft: write a copy with every finding as a Word comment (author "acre")
    /// on its words; the draft itself is never changed.
    #[arg(long, value_name = "OUT.docx")]
    pub annotate: Option<PathBuf>,
    /// Print a rule's levels, rationale and examples (e.g. `--explain vague-term`).
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
    /// A case file: flags overclaims and underclaims in the draft, and checks the case's judgments.
    #[arg(long)]
    pub case: Option<PathBuf>,
    /// The yardstick that governs wording (default: acre.toml, then the case's, then phia).
    #[arg(long)]
    pub yardstick: Option<String>,
    /// Set a rule's level, e.g. `--rule missing-number=warning` (repeatable).
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    pub rules: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub engine: Engine,
}

/// Runs `acre review`.
pub fn run(t: &mut Term, args: &Args) {
    if let Some(id) = &args.explain {
        explain_rule(t, id);
        return;
    }
    if args.draft.is_none() && args.case.is_none() {
        t.fail(
            &UsageError::Usage {
                message: "nothing to review".to_string(),
                help: Some(
                    "give a draft (`acre review DRAFT.md`), a case (`--case FILE.acre`), or both"
                        .to_string(),
                ),
            },
            Exit::Usage,
        );
        return;
    }
    let anchor = args
        .draft
        .as_deref()
        .or(args.case.as_deref())
        .filter(|p| *p != Path::new("-"))
        .unwrap_or(Path::new("."));
    let Some(Config {
        rules: mut config,
        case: config_case,
    }) = discover_config(t, anchor)
    else {
        return;
    };
    for spec in &args.rules {
        if let Err(e) = config.set(spec) {
            t.fail(&e, Exit::Usage);
            return;
        }
    }
    // the case, assessed: `--case`, or the one acre.toml names
    let mut case_parts = None;
    if let Some(path) = args.case.as_ref().or(config_case.as_ref()) {
        let Some(analysis) = analyse(t, path, &settings(Depth::Assess, args.engine)) else {
            return;
        };
        let (file, Some(case), Some(a)) = (analysis.file, analysis.case, analysis.assessment)
        else {
            return;
        };
        case_parts = Some((file, case, a, analysis.judgments));
    }
    let yardstick = match governing_yardstick(
        args.yardstick.as_deref(),
        config.yardstick.as_deref(),
        case_parts.as_ref().map(|(_, c, _, _)| c),
    ) {
        Ok(y) => y,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return;
        }
    };
    let customs: &[acre::lexicon::Yardstick] = case_parts
        .as_ref()
        .map_or(&[], |(_, c, _, _)| &c.custom_yardsticks[..]);
    // the scanner (its automaton takes a few milliseconds to build) built while the draft
    // is read and the gazetteer loaded
    let (scanner, draft) = std::thread::scope(|s| {
        // (its size decides which automaton reviews it soonest)
        let size = args.draft.as_ref().and_then(|p| std::fs::metadata(p).ok());
        let size = size.map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
        let building = s.spawn(move || review::scan::Scanner::for_size(customs, size));
        let draft = args.draft.as_ref().map(|path| {
            let file = read_draft(t, path);
            if file.is_some() {
                review::subjects::Gazetteer::get();
            }
            file
        });
        match building.join() {
            Ok(scanner) => (scanner, draft),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let mut draft = match draft {
        Some(Some(f)) => Some(f),
        Some(None) => return,
        None => None,
    };
    if args.fix
        && let Some(path) = &args.draft
        && acre::document::kind_of(path).is_some()
    {
        t.fail(
            &UsageError::Usage {
                message: format!(
                    "`--fix` edits text and Markdown drafts, not {}",
                    path.display()
                ),
                help: Some(
                    "review the document without `--fix`, and make the changes in its editor"
                        .to_string(),
                ),
            },
            Exit::Usage,
        );
        return;
    }
    let options = review::Options {
        yardstick,
        config,
        case: case_parts
            .as_ref()
            .map(|(_, case, assessment, _)| review::CaseContext { case, assessment }),
    };
    let mut result = draft
        .as_ref()
        .map(|d| review::review(&d.text, &scanner, &options))
        .unwrap_or_default();
    if args.fix {
        let (Some(d), Some(path)) = (draft.as_mut(), &args.draft) else {
            t.fail(
                &UsageError::Usage {
                    message: "`--fix` needs a draft to fix".to_string(),
                    help: Some("name the draft: `acre review --fix DRAFT.md`".to_string()),
                },
                Exit::Usage,
            );
            return;
        };
        if let Some(fixed) = fix(t, d, path, &result, &scanner, &options) {
            d.text = fixed.text;
            result = fixed.review;
        }
    }
    if let Some(out) = &args.annotate {
        // every input: the draft, the case and the files it includes
        let mut inputs: Vec<std::path::PathBuf> = args.draft.iter().cloned().collect();
        if let Some((file, _, _, _)) = &case_parts {
            inputs.extend(super::file_inputs(file));
        }
        inputs.extend(args.case.iter().cloned());
        annotate(t, args.draft.as_deref(), out, &result.findings, &inputs);
    }
    let judgments = case_parts.as_ref().map(|(_, case, _, checks)| {
        let findings = review::judgment_findings(case, checks, &options.config);
        (checks, findings)
    });
    let case_findings = judgments.as_ref().map_or(&[][..], |j| &j.1[..]);
    let all: Vec<&Finding> = result
        .findings
        .iter()
        .chain(case_findings.iter().map(|(_, f)| f))
        .collect();
    if all.iter().any(|f| f.level == Level::Error)
        || draft.as_ref().is_some_and(|d| d.encoding_error.is_some())
    {
        t.raise(Exit::Findings);
    }
    let yardstick = options.yardstick.name.as_str();
    match args.format {
        Format::Text => {
            if let Some(d) = &draft {
                let mut diags: Vec<Diagnostic> = d.encoding_error.iter().cloned().collect();
                diags.extend(
                    result
                        .findings
                        .iter()
                        .map(acre::review::Finding::to_diagnostic),
                );
                draw(t, &diags, d);
            }
            if let Some((file, _, _, _)) = &case_parts {
                let diags: Vec<Diagnostic> = case_findings
                    .iter()
                    .map(|(_, f)| f.to_diagnostic())
                    .collect();
                draw(t, &diags, file);
            }
            t.out(&summary_line(result.phrases.len(), yardstick, &all));
        }
        Format::Json => {
            let case_review = judgments.as_ref().zip(case_parts.as_ref()).map(
                |((checks, findings), (file, _, _, _))| acre::report::review::CaseReview {
                    file: file.name.as_str(),
                    text: file.text.as_str(),
                    checks,
                    findings,
                },
            );
            let (name, text) = draft
                .as_ref()
                .map_or(("", ""), |d| (d.name.as_str(), d.text.as_str()));
            let doc = acre::report::review::json(name, text, yardstick, &result, case_review);
            t.json_with(|out| acre::report::review::write_json(out, doc));
        }
        Format::Sarif => {
            let owned: Vec<Finding> = case_findings.iter().map(|(_, f)| f.clone()).collect();
            let mut files: Vec<(&str, &str, &[Finding])> = Vec::new();
            if let Some(d) = &draft {
                files.push((d.name.as_str(), d.text.as_str(), &result.findings[..]));
            }
            if let Some((file, _, _, _)) = &case_parts {
                files.push((file.name.as_str(), file.text.as_str(), &owned[..]));
            }
            t.json(&acre::report::review::sarif(&files, yardstick));
        }
    }
}

/// Review findings are the command's output: drawn on standard output.
fn draw(t: &mut Term, diags: &[Diagnostic], file: &SourceFile) {
    if !diags.is_empty() {
        let rendered = diagnostic::render(diags, &file.name, &file.text, t.render);
        t.rendered(&rendered);
    }
}

/// "N estimative phrases under Y; E errors, W warnings, I notes".
fn summary_line(phrases: usize, yardstick: &str, findings: &[&Finding]) -> String {
    let n = |l: Level| findings.iter().filter(|f| f.level == l).count();
    format!(
        "{} under {yardstick}; {}, {}, {}\n",
        counted(phrases, "estimative phrase"),
        counted(n(Level::Error), "error"),
        counted(n(Level::Warning), "warning"),
        counted(n(Level::Info), "note"),
    )
}

/// Applies the fixes to the draft file; returns the new text when anything changed.
fn fix(
    t: &mut Term,
    draft: &SourceFile,
    path: &Path,
    result: &review::Review,
    scanner: &review::scan::Scanner,
    options: &review::Options,
) -> Option<review::Fixed> {
    if draft.encoding_error.is_some() {
        t.fail(
            &UsageError::Usage {
                message: format!(
                    "`{}` is not valid UTF-8; it is left as it is",
                    path.display()
                ),
                help: Some("save the draft as UTF-8, then fix it".to_string()),
            },
            Exit::Findings,
        );
        return None;
    }
    if path == Path::new("-") {
        t.fail(
            &UsageError::Usage {
                message: "`--fix` cannot rewrite standard input".to_string(),
                help: Some("name the draft's file".to_string()),
            },
            Exit::Usage,
        );
        return None;
    }
    let offered = result.findings.iter().filter(|f| f.fix.is_some()).count();
    // fixing never brings a finding: a fix that would is held back
    let fixed = review::fix(&draft.text, result, scanner, options);
    if fixed.applied > 0 {
        // the draft is both input and output here: written in place, atomically
        if let Err(e) = io::write(path, fixed.text.as_bytes(), &[]) {
            t.fail(&e, Exit::Usage);
            return None;
        }
    }
    let held = if fixed.withheld > 0 {
        format!(
            " ({} held back: applying it would bring a finding the draft did not have)",
            fixed.withheld
        )
    } else {
        String::new()
    };
    t.err(&format!(
        "fixed {} of {} in {}{held}\n",
        fixed.applied,
        counted(offered, "fixable finding"),
        path.display()
    ));
    (fixed.applied > 0).then_some(fixed)
}

/// `acre review --explain RULE`: the rule's levels, rationale and examples.
fn explain_rule(t: &mut Term, id: &str) {
    let Some(rule) = rules::from_id(id) else {
        let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id()).collect();
        let hint = acre::text::suggest(id, ids.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        t.fail(
            &UsageError::Usage {
                message: format!("unknown rule `{id}`"),
                help: Some(format!("{hint}rules: {}", ids.join(", "))),
            },
            Exit::Usage,
        );
        return;
    };
    let doc = rule.doc();
    let levels: Vec<String> = ["phia", "icd203", "kent", "ipcc"]
        .iter()
        .map(|y| format!("{y} {}", rule.default_level(y, true).word()))
        .collect();
    t.out(&format!(
        "{} ({})\n\n{}\n\nDefault level: {}\n\nWhy: {}\n\nFlagged:     {}\nNot flagged: {}\n",
        rule.id(),
        rule.code(),
        doc.summary,
        levels.join(", "),
        acre::report::explain::wrap(doc.rationale, 88, "").trim_start(),
        doc.bad,
        doc.good
    ));
}

/// Writes a copy of the Word draft with each finding as a comment on its words.
fn annotate(
    t: &mut Term,
    draft: Option<&Path>,
    out: &Path,
    findings: &[Finding],
    inputs: &[std::path::PathBuf],
) {
    let Some(draft) =
        draft.filter(|d| acre::document::kind_of(d) == Some(acre::document::Kind::Docx))
    else {
        t.fail(
            &UsageError::Usage {
                message: "`--annotate` writes a copy of a Word (.docx) draft".to_string(),
                help: Some(
                    "review a .docx draft: `acre review draft.docx --annotate reviewed.docx`"
                        .to_string(),
                ),
            },
            Exit::Usage,
        );
        return;
    };
    let bytes = match io::read_bytes(draft, t.max_input) {
        Ok(b) => b,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return;
        }
    };
    let notes = notes(findings);
    match acre::document::annotate(&bytes, &notes, max_expanded(t.max_input)) {
        Ok((copy, n)) => match io::write(
            out,
            &copy,
            &inputs
                .iter()
                .map(std::path::PathBuf::as_path)
                .collect::<Vec<_>>(),
        ) {
            Ok(()) => t.err(&format!(
                "wrote {} with {n} comment(s){}\n",
                out.display(),
                if n < notes.len() {
                    format!(
                        " ({} finding(s) not on the document's own words)",
                        notes.len() - n
                    )
                } else {
                    String::new()
                }
            )),
            Err(e) => t.fail(&e, Exit::Usage),
        },
        Err(why) => t.fail(
            &UsageError::Usage {
                message: format!("{} cannot be annotated: {why}", draft.display()),
                help: None,
            },
            Exit::Usage,
        ),
    }
}

/// Each finding as a Word comment: its message, rule and suggestion.
pub fn notes(findings: &[Finding]) -> Vec<acre::document::Note> {
    findings
        .iter()
        .map(|f| acre::document::Note {
            span: f.span,
            text: match &f.suggestion {
                Some(s) => format!("{} ({}) Suggestion: {s}", f.message, f.rule.id()),
                None => format!("{} ({})", f.message, f.rule.id()),
            },
        })
        .collect()
}

/// How far a document's compressed parts may inflate: 64 times the input limit, within
/// the library's own bound.
pub fn max_expanded(max_input: u64) -> u64 {
    max_input
        .saturating_mul(64)
        .min(acre::document::MAX_EXPANDED)
}

/// A draft's text from its bytes: Word, OpenDocument, HTML and PDF documents (by the
/// name's extension) as their text laid out as Markdown reads, anything else as text.
pub fn draft_from_bytes(
    name: &str,
    bytes: Vec<u8>,
    max_input: u64,
) -> Result<SourceFile, UsageError> {
    let Some(kind) = acre::document::kind_of(Path::new(name)) else {
        return Ok(acre::source::decode(name.to_string(), bytes));
    };
    match acre::document::text(kind, &bytes, max_expanded(max_input)) {
        Ok(text) => Ok(SourceFile {
            name: name.to_string(),
            text,
            encoding_error: None,
            segments: Vec::new(),
        }),
        Err(why) => Err(UsageError::Usage {
            message: format!("{name} cannot be read: {why}"),
            help: Some(
                "acre review reads .docx, .odt, .html, .pdf (with text), Markdown and text drafts"
                    .to_string(),
            ),
        }),
    }
}

/// Reads a draft: text and Markdown as they are; Word, OpenDocument and HTML as their text
/// laid out as Markdown reads (see [`super::document`]).
fn read_draft(t: &mut Term, path: &Path) -> Option<SourceFile> {
    if acre::document::kind_of(path).is_none() {
        return t.read(path);
    }
    let bytes = match io::read_bytes(path, t.max_input) {
        Ok(b) => b,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return None;
        }
    };
    match draft_from_bytes(&path.display().to_string(), bytes, t.max_input) {
        Ok(file) => Some(file),
        Err(e) => {
            t.fail(&e, Exit::Usage);
            None
        }
    }
}

/// `acre.toml` as written, with where each value is, so mistakes point into the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpannedConfig {
    yardstick: Option<toml::Spanned<String>>,
    case: Option<toml::Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    mask: MaskConfig,
}

/// `acre.toml` read: the rule levels, masks and yardstick, and the case it names (a path
/// relative to the file), if any.
pub struct Config {
    /// Rule levels, masks and the yardstick.
    pub rules: RuleConfig,
    /// The case named by `case = "…"`.
    pub case: Option<PathBuf>,
}

/// Why `acre.toml` could not be used.
pub enum ConfigProblem {
    /// It could not be read.
    Io(io::IoError),
    /// It has mistakes, drawn on the file.
    Invalid(Box<(SourceFile, Vec<Diagnostic>)>),
    /// A rule setting is wrong.
    Rule(acre::review::config::ConfigError),
}

/// Reads `acre.toml` from `start`'s folder or the nearest parent holding one; mistakes in
/// it are drawn on the file and end the command.
fn discover_config(t: &mut Term, start: &Path) -> Option<Config> {
    match load_config(start, t.max_input) {
        Ok(c) => Some(c),
        Err(ConfigProblem::Io(e)) => {
            t.fail(&e, Exit::Usage);
            None
        }
        Err(ConfigProblem::Invalid(invalid)) => {
            let (file, diags) = *invalid;
            t.diagnostics(&diags, &file);
            t.raise(Exit::Usage);
            None
        }
        Err(ConfigProblem::Rule(e)) => {
            t.fail(&e, Exit::Usage);
            None
        }
    }
}

/// Reads the `acre.toml` that governs `start` (the defaults when there is none).
pub fn load_config(start: &Path, limit: u64) -> Result<Config, ConfigProblem> {
    let Some(path) = find_config(start) else {
        return Ok(Config {
            rules: RuleConfig::default(),
            case: None,
        });
    };
    let file = io::read(&path, limit).map_err(ConfigProblem::Io)?;
    let mut diags = Vec::new();
    let parsed = match toml::from_str::<SpannedConfig>(&file.text) {
        Ok(p) => p,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
            diags.push(
                Diagnostic::error(Code::Config, format!("`acre.toml` is not valid: {}", e.message().trim_end()))
                    .with_label(span, "here")
                    .with_help("acre.toml holds `yardstick = \"phia\"`, `case = \"path/to/case.acre\"`, a `[rules]` table of `rule-id = \"error\" | \"warning\" | \"info\" | \"off\"`, and a `[mask]` table (`builtin = true`, `phrases = [...]`)"),
            );
            return Err(ConfigProblem::Invalid(Box::new((file, diags))));
        }
    };
    let mut rules = BTreeMap::new();
    for (id, level) in &parsed.rules {
        match RuleConfig::default().set(&format!("{}={}", id.get_ref(), level.get_ref())) {
            Ok(()) => {
                rules.insert(id.get_ref().clone(), level.get_ref().clone());
            }
            Err(e) => {
                let unknown_rule = rules::from_id(id.get_ref()).is_none_or(|r| !r.configurable());
                let at = if unknown_rule {
                    id.span()
                } else {
                    level.span()
                };
                let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
                let mut d = Diagnostic::error(Code::Config, e.to_string())
                    .with_label(Span::new(at.start, at.end), "here");
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                diags.push(d);
            }
        }
    }
    if let Some(y) = &parsed.yardstick
        && let Err(e) = yardstick_named(y.get_ref(), &[])
    {
        let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
        let mut d = Diagnostic::error(Code::Config, e.to_string())
            .with_label(Span::new(y.span().start, y.span().end), "here");
        if let Some(h) = help {
            d = d.with_help(h);
        }
        diags.push(d);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let case = parsed.case.as_ref().map(|c| dir.join(c.get_ref()));
    if let (Some(c), Some(at)) = (&case, &parsed.case)
        && !c.is_file()
    {
        diags.push(
            Diagnostic::error(
                Code::Config,
                format!("`case` names `{}`, which is not a file", c.display()),
            )
            .with_label(Span::new(at.span().start, at.span().end), "here")
            .with_help("give the case file's path relative to acre.toml"),
        );
    }
    if !diags.is_empty() {
        diags.sort_by_key(|d| d.primary().map(|s| s.start));
        return Err(ConfigProblem::Invalid(Box::new((file, diags))));
    }
    let config = FileConfig {
        yardstick: parsed.yardstick.map(toml::Spanned::into_inner),
        rules,
        mask: parsed.mask,
    };
    match RuleConfig::from_file_config(config, Some(path)) {
        Ok(rules) => Ok(Config { rules, case }),
        Err(e) => Err(ConfigProblem::Rule(e)),
    }
}

/// The nearest `acre.toml` in `start`'s folder or above.
fn find_config(start: &Path) -> Option<PathBuf> {
    let dir = if start.is_dir() {
        start
    } else {
        start
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    // canonical, so that parents can be walked from a relative path
    let mut dir = dir.canonicalize().ok();
    while let Some(d) = dir {
        let candidate = d.join("acre.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    None
}
