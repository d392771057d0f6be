//! Snapshots of `check` diagnostics over every case and fixture, rendered
//! without colour at a fixed width, plus assertions on what each must contain.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::check::check_source;
use acre::diagnostic::{RenderOptions, Severity, render};
use acre::source::decode;
use std::path::Path;

fn load(path: &Path) -> (String, Vec<acre::diagnostic::Diagnostic>) {
    let bytes = std::fs::read(path).unwrap();
    let file = decode(
        path.file_name().unwrap().to_string_lossy().into_owned(),
        bytes,
    );
    let diags = match file.encoding_error {
        Some(d) => vec![d],
        None => check_source(&file.text).diagnostics,
    };
    (file.text, diags)
}

fn rendered(path: &Path) -> String {
    let (text, diags) = load(path);
    let name = path.file_name().unwrap().to_string_lossy();
    render(
        &diags,
        &name,
        &text,
        RenderOptions {
            color: false,
            width: 80,
        },
    )
}

#[test]
fn worked_cases_check_cleanly() {
    insta::glob!("../../cases", "*.acre", |path| {
        let (_, diags) = load(path);
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {:?}", path.display(), errors);
        insta::assert_snapshot!(rendered(path));
    });
}

#[test]
fn every_invalid_fixture_reports_its_own_kind() {
    insta::glob!("../fixtures/invalid", "*.acre", |path| {
        let (text, diags) = load(path);
        let kind = path.file_stem().unwrap().to_string_lossy();
        let code = format!("acre::{kind}");
        let own: Vec<_> = diags.iter().filter(|d| d.code.as_str() == code).collect();
        assert!(!own.is_empty(), "{kind}: expected {code}, got {diags:?}");
        assert!(
            diags.iter().any(|d| d.severity == Severity::Error),
            "{kind}: no error"
        );
        for d in &own {
            assert!(
                d.help.as_deref().is_some_and(|h| !h.is_empty()),
                "{kind}: no help"
            );
            let span = d.primary().expect("a label");
            assert!(span.end <= text.len(), "{kind}: span outside the text");
        }
        insta::assert_snapshot!(rendered(path));
    });
}

#[test]
fn warning_fixtures_warn_without_errors() {
    insta::glob!("../fixtures/warnings", "*.acre", |path| {
        let (_, diags) = load(path);
        let kind = path.file_stem().unwrap().to_string_lossy();
        let code = format!("acre::{kind}");
        assert!(
            diags
                .iter()
                .any(|d| d.code.as_str() == code && d.severity != Severity::Error),
            "{kind}: {diags:?}"
        );
        assert!(
            !diags.iter().any(|d| d.severity == Severity::Error),
            "{kind}: {diags:?}"
        );
        insta::assert_snapshot!(rendered(path));
    });
}

/// What is underlined matters as much as the code: check a few by their text.
#[test]
fn labels_underline_the_mistake() {
    let underlined = |name: &str, code: &str| -> Vec<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/invalid")
            .join(name);
        let (text, diags) = load(&path);
        diags
            .iter()
            .filter(|d| d.code == code)
            .flat_map(|d| d.labels.iter().map(|l| l.span.text(&text).to_string()))
            .collect()
    };
    assert_eq!(
        underlined("not-a-term.acre", "acre::not-a-term"),
        ["high likelihood"]
    );
    assert_eq!(
        underlined("unknown-term.acre", "acre::unknown-term"),
        ["highly likley"]
    );
    assert_eq!(
        underlined("priors-sum.acre", "acre::priors-sum"),
        ["50%", "40%", "20%"]
    );
    assert_eq!(
        underlined("echo-cycle.acre", "acre::echo-cycle"),
        ["news", "wire", "blog"]
    );
    assert_eq!(
        underlined("dependency-cycle.acre", "acre::dependency-cycle"),
        ["dropper", "lure"]
    );
    assert_eq!(underlined("unknown-id.acre", "acre::unknown-id"), ["apt82"]);
    assert_eq!(
        underlined("mixed-rows.acre", "acre::mixed-rows"),
        ["very likely", "improbable"]
    );
    assert_eq!(
        underlined("invalid-utf8.acre", "acre::invalid-utf8").len(),
        1
    );
}
