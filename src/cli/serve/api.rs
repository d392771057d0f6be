//! The workbench's endpoints. Each reads its inputs from the request, confines every path
//! to the served folder, and calls the same code as the command it stands for (`review`,
//! the editor analysis of `lsp`, `assess`/`explain`/`report`, `calibrate`, `diff`).

use super::State;
use super::folder::{DRAFT_EXTENSIONS, Refusal};
use super::http::{Request, Response};
use crate::cli::{Captured, Term, io};
use acre::analysis::{Depth, governing_yardstick};
use acre::review;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Instant;

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

/// Picks the handler for a request.
pub fn route(r: &Request, s: &State) -> Response {
    let result = match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/" | "/index.html") => Ok(Response::new(
            200,
            "text/html; charset=utf-8",
            INDEX.as_bytes().to_vec(),
        )),
        ("GET", "/app.js") => Ok(Response::new(
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes().to_vec(),
        )),
        ("GET", "/app.css") => Ok(Response::new(
            200,
            "text/css; charset=utf-8",
            STYLE.as_bytes().to_vec(),
        )),
        ("GET", "/report") => report(r, s),
        ("GET", "/api/files") => Ok(files(s)),
        ("GET", "/api/file") => read_file(r, s),
        ("PUT", "/api/file") => save_file(r, s),
        ("POST", "/api/case") => case(r, s),
        ("POST", "/api/hover") => hover(r, s),
        ("POST", "/api/complete") => complete(r, s),
        ("POST", "/api/review") => review_draft(r, s),
        ("POST", "/api/review/fix") => fix_draft(r, s),
        ("POST", "/api/review/annotate") => annotate(r, s),
        ("GET", "/api/library") => Ok(library(s)),
        ("GET", "/api/diff") => diff(r, s),
        (
            _,
            "/"
            | "/index.html"
            | "/app.js"
            | "/app.css"
            | "/report"
            | "/api/files"
            | "/api/file"
            | "/api/case"
            | "/api/hover"
            | "/api/complete"
            | "/api/review"
            | "/api/review/fix"
            | "/api/review/annotate"
            | "/api/library"
            | "/api/diff",
        ) => Err(Response::error(
            405,
            "that method is not allowed here",
            None,
        )),
        _ => Err(Response::error(404, "no such page", None)),
    };
    result.unwrap_or_else(|e| e)
}

type Answer = Result<Response, Response>;

fn refused(e: Refusal) -> Response {
    Response::error(403, &e.0, Some("name a file inside the served folder"))
}

fn bad_request(message: &str) -> Response {
    Response::error(400, message, None)
}

fn param<'a>(r: &'a Request, name: &str) -> Result<&'a str, Response> {
    r.param(name)
        .ok_or_else(|| bad_request(&format!("the `{name}` parameter is missing")))
}

fn body_text(r: &Request) -> Result<String, Response> {
    String::from_utf8(r.body.clone()).map_err(|_| bad_request("the body is not UTF-8 text"))
}

fn body_json(r: &Request) -> Result<Value, Response> {
    serde_json::from_slice(&r.body).map_err(|e| bad_request(&format!("the body is not JSON: {e}")))
}

/// A captured terminal for running a command's code in-process.
fn term(s: &State) -> (Term, Captured, Captured) {
    Term::captured(s.max_input)
}

/// A version tag of a text: FNV-1a, so a save can tell whether the file changed since it
/// was opened.
fn version(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Byte offsets into `text` as UTF-16 offsets (what the browser's strings count), in one
/// pass over the text whatever their number.
pub fn utf16_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    let (mut at, mut units) = (0usize, 0usize);
    let mut chars = text.char_indices();
    for i in order {
        let target = bytes[i].min(text.len());
        while at < target {
            match chars.next() {
                Some((b, c)) => {
                    at = b + c.len_utf8();
                    units += c.len_utf16();
                }
                None => break,
            }
        }
        out[i] = units;
    }
    out
}

/// A UTF-16 offset from the browser as a byte offset into `text` (at a character boundary).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (b, c) in text.char_indices() {
        if units >= utf16 {
            return b;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn files(s: &State) -> Response {
    Response::json(
        200,
        &json!({
            "folder": s.folder.root.display().to_string(),
            "cases": s.folder.list(&["acre"]),
            "drafts": s.folder.list(DRAFT_EXTENSIONS),
            "yardsticks": acre::lexicon::builtin_yardsticks().iter().map(|y| json!({"name": y.name, "title": y.title})).collect::<Vec<_>>(),
        }),
    )
}

fn read_file(r: &Request, s: &State) -> Answer {
    let rel = param(r, "path")?;
    let path = s
        .folder
        .resolve(rel, &["acre", "md", "markdown", "txt"], false)
        .map_err(refused)?;
    let bytes = io::read_bytes(&path, s.max_input)
        .map_err(|e| Response::error(422, &e.to_string(), None))?;
    let file = acre::source::decode(rel.to_string(), bytes.clone());
    if let Some(bad) = file.encoding_error {
        return Err(Response::error(422, &bad.message, bad.help.as_deref()));
    }
    Ok(Response::json(
        200,
        &json!({ "path": rel, "text": file.text, "version": version(&bytes) }),
    ))
}

/// Saves a case: atomically (as `acre fmt` writes), and only when the file is still the
/// version the page opened (`version`, empty for a new file).
fn save_file(r: &Request, s: &State) -> Answer {
    let rel = param(r, "path")?;
    let path = s.folder.resolve(rel, &["acre"], true).map_err(refused)?;
    let text = body_text(r)?;
    let expected = r.param("version").unwrap_or("");
    let current = match std::fs::symlink_metadata(&path) {
        Ok(_) => Some(
            io::read_bytes(&path, s.max_input)
                .map_err(|e| Response::error(422, &e.to_string(), None))?,
        ),
        Err(_) => None,
    };
    let now = current.as_deref().map(version).unwrap_or_default();
    if now != expected {
        return Err(Response::error(
            409,
            &format!("`{rel}` changed on disk since it was opened; it was not overwritten"),
            Some("copy your text, reopen the file, and apply your changes again"),
        ));
    }
    io::write(&path, text.as_bytes(), &[])
        .map_err(|e| Response::error(500, &e.to_string(), None))?;
    // (a save within the file system's clock tick, same length, would keep its stamp)
    if let Ok(mut cache) = s.library.lock() {
        *cache = None;
    }
    Ok(Response::json(
        200,
        &json!({ "path": rel, "version": version(text.as_bytes()), "saved": true }),
    ))
}

/// The case's own path (for its includes), or a name in the folder for a new one.
fn case_path(r: &Request, s: &State) -> Result<PathBuf, Response> {
    match r.param("path").filter(|p| !p.is_empty()) {
        Some(rel) => s.folder.resolve(rel, &["acre"], true).map_err(refused),
        None => Ok(s.folder.root.join("untitled.acre")),
    }
}

/// The editor's analysis of a text, its includes read from the folder.
fn editor_analysis(text: &str, path: &Path, s: &State) -> acre::editor::Analysis {
    let name = path.display().to_string();
    let key = io::file_identity(path);
    let loader = crate::cli::include_loader(s.max_input, Some(crate::cli::case_folder(path)));
    acre::editor::Analysis::with_includes(text, &name, &key, &loader)
}

/// What a case's text says: diagnostics with their fixes, tokens to colour, and (when it
/// checks) the assessment, explanation, judgments and charts, after the what-if changes.
fn case(r: &Request, s: &State) -> Answer {
    let started = Instant::now();
    let body = body_json(r)?;
    let text = body["text"]
        .as_str()
        .ok_or_else(|| bad_request("the body needs `text`"))?;
    let path = case_path(r, s)?;
    let analysis = editor_analysis(text, &path, s);
    let mut diagnostics = analysis.diagnostics.clone();
    let mut result = json!({});
    let mut controls = json!(null);
    if let (Some(case), false) = (&analysis.case, analysis.partial) {
        diagnostics.extend(acre::review::judgment_warnings(case, text));
        diagnostics.sort_by_key(|d| d.primary().map_or(0, |s| s.start));
        controls = json!({
            "items": case.items.iter().map(|i| json!({"id": i.id, "description": i.description, "status": i.status})).collect::<Vec<_>>(),
            "sources": case.sources.iter().filter(|src| src.declared).map(|src| json!({"id": src.id, "label": src.label, "grade": src.reliability.map(|(c, _)| c.to_string())})).collect::<Vec<_>>(),
            "assumptions": case.assumptions.iter().map(|a| json!({"id": a.id, "label": a.label})).collect::<Vec<_>>(),
        });
        let (changed, applied) = what_if(case, &body["whatif"]);
        result = assessed(&changed, text, s, &applied);
        if !applied.is_empty()
            && let Ok((point, _)) = acre::infer::point_posterior(case, &|_| true)
        {
            result["saved_point"] = json!(point);
        }
    }
    let tokens = analysis.semantic_tokens();
    // every offset the page needs, converted to UTF-16 in one pass, then taken in order
    let mut offsets = Vec::new();
    for d in &diagnostics {
        let span = d.primary().unwrap_or(acre::span::Span::new(0, 0));
        offsets.extend([span.start, span.end]);
        for f in &d.fixes {
            offsets.extend([f.span.start, f.span.end]);
        }
    }
    for t in &tokens {
        offsets.extend([t.span.start, t.span.end]);
    }
    let mut u16 = utf16_offsets(text, &offsets).into_iter();
    let mut next = || u16.next().unwrap_or(0);
    let lines = acre::span::LineIndex::new(text);
    let diags_json: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let span = d.primary().unwrap_or(acre::span::Span::new(0, 0));
            let (line, column) = lines.line_column(span.start);
            let (start, end) = (next(), next());
            let fixes: Vec<Value> = d
                .fixes
                .iter()
                .map(|f| json!({"start": next(), "end": next(), "replacement": f.replacement}))
                .collect();
            json!({
                "severity": d.severity,
                "code": d.code.to_string(),
                "message": d.message,
                "help": d.help,
                "line": line,
                "column": column,
                "start": start,
                "end": end,
                "fixes": fixes,
            })
        })
        .collect();
    let toks: Vec<Value> = tokens
        .iter()
        .map(|t| json!([next(), next(), format!("{:?}", t.kind).to_lowercase()]))
        .collect();
    result["partial"] = json!(analysis.partial);
    result["diagnostics"] = Value::Array(diags_json);
    result["tokens"] = Value::Array(toks);
    result["controls"] = controls;
    result["ms"] = json!(started.elapsed().as_secs_f64() * 1000.0);
    Ok(Response::json(200, &result))
}

/// The case with the what-if changes: items set aside, assumptions held true or false,
/// sources regraded. Returns it with a sentence for each change made.
fn what_if(case: &acre::Case, w: &Value) -> (acre::Case, Vec<String>) {
    let mut c = case.clone();
    let mut applied = Vec::new();
    for id in w["removed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if let Some(item) = c.items.iter_mut().find(|i| i.id == id) {
            item.status = acre::vocab::Status::Pending;
            applied.push(format!("item `{id}` set aside"));
        }
    }
    if let Some(forced) = w["forced"].as_object() {
        for (id, value) in forced {
            let (Some(truth), Some(a)) =
                (value.as_bool(), c.assumptions.iter().find(|a| &a.id == id))
            else {
                continue;
            };
            let p = if truth { 1.0 } else { 0.0 };
            for pid in a.prior.clone() {
                let v = &mut c.params[pid.idx()].value;
                (v.point, v.lo, v.hi, v.beta) = (p, p, p, None);
            }
            applied.push(format!(
                "assumption `{id}` held {}",
                if truth { "true" } else { "false" }
            ));
        }
    }
    if let Some(grades) = w["grades"].as_object() {
        for (id, grade) in grades {
            let Some(letter) = grade.as_str().and_then(|g| g.chars().next()) else {
                continue;
            };
            let Some(p) = c.grading.reliability_of(letter) else {
                continue;
            };
            if let Some(src) = c.sources.iter_mut().find(|s| &s.id == id) {
                src.reliability = Some((letter, p));
                applied.push(format!("source `{id}` graded {letter}"));
            }
        }
    }
    (c, applied)
}

/// The assessment, explanation, judgment checks and charts of a case that checks.
fn assessed(case: &acre::Case, text: &str, s: &State, applied: &[String]) -> Value {
    let options: acre::infer::Options = s.engine.into();
    let a = match acre::infer::assess(case, &options) {
        Ok(a) => a,
        Err(e) => return json!({ "stopped": e.to_string(), "whatif": applied }),
    };
    let checks = acre::analysis::judgment_checks(case, &a, text);
    let mut out = json!({
        "assessment": acre::report::assess::json(case, &a, ""),
        "assess_text": acre::report::assess::text(case, &a, ""),
        "whatif": applied,
        "charts": { "yardstick": acre::report::html::yardstick_chart(case, &a) },
        "judgments": acre::report::assess::judgments_text(case, &checks),
    });
    match acre::explain::explain(case, &a, None) {
        Ok(x) => {
            out["explain_text"] = json!(acre::report::explain::text(case, &x));
            out["charts"]["waterfall"] = json!(acre::report::html::waterfall_chart(&x));
            out["charts"]["tornado"] = json!(acre::report::html::tornado_chart(&x));
        }
        Err(e) => out["explain_stopped"] = json!(e.to_string()),
    }
    out["charts"]["graph"] = json!(acre::report::html::graph_chart(case));
    if case.items.iter().any(|e| e.reported.is_some())
        && let Ok(t) = acre::history::timeline(case, &options)
    {
        out["charts"]["timeline"] =
            json!(acre::report::history::timeline_chart(&t, &case.yardstick));
    }
    out
}

/// The text, its path and the UTF-16 offset from a hover or completion request.
fn at_offset(r: &Request, s: &State) -> Result<(String, PathBuf, usize), Response> {
    let text = body_text(r)?;
    let path = case_path(r, s)?;
    let offset: usize = param(r, "offset")?
        .parse()
        .map_err(|_| bad_request("`offset` is not a number"))?;
    let byte = byte_offset(&text, offset);
    Ok((text, path, byte))
}

fn hover(r: &Request, s: &State) -> Answer {
    let (text, path, byte) = at_offset(r, s)?;
    let analysis = editor_analysis(&text, &path, s);
    let hover = analysis.hover(byte);
    Ok(Response::json(
        200,
        &json!({ "markdown": hover.map(|h| h.markdown) }),
    ))
}

fn complete(r: &Request, s: &State) -> Answer {
    let (text, path, byte) = at_offset(r, s)?;
    let analysis = editor_analysis(&text, &path, s);
    let range = analysis.completion_range(byte);
    let u16 = utf16_offsets(&text, &[range.start, range.end]);
    let items: Vec<Value> = analysis
        .completions(byte)
        .into_iter()
        .take(200)
        .map(|c| json!({ "label": c.label, "detail": c.detail }))
        .collect();
    Ok(Response::json(
        200,
        &json!({ "start": u16[0], "end": u16[1], "items": items }),
    ))
}

/// The case named for a review, assessed, and the yardstick that governs the wording.
struct ReviewSetting {
    case: Option<(
        acre::Case,
        acre::Assessment,
        Vec<review::JudgmentCheck>,
        acre::SourceFile,
    )>,
    yardstick: acre::Yardstick,
    config: acre::review::config::RuleConfig,
}

fn review_setting(r: &Request, s: &State) -> Result<ReviewSetting, Response> {
    // the folder's own acre.toml only: `review` looks in the parents too, but nothing
    // outside the served folder is read
    let config = if s.folder.root.join("acre.toml").is_file() {
        crate::cli::review::load_config(&s.folder.root, s.max_input)
            .map(|c| c.rules)
            .unwrap_or_default()
    } else {
        acre::review::config::RuleConfig::default()
    };
    let mut case = None;
    let (_, uploaded) = parts(r)?;
    let named = r.param("case").filter(|c| !c.is_empty());
    if uploaded.is_some() || named.is_some() {
        let (file, rel) = match (uploaded, named) {
            // a case sent with the draft: its includes are read from the served folder
            (Some(bytes), _) => (
                acre::source::decode(
                    s.folder.root.join("uploaded.acre").display().to_string(),
                    bytes.to_vec(),
                ),
                "uploaded.acre",
            ),
            (None, Some(rel)) => {
                let path = s.folder.resolve(rel, &["acre"], false).map_err(refused)?;
                let (mut t, _, err) = term(s);
                match t.read(&path) {
                    Some(file) => (file, rel),
                    None => return Err(Response::error(422, err.text().trim(), None)),
                }
            }
            (None, None) => return Err(bad_request("no case")),
        };
        if let Some(bad) = &file.encoding_error {
            return Err(Response::error(422, &bad.message, bad.help.as_deref()));
        }
        let (t, _, _) = term(s);
        let settings = crate::cli::settings(Depth::Assess, s.engine);
        let analysis = crate::cli::analyse_file(&t, file, &settings);
        match (analysis.case, analysis.assessment) {
            (Some(c), Some(a)) => case = Some((c, a, analysis.judgments, analysis.file)),
            _ => {
                return Err(Response::error(
                    422,
                    &format!(
                        "the case `{rel}` has errors, so the draft cannot be compared with it"
                    ),
                    Some("open it on the Case page to see them"),
                ));
            }
        }
    }
    let yardstick = governing_yardstick(
        r.param("yardstick").filter(|y| !y.is_empty()),
        config.yardstick.as_deref(),
        case.as_ref().map(|(c, _, _, _)| c),
    )
    .map_err(|e| Response::error(400, &e.to_string(), None))?;
    Ok(ReviewSetting {
        case,
        yardstick,
        config,
    })
}

/// The body of a review request: the draft's bytes, then (when `case_bytes=N` is given) the
/// last N bytes are a case file sent with it.
fn parts(r: &Request) -> Result<(&[u8], Option<&[u8]>), Response> {
    match r.param("case_bytes") {
        None => Ok((&r.body, None)),
        Some(n) => {
            let n: usize = n
                .parse()
                .ok()
                .filter(|n| *n <= r.body.len())
                .ok_or_else(|| bad_request("`case_bytes` is not a length within the body"))?;
            let (draft, case) = r.body.split_at(r.body.len() - n);
            Ok((draft, Some(case)))
        }
    }
}

/// The draft's name and bytes: a draft in the folder (`path`), or the bytes sent.
fn draft_bytes<'r>(
    r: &'r Request,
    s: &State,
) -> Result<(String, std::borrow::Cow<'r, [u8]>), Response> {
    if let Some(rel) = r.param("path").filter(|p| !p.is_empty()) {
        let path = s
            .folder
            .resolve(rel, DRAFT_EXTENSIONS, false)
            .map_err(refused)?;
        let bytes = io::read_bytes(&path, s.max_input)
            .map_err(|e| Response::error(422, &e.to_string(), None))?;
        return Ok((rel.to_string(), std::borrow::Cow::Owned(bytes)));
    }
    let (bytes, _) = parts(r)?;
    let name = r.param("name").unwrap_or("draft.txt").to_string();
    Ok((name, std::borrow::Cow::Borrowed(bytes)))
}

/// The draft's text from the request, read by the name's kind.
fn draft(r: &Request, s: &State) -> Result<acre::SourceFile, Response> {
    let (name, bytes) = draft_bytes(r, s)?;
    let file = crate::cli::review::draft_from_bytes(&name, bytes.into_owned(), s.max_input)
        .map_err(|e| {
            let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
            Response::error(422, &e.to_string(), help.as_deref())
        })?;
    if let Some(bad) = &file.encoding_error {
        return Err(Response::error(422, &bad.message, bad.help.as_deref()));
    }
    Ok(file)
}

/// The scanner (with the case's own yardsticks) and the options of a review.
fn review_parts(setting: &ReviewSetting) -> (review::scan::Scanner, review::Options<'_>) {
    let customs: &[acre::Yardstick] = setting
        .case
        .as_ref()
        .map_or(&[], |(c, _, _, _)| &c.custom_yardsticks[..]);
    let options = review::Options {
        yardstick: setting.yardstick.clone(),
        config: setting.config.clone(),
        case: setting
            .case
            .as_ref()
            .map(|(case, assessment, _, _)| review::CaseContext { case, assessment }),
    };
    (review::scan::Scanner::new(customs), options)
}

fn review_of(text: &str, setting: &ReviewSetting) -> review::Review {
    let (scanner, options) = review_parts(setting);
    review::review(text, &scanner, &options)
}

/// Reviews an uploaded or pasted draft: the text with its phrases and findings (offsets in
/// UTF-16 for the page), each rule's explanation, the yardstick's bands.
fn review_draft(r: &Request, s: &State) -> Answer {
    let setting = review_setting(r, s)?;
    let file = draft(r, s)?;
    let result = review_of(&file.text, &setting);
    let case_review = setting.case.as_ref().map(|(case, _, checks, cfile)| {
        let findings = review::judgment_findings(case, checks, &setting.config);
        (checks, findings, cfile)
    });
    let mut v = serde_json::to_value(acre::report::review::json(
        &file.name,
        &file.text,
        &setting.yardstick.name,
        &result,
        case_review.as_ref().map(
            |(checks, findings, cfile)| acre::report::review::CaseReview {
                file: cfile.name.as_str(),
                text: cfile.text.as_str(),
                checks,
                findings,
            },
        ),
    ))
    .unwrap_or_default();
    let mut offsets = Vec::new();
    for f in &result.findings {
        offsets.extend([f.span.start, f.span.end]);
    }
    for p in &result.phrases {
        offsets.extend([p.span.start, p.span.end]);
    }
    let u16 = utf16_offsets(&file.text, &offsets);
    let n = result.findings.len();
    for (i, f) in v["findings"]
        .as_array_mut()
        .into_iter()
        .flatten()
        .enumerate()
    {
        f["u16"] = json!([u16[2 * i], u16[2 * i + 1]]);
    }
    for (i, p) in v["phrases"]
        .as_array_mut()
        .into_iter()
        .flatten()
        .enumerate()
    {
        p["u16"] = json!([u16[2 * (n + i)], u16[2 * (n + i) + 1]]);
    }
    let mut docs = serde_json::Map::new();
    for f in &result.findings {
        let d = f.rule.doc();
        docs.insert(
            d.id.to_string(),
            json!({"summary": d.summary, "rationale": d.rationale, "bad": d.bad, "good": d.good}),
        );
    }
    v["rules"] = Value::Object(docs);
    v["text"] = json!(file.text);
    v["bands"] = json!(
        setting
            .yardstick
            .terms
            .iter()
            .map(|t| json!({"name": t.name, "lo": t.lo, "hi": t.hi}))
            .collect::<Vec<_>>()
    );
    v["annotatable"] =
        json!(acre::document::kind_of(Path::new(&file.name)) == Some(acre::document::Kind::Docx));
    Ok(Response::json(200, &v))
}

/// The draft's text with the fixes accepted (`accept=1,4`: their places among the findings
/// of the same request to `/api/review`) applied; a fix that would bring a new finding is
/// held back, as `acre review --fix` does.
fn fix_draft(r: &Request, s: &State) -> Answer {
    let setting = review_setting(r, s)?;
    let file = draft(r, s)?;
    let text = file.text.as_str();
    let accept: Vec<usize> = r
        .param("accept")
        .unwrap_or("")
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| a.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad_request("`accept` is a list of finding numbers, e.g. `0,3`"))?;
    let mut result = review_of(text, &setting);
    let mut i = 0;
    result.findings.retain(|_| {
        let keep = accept.contains(&i);
        i += 1;
        keep
    });
    let (scanner, options) = review_parts(&setting);
    let fixed = review::fix(text, &result, &scanner, &options);
    Ok(Response::json(
        200,
        &json!({ "text": fixed.text, "applied": fixed.applied, "withheld": fixed.withheld }),
    ))
}

/// The Word draft back with every finding as a comment (what `--annotate` writes).
fn annotate(r: &Request, s: &State) -> Answer {
    let (name, bytes) = draft_bytes(r, s)?;
    let name = name.as_str();
    if acre::document::kind_of(Path::new(name)) != Some(acre::document::Kind::Docx) {
        return Err(Response::error(
            415,
            "only a Word (.docx) draft can come back with comments",
            None,
        ));
    }
    let setting = review_setting(r, s)?;
    let file = draft(r, s)?;
    let result = review_of(&file.text, &setting);
    let notes = crate::cli::review::notes(&result.findings);
    let (copy, n) = acre::document::annotate(
        &bytes,
        &notes,
        crate::cli::review::max_expanded(s.max_input),
    )
    .map_err(|why| Response::error(422, &format!("{name} cannot be annotated: {why}"), None))?;
    let stem = Path::new(name)
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".to_string());
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(Response::new(
        200,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        copy,
    )
    .with_header(
        "Content-Disposition",
        format!("attachment; filename=\"{safe}-reviewed.docx\""),
    )
    .with_header("X-Acre-Comments", n.to_string()))
}

/// Every case in the folder with its leading hypothesis, words, confidence and judgment
/// verdicts; and, when some are resolved, the calibration report with its diagram.
/// Each case file of the folder (as listed) with its length and modification time.
type Stamps = Vec<(String, Option<(u64, Option<std::time::SystemTime>)>)>;

/// The library's last answer and the stamps of the case files it was made from: a visit
/// recomputes it only when a case file was added, removed or changed (includes stay in the
/// folder, so they are among the files).
pub type LibraryCache = std::sync::Mutex<Option<(Stamps, Value)>>;

fn library(s: &State) -> Response {
    let files = s.folder.list(&["acre"]);
    let stamps: Stamps = files
        .iter()
        .map(|rel| {
            let meta = std::fs::metadata(s.folder.root.join(rel)).ok();
            (rel.clone(), meta.map(|m| (m.len(), m.modified().ok())))
        })
        .collect();
    if let Ok(cache) = s.library.lock()
        && let Some((made_from, answer)) = cache.as_ref()
        && *made_from == stamps
    {
        return Response::json(200, answer);
    }
    let answer = library_of(s, files);
    if let Ok(mut cache) = s.library.lock() {
        *cache = Some((stamps, answer.clone()));
    }
    Response::json(200, &answer)
}

fn library_of(s: &State, files: Vec<String>) -> Value {
    let settings = crate::cli::settings(Depth::Assess, s.engine);
    let mut rows = Vec::new();
    let (mut t, _, _) = term(s);
    for rel in files {
        let path = s.folder.root.join(&rel);
        let Some(file) = t.read(&path) else {
            rows.push(json!({"path": rel, "error": "unreadable"}));
            continue;
        };
        let analysis = crate::cli::analyse_file(&t, file, &settings);
        let (Some(case), Some(a)) = (&analysis.case, &analysis.assessment) else {
            // files that only hold declarations for others to include are not cases
            let errors = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == acre::Severity::Error)
                .count();
            rows.push(json!({"path": rel, "error": format!("{errors} error(s)")}));
            continue;
        };
        let lead = (a.leading < a.hypotheses.len()).then_some(a.leading);
        let mut verdicts = serde_json::Map::new();
        for c in &analysis.judgments {
            let key = serde_json::to_value(c.verdict)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let n = verdicts.get(&key).and_then(Value::as_u64).unwrap_or(0);
            verdicts.insert(key, json!(n + 1));
        }
        let lead_json = lead.map(|i| {
            let h = &a.hypotheses[i];
            json!({
                "id": case.hypotheses[i].id,
                "label": case.hypotheses[i].label,
                "point": h.point,
                "words": h.placement.words,
                "confidence": serde_json::to_value(a.confidence.level).unwrap_or_default(),
            })
        });
        let outcome = case.outcome.as_ref().map(|o| {
            let id = case.proposition_id(o.proposition).to_string();
            json!({"id": id, "date": o.date})
        });
        rows.push(json!({
            "path": rel,
            "title": case.title,
            "assessed": case.assessed,
            "lead": lead_json,
            "verdicts": verdicts,
            "outcome": outcome,
        }));
    }
    let calibration = if rows.iter().any(|r| !r["outcome"].is_null()) {
        let (mut t, _, err) = term(s);
        match crate::cli::calibrate::Args::for_folder(&s.folder.root)
            .and_then(|args| crate::cli::calibrate::report(&mut t, &args))
        {
            Some((report, diagram, _)) => json!({
                "text": in_folder(s, &acre::report::calibrate::text(&report)),
                "diagram": diagram,
            }),
            None => json!({ "error": in_folder(s, &err.text()) }),
        }
    } else {
        Value::Null
    };
    json!({ "cases": rows, "calibration": calibration })
}

/// A command's output with the folder's own path taken off the files it names (the page
/// names files as the folder's relative paths).
fn in_folder(s: &State, text: &str) -> String {
    text.replace(&format!("{}/", s.folder.root.display()), "")
}

/// A version for `diff`: a case in the folder, or (as `acre diff` reads it, when no file has
/// the name) `FILE@REV` at a git revision.
fn diff_spec(spec: &str, s: &State) -> Result<String, Response> {
    let as_file = s.folder.resolve(spec, &["acre"], false);
    let (file, rev) = match (&as_file, crate::cli::diff::split_rev(spec)) {
        (Err(_), Some((file, rev))) => (file, Some(rev)),
        _ => (spec, None),
    };
    let path = match (as_file, rev) {
        (Ok(path), None) => path,
        _ => s.folder.resolve(file, &["acre"], false).map_err(refused)?,
    };
    Ok(match rev {
        Some(rev) => format!("{}@{rev}", path.display()),
        None => path.display().to_string(),
    })
}

fn diff(r: &Request, s: &State) -> Answer {
    let old = diff_spec(param(r, "old")?, s)?;
    let new = diff_spec(param(r, "new")?, s)?;
    let (mut t, out, err) = term(s);
    crate::cli::diff::run(
        &mut t,
        &crate::cli::diff::Args {
            old,
            new,
            format: crate::cli::diff::Format::Text,
        },
    );
    t.flush();
    Ok(Response::json(
        200,
        &json!({
            "text": in_folder(s, &out.text()),
            "errors": in_folder(s, &err.text()),
            "term_changed": t.exit() == crate::cli::Exit::Findings && err.text().is_empty(),
        }),
    ))
}

/// The case's whole HTML report (what `acre report` writes), as its own page: it carries its
/// stylesheet inline and no script, so its policy allows inline styles and nothing else.
fn report(r: &Request, s: &State) -> Answer {
    let rel = param(r, "path")?;
    let path = s.folder.resolve(rel, &["acre"], false).map_err(refused)?;
    let (mut t, out, err) = term(s);
    crate::cli::report::run(
        &mut t,
        &crate::cli::report::Args {
            file: path,
            output: None,
            format: crate::cli::report::Format::Html,
            engine: s.engine,
        },
    );
    t.flush();
    if t.failed() {
        return Err(Response::error(422, err.text().trim(), None));
    }
    let mut page = Response::new(200, "text/html; charset=utf-8", out.text().into_bytes());
    page.csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units() {
        // "é" is 2 bytes and 1 unit; "𝄞" is 4 bytes and 2 units
        let text = "aé𝄞b";
        assert_eq!(utf16_offsets(text, &[0, 1, 3, 7, 8]), vec![0, 1, 2, 4, 5]);
        assert_eq!(utf16_offsets(text, &[8, 0, 3]), vec![5, 0, 2]);
        for (b, u) in [(0, 0), (1, 1), (3, 2), (7, 4), (8, 5)] {
            assert_eq!(byte_offset(text, u), b);
        }
        assert_eq!(byte_offset(text, 99), text.len());
    }

    #[test]
    fn versions_differ_with_content() {
        assert_eq!(version(b""), "cbf29ce484222325");
        assert_ne!(version(b"a"), version(b"b"));
    }
}
