//! `acre pool`: pools equal an independent computation, pooling one file gives that file,
//! the log pool of identical files is their posterior, and the disagreement ranking names
//! the item the worked example's analysts really disagree on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use acre::pool::{linear, logarithmic};
use proptest::prelude::*;
use serde_json::Value;
use support::{acre, scratch};

const A: &str = "cases/pool/olympic-destroyer-analyst-a.acre";
const B: &str = "cases/pool/olympic-destroyer-analyst-b.acre";
const C: &str = "cases/pool/olympic-destroyer-analyst-c.acre";

fn json(args: &[&str]) -> Value {
    let out = acre(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn pools_of_the_worked_example_equal_a_second_computation() {
    let p = json(&["pool", A, B, C, "--extremize", "2", "--format", "json"]);
    let posts: Vec<Vec<f64>> = p["analysts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| vector(&a["posterior"]))
        .collect();
    // each analyst's posterior is its file's `acre assess` point
    for (file, post) in [A, B, C].iter().zip(&posts) {
        let a = json(&["assess", file, "--format", "json", "--samples", "0"]);
        for (h, x) in a["hypotheses"].as_array().unwrap().iter().zip(post) {
            assert_eq!(h["posterior"]["point"].as_f64().unwrap(), *x);
        }
    }
    let k = posts[0].len();
    // by hand: equal weights of 1/3
    for h in 0..k {
        let lin = posts.iter().map(|p| p[h]).sum::<f64>() / 3.0;
        assert!((p["pooled"][0]["posterior"][h].as_f64().unwrap() - lin).abs() < 1e-12);
    }
    let geo: Vec<f64> = (0..k)
        .map(|h| posts.iter().map(|p| p[h].powf(1.0 / 3.0)).product::<f64>())
        .collect();
    let total: f64 = geo.iter().sum();
    let sq_total: f64 = geo.iter().map(|g| g * g).sum();
    for h in 0..k {
        let log = p["pooled"][1]["posterior"][h].as_f64().unwrap();
        assert!((log - geo[h] / total).abs() < 1e-12);
        // d = 2 squares the geometric mean before normalising
        let ext = p["pooled"][2]["posterior"][h].as_f64().unwrap();
        assert!((ext - geo[h] * geo[h] / sq_total).abs() < 1e-12);
    }
    assert_eq!(p["pooled"][0]["method"], "linear");
    assert_eq!(p["pooled"][2]["method"], "extremized logarithmic (d = 2)");
}

#[test]
fn the_ranking_names_the_item_the_analysts_disagree_on() {
    let p = json(&["pool", A, B, C, "--format", "json"]);
    assert_eq!(p["focus"], "gru");
    assert_eq!(p["disagreements"][0]["id"], "forged_header");
    // B's file is the one that differs on it, and says so
    let written = &p["disagreements"][0]["written"];
    assert!(
        written[1]
            .as_str()
            .unwrap()
            .contains("given lazarus: unlikely")
    );
    assert!(
        written[0]
            .as_str()
            .unwrap()
            .contains("given lazarus: remote chance")
    );
    // the spread of lazarus crosses words: A and C say remote chance, B highly unlikely
    let lazarus = &p["spread"][1];
    assert_eq!(lazarus["id"], "lazarus");
    assert_eq!(lazarus["same_term"], false);
}

#[test]
fn weights_from_a_file_and_one_file_alone() {
    let dir = scratch("pool-weights");
    let w = dir.join("w.csv");
    std::fs::write(
        &w,
        "analyst,weight\nolympic-destroyer-analyst-a.acre,1\nolympic-destroyer-analyst-b.acre,0\nolympic-destroyer-analyst-c.acre,0\n",
    )
    .unwrap();
    let p = json(&[
        "pool",
        A,
        B,
        C,
        "--weights",
        &w.display().to_string(),
        "--format",
        "json",
    ]);
    let a = vector(&p["analysts"][0]["posterior"]);
    for pooled in p["pooled"].as_array().unwrap() {
        for (x, y) in vector(&pooled["posterior"]).iter().zip(&a) {
            assert!((x - y).abs() < 1e-12);
        }
    }
    let alone = json(&["pool", A, "--format", "json"]);
    assert_eq!(
        alone["pooled"][0]["posterior"],
        alone["analysts"][0]["posterior"]
    );
}

#[test]
fn files_that_do_not_share_hypotheses_are_refused() {
    let dir = scratch("pool-mismatch");
    let other = dir.join("other.acre");
    let text = std::fs::read_to_string(A)
        .unwrap()
        .replace("hypothesis china", "hypothesis prc")
        .replace("given china", "given prc");
    std::fs::write(&other, text).unwrap();
    let out = acre(&["pool", A, &other.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("acre::pool-mismatch") && stderr.contains("`china`"),
        "{stderr}"
    );
}

#[test]
fn the_html_page_draws_every_analyst_on_the_yardstick() {
    let dir = scratch("pool-html");
    let out = dir.join("pool.html");
    let o = out.display().to_string();
    json(&["pool", A, B, C, "--format", "json", "--html", &o]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("class=\"chart pool-chart\""));
    assert_eq!(html.matches("<circle class=\"analyst\"").count(), 3 * 4);
    assert_eq!(html.matches("<path class=\"pooled\"").count(), 2 * 4);
}

fn distribution(k: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.01f64..1.0, k).prop_map(|v| {
        let t: f64 = v.iter().sum();
        v.iter().map(|x| x / t).collect()
    })
}

proptest! {
    /// Pooling one distribution gives it back; the log pool of identical distributions is
    /// that distribution, whatever the weights.
    #[test]
    fn pools_of_one_and_of_identical_files(p in distribution(5), w in prop::collection::vec(0.05f64..1.0, 3)) {
        let t: f64 = w.iter().sum();
        let w: Vec<f64> = w.iter().map(|x| x / t).collect();
        for (x, y) in linear(std::slice::from_ref(&p), &[1.0]).iter().zip(&p) {
            prop_assert!((x - y).abs() < 1e-12);
        }
        for (x, y) in logarithmic(std::slice::from_ref(&p), &[1.0], 1.0).iter().zip(&p) {
            prop_assert!((x - y).abs() < 1e-12);
        }
        let same = vec![p.clone(), p.clone(), p.clone()];
        for (x, y) in logarithmic(&same, &w, 1.0).iter().zip(&p) {
            prop_assert!((x - y).abs() < 1e-12);
        }
        for (x, y) in linear(&same, &w).iter().zip(&p) {
            prop_assert!((x - y).abs() < 1e-12);
        }
    }
}
