//! Every `--format json` output validates against its published JSON Schema, and the
//! published schemas in `tests/schemas/acre/` are the ones generated from the Rust types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::cases;

use serde_json::Value;

fn acre(args: &[&str]) -> Value {
    let out = cli::acre(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn published(name: &str) -> Value {
    let path = format!(
        "{}/tests/schemas/acre/{name}.schema.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn check(name: &str, doc: &Value) {
    let validator = jsonschema::validator_for(&published(name)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
}

#[test]
fn published_schemas_are_the_generated_ones() {
    for name in acre::report::schemas::NAMES {
        assert_eq!(
            acre::report::schemas::schema(name).unwrap(),
            published(name),
            "regenerate tests/schemas/acre/{name}.schema.json with `acre schema {name}`"
        );
    }
}

#[test]
fn every_output_validates() {
    for case in cases() {
        check("check", &acre(&["check", &case, "--format", "json"]));
        check(
            "assess",
            &acre(&["assess", &case, "--format", "json", "--samples", "500"]),
        );
        check(
            "explain",
            &acre(&["explain", &case, "--format", "json", "--samples", "500"]),
        );
    }
    check(
        "check",
        &acre(&[
            "check",
            "tests/fixtures/invalid/echo-cycle.acre",
            "--format",
            "json",
        ]),
    );
    for draft in std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/review"
    ))
    .unwrap()
    {
        let draft = draft.unwrap().path();
        if draft.extension().is_some_and(|e| e == "md") {
            let draft = draft.display().to_string();
            check("review", &acre(&["review", &draft, "--format", "json"]));
        }
    }
    check(
        "review",
        &acre(&[
            "review",
            "tests/fixtures/review/overclaim-for-apt31-case.md",
            "--case",
            "cases/apt31-uk-parliament-2021.acre",
            "--format",
            "json",
            "--samples",
            "500",
        ]),
    );
    check(
        "calibrate",
        &acre(&[
            "calibrate",
            "cases/",
            "--format",
            "json",
            "--samples",
            "500",
        ]),
    );
    check(
        "calibrate",
        &acre(&[
            "calibrate",
            "--forecasts",
            "tests/fixtures/data/gjp/forecasts.csv",
            "--format",
            "json",
        ]),
    );
    check(
        "lexicon",
        &acre(&[
            "lexicon",
            "fit",
            "tests/fixtures/data/perceptions/probly.csv",
            "--format",
            "json",
        ]),
    );
}

#[test]
fn the_schemas_can_reject() {
    let mut doc = acre(&[
        "assess",
        "cases/wannacry-2017.acre",
        "--format",
        "json",
        "--samples",
        "200",
    ]);
    doc["hypotheses"][0]["posterior"]["point"] = Value::String("high".into());
    let validator = jsonschema::validator_for(&published("assess")).unwrap();
    assert!(validator.iter_errors(&doc).next().is_some());
}
