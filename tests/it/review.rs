//! `acre review`: the rules on realistic drafts, configuration, JSON and SARIF.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::acre;

use serde_json::Value;

fn json(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = acre(&all);
    (
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout))),
        out.status.code(),
    )
}

const NEWS: &str = "tests/fixtures/review/news-apt31-email-reconnaissance.md";

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn the_news_article_gets_all_three_problems() {
    let (v, code) = json(&["review", NEWS]);
    assert_eq!(code, Some(1), "error-level findings fail the run");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/review/news-apt31-email-reconnaissance.md"
    ))
    .unwrap();
    let at = |f: &Value| {
        &text[f["start"].as_u64().unwrap() as usize..f["end"].as_u64().unwrap() as usize]
    };

    let non_term = findings(&v, "non-yardstick-term");
    assert_eq!(non_term.len(), 1);
    assert_eq!(at(non_term[0]), "high likelihood");
    assert_eq!(non_term[0]["text"], "high likelihood");
    assert!(
        non_term[0]["suggestion"]
            .as_str()
            .unwrap()
            .contains("highly likely")
    );
    assert_eq!(non_term[0]["severity"], "error");

    let conflict = findings(&v, "conflicting-terms");
    assert_eq!(conflict.len(), 1);
    assert_eq!(at(conflict[0]), "almost certainly");
    let related = conflict[0]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "both places are labelled");
    assert_eq!(related[0]["text"], "high likelihood");

    let hedge = findings(&v, "hedge-stacking");
    assert_eq!(hedge.len(), 1);
    assert_eq!(at(hedge[0]), "suggests the group was almost certainly");

    // the quoted report title is not a phrase, the modal in the quote is
    let phrases: Vec<&str> = v["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        phrases,
        [
            "high likelihood",
            "almost certainly",
            "suggests",
            "almost certainly",
            "may",
            "cannot rule out"
        ]
    );
    let almost = &v["phrases"][1];
    assert_eq!(almost["kind"], "likelihood");
    assert_eq!(almost["term"], "almost certain");
    assert_eq!(almost["yardstick"], "phia");
    assert_eq!(almost["band"], serde_json::json!([0.95, 1.0]));
    // "may" about "the group" (APT31, named earlier) and "cannot rule out" about APT31
    let vague: Vec<&str> = findings(&v, "vague-term")
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(vague, ["may", "cannot rule out"]);
}

#[test]
fn terminal_output_labels_the_spans() {
    let out = acre(&["review", NEWS]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("acre::non-yardstick-term"));
    assert!(text.contains("help: write `it was highly likely` (80-90%)"));
    assert!(text.contains("acre::conflicting-terms"));
    assert!(text.contains("acre::hedge-stacking"));
}

#[test]
fn a_clean_statement_passes() {
    let (v, code) = json(&["review", "tests/fixtures/review/ncsc-style-statement.md"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["phrases"].as_array().unwrap().len(), 3);
}

#[test]
fn icd203_rules() {
    let (v, code) = json(&[
        "review",
        "tests/fixtures/review/icd203-mixed-rows.md",
        "--yardstick",
        "icd203",
    ]);
    assert_eq!(code, Some(1));
    let rows = findings(&v, "mixed-yardsticks");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["text"], "highly probable");
    assert_eq!(rows[0]["severity"], "error");
    let c = findings(&v, "confidence-with-likelihood");
    assert_eq!(c[0]["severity"], "error");
    // the same sentence is only a note under PHIA
    let (v, _) = json(&["review", "tests/fixtures/review/icd203-mixed-rows.md"]);
    assert_eq!(
        findings(&v, "confidence-with-likelihood")[0]["severity"],
        "info"
    );
    assert_eq!(findings(&v, "mixed-yardsticks").len(), 3);
}

#[test]
fn numbers_beside_terms() {
    let (v, _) = json(&["review", "tests/fixtures/review/numbers-and-vague.md"]);
    let m = findings(&v, "number-term-mismatch");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["text"], "90%");
    let (v, _) = json(&[
        "review",
        "tests/fixtures/review/numbers-and-vague.md",
        "--rule",
        "missing-number=warning",
    ]);
    let missing: Vec<&str> = findings(&v, "missing-number")
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(
        missing.is_empty(),
        "every term there has a number: {missing:?}"
    );
    let (v, _) = json(&["review", NEWS, "--rule", "missing-number=warning"]);
    assert_eq!(findings(&v, "missing-number").len(), 3);
}

#[test]
fn overclaim_against_the_case() {
    let (v, code) = json(&[
        "review",
        "tests/fixtures/review/overclaim-for-apt31-case.md",
        "--case",
        "cases/apt31-uk-parliament-2021.acre",
    ]);
    assert_eq!(code, Some(1));
    let o = findings(&v, "overclaim");
    assert_eq!(o.len(), 1);
    assert_eq!(o[0]["text"], "likely");
    // the hypothesis by id in the data, by its label in the message
    assert_eq!(o[0]["hypothesis"], "other_cn");
    assert!(
        o[0]["message"]
            .as_str()
            .unwrap()
            .contains("for Another China state-affiliated actor:"),
        "{}",
        o[0]["message"]
    );
    // every comparison is listed, the consistent one too
    let compared: Vec<(&str, &str)> = v["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["hypothesis"].as_str().unwrap(),
                c["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        compared,
        [("apt31", "consistent"), ("other_cn", "overclaim")]
    );
    // the case's own judgment is checked too, on the term in its text
    let j = &v["judgments"][0];
    assert_eq!(j["id"], "kj1");
    assert_eq!(j["verdict"], "consistent");
    assert_eq!(j["finding"]["text"], "almost certain");
}

#[test]
fn rules_are_configurable_in_acre_toml_and_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("acre-review-config-{}", std::process::id()));
    let sub = dir.join("drafts");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.join("acre.toml"), "yardstick = \"phia\"\n[rules]\nnon-yardstick-term = \"warning\"\nconflicting-terms = \"off\"\n").unwrap();
    let draft = sub.join("news.md");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/review/news-apt31-email-reconnaissance.md"
        ),
        &draft,
    )
    .unwrap();
    let (v, code) = json(&["review", draft.to_str().unwrap()]);
    assert_eq!(code, Some(0), "only warnings remain");
    assert_eq!(findings(&v, "non-yardstick-term")[0]["severity"], "warning");
    assert!(findings(&v, "conflicting-terms").is_empty());
    // the command line wins over the file
    let (v, code) = json(&[
        "review",
        draft.to_str().unwrap(),
        "--rule",
        "conflicting-terms=error",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(findings(&v, "conflicting-terms").len(), 1);
    // mistakes in rules are usage errors
    assert_eq!(
        acre(&[
            "review",
            draft.to_str().unwrap(),
            "--rule",
            "conflicting-term=error"
        ])
        .status
        .code(),
        Some(2)
    );
    std::fs::write(
        dir.join("acre.toml"),
        "[rules]\nhedge-stacking = \"loud\"\n",
    )
    .unwrap();
    let out = acre(&["review", draft.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // the mistake is drawn where it is in acre.toml: line 2, the value's column
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown level `loud` for rule `hedge-stacking`"),
        "{err}"
    );
    assert!(err.contains("acre.toml:2:18]"), "{err}");
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/schemas/sarif-2.1.0-rtm.5.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        vec!["review", NEWS, "--format", "sarif"],
        vec![
            "review",
            "tests/fixtures/review/overclaim-for-apt31-case.md",
            "--case",
            "cases/apt31-uk-parliament-2021.acre",
            "--format",
            "sarif",
        ],
        vec![
            "review",
            "tests/fixtures/review/ncsc-style-statement.md",
            "--format",
            "sarif",
        ],
    ] {
        let out = acre(&args);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
        assert_eq!(v["version"], "2.1.0");
    }
    let v: Value =
        serde_json::from_slice(&acre(&["review", NEWS, "--format", "sarif"]).stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let rule_ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(
        rule_ids.contains(&"non-yardstick-term")
            && rule_ids.contains(&"conflicting-terms")
            && rule_ids.contains(&"hedge-stacking")
    );
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 10);
    assert_eq!(region["snippet"]["text"], "high likelihood");
}

#[test]
fn rendered_reviews_of_every_fixture() {
    insta::glob!("../fixtures/review", "*.md", |path| {
        let out = acre(&["review", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout).replace(env!("CARGO_MANIFEST_DIR"), "");
        insta::assert_snapshot!(text);
    });
}
