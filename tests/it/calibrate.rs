//! Calibration: hand-worked decompositions, the GJP sample's Brier computed
//! independently, Beta fits against sample moments, and the commands end to end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::{acre, acre_json, scratch};

use acre::calibrate::{Forecast, decompose, lexicon_fit, log_score, score};

fn f(p: f64, o: u8, g: &str) -> Forecast {
    Forecast {
        p,
        outcome: o == 1,
        group: g.into(),
    }
}

#[test]
fn murphy_decomposition_by_hand_with_few_distinct_values() {
    // five forecasts of 0.3 (one came true) and five of 0.8 (four came true)
    let mut fs = Vec::new();
    for o in [0, 0, 1, 0, 0] {
        fs.push(f(0.3, o, "a"));
    }
    for o in [1, 1, 0, 1, 1] {
        fs.push(f(0.8, o, "b"));
    }
    let d = decompose(&fs);
    // Brier: (4 * 0.09 + 0.49 + 4 * 0.04 + 0.64) / 10 = 0.165
    assert!((d.brier - 0.165).abs() < 1e-15);
    // REL = 5 * (0.3 - 0.2)^2 / 10 = 0.005; RES = (5 * 0.09 + 5 * 0.09) / 10 = 0.09; UNC = 0.25
    assert!((d.reliability - 0.005).abs() < 1e-15);
    assert!((d.resolution - 0.09).abs() < 1e-15);
    assert!((d.uncertainty - 0.25).abs() < 1e-15);
    assert_eq!(d.binning, "distinct");
    assert_eq!((d.within_bin_variance, d.within_bin_covariance), (0.0, 0.0));
    assert!((d.brier - (d.reliability - d.resolution + d.uncertainty)).abs() < 1e-15);
}

#[test]
fn within_bin_terms_by_hand_when_forecasts_differ_inside_a_bin() {
    // 22 distinct values force ten equal bins; a bin of two: 0.32 (true) and 0.38 (false)
    let mut fs: Vec<Forecast> = (0..20)
        .map(|i| f(0.50 + i as f64 * 0.0049, u8::from(i % 2 == 0), "x"))
        .collect();
    fs.push(f(0.32, 1, "y"));
    fs.push(f(0.38, 0, "y"));
    let d = decompose(&fs);
    assert_eq!(d.binning, "ten-bins");
    let bin3 = d.bins.iter().find(|b| b.lo == 0.3).unwrap();
    assert_eq!(bin3.n, 2);
    // in that bin: f-bar 0.35, o-bar 0.5; WBV adds 2 * 0.03^2, WBC adds 2 * (0.5 * -0.03 + -0.5 * 0.03)
    let n = fs.len() as f64;
    // the other twenty all lie in the bin [0.5, 0.6): their own within-bin terms, directly
    let group = &fs[..20];
    let f_bar = group.iter().map(|x| x.p).sum::<f64>() / 20.0;
    let o_bar = group.iter().filter(|x| x.outcome).count() as f64 / 20.0;
    let wbv_group: f64 = group.iter().map(|x| (x.p - f_bar).powi(2)).sum();
    let wbc_group: f64 = group
        .iter()
        .map(|x| 2.0 * (f64::from(u8::from(x.outcome)) - o_bar) * (x.p - f_bar))
        .sum();
    let expected_wbv = (wbv_group + 2.0 * 0.0009) / n;
    let expected_wbc = (wbc_group + 2.0 * (0.5 * -0.03 + -0.5 * 0.03)) / n;
    assert!((d.within_bin_variance - expected_wbv).abs() < 1e-12);
    assert!((d.within_bin_covariance - expected_wbc).abs() < 1e-12);
    // and the identity holds exactly
    let sum = d.reliability - d.resolution + d.uncertainty + d.within_bin_variance
        - d.within_bin_covariance;
    assert!((d.brier - sum).abs() < 1e-12, "{} vs {sum}", d.brier);
}

#[test]
fn log_score_clips_certainty() {
    let fs = [f(1.0, 0, "a"), f(0.5, 1, "b")];
    let (s, clipped) = log_score(&fs);
    assert_eq!(clipped, 1);
    assert!((s - (-(0.001f64.ln()) - 0.5f64.ln()) / 2.0).abs() < 1e-12);
}

#[test]
fn maximum_likelihood_beta_equals_an_independent_solution() {
    // tests/fixtures/calibrate/beta_ml.json: the score equations solved with scipy
    let want: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/calibrate/beta_ml.json")).unwrap();
    let v = json_of(&[
        "lexicon",
        "fit",
        "tests/fixtures/data/perceptions/probly.csv",
        "--format",
        "json",
    ]);
    for (phrase, w) in want.as_object().unwrap() {
        let f = v["phrases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["phrase"] == phrase.as_str())
            .unwrap();
        assert_eq!(f["n"], w["n"]);
        let ml = &f["maximum_likelihood"];
        assert_eq!(ml["method"], "maximum-likelihood");
        for key in ["alpha", "beta"] {
            let (got, exp) = (ml[key].as_f64().unwrap(), w[key].as_f64().unwrap());
            assert!(
                (got - exp).abs() < 1e-8 * exp,
                "{phrase} {key}: {got} vs {exp}"
            );
        }
    }
}

#[test]
fn survey_scale_ranges_and_small_samples_are_reported() {
    let dir = temp_dir("survey");
    // a 0-100 survey whose answers are only 0 and 1, one reading of 250, one phrase with 3
    let mut text = String::from("phrase,value\n");
    for i in 0..40 {
        text.push_str(&format!("nearly impossible,{}\n", i % 2));
    }
    text.push_str("nearly impossible,250\nrare,5\nrare,10\nrare,15\nsolo,50\n");
    let path = dir.join("s.csv");
    std::fs::write(&path, text).unwrap();
    let v = json_of(&["lexicon", "fit", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["scale"], "0-100");
    assert_eq!(v["scale_detected"], true);
    let bad = &v["bad_readings"][0];
    assert_eq!(bad["line"], 42);
    assert_eq!(bad["value"], "250");
    // 0 and 1 read as percentages: the median of twenty 0s and twenty 1s is 0.5%
    let p = |name: &str| {
        v["phrases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["phrase"] == name)
            .cloned()
            .unwrap()
    };
    assert!((p("nearly impossible")["sample_median"].as_f64().unwrap() - 0.005).abs() < 1e-12);
    assert_eq!(p("rare")["enough"], false);
    assert_eq!(v["unfitted"][0]["phrase"], "solo");
    assert_eq!(v["unfitted"][0]["why"], "fewer than two readings");
    // --scale 0-1 reads the same file as proportions: 250, 5, 10, 15 and 50 fall out of range
    let v = json_of(&[
        "lexicon",
        "fit",
        path.to_str().unwrap(),
        "--scale",
        "0-1",
        "--format",
        "json",
    ]);
    assert_eq!(v["scale"], "0-1");
    assert_eq!(v["bad_readings"].as_array().unwrap().len(), 5);
}

#[test]
fn beta_fits_match_the_sample_moments() {
    let readings = [0.6, 0.7, 0.55, 0.8, 0.65, 0.75, 0.5, 0.9];
    let fit = lexicon_fit::fit("likely", &readings).unwrap();
    let n = readings.len() as f64;
    let mean = readings.iter().sum::<f64>() / n;
    let var = readings.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let (a, b) = (fit.alpha, fit.beta);
    assert!((a / (a + b) - mean).abs() < 1e-12);
    assert!((a * b / ((a + b).powi(2) * (a + b + 1.0)) - var).abs() < 1e-12);
    assert!(fit.p10 < fit.median && fit.median < fit.p90);
}

fn gjp_path() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/data/gjp/forecasts.csv"
    )
    .to_string()
}

fn gjp_questions() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/data/gjp/questions.csv"
    )
    .to_string()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = acre(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("acre-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn gjp_brier_equals_an_independent_computation() {
    // By hand on the first six rows, three binary forecasts: 2 * (0.1 - 0)^2, 2 * (0.25 - 1)^2,
    // 2 * (0.1 - 0)^2 summed over both options: 0.02 + 1.125 + 0.02 = 1.165, / 3
    let text = std::fs::read_to_string(gjp_path()).unwrap();
    let head: String = text.lines().take(7).map(|l| format!("{l}\n")).collect();
    let subset = temp_dir("gjp").join("subset.csv");
    std::fs::write(&subset, head).unwrap();
    let v = json_of(&[
        "calibrate",
        "--forecasts",
        subset.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let s = &v["forecasters"][0];
    assert!((s["brier"].as_f64().unwrap() - 1.165 / 3.0).abs() < 1e-12);
    assert!((s["binary_brier"].as_f64().unwrap() - 1.165 / 6.0).abs() < 1e-12);

    // The whole sample against tests/fixtures/calibrate/gjp.json, computed by
    // gjp_fixture.py with numpy and scikit-learn
    let want: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/calibrate/gjp.json")).unwrap();
    let v = json_of(&[
        "calibrate",
        "--forecasts",
        &gjp_path(),
        "--questions",
        &gjp_questions(),
        "--format",
        "json",
    ]);
    let s = &v["forecasters"][0];
    for key in ["forecasts", "questions", "forecasters"] {
        assert_eq!(s[key], want[key], "{key}");
    }
    for key in [
        "brier",
        "skill_uniform",
        "skill_base_rate",
        "log_score",
        "sharpness",
        "auc",
    ] {
        let (got, exp) = (s[key].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!((got - exp).abs() < 1e-12, "{key}: {got} vs {exp}");
    }
    assert_eq!(format!("{:.4}", s["brier"].as_f64().unwrap()), "0.4956");
    let st = &s["standing"];
    assert!(
        (st["brier"].as_f64().unwrap() - want["standing_brier"].as_f64().unwrap()).abs() < 1e-12
    );
    assert_eq!(st["pairs"], want["standing_pairs"]);
    assert_eq!(st["days"], want["standing_days"]);
    // the one single-row forecast is completed, and said to be
    assert_eq!(v["read"]["completed"][0]["forecast"], "-194301");
    // per forecaster and per question
    // 18 forecasts name the forecaster `NULL`: scored, in no forecaster's row
    assert_eq!(s["no_forecaster"], 18);
    assert_eq!(s["by_forecaster"].as_array().unwrap().len(), 546);
    assert!(
        s["by_forecaster"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["forecaster"] != "NULL" && f["forecaster"] != "")
    );
    let briers: Vec<f64> = s["by_forecaster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["brier"].as_f64().unwrap())
        .collect();
    assert!(briers.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(s["by_question"].as_array().unwrap().len(), 18);
    // intervals hold the estimate
    let [lo, hi] = [0, 1].map(|i| s["brier_interval"][i].as_f64().unwrap());
    assert!(lo < s["brier"].as_f64().unwrap() && s["brier"].as_f64().unwrap() < hi);
    // the option rows' decomposition adds up
    let c = &s["calibration"];
    let sum = c["reliability"].as_f64().unwrap() - c["resolution"].as_f64().unwrap()
        + c["uncertainty"].as_f64().unwrap()
        + c["within_bin_variance"].as_f64().unwrap()
        - c["within_bin_covariance"].as_f64().unwrap();
    assert!((sum - c["brier"].as_f64().unwrap()).abs() < 1e-12);
    // "highly likely": 54-86% resampling questions, so no verdict of overconfidence
    let band = c["bands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["term"] == "highly likely")
        .unwrap();
    assert!(band["interval"][0].as_f64().unwrap() < 0.6);
    let lines: Vec<&str> = c["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("your 'highly likely'") && l.ends_with("consistent"))
    );
}

#[test]
fn pav_equals_scikit_learn_isotonic_regression() {
    // tests/fixtures/calibrate/pav.json: fits by scikit-learn 1.9.1 (pav_fixture.py)
    let sets: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/calibrate/pav.json")).unwrap();
    for set in sets.as_array().unwrap() {
        let ps: Vec<f64> = set["p"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let fs: Vec<Forecast> = ps
            .iter()
            .zip(set["outcome"].as_array().unwrap())
            .map(|(p, o)| f(*p, o.as_u64().unwrap() as u8, "g"))
            .collect();
        let blocks = acre::calibrate::pav(&fs);
        for (p, want) in ps.iter().zip(set["fitted"].as_array().unwrap()) {
            let block = blocks.iter().find(|b| b.from <= *p && *p <= b.to).unwrap();
            assert!(
                (block.fitted - want.as_f64().unwrap()).abs() < 1e-12,
                "{}: at {p}: {} vs {want}",
                set["name"],
                block.fitted
            );
        }
    }
}

#[test]
fn bad_rows_are_reported_with_their_lines_or_skipped() {
    let dir = temp_dir("bad-rows");
    let path = dir.join("f.csv");
    std::fs::write(
        &path,
        "question;probability;outcome\nq1;0,8;1\nq2;NA;0\nq3;;1\nq4;75;0\nq5;0,3;0\n",
    )
    .unwrap();
    let out = acre(&["calibrate", "--forecasts", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 rows cannot be read"), "{err}");
    assert!(
        err.contains("line 3: the probability is missing (`NA`)"),
        "{err}"
    );
    assert!(
        err.contains("line 4: the probability is missing (`empty`)"),
        "{err}"
    );
    assert!(
        err.contains("line 5: probability `75` is above 1 (write `75%`"),
        "{err}"
    );
    let v = json_of(&[
        "calibrate",
        "--forecasts",
        path.to_str().unwrap(),
        "--skip-bad-rows",
        "--format",
        "json",
    ]);
    assert_eq!(v["read"]["bad_rows"].as_array().unwrap().len(), 3);
    // rows 2 and 6, decimal commas: 2 * (0.2^2) and 2 * (0.3^2), binary forecasts
    let s = &v["forecasters"][0];
    assert_eq!(s["forecasts"], 2);
    assert!((s["brier"].as_f64().unwrap() - (0.08 + 0.18) / 2.0).abs() < 1e-12);
}

#[test]
fn options_that_do_not_sum_to_one_are_left_out_or_rescaled() {
    let dir = temp_dir("sums");
    let path = dir.join("f.csv");
    std::fs::write(
        &path,
        "forecast_id,question_id,forecaster_id,option,probability,outcome\n\
         1,q,x,a,0.5,1\n1,q,x,b,0.3,0\n1,q,x,c,0.1,0\n\
         2,q,y,a,0.6,1\n2,q,y,b,0.2,0\n2,q,y,c,0.2,0\n",
    )
    .unwrap();
    let v = json_of(&[
        "calibrate",
        "--forecasts",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["forecasters"][0]["forecasts"], 1);
    assert_eq!(v["read"]["skipped"][0]["forecast"], "1");
    assert!(
        v["read"]["skipped"][0]["why"]
            .as_str()
            .unwrap()
            .contains("sum to 0.900")
    );
    let v = json_of(&[
        "calibrate",
        "--forecasts",
        path.to_str().unwrap(),
        "--renormalize",
        "--format",
        "json",
    ]);
    assert_eq!(v["forecasters"][0]["forecasts"], 2);
    assert_eq!(v["read"]["renormalized"], 1);
    // forecast 1 rescaled: 5/9, 3/9, 1/9; forecast 2 as given
    let b1 = (5.0f64 / 9.0 - 1.0).powi(2) + (3.0f64 / 9.0).powi(2) + (1.0f64 / 9.0).powi(2);
    let b2 = 0.16 + 0.04 + 0.04;
    assert!((v["forecasters"][0]["brier"].as_f64().unwrap() - (b1 + b2) / 2.0).abs() < 1e-12);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]
    /// Reordering the rows of a forecasts file changes nothing in the output.
    #[test]
    fn row_order_changes_nothing(seed in 0u64..1_000_000) {
        let text = std::fs::read_to_string(gjp_path()).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        // a deterministic shuffle (xorshift) of the first 1,500 rows
        lines.truncate(1500);
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        for i in (1..lines.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            lines.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let dir = temp_dir(&format!("order-{seed}"));
        let original = dir.join("a.csv");
        let shuffled = dir.join("b.csv");
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        std::fs::write(&original, format!("{header}\n{}\n", sorted.join("\n"))).unwrap();
        std::fs::write(&shuffled, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
        let run = |p: &std::path::Path| {
            let mut v = json_of(&[
                "calibrate", "--forecasts", p.to_str().unwrap(), "--questions", &gjp_questions(),
                "--format", "json", "--bootstrap", "200",
            ]);
            // only the line numbers of notes may differ
            v["read"]["completed"] = serde_json::Value::Null;
            v["read"]["skipped"] = serde_json::Value::Null;
            v["summary"] = serde_json::Value::Null;
            v
        };
        proptest::prop_assert_eq!(run(&original), run(&shuffled));
    }
}

#[test]
fn gjp_plot_and_recalibrated_yardstick() {
    let dir = std::env::temp_dir().join(format!("acre-gjp-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("out.svg");
    let recal = dir.join("recal.acre");
    let out = acre(&[
        "calibrate",
        "--forecasts",
        &gjp_path(),
        "--plot",
        svg.to_str().unwrap(),
        "--emit-yardstick",
        recal.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("your 'highly likely' came true"), "{text}");
    let drawing = std::fs::read_to_string(&svg).unwrap();
    assert!(drawing.starts_with("<svg") && drawing.trim_end().ends_with("</svg>"));
    assert_eq!(drawing.matches("class=\"band\"").count(), 7);
    assert!(drawing.matches("class=\"point\"").count() >= 5);
    assert!(drawing.contains("class=\"diagonal\""));
    // the recalibrated yardstick is a valid declaration that a case can use
    let decl = std::fs::read_to_string(&recal).unwrap();
    let case = format!(
        "case \"x\" {{ question \"q\" yardstick phia_recalibrated }}\n{decl}\nhypothesis a prior 50%\nhypothesis b prior rest catch-all\nevidence e {{ grade B2 given a: likely otherwise: unlikely }}\n"
    );
    let checked = acre::check::check_source(&case);
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    let y = &checked.case.unwrap().yardstick;
    assert_eq!(y.name, "phia_recalibrated");
    // monotone: a stronger word never means less
    assert!(y.terms.windows(2).all(|w| w[0].point <= w[1].point));
}

#[test]
fn resolved_cases_score_both_forecasters() {
    let out = acre(&["calibrate", "cases/"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    // few analysts' judgments; the engine has one forecast per resolved case
    assert!(text.contains("Too small a sample to judge the analysts' calibration"));
    assert!(!text.contains("judge the engine's"));
    // one case is too few for the engine too, said in English
    let one = String::from_utf8_lossy(
        &acre(&[
            "calibrate",
            "cases/sony-pictures-2014.acre",
            "--bootstrap",
            "10",
        ])
        .stdout,
    )
    .into_owned();
    assert!(
        one.contains("Too small a sample to judge the engine's calibration: 4 stated probabilities from 1 question"),
        "{one}"
    );
    assert!(text.contains("engine") && text.contains("analysts"));
    assert!(text.contains("Per band (phia), engine"));
    let v: serde_json::Value =
        serde_json::from_slice(&acre(&["calibrate", "cases/", "--format", "json"]).stdout).unwrap();
    let names: Vec<&str> = v["forecasters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    // the library's cases with groups are scored at the family level too
    assert_eq!(names, ["engine", "engine, families", "analysts"]);
    // one forecast per resolved case, its hypotheses as the options (counted from the
    // files' lines)
    let (mut resolved, mut options) = (0, 0);
    let mut stack = vec![std::path::PathBuf::from("cases")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if text.lines().any(|l| l.starts_with("outcome ")) {
                resolved += 1;
                options += text
                    .lines()
                    .filter(|l| l.starts_with("hypothesis "))
                    .count();
            }
        }
    }
    assert!(resolved >= 30);
    let engine = &v["forecasters"][0];
    assert_eq!(engine["forecasts"], resolved);
    assert_eq!(engine["questions"], resolved);
    assert_eq!(engine["calibration"]["n"], options);
    // each case's Brier sums over its hypotheses: check one against its posterior
    let assessed: serde_json::Value = serde_json::from_slice(
        &acre(&[
            "assess",
            "cases/wannacry-2017.acre",
            "--format",
            "json",
            "--samples",
            "2000",
        ])
        .stdout,
    )
    .unwrap();
    let answer = "lazarus";
    let want: f64 = assessed["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let p = h["posterior"]["point"].as_f64().unwrap();
            let o = if h["id"] == answer { 1.0 } else { 0.0 };
            (p - o) * (p - o)
        })
        .sum();
    let q = engine["by_question"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["question"]
                .as_str()
                .unwrap()
                .ends_with("wannacry-2017.acre")
        })
        .unwrap();
    assert_eq!(q["happened"], answer);
    assert!((q["brier"].as_f64().unwrap() - want).abs() < 1e-12);
}

#[test]
fn lexicon_fit_on_capphrase_and_perceptions() {
    let out = acre(&[
        "lexicon",
        "fit",
        "tests/fixtures/data/capphrase/absolute_judgements.csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("readers put 'realistic possibility' at a median of 60%"),
        "{text}"
    );
    assert!(text.contains("PHIA defines it as 40-50%"));
    // the sample median of 'remote chance' (5.0%) lies in PHIA's 0-5%: no flag, although
    // the fitted Beta's median (5.1%) does not
    assert!(!text.contains("'remote chance' at"), "{text}");
    assert!(text.contains("Readings on a 0-100 scale (detected"));
    // wide format
    let out = acre(&[
        "lexicon",
        "fit",
        "tests/fixtures/data/perceptions/probly.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let phrases: Vec<&str> = v["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phrase"].as_str().unwrap())
        .collect();
    assert_eq!(phrases.len(), 17);
    assert!(phrases.contains(&"Almost Certainly"));
}

#[test]
fn the_builtin_capphrase_lexicon_is_the_fit_of_the_data() {
    // the file has no quoted cells: a split on commas reads it
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/data/capphrase/absolute_judgements.csv"
    ))
    .unwrap();
    let mut lines = text.lines();
    let split = |l: &str| {
        l.split(',')
            .map(|c| c.trim().to_string())
            .collect::<Vec<_>>()
    };
    let mut table =
        acre::calibrate::table::Table::new("absolute_judgements.csv", split(lines.next().unwrap()));
    for (i, l) in lines.enumerate() {
        let cells = split(l);
        table.push(i + 2, cells.iter().map(String::as_str));
    }
    let survey = lexicon_fit::survey_from_table(&table, None).unwrap();
    let (fits, unfitted) = lexicon_fit::fit_all(&survey.readings);
    assert!(unfitted.is_empty());
    let built_in = acre::lexicon::builtin_yardstick("capphrase").unwrap();
    assert_eq!(fits.len(), built_in.terms.len());
    for (fit, term) in fits.iter().zip(&built_in.terms) {
        assert_eq!(acre::lexicon::normalize_phrase(&fit.phrase), term.name);
        assert_eq!(term.beta, Some((fit.alpha, fit.beta)));
        assert_eq!(term.point, fit.median);
    }
}

#[test]
fn scores_on_few_forecasts_say_the_sample_is_small() {
    let fs = [f(0.9, 1, "a"), f(0.2, 0, "b")];
    let s = score(
        "x",
        &fs,
        &acre::lexicon::builtin_yardstick("phia").unwrap(),
        &acre::calibrate::bootstrap::Bootstrap::default(),
    );
    assert!(!s.enough);
    assert_eq!(s.bands.iter().map(|b| b.n).sum::<usize>(), 2);
}

/// `--min-strength` scores only the cases resolved at least that firmly, counted here from
/// the files' own `strength` words, and names the others.
#[test]
fn min_strength_leaves_out_cases_resolved_less_firmly() {
    const FIRM: [&str; 3] = ["conviction", "indictment", "government"];
    let (mut firm, mut weak) = (Vec::new(), Vec::new());
    let mut files = Vec::new();
    cli::acre_files_in(std::path::Path::new("cases"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(line) = text.lines().find(|l| l.starts_with("outcome ")) else {
            continue;
        };
        let word = line
            .split_whitespace()
            .skip_while(|w| *w != "strength")
            .nth(1);
        if word.is_some_and(|w| FIRM.contains(&w)) {
            firm.push(path.display().to_string());
        } else {
            weak.push(path.display().to_string());
        }
    }
    assert!(!firm.is_empty() && !weak.is_empty());
    let v = acre_json(&[
        "calibrate",
        "cases/",
        "--min-strength",
        "government",
        "--bootstrap",
        "10",
        "--format",
        "json",
    ]);
    assert_eq!(v["forecasters"][0]["forecasts"], firm.len());
    let mut left: Vec<String> = v["leads"]["below_strength"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    left.sort();
    weak.sort();
    assert_eq!(left, weak);
    // nothing resolved by a conviction: nothing to score, and the help says why
    let out = acre(&["calibrate", "cases/", "--min-strength", "conviction"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("as firmly as --min-strength asks"), "{err}");
}

/// `--setting` scores the cases at a fixed setting: at the sweep's best setting it gives the
/// sweep's own mean Brier score for it (computed by the sweep from the grid), and the sweep's
/// JSON keeps every setting of the grid.
#[test]
fn a_setting_from_the_sweep_scores_as_the_sweep_said() {
    let v = acre_json(&[
        "calibrate",
        "cases/",
        "--sweep",
        "--bootstrap",
        "20",
        "--format",
        "json",
    ]);
    let sweep = &v["sweep"];
    let grid = acre::calibrate::sweep::grid();
    assert_eq!(sweep["all"].as_array().unwrap().len(), grid.len());
    let dir = scratch("setting");
    for row in [&sweep["best"], &sweep["all"][7]] {
        let path = dir.join("setting.json");
        std::fs::write(&path, row["setting"].to_string()).unwrap();
        let scored = acre_json(&[
            "calibrate",
            "cases/",
            "--setting",
            path.to_str().unwrap(),
            "--bootstrap",
            "20",
            "--format",
            "json",
        ]);
        let engine = &scored["forecasters"][0];
        assert_eq!(engine["forecasts"], sweep["cases"]);
        let (a, b) = (
            engine["brier"].as_f64().unwrap(),
            row["brier"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-12, "{a} vs {b} at {}", row["setting"]);
        assert_eq!(scored["leads"]["led"], row["led"]);
    }
    // a setting that is not one: said, with the file
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"reliability": -1, "credibility": 1, "term_position": 0.5}"#,
    )
    .unwrap();
    let out = acre(&["calibrate", "cases/", "--setting", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a power above 0"));
}
