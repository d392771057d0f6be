//! Prose review throughput: the phrase scan over a generated 100 MB corpus
//! (target 100 MB/s on one core), the full review of the same, and `acre review`
//! of a typical 20-page report, process start included (target 20 ms).
//! Run with `cargo bench --bench review`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use acre::review::scan::Scanner;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PARAGRAPHS: &[&str] = &[
    "The NCSC assesses it is almost certain (95-100%) that APT31 conducted reconnaissance against\nparliamentarians' email accounts. No accounts were compromised.\n\n",
    "Officials said there was a high likelihood that the group was behind the campaign, which\nsent emails with hidden tracking links to more than 10,000 targets since 2010.\n\n",
    "Evidence gathered by prosecutors suggests the group was almost certainly responsible,\naccording to an indictment unsealed the same day. Analysts said the actor may have had help.\n\n",
    "Network defenders should patch exposed servers, rotate credentials and review mail logs for\nunusual tracking pixels; the guidance covers Microsoft Exchange and other mail platforms.\n\n",
    "```\ngrep -i tracking mail.log | sort | uniq -c\n```\n\n",
    "It is unlikely (25-35%) that a financially motivated group carried out the activity, and a\nrealistic possibility that other state actors used similar tradecraft.\n\n",
];

fn corpus(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 1024);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(PARAGRAPHS[i % PARAGRAPHS.len()]);
        i += 1;
    }
    s
}

fn main() {
    let scanner = Scanner::new(&[]);
    let text = corpus(100 * 1024 * 1024);
    let mb = text.len() as f64 / (1024.0 * 1024.0);
    let _ = scanner.scan(&text[..1_000_000]);
    let mut secs = f64::INFINITY;
    let mut n_hits = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let hits = scanner.scan(&text);
        secs = secs.min(start.elapsed().as_secs_f64());
        n_hits = hits.len();
    }
    println!(
        "phrase scan of a {mb:.0} MB corpus: best of 3 {:.0} ms, {:.0} MB/s, {n_hits} phrases (target 100 MB/s on one core)",
        secs * 1e3,
        mb / secs
    );

    let options = acre::review::Options {
        yardstick: acre::lexicon::builtin_yardstick("phia").unwrap(),
        config: Default::default(),
        case: None,
    };
    let ten = &text[..10 * 1024 * 1024];
    let start = Instant::now();
    let review = acre::review::review(ten, &scanner, &options);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "full review (all rules) of 10 MB: {:.0} ms, {:.0} MB/s, {} findings",
        secs * 1e3,
        10.0 / secs,
        review.findings.len()
    );

    // about 20 pages of 3,000 characters
    let report = corpus(60_000);
    let path = std::env::temp_dir().join(format!("acre-bench-report-{}.md", std::process::id()));
    std::fs::write(&path, &report).unwrap();
    let exe = env!("CARGO_BIN_EXE_acre");
    let mut times = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let out = std::process::Command::new(exe)
            .args(["review", path.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        assert!(!out.stdout.is_empty());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "acre review of a 20-page report (60 kB), process start included: median {:.1} ms over 30 runs (target 20 ms)",
        times[15]
    );
    let _ = std::fs::remove_file(path);
}
