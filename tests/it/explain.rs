//! `acre explain`: hand-worked waterfalls, linchpins, flip thresholds, ACH and
//! value of information; the waterfall identity on every case; snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::acre;

use acre::explain::{explain, flip_thresholds, with_new_item};
use acre::infer::{Options, assess};

use crate::support::case as support_case;
use support_case::case;

const OPTIONS: Options = Options {
    samples: 2000,
    seed: 1,
};

/// Two hypotheses at 50/50, ungraded items with likelihood ratios 4, 3 (conditional on the first) and 1.
const HAND: &str = "case \"hand\" { question \"Who did it?\" }\n\
    hypothesis x \"X\" prior 50%\nhypothesis y \"Y\" prior rest catch-all\n\
    evidence e3 { given x: 0.5 given y: 0.5 }\n\
    evidence e2 { depends on e1 given x: 0.9 given y: 0.3 }\n\
    evidence e1 { given x: 0.8 given y: 0.2 }\n\
    evidence p { pending given x: 0.9 given y: 0.1 }\n";

#[test]
fn hand_worked_waterfall_in_dependency_order() {
    let c = case(HAND);
    let a = assess(&c, &OPTIONS).unwrap();
    let x = explain(&c, &a, None).unwrap();
    let w = &x.hypotheses[0];
    assert_eq!(w.prior_log_odds, Some(0.0));
    let items: Vec<&str> = w.contributions.iter().map(|c| c.item.as_str()).collect();
    // e1 must come before e2, which depends on it; otherwise source order
    assert_eq!(items, ["e3", "e1", "e2"]);
    let lo: Vec<f64> = w
        .contributions
        .iter()
        .map(|c| c.log_odds.unwrap())
        .collect();
    assert!(lo[0].abs() < 1e-12);
    assert!((lo[1] - 4f64.ln()).abs() < 1e-12);
    assert!((lo[2] - 3f64.ln()).abs() < 1e-12);
    assert!((w.posterior_log_odds.unwrap() - 12f64.ln()).abs() < 1e-12);
    assert!((w.contributions[1].decibans.unwrap() - 10.0 * 4f64.log10()).abs() < 1e-9);
    assert_eq!(w.contributions[1].words, "weak support for x");
    assert_eq!(w.contributions[2].given, ["e1"]);
    // y's waterfall mirrors x's
    assert!((x.hypotheses[1].posterior_log_odds.unwrap() + 12f64.ln()).abs() < 1e-12);
    assert!((a.hypotheses[0].point - 12.0 / 13.0).abs() < 1e-12);
}

#[test]
fn known_linchpins() {
    let c = case(HAND);
    let a = assess(&c, &OPTIONS).unwrap();
    let x = explain(&c, &a, None).unwrap();
    // 12/13 = 92.3% lies between highly likely and almost certain, nearer highly likely
    // (the gap's middle is 92.5%), so the written term is highly likely. Without e1 the odds
    // are 3 (75%, likely: the written term changes); without e2 they are 4 (80%, highly
    // likely: the written term stays, so e2 is no linchpin); without e3 still 12
    assert_eq!(x.focus_words, "between highly likely and almost certain");
    let shown: Vec<(&str, &str, f64)> = x
        .linchpins
        .iter()
        .map(|l| (l.subject.as_deref().unwrap(), l.term.as_str(), l.posterior))
        .collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!((shown[0].0, shown[0].1), ("e1", "likely"));
    assert!((shown[0].2 - 0.75).abs() < 1e-12);
    assert_eq!(x.linchpins[0].direction, acre::explain::Direction::Down);
    assert_eq!(
        x.linchpins[0].sentence("x", &c.yardstick),
        "without e1: x falls to likely (75.0%)"
    );
    // the confidence rule agrees: one item changes the written term
    let single = a
        .confidence
        .checks
        .iter()
        .find(|k| k.rule == acre::infer::ConfidenceRule::SingleItem)
        .unwrap();
    assert!(single.reason.contains("(e1)"), "{}", single.reason);
    assert!(!single.reason.contains("(e2)"), "{}", single.reason);
}

#[test]
fn flip_thresholds_by_bisection_match_the_closed_form_and_a_rerun() {
    let c = case(HAND);
    let p = 12.0 / 13.0;
    let t = flip_thresholds(&c, 0, p);
    assert_eq!(t.len(), 2);
    // the written term is highly likely (92.3% is nearer 90% than 95%): down is to likely,
    // reached at the middle of the gap below highly likely, 77.5% (a tie goes to the lower
    // term), so the odds must fall to 0.775 / 0.225 and LR = that / 12; up is to almost
    // certain, reached past the middle of the gap above, where the posterior shown to one
    // decimal is 92.6% or more: from 92.55%, odds 0.9255 / 0.0745
    let down = (0.775 / 0.225) / 12.0;
    let up = (0.9255 / 0.0745) / 12.0;
    assert_eq!(t[0].direction, acre::explain::Direction::Down);
    assert!(
        (t[0].likelihood_ratio - down).abs() < 1e-6,
        "{} vs {down}",
        t[0].likelihood_ratio
    );
    assert_eq!(t[1].direction, acre::explain::Direction::Up);
    assert!(
        (t[1].likelihood_ratio - up).abs() < 1e-6,
        "{} vs {up}",
        t[1].likelihood_ratio
    );
    assert!(t[0].target.starts_with("likely"), "{}", t[0].target);
    assert!(t[1].target.starts_with("almost certain"), "{}", t[1].target);
    assert_eq!(t[0].verdict_with_item, "between likely and highly likely");
    assert_eq!(
        t[1].verdict_with_item,
        "between highly likely and almost certain"
    );
    // re-running the engine with that item added lands where the closed form says, with
    // the target as its written term
    let y = &c.yardstick;
    for (f, at) in [(&t[0], 0.775), (&t[1], 0.9255)] {
        let with =
            acre::infer::point_posterior(&with_new_item(&c, 0, f.likelihood_ratio), &|_| true)
                .unwrap()
                .0;
        assert!((with[0] - at).abs() < 1e-7, "{} vs {at}", with[0]);
        assert!(
            f.target
                .starts_with(&y.terms[acre::infer::words::written(y, with[0])].name)
        );
    }
}

#[test]
fn value_of_information_by_hand() {
    let c = case(HAND);
    let a = assess(&c, &OPTIONS).unwrap();
    let x = explain(&c, &a, None).unwrap();
    let v = &x.value_of_information[0];
    assert_eq!(v.item, "p");
    // P(found) = 12/13 * 0.9 + 1/13 * 0.1 = 10.9/13
    assert!((v.p_observed - 10.9 / 13.0).abs() < 1e-12);
    // found: odds 12 * 9 = 108; not found: odds 12 * (0.1 / 0.9)
    assert!((v.posterior_if_observed - 108.0 / 109.0).abs() < 1e-12);
    let odds = 12.0 * (0.1 / 0.9);
    assert!((v.posterior_if_absent - odds / (1.0 + odds)).abs() < 1e-12);
    // no free lunch: the expected posterior is the current one
    assert!((v.expected_posterior - 12.0 / 13.0).abs() < 1e-12);
    // both outcomes change the term
    assert!((v.p_term_changes - 1.0).abs() < 1e-12);
}

#[test]
fn ach_cells_and_diagnosticity_by_hand() {
    let c = case(
        "case \"ach\" { question \"q\" }\nhypothesis x\nhypothesis y\nhypothesis z catch-all\n\
         evidence e { given x: 0.9 given y: 0.3 given z: 0.03 }\n",
    );
    let a = assess(&c, &OPTIONS).unwrap();
    let x = explain(&c, &a, None).unwrap();
    let row = &x.ach.rows[0];
    // LR against the rest (uniform priors): x 0.9 / 0.165, y 0.3 / 0.465, z 0.03 / 0.6
    // one item: its leave-one-out ratio is the posterior odds over the prior odds
    assert!((row.ratios[0].unwrap() - 0.9 / 0.165).abs() < 1e-12);
    assert!((row.ratios[1].unwrap() - 0.3 / 0.465).abs() < 1e-12);
    assert!((row.ratios[2].unwrap() - 0.05).abs() < 1e-12);
    assert_eq!(row.cells, ["C", "N", "II"]);
    assert!((row.diagnosticity - 10.0 * 30f64.log10()).abs() < 1e-9);
    assert_eq!(x.ach.inconsistency, [0.0, 0.0, 2.0]);
    assert_eq!(x.ach.bayes_rank, [1, 2, 3]);
}

#[test]
fn waterfalls_add_up_on_every_case() {
    let mut files = Vec::new();
    cli::acre_files_in(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/cases")),
        &mut files,
    );
    for path in files {
        let path = path.display().to_string();
        let out = acre(&["explain", &path, "--format", "json", "--samples", "500"]);
        assert_eq!(out.status.code(), Some(0), "{path}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let assessed: serde_json::Value = serde_json::from_slice(
            &acre(&["assess", &path, "--format", "json", "--samples", "500"]).stdout,
        )
        .unwrap();
        for (h, hyp) in v["hypotheses"].as_array().unwrap().iter().enumerate() {
            let prior = hyp["prior_log_odds"].as_f64().unwrap();
            let post = hyp["posterior_log_odds"].as_f64().unwrap();
            let sum: f64 = hyp["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["log_odds"].as_f64().unwrap())
                .sum::<f64>()
                + hyp["shared_log_odds"].as_f64().unwrap();
            assert!(
                (prior + sum - post).abs() < 1e-9,
                "{path} {}: {prior} + {sum} != {post}",
                hyp["id"]
            );
            for c in hyp["contributions"].as_array().unwrap() {
                for key in ["item", "log_odds", "decibans", "words"] {
                    assert!(!c[key].is_null(), "{path}: {key}");
                }
            }
            // and the posterior log-odds are those of the assessed posterior
            let p = assessed["hypotheses"][h]["posterior"]["point"]
                .as_f64()
                .unwrap();
            assert!(
                (post - (p / (1.0 - p)).ln()).abs() < 1e-6,
                "{path} {}",
                hyp["id"]
            );
        }
        for key in ["linchpins", "flip_thresholds", "ach", "narrative"] {
            assert!(!v[key].is_null(), "{path}: {key}");
        }
    }
}

#[test]
fn terminal_rendering_of_every_case() {
    insta::glob!("../../cases", "*.acre", |path| {
        let out = acre(&["explain", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    });
}

#[test]
fn an_unknown_hypothesis_is_a_usage_error() {
    let out = acre(&[
        "explain",
        "cases/apt31-uk-parliament-2021.acre",
        "--hypothesis",
        "apt99",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("apt31"));
    let out = acre(&[
        "explain",
        "cases/apt31-uk-parliament-2021.acre",
        "--hypothesis",
        "other_cn",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Explanation for other_cn"));
}

/// The waterfall, the ACH cells and the item effects show one ratio: the posterior odds
/// against the rest with every item over the odds with that item left out. Checked against a
/// second computation that marks the item pending and re-runs the engine from scratch.
#[test]
fn one_leave_one_out_ratio_in_every_output() {
    let mut files = Vec::new();
    cli::acre_files_in(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/cases")),
        &mut files,
    );
    let mut compared = 0;
    for path in files {
        let c = case(&std::fs::read_to_string(&path).unwrap());
        let a = assess(&c, &OPTIONS).unwrap();
        let x = explain(&c, &a, None).unwrap();
        let odds = |p: &[f64], h: usize| (p[h] / (1.0 - p[h])).ln();
        let (full, _) = acre::infer::point_posterior(&c, &|_| true).unwrap();
        for (h, w) in x.hypotheses.iter().enumerate() {
            for step in &w.contributions {
                let i = c.items.iter().position(|e| e.id == step.item).unwrap();
                let mut without = c.clone();
                without.items[i].status = acre::syntax::ast::Status::Pending;
                let (p, _) = acre::infer::point_posterior(&without, &|_| true).unwrap();
                let expected = odds(&full, h) - odds(&p, h);
                let shown = step.log_odds.unwrap();
                assert!(
                    (shown - expected).abs() < 1e-9,
                    "{}: {} for {}: waterfall {shown}, rerun {expected}",
                    path.display(),
                    step.item,
                    w.id
                );
                let row = x.ach.rows.iter().find(|r| r.item == step.item).unwrap();
                assert!((row.ratios[h].unwrap().ln() - expected).abs() < 1e-9);
                if w.id == x.focus {
                    let effect = x.effects.iter().find(|e| e.item == step.item).unwrap();
                    assert!((effect.log_odds.unwrap() - expected).abs() < 1e-9);
                    if expected.abs() > 1e-9 {
                        assert_eq!(effect.supports, expected > 0.0, "{}", step.item);
                    }
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared}");
}
