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
