//! Calibration: hand-worked decompositions, the GJP sample's Brier computed
//! independently, Beta fits against sample moments, and the commands end to end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cli.rs"]
mod cli;
use cli::acre;

use acre::calibrate::{Forecast, decompose, lexicon_fit, log_score, score};

fn f(p: f64, o: u8, g: &str) -> Forecast {
    Forecast {
        p,
        outcome: o == 1,
        group: g.to_string(),
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

#[test]
fn gjp_brier_equals_an_independent_computation() {
    // By hand on the first six rows: (0.1-0)^2 + (0.9-1)^2 + (0.25-1)^2 + (0.75-0)^2 + (0.1-0)^2 + (0.9-1)^2
    // = 0.01 + 0.01 + 0.5625 + 0.5625 + 0.01 + 0.01 = 1.165, / 6 = 0.194166...
    let text = std::fs::read_to_string(gjp_path()).unwrap();
    let head: String = text.lines().take(7).map(|l| format!("{l}\n")).collect();
    let dir = std::env::temp_dir().join(format!("acre-gjp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let subset = dir.join("subset.csv");
    std::fs::write(&subset, head).unwrap();
    let out = acre(&[
        "calibrate",
        "--forecasts",
        subset.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((v["forecasters"][0]["brier"].as_f64().unwrap() - 1.165 / 6.0).abs() < 1e-12);

    // All 9,999 rows, by a short independent script (Python's csv module, summing
    // (probability - outcome)^2 and dividing by the count): 0.21851743174317276
    let out = acre(&["calibrate", "--forecasts", &gjp_path(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["forecasters"][0];
    assert_eq!(s["n"], 9999);
    assert!((s["brier"].as_f64().unwrap() - 0.218_517_431_743_172_76).abs() < 1e-12);
    for key in [
        "name",
        "n",
        "brier",
        "reliability",
        "resolution",
        "uncertainty",
        "log_score",
        "ece",
        "bands",
    ] {
        assert!(!s[key].is_null(), "{key}");
    }
    let sum = s["reliability"].as_f64().unwrap() - s["resolution"].as_f64().unwrap()
        + s["uncertainty"].as_f64().unwrap()
        + s["within_bin_variance"].as_f64().unwrap()
        - s["within_bin_covariance"].as_f64().unwrap();
    assert!((sum - s["brier"].as_f64().unwrap()).abs() < 1e-12);
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
    assert!(text.contains("too small to judge"));
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
    assert_eq!(names, ["engine", "analysts"]);
    // four resolved cases (WannaCry, Olympic Destroyer, NotPetya, Sony) with four
    // hypotheses each
    assert_eq!(v["forecasters"][0]["n"], 16);
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
        text.contains("readers put 'realistic possibility' at a median of"),
        "{text}"
    );
    assert!(text.contains("PHIA defines it as 40-50%"));
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
    let table = acre::calibrate::table::Table {
        name: "absolute_judgements.csv".to_string(),
        headers: split(lines.next().unwrap()),
        rows: lines
            .enumerate()
            .map(|(i, l)| acre::calibrate::table::Record {
                line: i + 2,
                cells: split(l),
            })
            .collect(),
    };
    let survey = lexicon_fit::survey_from_table(&table).unwrap();
    let fits = lexicon_fit::fit_all(&survey);
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
    let s = score("x", &fs, &acre::lexicon::builtin_yardstick("phia").unwrap());
    assert!(!s.enough);
    assert_eq!(s.bands.iter().map(|b| b.n).sum::<usize>(), 2);
}
