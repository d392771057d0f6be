//! Valid cases, generated from the fuzzer's bytes (so that most inputs pass `check`), or
//! the bytes themselves as a case: assessed, explained and drawn by every renderer.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::fmt::Write as _;

/// Reads small numbers from the input, then zeros.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: u8) -> u8 {
        self.next() % n.max(1)
    }
}

const TERMS: [&str; 8] = [
    "remote chance",
    "highly unlikely",
    "unlikely",
    "realistic possibility",
    "likely",
    "highly likely",
    "almost certain",
    "likely or better",
];

fn value(b: &mut Bytes) -> String {
    match b.below(4) {
        0 => format!("{}%", b.next() % 101),
        1 => format!("0.{:02}", b.next() % 100),
        _ => TERMS[b.below(7) as usize].to_string(),
    }
}

/// A case with 2-5 hypotheses, sources that may echo earlier ones, items that may depend
/// on earlier ones, assumptions, judgments and expectations.
fn generate(b: &mut Bytes) -> String {
    let mut s = String::from("case \"fuzz\" {\n  yardstick phia\n}\n");
    let n_h = 2 + b.below(4) as usize;
    for h in 0..n_h - 1 {
        let _ = writeln!(s, "hypothesis h{h} \"H{h}\" prior {}%", 1 + b.below(20));
    }
    let _ = writeln!(s, "hypothesis h{} \"rest\" prior rest catch-all", n_h - 1);
    let n_s = b.below(5) as usize;
    for i in 0..n_s {
        let letter = (b'A' + b.below(6)) as char;
        let echoes = if i > 0 && b.below(3) == 0 {
            format!(" echoes s{}", b.below(i as u8))
        } else {
            String::new()
        };
        let _ = writeln!(s, "source s{i} \"S{i}\" reliability {letter}{echoes}");
    }
    let n_a = b.below(3) as usize;
    for a in 0..n_a {
        let _ = writeln!(
            s,
            "assumption a{a} \"A{a}\" {{\n  prior {}\n  given h0: {}\n}}",
            TERMS[b.below(6) as usize],
            TERMS[b.below(6) as usize]
        );
    }
    let n_e = b.below(9) as usize;
    for e in 0..n_e {
        let _ = writeln!(s, "evidence e{e} \"E{e}\" {{");
        if n_s > 0 && b.below(3) != 0 {
            let _ = writeln!(
                s,
                "  from s{} credibility {}",
                b.below(n_s as u8),
                1 + b.below(6)
            );
        }
        match b.below(6) {
            0 => s.push_str("  absent\n"),
            1 => s.push_str("  pending\n"),
            _ => {}
        }
        if e > 0 && b.below(3) == 0 {
            let _ = writeln!(s, "  depends on e{}", b.below(e as u8));
        }
        for h in 0..n_h - 1 {
            if b.below(2) == 0 {
                let _ = writeln!(s, "  given h{h}: {}", value(b));
            }
        }
        if n_a > 0 && b.below(3) == 0 {
            let _ = writeln!(s, "  otherwise if a{}: {}", b.below(n_a as u8), value(b));
        }
        let _ = writeln!(s, "  otherwise: {}\n}}", value(b));
    }
    if b.below(2) == 0 {
        let _ = writeln!(
            s,
            "judgment j \"It is {} that H0 did it.\" {{\n  claims h0 {}\n}}",
            TERMS[b.below(7) as usize],
            TERMS[b.below(7) as usize]
        );
    }
    if b.below(2) == 0 {
        s.push_str("expect h0 leads\n");
    }
    s
}

fuzz_target!(|data: &[u8]| {
    let text = match data.split_first() {
        Some((0, rest)) => String::from_utf8_lossy(rest).into_owned(),
        _ => generate(&mut Bytes(data)),
    };
    // the pipeline every command uses, as far as it goes
    let options = acre::infer::Options {
        samples: 64,
        seed: 7,
    };
    let settings = acre::analysis::Settings {
        depth: acre::analysis::Depth::Explain,
        engine: options,
        focus: None,
    };
    let file = acre::source::decode("fuzz.acre".to_string(), text.clone().into_bytes());
    let no_includes = |_: &str, _: &str| Err("no includes while fuzzing".to_string());
    let analysis = acre::analysis::analyse(file, "fuzz.acre", &no_includes, &settings);
    let Some(case) = &analysis.case else {
        return;
    };
    if let Some(a) = &analysis.assessment {
        let _ = acre::report::assess::text(case, a, "fuzz.acre");
        let _ = serde_json::to_string(&acre::report::assess::json(case, a, "fuzz.acre"));
    }
    let _ = acre::export::dot(case);
    let (Some(a), Some(x)) = (&analysis.assessment, &analysis.explanation) else {
        return;
    };
    let _ = acre::report::explain::text(case, x);
    let checks = &analysis.judgments;
    let timeline = acre::history::timeline(case, &options).ok();
    if let Some(t) = &timeline {
        let _ = acre::report::history::timeline_text(t, &case.yardstick, "fuzz.acre");
    }
    let _ = acre::report::html::html(case, a, x, checks, "fuzz.acre", timeline.as_ref());
    // a version against itself: no change, same words
    if let Ok(d) = acre::history::diff::diff(&text, &text) {
        assert!(d.changes.is_empty() && !d.term_changed);
    }
    let _ = acre::report::html::markdown(case, a, x, checks);
    let _ = acre::export::stix(case, a, x, &text);
    let _ = acre::export::misp(case, a, x, &text);
});
