//! Parse-and-check throughput on a generated 10 MB case, and the wall time of
//! `acre check` on the flagship case, process start included.
//! Run with `cargo bench --bench check`. Targets: 50 MB/s, 10 ms.

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

fn main() {
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
