//! Prose review throughput, end to end: `acre review` run as a process on generated
//! drafts (read, scan, rules, output written), printed as MB/s.
//!
//! - a 100 MB corpus of realistic threat-report prose (headings, paragraphs, tables,
//!   lists, code, links; about one estimative phrase per kilobyte), with JSON output
//!   (target 100 MB/s; batches are read on every core with the `parallel` feature) and text output (200
//!   findings drawn; target under 1 s);
//! - linear scaling: 1, 10 and 100 MB of prose, of table rows, of one long line and of a
//!   repeated term, of one claim repeated in one paragraph and one per line (within 2x of
//!   each other);
//! - a typical 20-page report, process start included (target 20 ms).
//!
//! Run with `cargo bench --bench review`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A page of a threat report, written for this benchmark.
const REPORT: &str = include_str!("review_corpus.md");

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("acre-bench-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// Best of `runs` wall-clock seconds of `acre review FILE ARGS` with output discarded.
fn time_review(path: &Path, args: &[&str], runs: usize) -> f64 {
    let exe = env!("CARGO_BIN_EXE_acre");
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(exe)
                .arg("review")
                .arg(path)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            // exit 1 is "error-level findings", not a failure
            assert!(status.code().is_some_and(|c| c <= 1), "{status}");
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    const MB: usize = 1024 * 1024;
    let report = repeat_to(REPORT, 100 * MB);
    let path = write("report.md", &report);
    let mb = report.len() as f64 / MB as f64;
    let json = time_review(&path, &["--format", "json"], 3);
    println!(
        "review of {mb:.0} MB of report prose, JSON written: best of 3 {:.2} s, {:.0} MB/s (target 100 MB/s)",
        json,
        mb / json
    );
    let text = time_review(&path, &[], 3);
    println!(
        "review of {mb:.0} MB of report prose, text output (200 findings drawn): best of 3 {:.2} s (target under 1 s)",
        text
    );
    let _ = std::fs::remove_file(&path);

    println!("\nscaling (JSON written; MB/s at 1, 10 and 100 MB, which should agree within 2x):");
    let shapes: [(&str, String); 6] = [
        ("prose", REPORT.to_string()),
        (
            "table rows",
            "| APT31 | likely | May 2021 | tracking links | NCSC |\n".to_string(),
        ),
        (
            "one long line",
            "APT31 almost certainly conducted the reconnaissance, and it is likely that the group used tracking links; "
                .to_string(),
        ),
        ("repeated term", "almost certainly ".to_string()),
        (
            "repeated claim",
            "APT28 was almost certainly responsible for the intrusion. ".to_string(),
        ),
        (
            "claim per line",
            "APT28 was almost certainly responsible for the intrusion.\n".to_string(),
        ),
    ];
    for (name, unit) in shapes {
        let mut rates = Vec::new();
        for size in [MB, 10 * MB, 100 * MB] {
            let text = repeat_to(&unit, size);
            let path = write("shape.md", &text);
            let secs = time_review(
                &path,
                &["--format", "json"],
                if size > 10 * MB { 1 } else { 3 },
            );
            let _ = std::fs::remove_file(&path);
            rates.push(text.len() as f64 / MB as f64 / secs);
        }
        let spread = rates.iter().cloned().fold(0.0, f64::max)
            / rates.iter().cloned().fold(f64::INFINITY, f64::min);
        println!(
            "  {name:<14} {:>6.0} {:>6.0} {:>6.0} MB/s  (max/min {spread:.2})",
            rates[0], rates[1], rates[2]
        );
    }

    // about 20 pages of 3,000 characters
    let small = repeat_to(REPORT, 60_000);
    let path = write("small.md", &small);
    let exe = env!("CARGO_BIN_EXE_acre");
    let mut times: Vec<f64> = (0..30)
        .map(|_| {
            let start = Instant::now();
            Command::new(exe)
                .args(["review", path.to_str().unwrap(), "--format", "json"])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "\nacre review of a 20-page report (60 kB), process start included: median {:.1} ms over 30 runs (target 20 ms)",
        times[15]
    );
    let _ = std::fs::remove_file(path);
}
