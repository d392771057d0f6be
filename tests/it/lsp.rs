//! `acre lsp` driven over standard input and output with JSON-RPC, as an editor drives it:
//! diagnostics on open and on change, hovers with numbers, completion, definition,
//! references, rename, symbols, formatting, a quick fix applied, inlay hints, semantic
//! tokens, and a draft's review findings with the case `acre.toml` names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(support::binary())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            pending: Vec::new(),
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(init["capabilities"]["hoverProvider"].as_bool().unwrap());
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("acre lsp did not answer within 30 s")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its response (the whole message).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// Sends a request and returns its result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response["error"].is_null(), "{response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.published(uri)["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The parameters of the next `publishDiagnostics` for `uri`.
    fn published(&mut self, uri: &str) -> Value {
        let is_ours = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_ours) {
            return self.pending.remove(i)["params"].clone();
        }
        loop {
            let m = self.recv();
            if is_ours(&m) {
                return m["params"].clone();
            }
            self.pending.push(m);
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

/// The LSP position of the `nth` occurrence of `needle` in `text`, plus `plus` characters.
fn pos(text: &str, needle: &str, plus: usize) -> Value {
    let at = text.find(needle).unwrap() + plus;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": col })
}

fn at(uri: &str, text: &str, needle: &str, plus: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(text, needle, plus) })
}

const CASE: &str = "case \"Test\" {\n  question \"Who?\"\n}\n\nhypothesis apt   \"APT\"   prior 30%\nhypothesis other \"Other\" prior rest catch-all\nsource ncsc \"NCSC\"  reliability B\nsource hmg  \"HMG\"   reliability A echoes ncsc\n\nevidence e1 \"Malware\" {\n  from hmg credibility 2\n  given apt: highly likely\n  otherwise: unlikely\n}\n";

const URI: &str = "file:///tmp/acre-lsp-test/case.acre";

#[test]
fn diagnostics_on_open_and_on_change_with_a_quick_fix() {
    let mut c = Client::start();
    let broken = CASE.replace("otherwise: unlikely", "otherwise: unlikley");
    c.open(URI, "acre", &broken);
    let diags = c.diagnostics(URI);
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "acre::not-a-term" || d["code"] == "acre::unknown-term")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["range"]["start"], pos(&broken, "unlikley", 0));
    assert!(unknown["message"].as_str().unwrap().contains("unlikley"));

    // the quick fix replaces the misspelling; applied, the file checks
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": unknown["range"],
            "context": { "diagnostics": [unknown] }
        }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "unlikely");
    assert_eq!(edit["range"], unknown["range"]);
    let start = broken.find("unlikley").unwrap();
    let fixed = format!(
        "{}{}{}",
        &broken[..start],
        edit["newText"].as_str().unwrap(),
        &broken[start + "unlikley".len()..]
    );
    assert_eq!(fixed, CASE);
    c.change(URI, 2, &fixed);
    let diags = c.diagnostics(URI);
    assert!(
        diags.iter().all(|d| d["severity"] != 1),
        "errors left after the fix: {diags:?}"
    );
    c.stop();
}

#[test]
fn only_the_latest_of_quick_changes_is_analysed() {
    let mut c = Client::start();
    c.open(URI, "acre", CASE);
    assert_eq!(c.published(URI)["version"], 1);
    // three changes faster than the pause: one publication, for the last
    for v in 2..=4 {
        let text = CASE.replace("prior 30%", &format!("prior {}%", 20 + v));
        c.change(URI, v, &text);
    }
    let p = c.published(URI);
    assert_eq!(p["version"], 4);
    let hyp = c.request("textDocument/hover", at(URI, CASE, "given apt", 7));
    assert!(
        hyp["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("prior 24.0%")
    );
    c.stop();
}

#[test]
fn hover_on_a_term_and_on_a_hypothesis() {
    let mut c = Client::start();
    c.open(URI, "acre", CASE);
    let term = c.request("textDocument/hover", at(URI, CASE, "highly likely", 2));
    let text = term["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("80-90%") && text.contains("read as 85%"),
        "{text}"
    );
    assert_eq!(term["range"]["start"], pos(CASE, "highly likely", 0));

    // by hand (see src/editor.rs): 0.3 l(0.85) / (0.3 l(0.85) + 0.7 l(0.30)) = 49.7%
    let hyp = c.request("textDocument/hover", at(URI, CASE, "given apt", 7));
    let text = hyp["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("prior 30.0%") && text.contains("49.7%"),
        "{text}"
    );
    assert!(text.contains("realistic possibility"), "{text}");

    // the intervals arrive from the background analysis
    let mut with_interval = None;
    for _ in 0..200 {
        let hyp = c.request("textDocument/hover", at(URI, CASE, "given apt", 7));
        let text = hyp["contents"]["value"].as_str().unwrap().to_string();
        if text.contains("90% interval") {
            with_interval = Some(text);
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let text = with_interval.expect("the interval never arrived");
    assert!(text.contains("bounds") && text.contains("49.7%"), "{text}");
    // the interval is the one `acre assess` prints for the same text, with the same draws,
    // in whole points
    let file = std::env::temp_dir().join(format!("acre-lsp-hover-{}.acre", std::process::id()));
    std::fs::write(&file, CASE).unwrap();
    let out = Command::new(support::binary())
        .args(["assess", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let apt = &v["hypotheses"][0]["posterior"];
    assert_eq!(v["hypotheses"][0]["id"], "apt");
    let shown = format!(
        "90% interval {}",
        acre::format::whole_interval(apt["p05"].as_f64().unwrap(), apt["p95"].as_f64().unwrap())
    );
    assert!(text.contains(&shown), "{shown} in {text}");

    let item = c.request("textDocument/hover", at(URI, CASE, "evidence e1", 9));
    let text = item["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("dB") && text.contains("from `hmg` (A2)"),
        "{text}"
    );
    c.stop();
}

#[test]
fn completion_at_three_kinds_of_position() {
    let mut c = Client::start();
    c.open(URI, "acre", CASE);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // a name goes after `from`
    let names = c.request("textDocument/completion", at(URI, CASE, "from hmg", 5));
    assert_eq!(labels(&names), ["ncsc", "hmg"]);
    // a term goes after `:`
    let terms = c.request(
        "textDocument/completion",
        at(URI, CASE, "otherwise: unlikely", 11),
    );
    let terms = labels(&terms);
    assert!(
        terms.contains(&"almost certain".to_string()) && terms.len() == 7,
        "{terms:?}"
    );
    // a grade goes after `reliability`
    let grades = c.request(
        "textDocument/completion",
        at(URI, CASE, "reliability B", 12),
    );
    assert_eq!(labels(&grades), ["A", "B", "C", "D", "E", "F"]);
    // a field keyword starts a line in a block
    let fields = c.request("textDocument/completion", at(URI, CASE, "  given apt", 2));
    assert!(labels(&fields).contains(&"depends".to_string()));
    c.stop();
}

#[test]
fn definition_references_and_rename() {
    let mut c = Client::start();
    c.open(URI, "acre", CASE);
    let def = c.request("textDocument/definition", at(URI, CASE, "echoes ncsc", 8));
    assert_eq!(def["range"]["start"], pos(CASE, "ncsc \"NCSC\"", 0));

    let mut params = at(URI, CASE, "source ncsc", 8);
    params["context"] = json!({ "includeDeclaration": true });
    let refs = c.request("textDocument/references", params);
    let starts: Vec<Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"].clone())
        .collect();
    assert_eq!(
        starts,
        [pos(CASE, "ncsc \"NCSC\"", 0), pos(CASE, "echoes ncsc", 7)]
    );

    let mut params = at(URI, CASE, "hypothesis apt", 11);
    params["newName"] = json!("apt31");
    let edit = c.request("textDocument/rename", params);
    let edits = edit["changes"][URI].as_array().unwrap();
    // the declaration and `given apt`
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "apt31"));

    let mut params = at(URI, CASE, "hypothesis apt", 11);
    params["newName"] = json!("other");
    let refused = c.call("textDocument/rename", params);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already declared")
    );

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Test", "apt", "other", "ncsc", "hmg", "e1"]);
    c.stop();
}

#[test]
fn formatting_inlay_hints_and_semantic_tokens() {
    let mut c = Client::start();
    let messy = "case \"Test\" { question \"Who?\" }\nhypothesis apt \"APT\" prior 30%\nhypothesis other \"Other\"   prior rest catch-all\n";
    c.open(URI, "acre", messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let edit = &edits[0];
    assert_eq!(edit["newText"], acre::syntax::fmt::format(messy).unwrap());
    assert_eq!(edit["range"]["start"], json!({ "line": 0, "character": 0 }));

    c.change(URI, 2, CASE);
    let hints = c.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": URI }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 20, "character": 0 } } }),
    );
    let hints = hints.as_array().unwrap();
    assert_eq!(hints.len(), 2);
    assert!(
        hints[0]["label"]
            .as_str()
            .unwrap()
            .contains("49.7% realistic possibility")
    );

    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    let data = tokens["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    // the first token is the keyword `case` at 0:0, four characters long
    assert_eq!(&data[..4], &[json!(0), json!(0), json!(4), json!(0)]);
    c.stop();
}

#[test]
fn a_drafts_review_findings_with_the_case_acre_toml_names() {
    let dir = support::scratch("lsp-draft");
    std::fs::write(dir.join("case.acre"), CASE).unwrap();
    std::fs::write(dir.join("acre.toml"), "case = \"case.acre\"\n").unwrap();
    let draft = "# Assessment\n\nWe assess that APT is almost certainly responsible.\n\nThere is a high likelihood of further activity.\n";
    let uri = format!("file://{}/draft.md", dir.display());
    let mut c = Client::start();
    c.open(&uri, "markdown", draft);
    let diags = c.diagnostics(&uri);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // "high likelihood" is not a yardstick term; "almost certainly" overclaims the case's 49.7%
    assert!(
        codes.contains(&"acre::non-yardstick-term") || codes.contains(&"acre::unknown-term"),
        "{codes:?}"
    );
    assert!(codes.contains(&"acre::overclaim"), "{codes:?}");
    let over = diags
        .iter()
        .find(|d| d["code"] == "acre::overclaim")
        .unwrap();
    assert_eq!(over["range"]["start"]["line"], 2);
    c.stop();
}

#[test]
fn a_case_with_includes_reads_the_shared_file() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/include/case-a.acre");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = Client::start();
    c.open(&uri, "acre", &text);
    let diags = c.diagnostics(&uri);
    assert!(diags.is_empty(), "{diags:?}");
    // the numbers come from the assembled case: ncsc and hmg are graded in the shared file
    let hyp = c.request("textDocument/hover", at(&uri, &text, "given apt31", 7));
    let shown = hyp["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("prior 30.0%") && shown.contains("posterior"),
        "{shown}"
    );
    // a source graded in the shared file: its grade and echoes
    let source = c.request("textDocument/hover", at(&uri, &text, "from hmg", 5));
    let shown = source["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("reliability A") && shown.contains("echoes `ncsc`"),
        "{shown}"
    );
    assert!(
        shown.contains("included file") && shown.contains("uk-sources.acre"),
        "{shown}"
    );
    // go to definition opens the shared file at the source's declaration (line 3, "hmg"
    // after "source ")
    let def = c.request("textDocument/definition", at(&uri, &text, "from hmg", 5));
    let shared =
        std::fs::canonicalize(path.parent().unwrap().join("shared/uk-sources.acre")).unwrap();
    assert_eq!(def["uri"], format!("file://{}", shared.display()), "{def}");
    assert_eq!(
        def["range"]["start"],
        json!({ "line": 2, "character": 7 }),
        "{def}"
    );
    assert_eq!(
        def["range"]["end"],
        json!({ "line": 2, "character": 10 }),
        "{def}"
    );
    // a name declared in this file still goes to this file
    let here = c.request("textDocument/definition", at(&uri, &text, "given apt31", 7));
    assert_eq!(here["uri"], uri.as_str(), "{here}");
    // references to a name declared in the shared file: its uses here (two, once a second
    // item cites hmg), then its declaration there
    let twice = format!(
        "{text}\nevidence again \"HMG again\" {{\n  from hmg credibility 3\n  given apt31: likely\n  otherwise: unlikely\n}}\n"
    );
    c.change(&uri, 2, &twice);
    let diags = c.diagnostics(&uri);
    assert!(diags.is_empty(), "{diags:?}");
    let mut params = at(&uri, &twice, "from hmg", 5);
    params["context"] = json!({ "includeDeclaration": true });
    let refs = c.request("textDocument/references", params);
    let found: Vec<(Value, Value)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["uri"].clone(), r["range"]["start"].clone()))
        .collect();
    assert_eq!(
        found,
        [
            (json!(uri), pos(&twice, "from hmg", 5)),
            (json!(uri), pos(&twice, "from hmg credibility 3", 5)),
            (
                json!(format!("file://{}", shared.display())),
                json!({ "line": 2, "character": 7 })
            ),
        ],
        "{refs}"
    );
    // renaming it here would break the other cases that include the file: refused, saying
    // where it is declared
    let mut params = at(&uri, &twice, "from hmg", 5);
    params["newName"] = json!("gov");
    let refused = c.call("textDocument/rename", params);
    let why = refused["error"]["message"].as_str().unwrap();
    assert!(
        why.contains("`hmg` is declared in") && why.contains("uk-sources.acre"),
        "{refused}"
    );
    // an include that names no file is reported at its line
    let broken = text.replace("shared/uk-sources.acre", "shared/missing.acre");
    c.change(&uri, 3, &broken);
    let diags = c.diagnostics(&uri);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "acre::include-not-found" && d["range"]["start"]["line"] == 1),
        "{diags:?}"
    );
    c.stop();
}

/// Round three of the hostile inputs: a notification the server cannot read (a version of
/// -1e30) is skipped and the server answers the next request; a `Content-Length` of 2^64-1
/// ends the input with a message, not a panic; an input that ends before `initialize`
/// lets the process exit.
#[test]
fn hostile_frames_and_notifications_do_not_stop_the_server() {
    let mut c = Client::start();
    let uri = "file:///tmp/acre-lsp-hostile.acre";
    let text = "hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n";
    c.open(uri, "acre", text);
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": -1e30 }, "contentChanges": [{ "text": "" }] }),
    );
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols.as_array().unwrap().len(), 2, "{symbols}");
    c.stop();

    let run = |input: &[u8]| {
        let mut child = Command::new(support::binary())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                return (status, err);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "acre lsp did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let (status, err) = run(b"");
    assert_eq!(status.code(), Some(2), "{err}");
    let (status, err) = run(b"Content-Length: 18446744073709551615\r\n\r\n{}");
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("above the input limit"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
