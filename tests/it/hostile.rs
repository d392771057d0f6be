//! Hostile and huge inputs (issue 11): one regression test per finding, named after it.
//! Big inputs are generated here, never committed; each test runs in a few seconds on the
//! release build.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;

use cli::{acre, acre_within, scratch};
use std::fmt::Write as _;
use std::path::Path;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const HEAD: &str = "case \"x\" {}\nhypothesis a prior 50%\nhypothesis b prior rest catch-all\n";

/// Bytes a terminal acts on rather than shows: C0 controls other than tab and line feed,
/// DEL, and the right-to-left override.
fn has_raw_controls(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|b| (*b < 0x20 && *b != b'\n' && *b != b'\t') || *b == 0x7f)
        || String::from_utf8_lossy(bytes).contains('\u{202e}')
}

#[test]
fn finding_01_a_diagnostic_past_column_65535_is_drawn_not_a_panic() {
    let dir = scratch("col");
    let case = dir.join("wide.acre");
    std::fs::write(
        &case,
        format!(
            "case \"x\" {{}}\nhypothesis a prior 50%{}bogus\nhypothesis b prior rest catch-all\n",
            " ".repeat(70_000)
        ),
    )
    .unwrap();
    let out = acre(&["check", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // line 2, column 23 + 70,000: the label is drawn at the word, in a window of the line
    assert!(stderr(&out).contains(":2:70023]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("`bogus` is not a field"));
    let draft = dir.join("wide.md");
    std::fs::write(
        &draft,
        format!("{}We assess with high likelihood.\n", " ".repeat(70_000)),
    )
    .unwrap();
    let out = acre(&["review", draft.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains(":1:70016]"), "{}", stdout(&out));
}

/// A case of `n` items, each depending on the next (a chain), or on the next modulo `n` (a
/// cycle).
fn dependency_case(n: usize, cycle: bool) -> String {
    let mut s = format!("{HEAD}source s \"S\" reliability B\n");
    for i in 0..n {
        let dep = if i + 1 < n {
            format!("  depends on e{}\n", i + 1)
        } else if cycle {
            "  depends on e0\n".to_string()
        } else {
            String::new()
        };
        // distinct likelihoods, so that no look-alike warning is drawn
        let _ = writeln!(
            s,
            "evidence e{i} {{\n  from s credibility 2\n{dep}  given a: {:.6}\n  otherwise: 0.2\n}}",
            0.3 + i as f64 / (2.0 * n as f64)
        );
    }
    s
}

/// A case of `n` sources, each echoing the next (a chain), or the next modulo `n`.
fn echo_case(n: usize, cycle: bool) -> String {
    let mut s = HEAD.to_string();
    for i in 0..n {
        let echoes = if i + 1 < n {
            format!(" echoes s{}", i + 1)
        } else if cycle {
            " echoes s0".to_string()
        } else {
            String::new()
        };
        let _ = writeln!(s, "source s{i} \"S\" reliability A{echoes}");
    }
    s.push_str("evidence e {\n  from s0 credibility 1\n  given a: 0.9\n  otherwise: 0.1\n}\n");
    s
}

#[test]
fn finding_02_long_chains_and_cycles_do_not_overflow_the_stack() {
    let dir = scratch("chains");
    for (name, text, code) in [
        ("dep-chain.acre", dependency_case(100_000, false), 0),
        ("dep-cycle.acre", dependency_case(100_000, true), 1),
        ("echo-chain.acre", echo_case(100_000, false), 0),
        ("echo-cycle.acre", echo_case(100_000, true), 1),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = acre(&["check", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(code), "{name}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: Vec<&str> = v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        if code == 1 {
            assert_eq!(
                codes.len(),
                1,
                "{name}: one cycle, one diagnostic: {codes:?}"
            );
            assert!(codes[0].ends_with("-cycle"), "{name}: {codes:?}");
        }
    }
}

#[test]
fn finding_03_an_echo_chain_of_100000_sources_is_assessed_in_linear_memory() {
    // each source stored its whole relay list: 100,000 sources needed more than 11.7 GB
    let dir = scratch("echo-memory");
    let path = dir.join("echo.acre");
    std::fs::write(&path, echo_case(100_000, false)).unwrap();
    let out = acre(&[
        "assess",
        "--format",
        "json",
        "--samples",
        "200",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // the report passes through 99,999 relays graded A (sound with probability 0.98 each):
    // 0.98^99,999 is 0 in floating point, so the report carries no weight and the posterior
    // is the prior
    let a = v["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "a")
        .unwrap();
    assert!(
        (a["posterior"]["point"].as_f64().unwrap() - 0.5).abs() < 1e-9,
        "{a}"
    );
}

#[test]
fn finding_04_review_columns_on_one_long_line_are_right_at_the_end() {
    // JSON columns were counted from the line start for every phrase (quadratic); they are
    // counted once now, and must still be right for the last phrase of a long line
    let dir = scratch("review-line");
    let draft = dir.join("line.md");
    let n = 50_000;
    std::fs::write(&draft, "It is almost certainly so. ".repeat(n)).unwrap();
    let out = acre(&["review", "--format", "json", draft.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let phrases = v["phrases"].as_array().unwrap();
    assert_eq!(phrases.len(), n);
    let last = &phrases[n - 1];
    let sentence = "It is almost certainly so. ".len();
    assert_eq!(last["line"], 1);
    assert_eq!(
        last["column"].as_u64().unwrap() as usize,
        (n - 1) * sentence + "It is ".len() + 1
    );
}

#[test]
fn finding_05_a_long_dependency_cycle_draws_a_few_labels() {
    let dir = scratch("cycle-labels");
    let path = dir.join("cycle.acre");
    std::fs::write(&path, dependency_case(10_000, true)).unwrap();
    let out = acre(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // the help line is wrapped to the terminal's width
    let err = stderr(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let labels = err.matches("part of the cycle").count() + err.matches("closes a cycle").count();
    assert_eq!(labels, 12, "{err}");
    assert!(
        err.contains("the cycle has 10000 links; the first 12 are shown"),
        "{err}"
    );
    assert!(err.contains("10000 evidence items depend on each other in a cycle"));
}

fn resolved_case(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("resolved.acre");
    std::fs::write(
        &path,
        format!(
            "{HEAD}evidence e {{\n  given a: 0.9\n  otherwise: 0.2\n}}\noutcome a on 2020-01-01\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn finding_06_outputs_never_overwrite_an_input() {
    let dir = scratch("overwrite");
    let case = resolved_case(&dir);
    let original = std::fs::read(&case).unwrap();
    let csv = dir.join("forecasts.csv");
    std::fs::write(&csv, "probability,outcome\n0.9,1\n0.2,0\n0.7,1\n").unwrap();
    let survey = dir.join("survey.csv");
    std::fs::write(
        &survey,
        "phrase,value\nlikely,70\nlikely,75\nunlikely,20\nunlikely,25\n",
    )
    .unwrap();
    let link = dir.join("link.acre");
    std::os::unix::fs::symlink(&case, &link).unwrap();
    let hard = dir.join("hard.acre");
    std::fs::hard_link(&case, &hard).unwrap();
    let c = case.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["report", c, "-o", c],
        vec!["report", c, "-o", link.to_str().unwrap()],
        vec!["report", c, "-o", hard.to_str().unwrap()],
        vec!["calibrate", c, "--emit-yardstick", c],
        vec![
            "calibrate",
            "--forecasts",
            csv.to_str().unwrap(),
            "--plot",
            csv.to_str().unwrap(),
        ],
        vec![
            "lexicon",
            "fit",
            survey.to_str().unwrap(),
            "-o",
            survey.to_str().unwrap(),
        ],
    ];
    for args in runs {
        let before: Vec<Vec<u8>> = [&case, &csv, &survey]
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        let out = acre(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is an input of this command"),
            "{args:?}"
        );
        let after: Vec<Vec<u8>> = [&case, &csv, &survey]
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        assert_eq!(before, after, "{args:?} changed an input");
    }
    assert_eq!(std::fs::read(&case).unwrap(), original);
}

#[cfg(unix)]
#[test]
fn finding_07_outputs_are_written_through_an_exclusive_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("temp-files");
    let case = resolved_case(&dir);
    let c = case.to_str().unwrap();
    // an existing target keeps its permissions, and no temporary file is left behind
    let target = dir.join("report.html");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    // the old predictable temporary name, planted as a link to another file
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    for pid_guess in 0..50u32 {
        let _ = std::os::unix::fs::symlink(
            &victim,
            dir.join(format!(".report.html.acre-tmp-{pid_guess}")),
        );
    }
    let out = acre(&["report", c, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".acre-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // a symbolic link is written through and stays a link
    let real = dir.join("real.md");
    let link = dir.join("link.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = acre(&["report", c, "--format", "md", "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("# x"));
    // a FIFO is written into, not replaced by a regular file
    let fifo = dir.join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let out = acre_within(
            &["report", c, "--format", "md", "-o", fifo.to_str().unwrap()],
            20,
        )
        .expect("writing a FIFO does not block once it has a reader");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(reader.join().unwrap().starts_with("# x"));
        assert!(!std::fs::metadata(&fifo).unwrap().is_file());
    }
}

#[test]
fn finding_08_the_markdown_report_is_inert_when_rendered() {
    let dir = scratch("markdown");
    let path = dir.join("hostile.acre");
    let payload = r#"<script>alert(1)</script> <svg onload=alert(2)> <style>*{}</style> [link](javascript:x) a | b\n# heading"#;
    std::fs::write(
        &path,
        format!(
            "case \"{payload}\" {{\n  question \"{payload}\"\n}}\nhypothesis a \"{payload}\" prior 50%\nhypothesis b \"{payload}\" prior rest catch-all\nsource s \"{payload}\" reliability B\nevidence e \"{payload}\" {{\n  from s credibility 2\n  given a: 0.9\n  otherwise: 0.2\n}}\n"
        ),
    )
    .unwrap();
    let out = acre(&["report", "--format", "md", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    // rendered by a CommonMark renderer, nothing a user wrote becomes markup
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut html, parser);
    for tag in ["<script", "<svg", "<style", "<a ", "<h1>heading"] {
        assert!(!html.contains(tag), "{tag} in:\n{html}");
    }
    // every row of the hypotheses table keeps its six cells
    let table = md
        .split("## Hypotheses")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .nth(1)
        .unwrap();
    for row in table.lines() {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 7, "{row}");
    }
}

#[test]
fn finding_09_control_characters_are_diagnostics_and_never_printed() {
    let dir = scratch("controls");
    let path = dir.join("controls.acre");
    std::fs::write(
        &path,
        "case \"x\u{1b}]0;pwned\u{7}\" {}\n# a comment\twith a tab is fine \r\nhypothesis a \"nul\0here\" prior 50%\nhypothesis b \"evil\u{202e}gpj.exe\" prior rest catch-all\n",
    )
    .unwrap();
    let out = acre(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, usize, usize)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("acre::control-character".to_string(), 1, 8),
            ("acre::control-character".to_string(), 3, 18),
            ("acre::bidi-control".to_string(), 4, 19),
        ]
    );
    for color in ["never", "always"] {
        let out = acre(&["check", "--color", color, path.to_str().unwrap()]);
        let err = out.stderr.clone();
        // with colour, miette's own escape sequences start with ESC [; none other may appear
        let cleaned = String::from_utf8_lossy(&err).replace("\u{1b}[", "");
        assert!(!has_raw_controls(cleaned.as_bytes()), "{cleaned:?}");
        assert!(cleaned.contains('\u{241b}'), "ESC is drawn as ␛");
    }
    // a junk file's bytes are not echoed
    let junk = dir.join("junk.acre");
    std::fs::write(&junk, b"\x1b[2J\x07\x00\x01garbage").unwrap();
    let out = acre(&["check", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!has_raw_controls(&out.stderr), "{:?}", stderr(&out));
    // a bidirectional control is only a warning: the case is assessed, and no renderer
    // passes it on raw
    let bidi = dir.join("bidi.acre");
    std::fs::write(
        &bidi,
        format!(
            "{HEAD}evidence e \"evil\u{202e}gpj.exe\" {{\n  given a: 0.9\n  otherwise: 0.2\n}}\n"
        ),
    )
    .unwrap();
    let b = bidi.to_str().unwrap();
    for args in [
        vec!["assess", b],
        vec!["explain", b],
        vec!["graph", b],
        vec!["report", b],
        vec!["report", "--format", "md", b],
    ] {
        let out = acre(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!has_raw_controls(&out.stdout), "{args:?}");
        // where the label is shown, the override is shown as a stand-in
        if stdout(&out).contains("evil") {
            assert!(
                stdout(&out).contains("evil\u{27e8}U+202E\u{27e9}gpj.exe"),
                "{args:?}: {}",
                stdout(&out)
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn finding_10_folder_walks_do_not_follow_symlinked_folders() {
    let dir = scratch("walk");
    let case = resolved_case(&dir);
    let _ = case;
    std::os::unix::fs::symlink(&dir, dir.join("self")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("again")).unwrap();
    // a link to the case file itself counts once too
    std::os::unix::fs::symlink(dir.join("resolved.acre"), dir.join("alias.acre")).unwrap();
    let d = dir.to_str().unwrap();
    let out = acre_within(&["test", d], 20).expect("the walk ends");
    assert_eq!(stdout(&out).matches("case ").count(), 1, "{}", stdout(&out));
    let out = acre_within(&["calibrate", "--format", "json", d], 20).expect("the walk ends");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["summary"]
            .as_str()
            .unwrap()
            .contains("over 1 resolved case "),
        "{}",
        v["summary"]
    );
    let out = acre_within(&["check", d], 20).expect("the walk ends");
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn finding_11_special_files_are_refused_before_they_are_read() {
    let out = acre_within(&["check", "/dev/zero"], 20).expect("/dev/zero is not read");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a regular file"),
        "{}",
        stderr(&out)
    );
    let dir = scratch("fifo");
    let fifo = dir.join("pipe.acre");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let out = acre_within(&["assess", fifo.to_str().unwrap()], 20)
            .expect("a FIFO without a writer does not block");
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("is not a regular file"));
    }
    // and a file larger than the limit is refused before it is read
    let big = dir.join("big.acre");
    std::fs::write(&big, format!("{HEAD}{}", "# padding\n".repeat(200))).unwrap();
    let out = acre(&["check", "--max-input-size", "1K", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is larger than 1024 bytes"),
        "{}",
        stderr(&out)
    );
    let out = acre(&["check", "--max-input-size", "1M", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn finding_12_sarif_uris_are_percent_encoded() {
    let dir = scratch("sarif-uri");
    let draft = dir.join("draft with space#1%.md");
    std::fs::write(&draft, "We assess with high likelihood that it was them.\n").unwrap();
    let out = acre(&["review", "--format", "sarif", draft.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri =
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
    assert!(uri.ends_with("/draft%20with%20space%231%25.md"), "{uri}");
    assert!(!uri.contains(' ') && !uri.contains('#'));
}

#[test]
fn finding_13_negative_zero_prints_as_zero() {
    let dir = scratch("neg-zero");
    let path = dir.join("zero.acre");
    std::fs::write(
        &path,
        "case \"x\" {}\nhypothesis a prior -0%\nhypothesis b prior rest catch-all\n",
    )
    .unwrap();
    let out = acre(&["assess", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("(prior 0.0%)"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("prior -0"), "{}", stdout(&out));
}

/// Found by the review fuzz target: a number after a multi-byte character ("y\u{FFFD}5%
/// likely") gave a finding whose span started inside that character, so its text was empty
/// and slicing the draft at it panicked. Every finding's span and fix must lie on character
/// boundaries, and the whole review pipeline must run on such text.
#[test]
fn fuzz_01_findings_after_multibyte_characters_lie_on_character_boundaries() {
    use acre::review::{self, config::RuleConfig, scan::Scanner};
    let scanner = Scanner::new(&[]);
    let options = review::Options {
        yardstick: acre::lexicon::builtin_yardstick("phia").unwrap(),
        config: RuleConfig::default(),
        case: None,
    };
    let mut checked = 0;
    for before in ["y\u{FFFD}", "é", "日本", "😀", "\u{202F}", "-"] {
        for number in ["5%", "95%", "0.5", "40 %"] {
            for draft in [
                format!("It is {before}{number} likely that the group did it.\n"),
                format!("See https://{before}x.example/{number} likely\n"),
                format!("| {before}{number} likely | y |\n"),
            ] {
                let result = review::review(&draft, &scanner, &options);
                for f in &result.findings {
                    for s in std::iter::once(f.span).chain(f.fix.iter().map(|x| x.span)) {
                        assert!(
                            draft.is_char_boundary(s.start) && draft.is_char_boundary(s.end),
                            "{draft:?}: span {s:?} of {:?} splits a character",
                            f.rule
                        );
                    }
                    assert!(!f.message.contains("``"), "{draft:?}: {}", f.message);
                    checked += 1;
                }
                let (fixed, _) = review::apply_fixes(&draft, &result.findings);
                let _ = review::review(&fixed, &scanner, &options);
                let diagnostics: Vec<_> = result
                    .findings
                    .iter()
                    .map(acre::review::Finding::to_diagnostic)
                    .collect();
                let _ = acre::diagnostic::render(
                    &diagnostics,
                    "d.md",
                    &draft,
                    acre::diagnostic::RenderOptions::default(),
                );
            }
        }
    }
    assert!(checked > 20, "only {checked} findings checked");
}

/// Round three: an output is never a file the command read, a case's includes and the
/// cases of a folder named included.
#[test]
fn round3_01_outputs_never_overwrite_an_include_or_a_case_of_a_folder() {
    let dir = scratch("round3-outputs");
    std::fs::create_dir_all(dir.join("inc")).unwrap();
    let part = dir.join("inc/part.acre");
    let part_text = "source extra \"Extra\" reliability B\n";
    std::fs::write(&part, part_text).unwrap();
    let top = dir.join("top.acre");
    std::fs::write(
        &top,
        "case \"t\" { question \"Who?\" }\ninclude \"inc/part.acre\"\n\
         hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n\
         evidence e { from extra credibility 2\n given a: likely\n otherwise: unlikely }\n",
    )
    .unwrap();
    let out = acre(&[
        "report",
        top.to_str().unwrap(),
        "-o",
        part.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is an input of this command"));
    assert_eq!(std::fs::read_to_string(&part).unwrap(), part_text);
    // calibrate over a folder: its cases are inputs
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let resolved = resolved_case(&lib);
    let before = std::fs::read_to_string(&resolved).unwrap();
    for flag in ["--plot", "--html", "--emit-yardstick"] {
        let out = acre(&[
            "calibrate",
            lib.to_str().unwrap(),
            flag,
            resolved.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{flag}: {}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(&resolved).unwrap(),
            before,
            "{flag}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: `include` never opens a file outside the case's folder tree (absolute paths,
/// `..` beyond it) unless `--include-anywhere` says so, never a file that is not `.acre`,
/// and never quotes a file that is not a case: a secret in the environment or in an `.env`
/// file never reaches a diagnostic.
#[test]
fn round3_02_includes_stay_in_the_case_folder_and_never_echo_secrets() {
    let dir = scratch("round3-includes");
    let case_dir = dir.join("case");
    std::fs::create_dir_all(case_dir.join("inc")).unwrap();
    std::fs::write(
        case_dir.join("inc/env.acre"),
        "ROUND3_SECRET=hunter2-in-a-file\n",
    )
    .unwrap();
    std::fs::write(dir.join("far.acre"), "source far \"Far\" reliability B\n").unwrap();
    let case = case_dir.join("case.acre");
    std::fs::write(
        &case,
        "case \"t\" { question \"Who?\" }\n\
         include \"/proc/self/environ\"\n\
         include \"inc/env.acre\"\n\
         include \"../far.acre\"\n\
         hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(crate::support::cli::binary())
            .arg("check")
            .args(extra)
            .arg(&case)
            .env("ROUND3_SECRET_ENV", "hunter2-in-the-environment")
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    assert!(
        err.contains("only case files (`.acre`) are included"),
        "{err}"
    );
    assert!(err.contains("it is not a case file"), "{err}");
    assert!(err.contains("lies outside the case's folder"), "{err}");
    // the flag lets the file beside the folder in; the others stay out
    let out = run(&["--include-anywhere"]);
    let err = stderr(&out);
    assert!(!err.contains("hunter2"), "{err}");
    assert!(!err.contains("lies outside"), "{err}");
    assert!(!err.contains("`../far.acre`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: with `--samples 0` on a case too large to search, JSON says the bounds
/// were not searched (they are the point), as the text does, not that they came from draws.
#[test]
fn round3_03_no_draws_and_no_search_say_so_in_json() {
    let phia = acre::lexicon::builtin_yardstick("phia").unwrap();
    let terms: Vec<&str> = phia.terms.iter().map(|t| t.name.as_str()).collect();
    let mut t = String::from(
        "case \"b\" { question \"q\" }\nhypothesis h0\nhypothesis h1\nhypothesis h2 catch-all\n",
    );
    for s in 0..3 {
        let _ = writeln!(t, "source s{s} reliability B");
    }
    for a in 0..14 {
        let _ = writeln!(t, "assumption a{a} prior unlikely");
    }
    for i in 0..60 {
        let _ = writeln!(
            t,
            "evidence e{i} {{\n  from s{} credibility 2\n  given h0: {}\n  given h0 if a{}: {}\n  otherwise: {}\n}}",
            i % 3,
            terms[i % 7],
            i % 14,
            terms[(i + 3) % 7],
            terms[(i + 1) % 7]
        );
    }
    let dir = scratch("round3-unsearched");
    let case = dir.join("big.acre");
    std::fs::write(&case, t).unwrap();
    let c = case.to_str().unwrap();
    let out = acre(&["assess", c, "--samples", "0", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bounds_method"], "unsearched", "{v}");
    assert_eq!(v["samples"], 0);
    let h = &v["hypotheses"][0]["posterior"];
    assert_eq!(h["lower"], h["point"]);
    assert_eq!(h["upper"], h["point"]);
    let text = stdout(&acre(&["assess", c, "--samples", "0"]));
    assert!(text.contains("the bounds are the point"), "{text}");
    // with draws, the bounds are the draws' extremes
    let v: serde_json::Value = serde_json::from_slice(
        &acre(&["assess", c, "--samples", "300", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(v["bounds_method"], "samples");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: a hypothesis id of 65,536 characters is printed, not a panic (a format
/// width is at most 65,535), by every command that prints ids.
#[test]
fn round3_04_a_very_long_id_is_printed_not_a_panic() {
    let id = format!("h{}", "x".repeat(65_535));
    let dir = scratch("round3-long-id");
    let case = dir.join("long.acre");
    std::fs::write(
        &case,
        format!(
            "case \"t\" {{ question \"q\" }}\nhypothesis {id} \"A\" prior 50%\n\
             hypothesis b \"B\" prior rest catch-all\nsource s reliability B\n\
             evidence e {{ from s credibility 2\n given {id}: likely\n otherwise: unlikely }}\n"
        ),
    )
    .unwrap();
    for command in ["check", "assess", "explain", "report", "timeline"] {
        let out = acre(&[command, case.to_str().unwrap()]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{command}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{command}");
    }
    assert!(stdout(&acre(&["assess", case.to_str().unwrap()])).contains(&id));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: an include chain of 12,000 files is cut at 64 levels with a diagnostic,
/// not a stack overflow.
#[test]
fn round3_05_a_deep_include_chain_is_cut_not_a_stack_overflow() {
    let dir = scratch("round3-deep-includes");
    let n = 12_000;
    for i in 1..n {
        std::fs::write(
            dir.join(format!("f{i}.acre")),
            format!("include \"f{}.acre\"\n", i + 1),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join(format!("f{n}.acre")),
        "source s \"S\" reliability B\n",
    )
    .unwrap();
    let case = dir.join("case.acre");
    std::fs::write(
        &case,
        "case \"t\" { question \"q\" }\ninclude \"f1.acre\"\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n",
    )
    .unwrap();
    let out = acre_within(&["check", case.to_str().unwrap()], 60).expect("check ended");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("includes nest more than 64 deep"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: ten hard links to one file, each included, are one file read once.
#[cfg(unix)]
#[test]
fn round3_06_hard_links_to_one_included_file_are_read_once() {
    let dir = scratch("round3-hard-links");
    let shared = dir.join("shared.acre");
    std::fs::write(&shared, "source s \"S\" reliability B\n").unwrap();
    let mut case = String::from("case \"t\" { question \"q\" }\n");
    for i in 0..10 {
        let link = dir.join(format!("link{i}.acre"));
        std::fs::hard_link(&shared, &link).unwrap();
        let _ = writeln!(case, "include \"link{i}.acre\"");
    }
    case.push_str("hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nevidence e { from s credibility 2\n given a: likely\n otherwise: unlikely }\n");
    let path = dir.join("case.acre");
    std::fs::write(&path, case).unwrap();
    // read ten times, `s` would be declared ten times
    let out = acre(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: a CSV cell of 20 MB and a header of 200,000 columns are quoted by their
/// start in messages, not whole (a 600 MB cell went to stderr whole).
#[test]
fn round3_07_huge_cells_and_headers_are_quoted_by_their_start() {
    let dir = scratch("round3-csv");
    let cell = dir.join("cell.csv");
    std::fs::write(
        &cell,
        format!(
            "question,forecaster,probability,outcome\nq1,a,{},1\nq2,a,0.5,0\n",
            "9".repeat(20_000_000)
        ),
    )
    .unwrap();
    let out = acre(&["calibrate", "--forecasts", cell.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 2_000,
        "{} bytes on stderr",
        out.stderr.len()
    );
    assert!(stderr(&out).contains("is outside 0 to 1"));
    let wide = dir.join("wide.csv");
    let names: Vec<String> = (0..200_000).map(|i| format!("c{i}")).collect();
    std::fs::write(
        &wide,
        format!("{}\n{}\n", names.join(","), vec!["1"; 200_000].join(",")),
    )
    .unwrap();
    let out = acre(&["calibrate", "--forecasts", wide.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 2_000,
        "{} bytes on stderr",
        out.stderr.len()
    );
    assert!(stderr(&out).contains("and 199980 more"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: `-o /dev/stdout` into a file the shell opened for appending (`>> log.txt`)
/// appends to it; the file is neither replaced (renamed over) nor truncated.
#[cfg(unix)]
#[test]
fn round3_08_output_to_dev_stdout_appends_to_the_shells_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("round3-dev-stdout");
    let log = dir.join("log.txt");
    std::fs::write(&log, "previous line\n").unwrap();
    let inode = std::fs::metadata(&log).unwrap().ino();
    let file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let out = std::process::Command::new(crate::support::cli::binary())
        .args([
            "report",
            "cases/wannacry-2017.acre",
            "--format",
            "md",
            "-o",
            "/dev/stdout",
        ])
        .stdout(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.starts_with("previous line\n# WannaCry"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert_eq!(
        std::fs::metadata(&log).unwrap().ino(),
        inode,
        "the file was replaced"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: one item's `given` line repeated 160,000 times is checked in linear time
/// (each repeat was compared with every diagnostic so far) and reported ten times, not
/// 160,000.
#[test]
fn round3_09_a_repeated_given_line_is_reported_a_few_times_in_linear_time() {
    let dir = scratch("round3-duplicate-given");
    let case = dir.join("dup.acre");
    std::fs::write(
        &case,
        format!(
            "case \"t\" {{ question \"q\" }}\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n\
             source s reliability B\nevidence e {{ from s credibility 2\n{}  otherwise: unlikely }}\n",
            "  given a: likely\n".repeat(160_000)
        ),
    )
    .unwrap();
    let out = acre_within(&["check", case.to_str().unwrap(), "--format", "json"], 60)
        .expect("check ended within a minute");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).matches("acre::duplicate-likelihood").count(),
        10,
        "{}",
        &stdout(&out)[..500]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Round three: an HTML draft nested 40,000 deep is read (the page walk keeps its own
/// stack), not a stack overflow.
#[test]
fn round3_10_a_deeply_nested_html_draft_is_read() {
    let dir = scratch("round3-deep-html");
    let page = dir.join("deep.html");
    let n = 40_000;
    std::fs::write(
        &page,
        format!(
            "<html><body>{}<p>It is almost certain that APT31 did it.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        ),
    )
    .unwrap();
    let out = acre_within(&["review", page.to_str().unwrap(), "--format", "json"], 120)
        .expect("review ended");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("almost certain"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Found by fuzzing (CI, 2026-12-07): a sentence whose verb search reached "to" as the
/// first token of a proposition indexed the token before it and panicked. Reviewed now, with
/// its fixes applied and reviewed again, as the fuzz target does.
#[test]
fn fuzz_02_a_proposition_starting_with_to_is_read() {
    use acre::review::{self, config::RuleConfig, scan::Scanner};
    let scanner = Scanner::new(&[]);
    let options = review::Options {
        yardstick: acre::lexicon::builtin_yardstick("phia").unwrap(),
        config: RuleConfig::default(),
        case: None,
    };
    let draft = "There was a high d is not likely this ginter.\n<!-- not flagged -->\nIt is highly likely that APT32 was behind the campaign.\n\nThe operators focus on the targets m:ost likely to offer the biggest rewards.\n\n\"It's certainly one to be wary of,\" he said.\n";
    let result = review::review(draft, &scanner, &options);
    assert!(!result.findings.is_empty());
    let (fixed, _) = review::apply_fixes(draft, &result.findings);
    let again = review::review(&fixed, &scanner, &options);
    assert!(again.findings.len() <= result.findings.len());
    // the smallest shape of it
    let _ = review::review("to offer is most likely the aim.\n", &scanner, &options);
}

#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_a_killed_writer_are_removed_by_the_next_write_and_a_running_ones_kept() {
    let dir = scratch("stale-temporaries");
    let case = resolved_case(&dir);
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    // a pid no process can have (above the kernel's largest), and this test's own (running)
    let dead = dir.join(format!(".{name}.4294967294-0123456789abcdef.acre-tmp"));
    let alive = dir.join(format!(
        ".{name}.{}-fedcba9876543210.acre-tmp",
        std::process::id()
    ));
    // a backup is the old text after a crash: never removed
    let backup = dir.join(format!(".{name}.4294967294-0123456789abcdef.acre-backup"));
    // another file's temporary, and a name that only looks like one
    let other = dir.join(".other.acre.4294967294-0123456789abcdef.acre-tmp");
    let odd = dir.join(format!(".{name}.4294967294-xyz.acre-tmp"));
    for f in [&dead, &alive, &backup, &other, &odd] {
        std::fs::write(f, "half-written").unwrap();
    }
    // an unformatted case, so that fmt writes it
    let text = std::fs::read_to_string(&case).unwrap();
    std::fs::write(&case, text.replace("hypothesis ", "hypothesis  ")).unwrap();
    let out = acre(&["fmt", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !dead.exists(),
        "the killed writer's temporary file is still there"
    );
    for f in [&alive, &backup, &other, &odd] {
        assert!(f.exists(), "{} was removed", f.display());
    }
    // and the write itself left nothing behind
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".acre-tmp"))
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
}
