//! Running the built `acre` binary from the tests, as a user would, with a fixed
//! terminal width and no colour so that output is the same everywhere.

#![allow(dead_code)]

use std::process::{Command, Output};

/// The binary under test: this build's, or the one `ACRE_TEST_BIN` names (to show that a
/// regression test fails on an older build).
pub fn binary() -> String {
    std::env::var("ACRE_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_acre").to_string())
}

/// Runs `acre ARGS` in the crate's root.
pub fn acre(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap()
}

/// Runs acre, which must succeed (exit 0), and reads what it printed as JSON.
pub fn acre_json(args: &[&str]) -> serde_json::Value {
    let out = acre(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "acre {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("acre {}: not JSON: {e}", args.join(" ")))
}

/// The worked cases, sorted.
pub fn cases() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/cases"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".acre"))
        .collect();
    v.sort();
    v
}

/// A fresh, empty folder for one test (removed first if a previous run left it).
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("acre-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `acre ARGS` and gives up (killing it) after `seconds`: `None` when it did not end.
pub fn acre_within(args: &[&str], seconds: u64) -> Option<Output> {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Every `.acre` file under `dir`, recursively.
pub fn acre_files_in(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            acre_files_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "acre") {
            out.push(path);
        }
    }
}

/// Every `.acre` file of the project: the worked cases and the fixtures, sorted.
pub fn project_acre_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    acre_files_in(&root.join("cases"), &mut files);
    acre_files_in(&root.join("tests/fixtures"), &mut files);
    files.sort();
    files
}

/// Runs `git ARGS` in `dir` (as a fixed committer), which must succeed.
pub fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=acre", "-c", "user.email=acre@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
