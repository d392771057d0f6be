//! `acre review` on the patterns that made its findings untrustworthy on real prose
//! (each test is named after one; its fixture is under `tests/fixtures/review/patterns/`),
//! and one fixture per rule that triggers it and one that must not.
//!
//! The pattern tests drive the binary, so they can be pointed at an older build with
//! `ACRE_TEST_BIN=path/to/acre cargo test --test review_patterns` to see them fail there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::acre;

use serde_json::Value;

fn review(fixture: &str, extra: &[&str]) -> Value {
    let path = format!("tests/fixtures/review/{fixture}");
    let mut args = vec!["review", path.as_str(), "--format", "json"];
    args.extend(extra);
    let out = acre(&args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{fixture}: {e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn pattern(name: &str) -> Value {
    review(&format!("patterns/{name}.md"), &[])
}

fn with_case(name: &str, case: &str) -> Value {
    review(&format!("patterns/{name}.md"), &["--case", case])
}

/// The texts of the findings of `rule`.
fn found(v: &Value, rule: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["text"].as_str().unwrap().to_string())
        .collect()
}

/// The phrases as (text, kind).
fn phrases(v: &Value) -> Vec<(String, String)> {
    v["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["text"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn phrase<'a>(v: &'a Value, text: &str) -> &'a Value {
    v["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["text"] == text)
        .unwrap_or_else(|| panic!("no phrase `{text}` in {:?}", phrases(v)))
}

#[test]
fn capitals_are_not_actors() {
    // TLP:WHITE, PDF, MFA, COVID, APT, T1078, S0030 and "Cobalt" of Cobalt Strike are not
    // subjects, so two terms about them are no conflict
    let v = pattern("capitals-are-not-actors");
    assert_eq!(found(&v, "conflicting-terms"), Vec::<String>::new());
    assert_eq!(found(&v, "vague-term"), Vec::<String>::new());
}

#[test]
fn months_are_not_modals() {
    let v = pattern("months-are-not-modals");
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    assert!(phrases(&v).is_empty(), "{:?}", phrases(&v));
}

#[test]
fn permission_is_not_probability() {
    let v = pattern("permission-is-not-probability");
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    assert!(phrases(&v).is_empty(), "{:?}", phrases(&v));
}

#[test]
fn capability_is_not_probability() {
    let v = pattern("capability-is-not-probability");
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    assert!(phrases(&v).is_empty(), "{:?}", phrases(&v));
}

#[test]
fn habits_are_not_probabilities() {
    let v = pattern("habits-are-not-probabilities");
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    assert!(phrases(&v).is_empty(), "{:?}", phrases(&v));
}

#[test]
fn asides_are_not_judgments() {
    let v = pattern("asides-are-not-judgments");
    assert_eq!(found(&v, "vague-term"), Vec::<String>::new());
}

#[test]
fn conflicts_are_between_claims_not_subjects() {
    let v = pattern("conflicts-are-between-claims");
    assert_eq!(found(&v, "conflicting-terms"), Vec::<String>::new());
    // the same claim in two wordings still conflicts, with both places labelled
    let v = pattern("conflicts-are-still-found");
    let conflicts: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "conflicting-terms")
        .collect();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["text"], "almost certainly");
    assert_eq!(conflicts[0]["related"][0]["text"], "high likelihood");
}

#[test]
fn hedges_stack_within_a_clause() {
    // not across sentences, not across block-quote paragraphs, not on a literal verb
    let v = pattern("hedges-stack-within-a-clause");
    assert_eq!(
        found(&v, "hedge-stacking"),
        ["suggests the group was almost certainly"]
    );
    let f = &v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "hedge-stacking")
        .unwrap();
    // the fix rewrites the actual text, grammatically
    assert_eq!(f["fix"]["replacement"], "shows");
    assert_eq!(
        f["suggestion"],
        "let `almost certainly` carry the uncertainty alone: \"…shows the group was almost certainly responsible…\""
    );
}

#[test]
fn terms_in_curly_quotes_are_found() {
    let v = pattern("terms-in-curly-quotes");
    assert_eq!(
        phrases(&v),
        [
            ("likely".to_string(), "likelihood".to_string()),
            ("almost certainly".to_string(), "likelihood".to_string()),
            ("moderate confidence".to_string(), "confidence".to_string()),
        ]
    );
    assert_eq!(
        phrase(&v, "likely")["band"],
        serde_json::json!([0.55, 0.75])
    );
}

#[test]
fn confidence_in_every_form() {
    let v = pattern("confidence-in-every-form");
    let confidence: Vec<String> = phrases(&v)
        .into_iter()
        .filter(|(_, k)| k == "confidence")
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        confidence,
        [
            "with a high degree of confidence",
            "is confident",
            "highly confident",
            "low-confidence",
            "low to moderate confidence"
        ]
    );
    // a range is one phrase, read as a range
    assert_eq!(
        phrase(&v, "low to moderate confidence")["reading"],
        "low to moderate"
    );
}

#[test]
fn modified_terms_are_not_the_plain_term() {
    let v = pattern("modified-terms");
    for comparison in ["less likely", "more likely", "less than likely"] {
        let p = phrase(&v, comparison);
        assert_eq!(p["kind"], "likelihood");
        assert_eq!(p["band"], Value::Null, "a comparison has no band");
        assert_eq!(p["reading"], "comparative");
    }
    assert_eq!(phrase(&v, "not likely")["band"], Value::Null);
    assert_eq!(phrase(&v, "95% likely")["band"], Value::Null);
    // a negation written into the verb is part of the phrase; a negated term below even
    // odds is a double negative, nearest to even odds
    assert_eq!(
        found(&v, "non-yardstick-term"),
        [
            "not likely",
            "isn\u{2019}t unlikely",
            "isn't likely",
            "extraordinarily likely",
            "95% likely",
            "70 per cent likely"
        ]
    );
    let suggestion = |text: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["text"] == text)
            .map(|f| f["suggestion"].clone())
            .unwrap()
    };
    assert_eq!(
        suggestion("isn\u{2019}t unlikely"),
        "use `realistic possibility` (40-50%)"
    );
    assert_eq!(suggestion("isn't likely"), "use `unlikely` (25-35%)");
}

#[test]
fn chance_and_likelihood_phrases_are_found() {
    let v = pattern("chance-and-likelihood-phrases");
    assert_eq!(
        phrases(&v),
        [
            ("high chance".to_string(), "likelihood".to_string()),
            ("The likelihood is".to_string(), "likelihood".to_string()),
            ("possible that".to_string(), "hedge".to_string()),
        ]
    );
    assert_eq!(
        found(&v, "non-yardstick-term"),
        ["high chance", "The likelihood is"]
    );
}

#[test]
fn unquantified_attribution_is_reported() {
    let v = pattern("unquantified-attribution");
    assert_eq!(
        found(&v, "unquantified-judgment"),
        ["suspected", "believed to be", "reportedly"]
    );
}

#[test]
fn case_sentences_about_an_assumption_are_about_the_assumption() {
    let v = with_case(
        "case-assumption-sentence",
        "cases/olympic-destroyer-2018.acre",
    );
    let messages: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !messages.iter().any(|m| m.contains("lazarus")),
        "{messages:?}"
    );
    // it is checked against the assumption's own posterior instead
    assert_eq!(found(&v, "underclaim"), ["highly unlikely"]);
    assert!(
        messages.iter().any(|m| m.contains("planted")),
        "{messages:?}"
    );
}

#[test]
fn case_conditionals_are_not_claims() {
    let v = with_case("case-conditional", "cases/apt31-uk-parliament-2021.acre");
    assert_eq!(found(&v, "underclaim"), Vec::<String>::new());
    assert_eq!(found(&v, "overclaim"), Vec::<String>::new());
}

#[test]
fn case_north_korean_is_north_korea() {
    let v = with_case("case-north-korean", "cases/wannacry-2017.acre");
    assert_eq!(found(&v, "overclaim"), ["almost certain"]);
}

/// The fixture of a rule: the part before `<!-- not flagged -->` triggers it, the part
/// after must not; `<!-- case: FILE -->` and `<!-- rule: RULE=LEVEL -->` set options.
#[test]
fn every_rule_has_a_fixture_that_triggers_it_and_one_that_does_not() {
    let dir = std::env::temp_dir().join(format!("acre-rule-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for &rule in acre::review::rules::ALL {
        let id = rule.id();
        let path = format!(
            "{}/tests/fixtures/review/rules/{id}.md",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("rule `{id}` has no fixture at {path}"));
        let (flagged, clean) = text
            .split_once("<!-- not flagged -->")
            .unwrap_or_else(|| panic!("{path}: no `<!-- not flagged -->` line"));
        let mut options: Vec<String> = Vec::new();
        for line in text.lines() {
            if let Some(c) = line.strip_prefix("<!-- case: ") {
                options.extend(["--case".into(), c.trim_end_matches(" -->").into()]);
            }
            if let Some(r) = line.strip_prefix("<!-- rule: ") {
                options.extend(["--rule".into(), r.trim_end_matches(" -->").into()]);
            }
        }
        for (part, body, want) in [("flagged", flagged, true), ("clean", clean, false)] {
            let file = dir.join(format!("{id}-{part}.md"));
            std::fs::write(&file, body).unwrap();
            let mut args = vec!["review", file.to_str().unwrap(), "--format", "json"];
            args.extend(options.iter().map(String::as_str));
            let v: Value = serde_json::from_slice(&acre(&args).stdout).unwrap();
            let mut n = found(&v, id).len();
            if let Some(js) = v["judgments"].as_array() {
                n += js.iter().filter(|j| j["finding"]["rule"] == id).count();
            }
            if rule == acre::review::rules::JUDGMENT && !want {
                continue; // the case's judgments are checked whatever the draft says
            }
            assert_eq!(n > 0, want, "{id} ({part}): {v}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn fixes_rewrite_the_draft_and_keep_every_other_byte() {
    let dir = std::env::temp_dir().join(format!("acre-review-fix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draft = dir.join("news.md");
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/review/news-apt31-email-reconnaissance.md"
    ))
    .unwrap();
    std::fs::write(&draft, &original).unwrap();
    let out = acre(&["review", draft.to_str().unwrap(), "--fix"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fixed 2 of 2 fixable findings"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = std::fs::read_to_string(&draft).unwrap();
    let expected = original
        .replace(
            "there was a high likelihood that",
            "it was highly likely that",
        )
        .replace(
            "prosecutors suggests the group",
            "prosecutors shows the group",
        );
    assert_eq!(fixed, expected);
    // nothing left to fix: a second run changes nothing
    let out = acre(&["review", draft.to_str().unwrap(), "--fix"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixed 0 of 0"));
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), expected);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_prints_a_rule() {
    let out = acre(&["review", "--explain", "vague-term"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with("vague-term (acre::vague-term)"), "{text}");
    assert!(text.contains("Default level: phia warning, icd203 info"));
    assert!(text.contains("Flagged:"));
    let out = acre(&["review", "--explain", "vage-term"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `vague-term`?"));
}

/// The conflicts of a review: (the later term, the earlier term it is labelled against).
fn conflicts(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "conflicting-terms")
        .map(|f| {
            (
                f["text"].as_str().unwrap().to_string(),
                f["related"][0]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn one_claim_in_other_words_conflicts() {
    // a relative clause that names another country, a passive with the object first, a
    // nominal "X's involvement", a fronted year, "gained access" / "broke into" with "the
    // group" in the next paragraph: each pair is one claim given two bands
    let v = pattern("one-claim-in-other-words");
    assert_eq!(
        conflicts(&v),
        [
            ("likely".to_string(), "almost certainly".to_string()),
            ("almost certainly".to_string(), "highly likely".to_string()),
            ("almost certainly".to_string(), "highly likely".to_string()),
        ]
    );
}

#[test]
fn other_claims_about_one_actor_do_not_conflict() {
    // another victim, another predicate, a prediction, a capability, a conditional, a
    // quotation, another year, another wave of one attack
    let v = pattern("other-claims-about-one-actor");
    assert_eq!(conflicts(&v), Vec::<(String, String)>::new());
}

#[test]
fn the_case_compares_only_what_it_computes() {
    // the question is compared (and listed though consistent); a prediction, a denial,
    // reported speech, a quotation, another proposition about the actor and acre's own
    // narrative sentence are left alone
    let v = with_case(
        "case-states-only-the-question",
        "cases/apt31-uk-parliament-2021.acre",
    );
    let compared: Vec<(String, String)> = v["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["hypothesis"].as_str().unwrap_or("").to_string(),
                c["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(compared, [("apt31".to_string(), "consistent".to_string())]);
    assert_eq!(found(&v, "overclaim"), Vec::<String>::new());
    assert_eq!(found(&v, "underclaim"), Vec::<String>::new());
    // each likelihood phrase says what it read
    let modes: Vec<&str> = v["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["proposition"]["mode"].as_str())
        .collect();
    assert_eq!(
        modes,
        [
            "asserted",
            "prediction",
            "denial",
            "reported",
            "quoted",
            "asserted",
            "narrative"
        ]
    );
}

#[test]
fn fixing_never_brings_a_finding() {
    // "very unlikely" (ICD 203, 5-20%) holds the criminal group's 5.9%; PHIA's "highly
    // unlikely" (10-20%) would overclaim it, so the fix is held back
    let dir = cli::scratch("review-fix-held-back");
    let draft = dir.join("draft.md");
    let text =
        std::fs::read_to_string("tests/fixtures/review/patterns/fix-never-brings-a-finding.md")
            .unwrap();
    std::fs::write(&draft, &text).unwrap();
    let out = acre(&[
        "review",
        draft.to_str().unwrap(),
        "--case",
        "cases/wannacry-2017.acre",
        "--fix",
    ]);
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), text);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 held back"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "no error-level finding was brought"
    );
}

#[test]
fn a_phrase_across_the_scanners_chunk_edge_is_read_whole() {
    // 1.2 MiB of one sentence: the scanner's 1 MiB chunk edge falls inside "almost
    // certainly"; no phrase is read in two pieces, and one claim repeated is no conflict
    let dir = cli::scratch("review-chunk-edge");
    let draft = dir.join("repeated.md");
    std::fs::write(
        &draft,
        "APT28 was almost certainly responsible. ".repeat(30_000),
    )
    .unwrap();
    let v: Value = serde_json::from_slice(
        &acre(&["review", draft.to_str().unwrap(), "--format", "json"]).stdout,
    )
    .unwrap();
    assert!(
        v["findings"].as_array().unwrap().is_empty(),
        "{}",
        v["findings"]
    );
    assert_eq!(v["phrases"].as_array().unwrap().len(), 30_000);
}

#[test]
fn advice_is_no_judgment_and_an_assessment_is() {
    // imperatives in detection advice; a modal under "assesses" even with "potentially"
    let v = pattern("advice-and-assessment");
    assert_eq!(found(&v, "vague-term"), ["could", "potentially"]);
    let f = v["findings"].as_array().unwrap();
    assert!(f.iter().all(|f| f["line"] == 7), "{f:?}");
}

#[test]
fn markers_attribute_only_who_did_it_or_what_it_is() {
    // adjectives about people, institutions and generic actors attribute nothing; identity
    // ("the front company") and a named state's group do
    let v = pattern("markers-that-attribute");
    assert_eq!(
        found(&v, "unquantified-judgment"),
        ["thought to be", "suspected"]
    );
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [9, 11]);
}
