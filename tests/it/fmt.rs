//! `acre fmt`: the canonical layout is idempotent, never changes what a case means (the
//! checked model before and after is the same), keeps comments, and the command writes
//! atomically, keeps permissions, refuses files with errors and checks without writing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use acre::check::check_source;
use acre::syntax::fmt::format;
use proptest::prelude::*;
use support::{acre, scratch};

/// The Debug text of a value with every `Span { start: .., end: .. }` replaced by `Span`:
/// what a model says, not where it was written.
pub(crate) fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').unwrap();
        out.push_str("Span");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What a case file means: its checked model and its diagnostics, positions left out.
fn meaning(source: &str) -> (String, Vec<(String, String)>) {
    let checked = check_source(source);
    let model = without_spans(&format!("{:?}", checked.case));
    let diags = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect();
    (model, diags)
}

/// Formats `source` (when it has no syntax errors) and checks the three promises.
fn check_format(source: &str) -> Option<String> {
    let once = match format(source) {
        Ok(once) => once,
        Err(diags) => {
            // refused for syntax errors only, never by the formatter's own safety check
            assert!(
                !diags
                    .iter()
                    .any(|d| d.code == acre::code::Code::NotFormatted),
                "the layout changed the tokens of {source:?}"
            );
            return None;
        }
    };
    assert_eq!(
        format(&once).unwrap(),
        once,
        "formatting twice changed the text"
    );
    assert_eq!(
        meaning(&once),
        meaning(source),
        "formatting changed the meaning"
    );
    let comments = |s: &str| -> Vec<String> {
        acre::syntax::tree::parse(s)
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == acre::syntax::tree::SyntaxKind::Comment)
            .map(|t| t.text().trim_end().to_string())
            .collect()
    };
    assert_eq!(
        comments(&once),
        comments(source),
        "comments were lost or moved"
    );
    Some(once)
}

#[test]
fn every_project_file_formats_idempotently_with_the_same_meaning() {
    let files = support::project_acre_files();
    let mut formatted = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        if check_format(&source).is_some() {
            formatted += 1;
        }
    }
    // every file but the ones with syntax errors
    assert!(
        formatted > files.len() / 2,
        "{formatted} of {}",
        files.len()
    );
}

#[test]
fn the_worked_cases_are_formatted() {
    for case in support::cases() {
        let source = std::fs::read_to_string(&case).unwrap();
        assert_eq!(format(&source).unwrap(), source, "{case} is not formatted");
    }
}

/// Pieces of the language glued in any order, with whitespace and comments thrown in.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("case \"t\" {\n  yardstick phia\n question \"q\" }\n".to_string()),
        Just("hypothesis a \"A\" prior 20%\n".to_string()),
        Just("hypothesis bee \"Bee\"   prior rest catch-all # the rest\n".to_string()),
        Just("source s \"S\" reliability B\n".to_string()),
        Just("source t   \"Tee\" reliability C echoes s\n".to_string()),
        Just("assumption x { prior unlikely\n given a: likely }\n".to_string()),
        Just(
            "evidence e \"E\" {\n  from s credibility 2\n  given a: likely\n  otherwise: 0.2\n}\n"
                .to_string()
        ),
        Just(
            "evidence f { from t credibility 3 given a if x: 5%..10% otherwise:unlikely}\n"
                .to_string()
        ),
        Just("judgment j \"\"\"\n  text\n\"\"\" claims a likely\n".to_string()),
        Just("expect a leads\n".to_string()),
        Just("# comment\n".to_string()),
        Just("\n\n".to_string()),
        Just("  ".to_string()),
        Just("\u{feff}".to_string()),
        Just("// other comment\n".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_files_format_idempotently(pieces in prop::collection::vec(piece(), 0..16)) {
        let _ = check_format(&pieces.concat());
    }
}

const MESSY: &str = "case \"t\" { yardstick phia\nquestion \"q\" }\nhypothesis a \"A\" prior 20%\nhypothesis bee \"B\" prior rest catch-all   # why\nsource s \"S\" reliability B\nevidence e {\nfrom s credibility 2\ngiven a: likely\notherwise:unlikely }\n";

#[test]
fn fmt_rewrites_in_place_keeping_permissions_and_check_changes_nothing() {
    let dir = scratch("fmt");
    let file = dir.join("c.acre");
    std::fs::write(&file, MESSY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let f = file.display().to_string();
    let out = acre(&["fmt", "--check", &f]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("acre::not-formatted"), "{stdout}");
    assert!(
        stdout.contains("-otherwise:unlikely }") && stdout.contains("+  otherwise: unlikely"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        MESSY,
        "--check wrote"
    );

    let out = acre(&["fmt", &f]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let now = std::fs::read_to_string(&file).unwrap();
    assert_eq!(now, format(MESSY).unwrap());
    assert!(
        now.contains("hypothesis bee \"B\" prior rest catch-all  # why\n"),
        "{now}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // no temporary file left beside it
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let out = acre(&["fmt", "--check", &f]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn fmt_reads_standard_input() {
    use std::io::Write;
    let mut child = std::process::Command::new(support::binary())
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(MESSY.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format(MESSY).unwrap()
    );
}

#[test]
fn fmt_leaves_files_with_syntax_errors_untouched() {
    let dir = scratch("fmt-errors");
    let file = dir.join("broken.acre");
    let broken = "hypothesis a \"A\"   prior 20%\nevidence e {\n  given a likely\n";
    std::fs::write(&file, broken).unwrap();
    let out = acre(&["fmt", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.acre") && stderr.contains("unchanged"),
        "{stderr}"
    );
    assert!(
        stderr.contains("acre::"),
        "the diagnostics are printed: {stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

/// The names in `dir` other than `keep`: leftovers of a write.
#[cfg(unix)]
fn others(dir: &std::path::Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[cfg(unix)]
#[test]
fn fmt_keeps_a_files_hard_links_and_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("fmt-links");
    let file = dir.join("case.acre");
    let link = dir.join("same.acre");
    std::fs::write(&file, MESSY).unwrap();
    std::fs::hard_link(&file, &link).unwrap();
    let ino = std::fs::metadata(&file).unwrap().ino();
    let out = acre(&["fmt", &file.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // one file under two names, both formatted: the rename of a temporary file split them
    let want = format(MESSY).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);
    assert_eq!(std::fs::read_to_string(&link).unwrap(), want);
    assert_eq!(std::fs::metadata(&file).unwrap().ino(), ino);
    assert_eq!(std::fs::metadata(&file).unwrap().nlink(), 2);
    assert!(others(&dir, &["case.acre", "same.acre"]).is_empty());

    // a file owned by someone else (as root, which may give it away): its owner stays
    let theirs = dir.join("theirs.acre");
    std::fs::write(&theirs, MESSY).unwrap();
    if std::os::unix::fs::chown(&theirs, Some(4242), Some(4243)).is_err() {
        return; // not root: no file of another owner can be made here
    }
    let out = acre(&["fmt", &theirs.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&theirs).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4242, 4243));
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), want);
}
