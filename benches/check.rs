//! Parse-and-check throughput on a generated 10 MB case, the wall time of `acre check` on
//! the flagship case, process start included, and the scaling of `check` on long chains
//! (dependency and echo chains of 1,000 to 100,000 links: MB/s should stay level).
//! Run with `cargo bench --bench check`. Targets: 50 MB/s, 10 ms, linear chains.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generated_case(target_bytes: usize) -> String {
    let mut text = String::from(
        "case \"generated\" { question \"q\" yardstick phia }\n\
         hypothesis a \"A\" prior 30%\nhypothesis b \"B\" prior 30%\n\
         hypothesis c \"C\" prior 20%\nhypothesis other \"Someone else\" prior rest catch-all\n\
         source s0 \"S0\" reliability B\nsource s1 \"S1\" reliability C echoes s0\n\
         assumption ff \"false flag\" prior remote chance\n",
    );
    let mut i = 0;
    while text.len() < target_bytes {
        text.push_str(&format!(
            "# item {i}\nevidence e{i} \"Observation number {i}\" {{\n  from s{} credibility {}\n  given a: highly likely\n  given b if ff: likely\n  given c: 0.3..0.4\n  otherwise: unlikely\n}}\n",
            i % 2,
            i % 6 + 1
        ));
        i += 1;
    }
    text
}

/// A case whose `n` items each depend on the next, or whose `n` sources each echo the next.
fn chain_case(n: usize, echo: bool) -> String {
    let mut s = String::from(
        "case \"chain\" {}\nhypothesis a prior 50%\nhypothesis b prior rest catch-all\n",
    );
    if echo {
        for i in 0..n {
            let next = if i + 1 < n {
                format!(" echoes s{}", i + 1)
            } else {
                String::new()
            };
            s.push_str(&format!("source s{i} \"S\" reliability A{next}\n"));
        }
        s.push_str("evidence e {\n  from s0 credibility 1\n  given a: 0.9\n  otherwise: 0.1\n}\n");
    } else {
        s.push_str("source s \"S\" reliability B\n");
        for i in 0..n {
            let dep = if i + 1 < n {
                format!("  depends on e{}\n", i + 1)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "evidence e{i} {{\n  from s credibility 2\n{dep}  given a: {:.6}\n  otherwise: 0.2\n}}\n",
                0.3 + i as f64 / (2.0 * n as f64)
            ));
        }
    }
    s
}

fn chains() {
    println!("check on chains (best of 3; level MB/s means linear):");
    for echo in [false, true] {
        for n in [1_000, 10_000, 100_000] {
            let text = chain_case(n, echo);
            let mb = text.len() as f64 / (1024.0 * 1024.0);
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let start = Instant::now();
                let checked = acre::check::check_source(&text);
                best = best.min(start.elapsed().as_secs_f64());
                assert!(checked.case.is_some());
            }
            println!(
                "  {} chain of {n:>7} links, {mb:>5.2} MB: {:>8.1} ms, {:>5.1} MB/s",
                if echo { "echo      " } else { "dependency" },
                best * 1e3,
                mb / best
            );
        }
    }
}

fn main() {
    chains();
    let text = generated_case(10 * 1024 * 1024);
    let mb = text.len() as f64 / (1024.0 * 1024.0);
    // warm up
    let _ = acre::check::check_source(&text);
    let runs = 5;
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = Instant::now();
        let checked = acre::check::check_source(&text);
        let secs = start.elapsed().as_secs_f64();
        assert!(checked.case.is_some());
        best = best.min(secs);
    }
    let start = Instant::now();
    let (_, _) = acre::syntax::parse(&text);
    let parse_secs = start.elapsed().as_secs_f64();
    println!(
        "parse + check of a {mb:.1} MB case: best of {runs} {:.1} ms, {:.0} MB/s (target 50 MB/s)",
        best * 1e3,
        mb / best
    );
    println!(
        "parse alone: {:.1} ms, {:.0} MB/s",
        parse_secs * 1e3,
        mb / parse_secs
    );

    let exe = env!("CARGO_BIN_EXE_acre");
    let flagship = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/cases/apt31-uk-parliament-2021.acre"
    );
    let mut times = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let status = std::process::Command::new(exe)
            .args(["check", flagship])
            .output()
            .unwrap()
            .status;
        times.push(start.elapsed().as_secs_f64() * 1e3);
        assert!(status.success());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "acre check flagship, process start included: median {:.2} ms, p90 {:.2} ms over 50 runs (target 10 ms)",
        times[25], times[45]
    );
}
