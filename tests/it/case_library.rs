//! The case library (`cases/`): every resolved case assessed before its outcome, checked
//! without warnings; the engine's calibration on it (whether each outcome led) computed a
//! second way; and the sweep of the default numbers checked by hand and by a direct loop.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::acre;

use acre::calibrate::sweep::{self, Setting};
use acre::check::date_key;
use acre::model::Case;
use std::path::{Path, PathBuf};

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(case_files(&path));
        } else if path.extension().is_some_and(|e| e == "acre") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use crate::support::case as support_case;
use support_case::case;

/// The resolved cases of `cases/`, by path relative to the crate.
fn resolved() -> Vec<(String, Case)> {
    case_files(&root().join("cases"))
        .into_iter()
        .filter_map(|p| {
            let c = case(&std::fs::read_to_string(&p).unwrap());
            let name = p
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            c.outcome.is_some().then_some((name, c))
        })
        .collect()
}

#[test]
fn at_least_thirty_resolved_cases_each_assessed_before_its_outcome() {
    let cases = resolved();
    assert!(cases.len() >= 30, "{} resolved cases", cases.len());
    for (name, c) in &cases {
        let assessed = c
            .assessed
            .as_deref()
            .unwrap_or_else(|| panic!("{name}: no `assessed`"));
        let outcome = c.outcome.as_ref().unwrap();
        let settled = outcome
            .date
            .as_deref()
            .unwrap_or_else(|| panic!("{name}: the outcome has no date"));
        assert!(
            date_key(assessed, true) < date_key(settled, false),
            "{name}: assessed {assessed}, settled {settled}"
        );
    }
}

#[test]
fn the_library_checks_without_warnings_and_its_expectations_hold() {
    let out = acre(&["check", "--format", "json", "cases/library"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    assert!(!text.contains("\"warning\""), "{text}");
    let out = acre(&["test", "cases/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Whether each resolved case's outcome led, from `acre assess` one case at a time.
fn led_by_assess(cases: &[(String, Case)]) -> Vec<(String, bool)> {
    cases
        .iter()
        .map(|(name, c)| {
            let out = acre(&["assess", name, "--samples", "0", "--format", "json"]);
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let outcome = c.outcome.as_ref().unwrap().proposition;
            let answer = c.proposition_id(outcome);
            // a group's lead is among the groups and hypotheses of its level
            let level: Vec<&str> = c
                .resolution_level(outcome)
                .into_iter()
                .map(|p| c.proposition_id(p))
                .collect();
            let all: Vec<serde_json::Value> = v["hypotheses"]
                .as_array()
                .unwrap()
                .iter()
                .chain(v["groups"].as_array().unwrap())
                .cloned()
                .collect();
            let hs: Vec<&serde_json::Value> = all
                .iter()
                .filter(|h| level.contains(&h["id"].as_str().unwrap()))
                .collect();
            let p = |h: &serde_json::Value| h["posterior"]["point"].as_f64().unwrap();
            let top = hs.iter().copied().map(p).fold(f64::NEG_INFINITY, f64::max);
            let mine = hs
                .iter()
                .copied()
                .find(|h| h["id"] == answer)
                .map(p)
                .unwrap();
            (name.clone(), mine >= top)
        })
        .collect()
}

#[test]
fn calibrate_names_the_cases_whose_outcome_did_not_lead() {
    let cases = resolved();
    let by_assess = led_by_assess(&cases);
    let out = acre(&[
        "calibrate",
        "cases/",
        "--format",
        "json",
        "--bootstrap",
        "10",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let leads = &v["leads"];
    assert_eq!(leads["cases"], cases.len());
    let led = by_assess.iter().filter(|(_, l)| *l).count();
    assert_eq!(leads["led"], led);
    let mut misses: Vec<String> = leads["misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["case"].as_str().unwrap().to_string())
        .collect();
    misses.sort();
    let expected: Vec<String> = by_assess
        .iter()
        .filter(|(_, l)| !*l)
        .map(|(n, _)| n.clone())
        .collect();
    assert_eq!(misses, expected);
    // at least six cases where the early leading hypothesis turned out wrong
    assert!(misses.len() >= 6, "{misses:?}");
    let text = String::from_utf8_lossy(&acre(&["calibrate", "cases/", "--bootstrap", "10"]).stdout)
        .into_owned();
    assert!(
        text.contains(&format!(
            "The eventual outcome led at the assessed date in {led} of {} cases",
            cases.len()
        )),
        "{text}"
    );
    for m in &expected {
        assert!(text.contains(m.as_str()), "{m} not named:\n{text}");
    }
}

#[test]
fn the_default_setting_changes_no_case() {
    for (name, c) in resolved() {
        assert!(sweep::apply(&c, &Setting::DEFAULT) == c, "{name}");
    }
}

#[test]
fn sweep_numbers_by_hand() {
    let g = sweep::grading(&Setting {
        reliability: 2.0,
        credibility: 0.5,
        term_position: 0.5,
    });
    // defaults A-F 0.98 0.90 0.75 0.50 0.25 0.50; F and 6 are not swept
    let squared = [0.9604, 0.81, 0.5625, 0.25, 0.0625, 0.5];
    for (x, y) in g.reliability.iter().zip(squared) {
        assert!((x - y).abs() < 1e-15, "{x} {y}");
    }
    let roots = [
        0.98f64.sqrt(),
        0.9f64.sqrt(),
        0.75f64.sqrt(),
        0.5f64.sqrt(),
        0.5,
        0.5,
    ];
    for (x, y) in g.credibility.iter().zip(roots) {
        assert!((x - y).abs() < 1e-15, "{x} {y}");
    }
    // likely 55-75% and unlikely 25-35%, 90% of the way from 50% outwards
    assert!((sweep::term_point(0.55, 0.75, 0.9) - 0.73).abs() < 1e-12);
    assert!((sweep::term_point(0.25, 0.35, 0.9) - 0.26).abs() < 1e-12);
    assert!((sweep::term_point(0.0, 0.05, 0.1) - 0.045).abs() < 1e-12);
}

const TERMS: &str = r#"
case "t" { question "q" yardstick phia }
hypothesis a "A" prior 50%
hypothesis b "B" prior 50%
evidence e "E" {
  given a: likely
  given b: unlikely
}
outcome a on 2020-01-01 "x"
"#;

#[test]
fn a_case_brier_by_hand_at_two_settings() {
    let c = case(TERMS);
    // defaults: 0.65 vs 0.30, posterior of a 0.65 / 0.95
    let p: f64 = 0.65 / 0.95;
    let brier = 2.0 * (1.0 - p) * (1.0 - p);
    assert!((sweep::case_brier(&c).unwrap() - brier).abs() < 1e-12);
    // terms at 90% of their bands: 0.73 vs 0.26
    let s = Setting {
        term_position: 0.9,
        ..Setting::DEFAULT
    };
    let p: f64 = 0.73 / 0.99;
    let brier = 2.0 * (1.0 - p) * (1.0 - p);
    assert!((sweep::case_brier(&sweep::apply(&c, &s)).unwrap() - brier).abs() < 1e-12);
}

#[test]
fn cross_validation_equals_a_direct_loop() {
    let texts = [
        TERMS.to_string(),
        TERMS.replace("outcome a", "outcome b"),
        r#"
case "g" { question "q" yardstick phia }
hypothesis a "A" prior 30%
hypothesis b "B" prior 30%
hypothesis c "C" prior rest
source s "S" reliability C
evidence e "E" {
  from s credibility 3
  given a: highly likely
  otherwise: unlikely
}
evidence f "F" {
  grade B2
  given b: realistic possibility
  otherwise: remote chance
}
outcome b on 2020-01-01 "x"
"#
        .to_string(),
    ];
    let cases: Vec<(String, Case)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("c{i}"), case(t)))
        .collect();
    let boot = acre::calibrate::bootstrap::Bootstrap::default();
    let sw = sweep::sweep(&cases, &boot).unwrap();
    let grid = sweep::grid();
    let brier = |s: &Setting, c: &Case| sweep::case_brier(&sweep::apply(c, s)).unwrap();
    let mut tuned = 0.0;
    for held in 0..cases.len() {
        let mut best: Option<(f64, &Setting)> = None;
        for s in &grid {
            let others: f64 = cases
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != held)
                .map(|(_, (_, c))| brier(s, c))
                .sum();
            if best.is_none_or(|(b, _)| others < b - 1e-12) {
                best = Some((others, s));
            }
        }
        tuned += brier(best.unwrap().1, &cases[held].1);
    }
    tuned /= cases.len() as f64;
    assert!((sw.cross_validation.tuned_brier - tuned).abs() < 1e-12);
    let default: f64 = cases
        .iter()
        .map(|(_, c)| brier(&Setting::DEFAULT, c))
        .sum::<f64>()
        / cases.len() as f64;
    assert!((sw.cross_validation.default_brier - default).abs() < 1e-12);
    assert!((sw.default.brier - default).abs() < 1e-12);
    // the in-sample best is the grid's minimum
    let min = grid
        .iter()
        .map(|s| cases.iter().map(|(_, c)| brier(s, c)).sum::<f64>() / cases.len() as f64)
        .fold(f64::INFINITY, f64::min);
    assert!((sw.best.brier - min).abs() < 1e-12);
    // a graded item gets the setting's numbers
    let s = Setting {
        reliability: 2.0,
        credibility: 2.0,
        term_position: 0.5,
    };
    let g = sweep::apply(&cases[2].1, &s);
    assert!((g.sources[0].reliability.unwrap().1 - 0.5625).abs() < 1e-15);
    assert!((g.items[0].credibility - 0.5625).abs() < 1e-15);
    assert!((g.items[1].credibility - 0.81).abs() < 1e-15);
}

#[test]
fn the_sweep_report_and_the_html_page() {
    let dir = std::env::temp_dir().join(format!("acre-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("calibration.html");
    let out = acre(&[
        "calibrate",
        "cases/",
        "--sweep",
        "--bootstrap",
        "50",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Sweep of the default numbers over",
        "Reliability alone",
        "Credibility alone",
        "Term points alone",
        "Leave-one-case-out",
        "In words:",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    assert!(!text.contains("NaN"), "{text}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg"), "no reliability diagram");
    assert!(page.contains("Did the eventual outcome lead?"));
    assert!(page.contains("Sweep of the default numbers"));
    // the sweep's defaults score exactly what the engine's forecasts score
    let out = acre(&[
        "calibrate",
        "cases/",
        "--sweep",
        "--bootstrap",
        "10",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let headline = v["forecasters"][0]["brier"].as_f64().unwrap();
    let default = v["sweep"]["cross_validation"]["default_brier"]
        .as_f64()
        .unwrap();
    assert!((headline - default).abs() < 1e-12, "{headline} {default}");
    let out = acre(&["calibrate", "--sweep", "--forecasts", "x.csv"]);
    assert_eq!(out.status.code(), Some(2), "--sweep needs case files");
    std::fs::remove_dir_all(&dir).unwrap();
}
