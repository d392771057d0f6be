//! `acre serve` driven over HTTP as the workbench's pages drive it: every endpoint, the
//! refusals (paths out of the folder, foreign hosts and origins, missing tokens, oversized,
//! slow and malformed requests), and requests at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli::{acre_json, binary, scratch};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `acre serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(folder: &Path, extra: &[&str]) -> Server {
    let mut command = Command::new(binary());
    command
        .arg("serve")
        .arg(folder)
        .args(["--port", "0"])
        .args(extra)
        .stderr(Stdio::null());
    let (child, url) = started(command);
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    Server { child, addr, url }
}

/// Starts `acre serve` as `command` says and reads the address it prints.
fn started(mut command: Command) -> (Child, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split(" is at ")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (child, url)
}

/// A response: status, headers (names in lower case) and body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

/// Sends raw bytes and reads the whole response (the server closes after each).
fn raw(addr: &str, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(bytes).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    parse(&out)
}

fn parse(out: &[u8]) -> Reply {
    let end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(out)));
    let head = String::from_utf8_lossy(&out[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: out[end + 4..].to_vec(),
    }
}

/// A request as the workbench's pages send it (same host, the API header), with extra
/// headers.
fn request(s: &Server, method: &str, path: &str, body: &[u8], extra: &[(&str, &str)]) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
        s.addr,
        body.len()
    );
    if !extra.iter().any(|(n, _)| n.eq_ignore_ascii_case("x-acre")) {
        head.push_str("X-Acre: 1\r\n");
    }
    for (n, v) in extra {
        if !v.is_empty() {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    raw(&s.addr, &bytes)
}

/// The review page's review of the draft, pasted, without a case.
fn pasted_review(s: &Server) -> Value {
    request(
        s,
        "POST",
        "/api/review?name=pasted.md",
        DRAFT.as_bytes(),
        &[],
    )
    .json()
}

fn get(s: &Server, path: &str) -> Reply {
    request(s, "GET", path, b"", &[])
}

fn post_json(s: &Server, path: &str, v: &Value) -> Reply {
    request(s, "POST", path, v.to_string().as_bytes(), &[])
}

const CASE: &str = r#"case "A test" { question "Who did it?" yardstick phia }
hypothesis a "Actor A" prior 50%
hypothesis b "Someone else" prior rest catch-all
source lab "A lab" reliability A
assumption flag "A false flag"
  prior 10%
evidence e "A's malware" { from lab credibility 1  given a: 0.8  given b if flag: 0.8  otherwise: 0.2 }
"#;

const DRAFT: &str =
    "Café owners — it is said — were targeted. There is a high likelihood that Actor A did it.\n";

/// A folder with a case, a draft, a second case for diffs, and files that must stay out of
/// reach: a secret beside it, a hidden file in it, a link out of it.
fn folder(name: &str) -> PathBuf {
    let dir = scratch(name);
    let inside = dir.join("served");
    std::fs::create_dir_all(inside.join("sub")).unwrap();
    std::fs::write(inside.join("test.acre"), CASE).unwrap();
    std::fs::write(
        inside.join("sub/other.acre"),
        CASE.replace("given a: 0.8", "given a: 0.6"),
    )
    .unwrap();
    std::fs::write(inside.join("draft.md"), DRAFT).unwrap();
    std::fs::write(inside.join(".env.acre"), "SECRET").unwrap();
    std::fs::write(dir.join("outside.acre"), "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("outside.acre"), inside.join("link.acre")).unwrap();
    inside
}

#[test]
fn pages_and_files() {
    let dir = folder("pages");
    let s = serve(&dir, &[]);
    let page = get(&s, "/");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let html = String::from_utf8(page.body).unwrap();
    // no inline script: every script element loads from the server
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=").count()
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "an external reference"
    );
    for (path, kind) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let r = get(&s, path);
        assert_eq!(r.status, 200);
        assert!(r.header("content-type").unwrap().starts_with(kind));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let files = get(&s, "/api/files").json();
    assert_eq!(
        files["cases"],
        json!(["sub/other.acre", "test.acre"]),
        "hidden files and links out are not listed"
    );
    assert_eq!(files["drafts"], json!(["draft.md"]));
    let f = get(&s, "/api/file?path=test.acre").json();
    assert_eq!(f["text"], CASE);
    assert_eq!(get(&s, "/nowhere").status, 404);
    assert_eq!(
        request(&s, "DELETE", "/api/file?path=test.acre", b"", &[]).status,
        405
    );
}

#[test]
fn save_is_atomic_and_refuses_a_file_changed_since_opened() {
    let dir = folder("save");
    let s = serve(&dir, &[]);
    let opened = get(&s, "/api/file?path=test.acre").json();
    let version = opened["version"].as_str().unwrap().to_string();
    let edited = CASE.replace("prior 50%", "prior 40%");
    let r = request(
        &s,
        "PUT",
        &format!("/api/file?path=test.acre&version={version}"),
        edited.as_bytes(),
        &[],
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        std::fs::read_to_string(dir.join("test.acre")).unwrap(),
        edited
    );
    // the same version again: the file has changed since, so it is not overwritten
    let r = request(
        &s,
        "PUT",
        &format!("/api/file?path=test.acre&version={version}"),
        b"lost",
        &[],
    );
    assert_eq!(r.status, 409);
    assert_eq!(
        std::fs::read_to_string(dir.join("test.acre")).unwrap(),
        edited
    );
    // a new case, in the folder only
    let r = request(
        &s,
        "PUT",
        "/api/file?path=sub/new.acre&version=",
        CASE.as_bytes(),
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        std::fs::read_to_string(dir.join("sub/new.acre")).unwrap(),
        CASE
    );
    // no temporary file is left behind
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("acre-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn paths_out_of_the_folder_are_refused() {
    let dir = folder("confined");
    let s = serve(&dir, &[]);
    for bad in [
        "../outside.acre",
        "sub/../../outside.acre",
        "%2Fetc%2Fpasswd",
        "/etc/hostname",
        ".env.acre",
        "link.acre",
        "draft.md%00.acre",
    ] {
        for path in [
            format!("/api/file?path={bad}"),
            format!("/report?path={bad}"),
        ] {
            let r = get(&s, &path);
            assert_eq!(
                r.status,
                403,
                "{path}: {}",
                String::from_utf8_lossy(&r.body)
            );
            assert!(!String::from_utf8_lossy(&r.body).contains("SECRET"));
        }
        let r = request(
            &s,
            "PUT",
            &format!("/api/file?path={bad}&version="),
            b"x",
            &[],
        );
        assert!(r.status == 403, "PUT {bad}: {}", r.status);
        let r = request(&s, "POST", &format!("/api/review?path={bad}"), b"", &[]);
        assert_eq!(r.status, 403, "review of {bad}");
        let r = request(
            &s,
            "GET",
            &format!("/api/diff?old={bad}&new=test.acre"),
            b"",
            &[],
        );
        assert_eq!(r.status, 403, "diff of {bad}");
    }
    // only case files are written, and only case and text files read
    assert_eq!(
        request(&s, "PUT", "/api/file?path=evil.sh&version=", b"x", &[]).status,
        403
    );
    assert!(!dir.join("evil.sh").exists());
    assert_eq!(
        std::fs::read_to_string(dir.parent().unwrap().join("outside.acre")).unwrap(),
        "SECRET"
    );
}

#[test]
fn foreign_hosts_origins_and_pages_are_refused() {
    let dir = folder("origins");
    let s = serve(&dir, &[]);
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host
    let r = raw(
        &s.addr,
        b"GET /api/files HTTP/1.1\r\nHost: evil.example\r\nX-Acre: 1\r\n\r\n",
    );
    assert_eq!(r.status, 403);
    let r = raw(&s.addr, b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(r.status, 403, "no Host at all");
    // a form or a fetch of another site cannot add the header
    let r = request(&s, "POST", "/api/case", b"{}", &[("X-Acre", "")]);
    assert_eq!(r.status, 403);
    let r = request(
        &s,
        "PUT",
        "/api/file?path=test.acre&version=",
        b"x",
        &[("Origin", "http://evil.example")],
    );
    assert_eq!(r.status, 403);
    let r = request(
        &s,
        "POST",
        "/api/case",
        b"{}",
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        std::fs::read_to_string(dir.join("test.acre")).unwrap(),
        CASE
    );
    // the page's own origin is welcome
    let origin = format!("http://{}", s.addr);
    let r = request(
        &s,
        "POST",
        "/api/case",
        json!({"text": CASE}).to_string().as_bytes(),
        &[("Origin", &origin), ("Sec-Fetch-Site", "same-origin")],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn a_token_is_needed_on_every_request_when_set() {
    let dir = folder("token");
    let token = "abcdefghijklmnop0123";
    let s = serve(&dir, &["--token", token]);
    assert!(s.url.ends_with(&format!("?token={token}")));
    assert_eq!(get(&s, "/").status, 401);
    assert_eq!(get(&s, "/app.js").status, 401);
    assert_eq!(get(&s, "/api/files").status, 401);
    assert_eq!(
        request(
            &s,
            "GET",
            "/api/files",
            b"",
            &[("X-Acre-Token", "abcdefghijklmnop0124")]
        )
        .status,
        401
    );
    // in the address once, then as a cookie
    let first = get(&s, &format!("/?token={token}"));
    assert_eq!(first.status, 200);
    let cookie = first.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    assert_eq!(
        request(&s, "GET", "/app.js", b"", &[("Cookie", pair)]).status,
        200
    );
    assert_eq!(
        request(&s, "GET", "/api/files", b"", &[("X-Acre-Token", token)]).status,
        200
    );
    drop(s);
    // another address without a token: one is made and printed
    let s = serve(&dir, &["--host", "0.0.0.0"]);
    let made = s.url.split("?token=").nth(1).unwrap();
    assert_eq!(made.len(), 32);
    assert!(made.chars().all(|c| c.is_ascii_hexdigit()));
    let port = s.addr.rsplit(':').next().unwrap();
    let local = format!("127.0.0.1:{port}");
    let r = raw(
        &local,
        format!("GET /api/files HTTP/1.1\r\nHost: 0.0.0.0:{port}\r\nX-Acre: 1\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn the_case_endpoint_gives_the_command_lines_numbers_and_what_ifs() {
    let dir = folder("case");
    let s = serve(&dir, &[]);
    let r = post_json(&s, "/api/case?path=test.acre", &json!({"text": CASE})).json();
    assert_eq!(r["diagnostics"], json!([]));
    let cli = acre_json(&[
        "assess",
        dir.join("test.acre").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        r["assessment"]["hypotheses"], cli["hypotheses"],
        "the same numbers as `acre assess`"
    );
    for chart in ["yardstick", "waterfall", "tornado", "graph"] {
        assert!(
            r["charts"][chart].as_str().unwrap().starts_with("<svg"),
            "{chart}"
        );
    }
    assert!(r["tokens"].as_array().unwrap().len() > 10);
    // the one item set aside: the posterior is the prior, exactly
    let w = post_json(
        &s,
        "/api/case?path=test.acre",
        &json!({"text": CASE, "whatif": {"removed": ["e"]}}),
    )
    .json();
    assert_eq!(
        w["assessment"]["hypotheses"][0]["posterior"]["point"],
        json!(0.5)
    );
    assert_eq!(w["whatif"], json!(["item `e` set aside"]));
    // the false flag held true: the item is as expected under b as under a, so (whatever
    // the grades mix in) it cannot move the odds, and the posterior is the prior
    let t = post_json(
        &s,
        "/api/case?path=test.acre",
        &json!({"text": CASE, "whatif": {"forced": {"flag": true}}}),
    )
    .json();
    let point = t["assessment"]["hypotheses"][0]["posterior"]["point"]
        .as_f64()
        .unwrap();
    assert!((point - 0.5).abs() < 1e-12, "{point}");
    assert_eq!(t["whatif"], json!(["assumption `flag` held true"]));
    // regrading the lab from A to F weakens its item (its likelihoods mix with their
    // average the more, the less reliable the source), so the posterior stays above the
    // prior but falls; the file's own number comes back as `saved_point`
    let p = |v: &Value| {
        v["assessment"]["hypotheses"][0]["posterior"]["point"]
            .as_f64()
            .unwrap()
    };
    let f = post_json(
        &s,
        "/api/case?path=test.acre",
        &json!({"text": CASE, "whatif": {"grades": {"lab": "F"}}}),
    )
    .json();
    assert!(p(&f) > 0.5 && p(&f) < p(&r), "{} then {}", p(&r), p(&f));
    // and exactly what `acre assess` says of the case with the grade written in (the what-if
    // changes the checked model; this writes the text)
    let regraded = dir.join("regraded.acre");
    std::fs::write(&regraded, CASE.replace("reliability A", "reliability F")).unwrap();
    let cli_f = acre_json(&["assess", regraded.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        f["assessment"]["hypotheses"][0]["posterior"]["point"],
        cli_f["hypotheses"][0]["posterior"]["point"]
    );
    assert!((f["saved_point"][0].as_f64().unwrap() - p(&r)).abs() < 1e-12);
    // errors while typing: diagnostics with their place in UTF-16 units, no numbers
    let typo = CASE.replace("Actor A\" prior 50%", "Actor A\" prior 50%%");
    let e = post_json(&s, "/api/case?path=test.acre", &json!({"text": typo})).json();
    assert_eq!(e["partial"], json!(true));
    assert!(e["assessment"].is_null());
    let d = &e["diagnostics"][0];
    let at = typo.find("%%").unwrap() + 1;
    let units = typo[..at].encode_utf16().count() as u64;
    assert_eq!(d["start"].as_u64().unwrap(), units, "{d}");
}

#[test]
fn hover_and_completion_answer_at_a_utf16_offset() {
    let dir = folder("hover");
    let s = serve(&dir, &[]);
    // a comment with characters of two UTF-16 units before the name
    let text = format!("# 𝄞𝄞 note\n{CASE}");
    let at = text.find("given a:").unwrap() + "given ".len();
    let units = text[..at].encode_utf16().count();
    let h = request(
        &s,
        "POST",
        &format!("/api/hover?path=test.acre&offset={units}"),
        text.as_bytes(),
        &[],
    )
    .json();
    assert!(h["markdown"].as_str().unwrap().contains("Actor A"), "{h}");
    let blank = format!("{CASE}\n");
    let units = blank.encode_utf16().count();
    let c = request(
        &s,
        "POST",
        &format!("/api/complete?path=test.acre&offset={units}"),
        blank.as_bytes(),
        &[],
    )
    .json();
    let labels: Vec<&str> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"evidence") && labels.contains(&"hypothesis"),
        "{labels:?}"
    );
}

#[test]
fn review_fix_and_annotate() {
    let dir = folder("review");
    let s = serve(&dir, &[]);
    let r = request(
        &s,
        "POST",
        "/api/review?name=pasted.md&case=test.acre",
        DRAFT.as_bytes(),
        &[],
    )
    .json();
    let findings = r["findings"].as_array().unwrap();
    let i = findings
        .iter()
        .position(|f| f["rule"] == "non-yardstick-term")
        .unwrap_or_else(|| panic!("{r}"));
    let f = &findings[i];
    // the UTF-16 offsets select the finding's own words in the text as a browser holds it
    let units: Vec<u16> = DRAFT.encode_utf16().collect();
    let (a, b) = (
        f["u16"][0].as_u64().unwrap() as usize,
        f["u16"][1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        String::from_utf16(&units[a..b]).unwrap(),
        f["text"].as_str().unwrap()
    );
    assert!(
        r["rules"]["non-yardstick-term"]["rationale"]
            .as_str()
            .unwrap()
            .len()
            > 20
    );
    assert_eq!(
        r["bands"].as_array().unwrap().len(),
        7,
        "PHIA's seven terms"
    );
    // the same draft from the folder gives the same findings
    let again = request(
        &s,
        "POST",
        "/api/review?path=draft.md&case=test.acre",
        b"",
        &[],
    )
    .json();
    assert_eq!(again["findings"], r["findings"]);
    // a case sent with the draft (its last bytes) reads as the one in the folder
    let mut body = DRAFT.as_bytes().to_vec();
    body.extend_from_slice(CASE.as_bytes());
    let uploaded = request(
        &s,
        "POST",
        &format!("/api/review?name=pasted.md&case_bytes={}", CASE.len()),
        &body,
        &[],
    )
    .json();
    assert_eq!(
        uploaded["findings"].as_array().unwrap().len(),
        findings.len()
    );
    // the accepted fix only (without the case: with it, the fix's own words would be
    // compared with the case and, bringing a finding, held back, as `--fix` does)
    let plain = pasted_review(&s);
    let j = plain["findings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["rule"] == "non-yardstick-term")
        .unwrap();
    let f = &plain["findings"][j];
    let fixed = request(
        &s,
        "POST",
        &format!("/api/review/fix?name=pasted.md&accept={j}"),
        DRAFT.as_bytes(),
        &[],
    )
    .json();
    let replacement = f["fix"]["replacement"].as_str().unwrap();
    let expected = format!(
        "{}{replacement}{}",
        &DRAFT[..f["fix"]["start"].as_u64().unwrap() as usize],
        &DRAFT[f["fix"]["end"].as_u64().unwrap() as usize..]
    );
    assert_eq!(fixed["text"], json!(expected));
    assert_eq!(fixed["applied"], json!(1));
    let none = request(
        &s,
        "POST",
        "/api/review/fix?name=pasted.md",
        DRAFT.as_bytes(),
        &[],
    )
    .json();
    assert_eq!(none["text"], json!(DRAFT));
    let with_case = request(
        &s,
        "POST",
        &format!("/api/review/fix?name=pasted.md&case=test.acre&accept={i}"),
        DRAFT.as_bytes(),
        &[],
    )
    .json();
    assert_eq!(
        (
            with_case["applied"].as_u64(),
            with_case["withheld"].as_u64()
        ),
        (Some(0), Some(1))
    );
    // a Word draft comes back with one comment per finding
    let blocks = crate::documents::blocks(DRAFT);
    let docx = crate::documents::docx(&blocks);
    let r = request(
        &s,
        "POST",
        "/api/review?name=d.docx&case=test.acre",
        &docx,
        &[],
    )
    .json();
    let n = r["findings"].as_array().unwrap().len();
    assert!(n >= 1 && r["annotatable"] == json!(true));
    let w = request(
        &s,
        "POST",
        "/api/review/annotate?name=d.docx&case=test.acre",
        &docx,
        &[],
    );
    assert_eq!(w.status, 200);
    assert!(
        w.header("content-disposition")
            .unwrap()
            .contains("d-reviewed.docx")
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(w.body)).unwrap();
    let mut comments = String::new();
    zip.by_name("word/comments.xml")
        .unwrap()
        .read_to_string(&mut comments)
        .unwrap();
    assert_eq!(comments.matches("<w:comment ").count(), n);
    // a Markdown draft cannot
    assert_eq!(
        request(
            &s,
            "POST",
            "/api/review/annotate?name=d.md",
            DRAFT.as_bytes(),
            &[]
        )
        .status,
        415
    );
    // a damaged Word file is an error with its reason, not a crash
    let bad = request(
        &s,
        "POST",
        "/api/review?name=d.docx",
        b"PK\x03\x04 not really",
        &[],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.json()["error"]
            .as_str()
            .unwrap()
            .contains("cannot be read")
    );
}

#[test]
fn library_diff_and_report() {
    let dir = folder("library");
    let s = serve(&dir, &[]);
    let lib = get(&s, "/api/library").json();
    let rows = lib["cases"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let cli = acre_json(&[
        "assess",
        dir.join("test.acre").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let row = rows.iter().find(|r| r["path"] == "test.acre").unwrap();
    assert_eq!(row["lead"]["words"], cli["hypotheses"][0]["words"]);
    assert_eq!(
        row["lead"]["point"],
        cli["hypotheses"][0]["posterior"]["point"]
    );
    assert!(lib["calibration"].is_null(), "no case is resolved");
    let d = get(&s, "/api/diff?old=sub/other.acre&new=test.acre").json();
    let text = d["text"].as_str().unwrap();
    // the changed likelihood, named relative to the folder
    assert!(
        text.contains("changed evidence e\n      given a: 0.6 -> 0.8")
            && !text.contains(dir.to_str().unwrap()),
        "{text}"
    );
    assert_eq!(d["term_changed"], json!(false));
    let report = get(&s, "/report?path=test.acre");
    assert_eq!(report.status, 200);
    let csp = report.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'unsafe-inline'") && !csp.contains("script-src"));
    assert!(String::from_utf8_lossy(&report.body).contains("<svg"));
}

#[test]
fn bad_requests_get_their_status() {
    let dir = folder("bad");
    let s = serve(&dir, &["--max-input-size", "1K"]);
    let big = vec![b'a'; 2048];
    assert_eq!(
        request(&s, "POST", "/api/review?name=x.md", &big, &[]).status,
        413
    );
    let r = raw(&s.addr, format!("POST /api/case HTTP/1.1\r\nHost: {}\r\nX-Acre: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", s.addr).as_bytes());
    assert_eq!(r.status, 411);
    assert_eq!(raw(&s.addr, b"\x00\x01\x02 nonsense\r\n\r\n").status, 400);
    let long = format!(
        "GET /?{} HTTP/1.1\r\nHost: {}\r\n\r\n",
        "a".repeat(20_000),
        s.addr
    );
    assert_eq!(raw(&s.addr, long.as_bytes()).status, 431);
    assert_eq!(
        post_json(&s, "/api/case", &json!({"no": "text"})).status,
        400
    );
    assert_eq!(
        request(&s, "POST", "/api/case", b"not json", &[]).status,
        400
    );
    assert_eq!(
        request(&s, "POST", "/api/hover?offset=x", CASE.as_bytes(), &[]).status,
        400
    );
    assert_eq!(
        request(
            &s,
            "POST",
            "/api/review/fix?name=x.md&accept=a,b",
            b"x",
            &[]
        )
        .status,
        400
    );
    assert_eq!(
        request(&s, "POST", "/api/review?name=x.md&case_bytes=99", b"x", &[]).status,
        400
    );
    // the server still answers
    assert_eq!(get(&s, "/api/files").status, 200);
}

#[test]
fn a_slow_client_holds_up_no_one_and_is_cut_off() {
    let dir = folder("slow");
    let s = serve(&dir, &["--request-timeout", "2"]);
    // a head that never ends, and a body that never comes
    let mut slow_head = TcpStream::connect(&s.addr).unwrap();
    slow_head
        .write_all(b"GET /api/files HTTP/1.1\r\nHost: ")
        .unwrap();
    let mut slow_body = TcpStream::connect(&s.addr).unwrap();
    slow_body
        .write_all(format!("POST /api/case HTTP/1.1\r\nHost: {}\r\nX-Acre: 1\r\nContent-Length: 100000\r\n\r\n{{", s.addr).as_bytes())
        .unwrap();
    // meanwhile, others are answered at once, eight at a time
    let started = Instant::now();
    let addr = s.addr.clone();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let body = json!({"text": CASE}).to_string();
                let r = raw(&addr, format!("POST /api/case?path=test.acre HTTP/1.1\r\nHost: {addr}\r\nX-Acre: 1\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
                assert_eq!(r.status, 200);
                r.json()["assessment"]["hypotheses"].clone()
            })
        })
        .collect();
    let results: Vec<Value> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        results.windows(2).all(|w| w[0] == w[1]),
        "the same answer to the same question"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered while the slow clients wait"
    );
    // the slow ones are cut off at the deadline with 408
    for mut slow in [slow_head, slow_body] {
        slow.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut out = Vec::new();
        slow.read_to_end(&mut out).unwrap();
        assert_eq!(parse(&out).status, 408);
    }
    assert!(started.elapsed() < Duration::from_secs(6));
}

#[test]
fn diff_reads_a_git_revision_of_a_case_in_the_folder() {
    let dir = folder("git");
    let git = |args: &[&str]| crate::support::cli::git(&dir, args);
    git(&["init", "-q"]);
    git(&["add", "test.acre"]);
    git(&["commit", "-q", "-m", "first"]);
    std::fs::write(
        dir.join("test.acre"),
        CASE.replace("given a: 0.8", "given a: 0.9"),
    )
    .unwrap();
    let s = serve(&dir, &[]);
    let d = get(&s, "/api/diff?old=test.acre%40HEAD&new=test.acre").json();
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("0.8") && text.contains("0.9"), "{d}");
    // the same version twice: no change
    let same = get(&s, "/api/diff?old=test.acre%40HEAD&new=test.acre%40HEAD").json();
    assert_eq!(same["term_changed"], json!(false));
    // a revision that is an option of git's is refused by diff's own rule
    let opt = get(
        &s,
        "/api/diff?old=test.acre%40--output%3D%2Ftmp%2Fx&new=test.acre",
    )
    .json();
    assert!(
        opt["errors"]
            .as_str()
            .unwrap()
            .contains("is not a revision"),
        "{opt}"
    );
}

#[test]
fn the_rules_of_an_acre_toml_above_the_folder_are_not_read() {
    let dir = folder("toml");
    // above the served folder: a setting that would silence the finding
    std::fs::write(
        dir.parent().unwrap().join("acre.toml"),
        "[rules]\nnon-yardstick-term = \"off\"\n",
    )
    .unwrap();
    let s = serve(&dir, &[]);
    // whether the review page reports the non-term (the setting silences it)
    let reported = || {
        pasted_review(&s)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "non-yardstick-term")
    };
    assert!(reported(), "a setting above the folder was read");
    // the folder's own is
    std::fs::write(
        dir.join("acre.toml"),
        "[rules]\nnon-yardstick-term = \"off\"\n",
    )
    .unwrap();
    assert!(!reported(), "the folder's own setting was not read");
}

/// The workbench reads nothing outside its folder, so `--include-anywhere` (a flag every
/// command takes) is refused rather than silently ignored.
#[test]
fn include_anywhere_is_refused_by_the_workbench() {
    let dir = folder("include-anywhere");
    let out = Command::new(binary())
        .args(["serve", "--port", "0", "--include-anywhere"])
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("does not take `--include-anywhere`"), "{err}");
    assert!(out.stdout.is_empty(), "nothing served");
}

/// The library is kept between visits and made again when a case file changes, is added or
/// is removed: each answer is the folder's as it is now.
#[test]
fn the_library_follows_the_folder() {
    let dir = folder("library-cache");
    let s = serve(&dir, &[]);
    let point = |lib: &Value, path: &str| {
        lib["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == path)
            .map(|r| r["lead"]["point"].as_f64().unwrap())
    };
    let first = get(&s, "/api/library").json();
    let before = point(&first, "test.acre").unwrap();
    assert_eq!(
        get(&s, "/api/library").json(),
        first,
        "the same folder, the same answer"
    );
    // a changed likelihood (the same length), an added case, a removed one
    let text = std::fs::read_to_string(dir.join("test.acre")).unwrap();
    assert!(text.contains("given a: 0.8"));
    std::fs::write(
        dir.join("test.acre"),
        text.replace("given a: 0.8", "given a: 0.2"),
    )
    .unwrap();
    std::fs::write(dir.join("added.acre"), &text).unwrap();
    std::fs::remove_file(dir.join("sub/other.acre")).unwrap();
    let after = get(&s, "/api/library").json();
    let now = point(&after, "test.acre").unwrap();
    assert!(now < before, "{before} -> {now}");
    assert_eq!(point(&after, "added.acre"), Some(before));
    assert_eq!(point(&after, "sub/other.acre"), None);
    // a save through the workbench too
    let opened = get(&s, "/api/file?path=test.acre").json();
    let saved = request(
        &s,
        "PUT",
        &format!(
            "/api/file?path=test.acre&version={}",
            opened["version"].as_str().unwrap()
        ),
        text.as_bytes(),
        &[],
    );
    assert_eq!(
        saved.status,
        200,
        "{}",
        String::from_utf8_lossy(&saved.body)
    );
    assert_eq!(
        point(&get(&s, "/api/library").json(), "test.acre"),
        Some(before)
    );
}

/// `--open` hands the workbench's address to the system's opener (`xdg-open` here, a stand-in
/// on the `PATH` that writes down what it was given), and says so when there is none.
#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_address_to_the_browser_or_says_it_could_not() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder("open");
    let bin = dir.parent().unwrap().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = bin.join("opened");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let start = |path: &Path| {
        let mut command = Command::new(binary());
        command
            .args(["serve", "--port", "0", "--open"])
            .arg(&dir)
            .env("PATH", path)
            .stderr(Stdio::piped());
        started(command)
    };
    let (mut child, url) = start(&bin);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(std::fs::read_to_string(&opened).unwrap_or_default(), url);
    // no opener on the PATH: the address is given with the reason
    let (mut child, url) = start(&dir.join("no-such-folder"));
    let mut err = child.stderr.take().unwrap();
    let mut line = String::new();
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(&mut err).read_line(&mut line);
        line
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while !reader.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    line.push_str(&reader.join().unwrap());
    assert!(
        line.contains("could not open a browser") && line.contains(&format!("open {url} yourself")),
        "{line}"
    );
}
