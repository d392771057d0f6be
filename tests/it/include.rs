//! `include "path.acre"`: shared sources used by two cases give the numbers the same
//! declarations written in give; every kind of include mistake points at the include line
//! and names the file it is in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use serde_json::Value;
use support::acre;

const DIR: &str = "tests/fixtures/include";

fn run(name: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let path = format!("{DIR}/{name}");
    let mut args = extra.to_vec();
    args.push(&path);
    let out = acre(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn points(name: &str) -> Vec<f64> {
    let (_, stdout, _) = run(name, &["assess", "--format", "json", "--samples", "500"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    v["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["posterior"]["point"].as_f64().unwrap())
        .collect()
}

#[test]
fn shared_sources_serve_two_cases_and_change_no_number() {
    for case in ["case-a.acre", "case-b.acre"] {
        let (code, stdout, stderr) = run(case, &["check"]);
        assert_eq!(code, Some(0), "{case}: {stderr}");
        // a shared file's sources that a case does not use are not findings
        assert!(
            stdout.contains("3 sources") && !stdout.contains("warning"),
            "{stdout}"
        );
    }
    let included = points("case-a.acre");
    let inline = points("case-a-inline.acre");
    assert_eq!(included.len(), 2);
    for (a, b) in included.iter().zip(&inline) {
        assert_eq!(a, b);
    }
    // case-b reaches `press` through the echo chain press -> hmg -> ncsc declared in the shared file
    let (code, _, _) = run("case-b.acre", &["assess"]);
    assert_eq!(code, Some(0));
}

#[test]
fn every_include_mistake_points_at_the_include_and_names_the_file() {
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "not-found.acre",
            "acre::include-not-found",
            &["not-found.acre:1:9", "no-such-file.acre"],
        ),
        (
            "cycle.acre",
            "acre::include-cycle",
            &["shared/cycle-back.acre:2:9", "leads back"],
        ),
        (
            "not-shareable.acre",
            "acre::include-not-shareable",
            &["shared/with-evidence.acre:2:10", "not-shareable.acre:1:9"],
        ),
        (
            "clash.acre",
            "acre::duplicate-id",
            &[
                "shared/uk-sources.acre:2:8",
                "clash.acre:6:8",
                "included here",
            ],
        ),
        (
            "error-inside.acre",
            "acre::invalid-grade",
            &["shared/bad-grade.acre:1:26"],
        ),
    ];
    for (file, code, places) in cases {
        let (status, _, stderr) = run(file, &["check"]);
        assert_eq!(status, Some(1), "{file}: {stderr}");
        assert!(stderr.contains(code), "{file}: {stderr}");
        for place in places {
            assert!(stderr.contains(place), "{file}: `{place}` not in\n{stderr}");
        }
    }
}

#[test]
fn json_lists_findings_under_the_file_they_are_in() {
    let (_, stdout, _) = run("error-inside.acre", &["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "tests/fixtures/include/error-inside.acre",
            "tests/fixtures/include/shared/bad-grade.acre"
        ]
    );
    let inner = &v["files"][1]["diagnostics"][0];
    assert_eq!(inner["code"], "acre::invalid-grade");
    assert_eq!(inner["line"], 1);
}
