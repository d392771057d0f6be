//! `acre check` and `acre yardstick` end to end, through the built binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::acre;

use std::path::Path;
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("acre-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn worked_cases_pass() {
    // every case, in the subfolders too (history, pool)
    let mut files = Vec::new();
    cli::acre_files_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"),
        &mut files,
    );
    let cases: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    assert!(cases.len() >= 5);
    let args: Vec<&str> = std::iter::once("check")
        .chain(cases.iter().map(String::as_str))
        .collect();
    let out = acre(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out)
            .lines()
            .filter(|l| l.starts_with("ok: "))
            .count(),
        cases.len()
    );
}

#[test]
fn every_invalid_fixture_exits_1_with_code_position_and_help() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let p = path.display().to_string();
        let text = acre(&["check", "--color", "never", &p]);
        assert_eq!(text.status.code(), Some(1), "{p}");
        let err = stderr(&text);
        assert!(err.contains("acre::"), "{p}: no code in {err}");
        assert!(err.contains("help:"), "{p}: no help in {err}");
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            err.contains(&format!("{}:", p)) || err.contains(&file_name),
            "{p}: no position"
        );

        let json = acre(&["check", "--format", "json", &p]);
        assert_eq!(json.status.code(), Some(1), "{p}");
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        let diags = v["files"][0]["diagnostics"].as_array().unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let own = diags
            .iter()
            .find(|d| d["code"] == format!("acre::{stem}"))
            .unwrap();
        for field in [
            "code", "severity", "message", "help", "file", "line", "column", "span",
        ] {
            assert!(!own[field].is_null(), "{p}: {field} missing");
        }
        assert!(own["line"].as_u64().unwrap() >= 1);
        assert!(own["column"].as_u64().unwrap() >= 1);
        n += 1;
    }
    assert!(n >= 30, "only {n} fixtures");
}

#[test]
fn json_positions_match_the_source() {
    let out = acre(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/not-a-term.acre",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "acre::not-a-term")
        .unwrap()
        .clone();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/not-a-term.acre"),
    )
    .unwrap();
    let (start, end) = (
        d["span"][0].as_u64().unwrap() as usize,
        d["span"][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "high likelihood");
    let line = text
        .lines()
        .nth(d["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    let col = d["column"].as_u64().unwrap() as usize - 1;
    assert!(line[col..].starts_with("high likelihood"));
    assert_eq!(d["severity"], "error");
    assert_eq!(d["help"], "did you mean `highly likely` (80-90%)?");
}

#[test]
fn binary_junk_is_a_clear_error_not_a_panic() {
    let path = temp_file("junk.acre", b"\xff\xfe\x00garbage");
    let out = acre(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("UTF-16"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn missing_paths_and_directories_exit_2() {
    let out = acre(&["check", "no/such/file.acre"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"));
    let dir = std::env::temp_dir().join(format!("acre-empty-dir-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("x.acre")).unwrap();
    let out = acre(&["check", dir.join("x.acre").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // a folder is searched for case files; one without any says so
    assert!(
        stderr(&out).contains("holds no `.acre` files"),
        "{}",
        stderr(&out)
    );
    // a command that needs one file says a folder is not one
    let out = acre(&["assess", dir.join("x.acre").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
}

#[test]
fn edge_inputs_are_handled() {
    let braces = "{".repeat(100_000);
    let cases: [(&str, &[u8], i32); 7] = [
        ("empty.acre", b"", 1),
        ("bom.acre", b"\xef\xbb\xbfcase \"x\" { }\nhypothesis a prior 50%\nhypothesis b prior rest catch-all\n", 0),
        ("crlf.acre", b"case \"x\" {\r\n  question \"q\"\r\n}\r\nhypothesis a prior 50%\r\nhypothesis b prior rest catch-all\r\n", 0),
        ("tabs.acre", b"case\t\"x\"\t{\t}\nhypothesis\ta\tprior\t50%\nhypothesis\tb\tprior\trest\tcatch-all\n", 0),
        ("nan.acre", b"hypothesis a prior NaN\nhypothesis b prior rest catch-all\n", 1),
        ("braces.acre", braces.as_bytes(), 1),
        ("unterminated.acre", b"case \"x", 1),
    ];
    for (name, bytes, code) in cases {
        let path = temp_file(name, bytes);
        let out = acre(&["check", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(code), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{name}");
    }
}

#[test]
fn many_hypotheses_and_large_files_are_handled() {
    let mut text = String::from("case \"big\" { question \"q\" }\n");
    for i in 0..10_000 {
        text.push_str(&format!("hypothesis h{i} \"H{i}\"\n"));
    }
    text.push_str("hypothesis other \"Someone else\" catch-all\n");
    let path = temp_file("many.acre", text.as_bytes());
    let out = acre(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // about 10 MB of repeated evidence blocks
    let mut big = String::from(
        "case \"big\" { question \"q\" }\nhypothesis h1 \"H1\" prior 30%\nhypothesis h2 \"H2\" prior 30%\nhypothesis other \"Someone else\" prior rest catch-all\n",
    );
    let block = "evidence e{} \"an item\" { grade B2 given h1: likely otherwise: unlikely }\n";
    let mut i = 0;
    while big.len() < 10_000_000 {
        big.push_str(&block.replace("{}", &i.to_string()));
        i += 1;
    }
    let path = temp_file("big.acre", big.as_bytes());
    let out = acre(&["check", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &stderr(&out)[..stderr(&out).len().min(2000)]
    );
}

#[test]
fn yardstick_phia_prints_seven_terms_with_bands_and_source() {
    let out = acre(&["yardstick", "phia"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for (term, band) in [
        ("remote chance", "0-5%"),
        ("highly unlikely", "10-20%"),
        ("unlikely", "25-35%"),
        ("realistic possibility", "40-50%"),
        ("likely", "55-75%"),
        ("highly likely", "80-90%"),
        ("almost certain", "95-100%"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(term) && l.contains(band)),
            "{term} {band}\n{text}"
        );
    }
    assert!(text.contains("source: Professional Head of Intelligence Assessment"));
    for name in ["icd203", "kent", "ipcc", "enfsi", "admiralty", "stix"] {
        let out = acre(&["yardstick", name]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert!(stdout(&out).contains("source:"), "{name}");
    }
    assert_eq!(acre(&["yardstick", "phai"]).status.code(), Some(2));
}

/// A judgment the numbers do not support is a warning in `check` and a verdict in `assess`,
/// not only in `report` and `review`.
#[test]
fn check_and_assess_show_judgment_verdicts() {
    // the Sony case expects its FBI judgment to overclaim (`expect fbi2014 overclaims`):
    // without that line the overclaim is a warning
    let text = std::fs::read_to_string("cases/sony-pictures-2014.acre").unwrap();
    assert!(text.contains("\nexpect fbi2014 overclaims\n"));
    let dir = std::env::temp_dir().join(format!("acre-verdict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bare = dir.join("sony.acre");
    std::fs::write(&bare, text.replace("\nexpect fbi2014 overclaims\n", "\n")).unwrap();
    let out = acre(&["check", bare.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let all = format!("{}{err}", String::from_utf8_lossy(&out.stdout));
    assert!(all.contains("acre::overclaim"), "{all}");
    assert!(all.contains("judgment `fbi2014` overclaims"), "{all}");
    assert!(all.contains("1 warning"), "{all}");
    // with it, a note that says it was expected, and `acre test` holds the case to it
    let out = acre(&["check", "cases/sony-pictures-2014.acre"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("overclaims: dprk is 70.4%"), "{all}");
    assert!(all.contains("as the case expects"), "{all}");
    assert!(!all.contains("warning"), "{all}");
    let holds = dir.join("holds.acre");
    std::fs::write(
        &holds,
        text.replace("expect fbi2014 overclaims", "expect fbi2014 holds"),
    )
    .unwrap();
    let out = acre(&["test", holds.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "the judgment does not hold");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("judgment fbi2014 is overclaim"), "{stdout}");
    // said of anything but a judgment, or a judgment compared like a hypothesis: errors
    let wrong = dir.join("wrong.acre");
    std::fs::write(
        &wrong,
        "case \"t\" { question \"q\" }\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nevidence e \"E\" { grade B2 given a: likely otherwise: unlikely }\njudgment kj \"x\" { claims a likely }\nexpect a overclaims\nexpect confidence holds\nexpect kj at least likely\n",
    )
    .unwrap();
    let out = acre(&["check", wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`a` is a hypothesis, not judgment"), "{err}");
    assert!(
        err.contains("name one, e.g. `expect kj overclaims`"),
        "{err}"
    );
    assert!(err.contains("`holds` is said of a judgment"), "{err}");
    assert!(err.contains("e.g. `expect kj holds`"), "{err}");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("3 errors"), "{summary}");
    std::fs::remove_dir_all(&dir).unwrap();
    let v: serde_json::Value = serde_json::from_slice(
        &acre(&[
            "assess",
            "cases/sony-pictures-2014.acre",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(v["judgments"][0]["id"], "fbi2014");
    assert_eq!(v["judgments"][0]["verdict"], "overclaim");
    let text = String::from_utf8_lossy(&acre(&["assess", "cases/sony-pictures-2014.acre"]).stdout)
        .to_string();
    assert!(
        text.contains("overclaim  fbi2014: claims dprk almost certain"),
        "{text}"
    );
    // a consistent judgment is no warning
    let out = acre(&["check", "cases/wannacry-2017.acre"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains("overclaim") && !all.contains("underclaim"),
        "{all}"
    );
}

#[test]
fn a_date_with_one_digit_parts_is_one_error_with_its_fix_and_the_rest_is_kept() {
    // on one line: the fields after the date were lost, and the item was reported as
    // saying nothing about how expected it is
    let text = "case \"t\" { question \"q\" }\nhypothesis a prior 50%\nhypothesis b prior rest catch-all\n\
                evidence e { reported 2020-1-5 grade B2 given a: likely otherwise: unlikely }\n";
    let checked = acre::check::check_source(text);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["acre::invalid-date"]);
    let d = &checked.diagnostics[0];
    assert_eq!(
        d.help.as_deref(),
        Some("write `2020-01-05` (dates are `2024-03-25`, `2024-03` or `2024`)")
    );
    let fix = d.fixes.first().expect("a fix");
    assert_eq!(fix.replacement, "2020-01-05");
    assert_eq!(fix.span.text(text), "2020-1-5");
}
