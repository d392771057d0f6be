//! Fixes with spans: a diagnostic whose help proposes a change carries it as an edit, and
//! applying the edit makes that diagnostic go away.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::code::Code;
use std::collections::BTreeSet;
use std::path::Path;

fn fixture_texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in ["invalid", "warnings"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let file = acre::source::decode(path.display().to_string(), bytes);
            out.push((path.display().to_string(), file.text));
        }
    }
    out.sort();
    out
}

#[test]
fn every_fix_removes_its_diagnostic() {
    let mut fixed_codes = BTreeSet::new();
    for (name, text) in fixture_texts() {
        let before = acre::check::check_source(&text).diagnostics;
        for d in before.iter().filter(|d| !d.fixes.is_empty()) {
            assert!(
                d.help
                    .as_deref()
                    .is_some_and(|h| h.contains("did you mean") || h.contains('%')),
                "{name}: a fix without a help line proposing it: {d:?}"
            );
            let mut edited = text.clone();
            for f in d.fixes.iter().rev() {
                edited.replace_range(f.span.start..f.span.end, &f.replacement);
            }
            let after = acre::check::check_source(&edited).diagnostics;
            let same = |x: &acre::diagnostic::Diagnostic| {
                x.code == d.code && x.primary().map(|s| s.start) == d.primary().map(|s| s.start)
            };
            assert!(
                !after.iter().any(same),
                "{name}: `{}` still raised after its fix {:?}",
                d.code,
                d.fixes
            );
            fixed_codes.insert(d.code.as_str());
        }
    }
    let want: BTreeSet<&str> = [
        Code::UnknownId,
        Code::UnknownField,
        Code::ExpectedDeclaration,
        Code::ProbabilityOutOfRange,
        Code::NotATerm,
        Code::UnknownTerm,
        Code::UnknownStrength,
        Code::UnknownYardstick,
    ]
    .iter()
    .map(|c| c.as_str())
    .collect();
    let missing: Vec<_> = want.difference(&fixed_codes).collect();
    assert!(
        missing.is_empty(),
        "no fixture exercises the fix of {missing:?}"
    );
}

#[test]
fn fixes_are_in_the_json_output() {
    let text = "hypothesis apt \"A\" prior 20%\nhypothesis b \"B\" prior rest catch-all\nevidence e {\n  given apx: likely\n  otherwise: unlikely\n}\n";
    let checked = acre::check::check_source(text);
    let json = acre::diagnostic::to_json(&checked.diagnostics, "x.acre", text);
    let d = json.iter().find(|d| d.code == "acre::unknown-id").unwrap();
    assert_eq!(d.fixes.len(), 1);
    let f = &d.fixes[0];
    assert_eq!(&text[f.span[0]..f.span[1]], "apx");
    assert_eq!((f.line, f.column), (4, 9));
    assert_eq!(f.replacement, "apt");
}

/// Mistakes a new analyst made (issue 13): each gets one diagnostic that says how to write
/// it, with the fix, first, and no cascade of unknown names after it.
#[test]
fn quotes_and_comparison_signs_get_one_teaching_diagnostic_each() {
    let text = "case \"t\" {\n  yardstick phia\n}\nhypothesis dprk 'DPRK' prior \"30%\"\nhypothesis b \"B\" prior rest catch-all\nsource s \"S\" reliability B\nevidence e {\n  from s credibility 2\n  given dprk: likely\n  otherwise: unlikely\n}\nexpect dprk > 90%\n";
    let diagnostics = acre::check::check_source(text).diagnostics;
    let found: Vec<(&str, &str, &str)> = diagnostics
        .iter()
        .map(|d| {
            let f = &d.fixes[0];
            (
                d.code.as_str(),
                &text[f.span.start..f.span.end],
                f.replacement.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("acre::unexpected-character", "'DPRK'", "\"DPRK\""),
            ("acre::unexpected-token", "\"30%\"", "30%"),
            ("acre::unexpected-character", ">", "above"),
        ]
    );
    let mut fixed = text.to_string();
    for d in diagnostics.iter().rev() {
        let f = &d.fixes[0];
        fixed.replace_range(f.span.start..f.span.end, &f.replacement);
    }
    let after = acre::check::check_source(&fixed);
    assert!(after.case.is_some(), "{:?}", after.diagnostics);
}

#[test]
fn a_judgment_about_an_assumption_is_told_about_expect() {
    let text = "hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nassumption ff \"F\" {\n  prior unlikely\n}\nevidence e {\n  given a if ff: likely\n  otherwise: unlikely\n}\njudgment j \"It is likely.\" {\n  claims ff likely\n}\n";
    let d = acre::check::check_source(text)
        .diagnostics
        .into_iter()
        .find(|d| d.code == Code::WrongKind)
        .unwrap();
    assert!(d.help.unwrap().contains("`expect ff at least likely`"));
}
