//! Every diagnostic code is triggered by something a user can do: case-file codes by the
//! fixture named after them, review rules by their rule fixture (run in
//! tests/it/review_patterns.rs), and input codes by a command. A new code without a trigger fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use acre::code::{Code, Origin};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{acre, scratch};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CASE: &str = "cases/apt31-uk-parliament-2021.acre";

/// The ids found in a command's whole output.
fn codes_in(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn case_fixture(code: Code) -> PathBuf {
    ["invalid", "warnings"]
        .iter()
        .map(|dir| Path::new(ROOT).join(format!("tests/fixtures/{dir}/{}.acre", code.name())))
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "{code} has no fixture tests/fixtures/{{invalid,warnings}}/{}.acre",
                code.name()
            )
        })
}

/// Runs the command that raises an input code, in a scratch folder prepared for it.
fn trigger_input(code: Code) -> String {
    let dir = scratch(&format!("code-{}", code.name()));
    let d = |name: &str| dir.join(name).display().to_string();
    let write = |name: &str, text: &[u8]| std::fs::write(dir.join(name), text).unwrap();
    let case = Path::new(ROOT).join(CASE).display().to_string();
    let out = match code {
        Code::CaseHasErrors => acre(&["assess", "tests/fixtures/invalid/unknown-id.acre"]),
        Code::Config => {
            write("acre.toml", b"yardstick = 3\n");
            write("d.md", b"It is likely.\n");
            Command::new(support::binary())
                .args(["review", "d.md"])
                .current_dir(&dir)
                .env("NO_COLOR", "1")
                .output()
                .unwrap()
        }
        Code::CsvColumn => {
            write("x.csv", b"a,b\n1,2\n");
            acre(&["calibrate", "--forecasts", &d("x.csv")])
        }
        Code::CsvValue => {
            write("x.csv", b"probability,outcome\nabc,1\n");
            acre(&["calibrate", "--forecasts", &d("x.csv")])
        }
        Code::EmptyFolder => acre(&["check", &dir.display().to_string()]),
        Code::IoError => acre(&["report", CASE, "-o", &format!("{case}/x.html")]),
        Code::IsADirectory => acre(&["review", "cases"]),
        Code::NoSuchFile => acre(&["check", &d("missing.acre")]),
        Code::NotAFile => acre(&["check", "/dev/null"]),
        Code::IncludeCycle => acre(&["check", "tests/fixtures/include/cycle.acre"]),
        Code::IncludeNotFound => acre(&["check", "tests/fixtures/include/not-found.acre"]),
        Code::IncludeNotShareable => acre(&["check", "tests/fixtures/include/not-shareable.acre"]),
        Code::NotFormatted => {
            write("messy.acre", b"hypothesis a \"A\"    prior 20%\n");
            acre(&["fmt", "--check", &d("messy.acre")])
        }
        Code::OutputIsInput => acre(&["report", CASE, "-o", CASE]),
        Code::PoolMismatch => acre(&["pool", CASE, "cases/wannacry-2017.acre"]),
        Code::Survey => {
            write("s.csv", b"foo\n");
            acre(&["lexicon", "fit", &d("s.csv")])
        }
        Code::TooLarge => acre(&["--max-input-size", "10", "check", CASE]),
        Code::Usage => acre(&["review"]),
        other => panic!("{other} is an input code without a trigger in tests/it/codes.rs"),
    };
    codes_in(&out)
}

#[test]
fn every_code_has_a_trigger_that_raises_it() {
    let mut missing = Vec::new();
    for &code in Code::ALL {
        let raised = match code.origin() {
            Origin::Case => {
                let path = case_fixture(code);
                let text = std::fs::read(&path).unwrap();
                let file = acre::source::decode(path.display().to_string(), text);
                let mut codes: Vec<Code> = file.encoding_error.iter().map(|d| d.code).collect();
                codes.extend(
                    acre::check::check_source(&file.text)
                        .diagnostics
                        .iter()
                        .map(|d| d.code),
                );
                codes.contains(&code)
            }
            // a review rule's fixture is run by tests/it/review_patterns.rs, which iterates the
            // rules; here each review code must belong to a rule
            Origin::Review => acre::review::rules::ALL.iter().any(|r| r.code() == code),
            Origin::Input => trigger_input(code).contains(code.as_str()),
        };
        if !raised {
            missing.push(code.as_str());
        }
    }
    assert!(
        missing.is_empty(),
        "not raised by their trigger: {missing:?}"
    );
}

#[test]
fn every_fixture_is_named_after_a_code() {
    for dir in ["invalid", "warnings"] {
        for entry in std::fs::read_dir(Path::new(ROOT).join("tests/fixtures").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap();
            let code = Code::from_id(stem);
            assert!(
                code.is_some_and(|c| c.origin() == Origin::Case),
                "{} names no case-file code",
                path.display()
            );
        }
    }
}
