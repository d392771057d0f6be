//! Name resolution: every kind of reference resolves to its declaration, with both spans, and
//! the queries (definition at an offset, references of a declaration, symbols) answer from them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::check::names::{Names, RefKind, SymbolKind};
use acre::span::Span;

const CASE: &str = r#"case "names" {
  yardstick mine
}
yardstick mine "Mine" {
  term "even" 0%..100%
}
hypothesis apt "APT" prior 30%
hypothesis other "Other" prior rest catch-all
assumption flag "Deception" {
  prior 10%
  given apt: 5%
}
source vendor "Vendor" reliability B
source press "Press" reliability D echoes vendor
evidence tool "Tool" {
  from vendor credibility 2
  given apt if flag: 80%
  otherwise: 20%
}
evidence infra "Infra" {
  from press credibility 3
  depends on tool
  supports apt over other: 2
}
judgment j "It is even." {
  claims apt even
}
expect apt leads
expect flag at most 50%
outcome other on 2024-01-01
"#;

/// The span of the `n`-th (0-based) whole-word occurrence of `word` in [`CASE`].
fn nth(word: &str, n: usize) -> Span {
    let bytes = CASE.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let start = CASE
        .match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            (i == 0 || !is_word(bytes[i - 1]))
                && bytes.get(i + word.len()).is_none_or(|&b| !is_word(b))
        })
        .nth(n)
        .unwrap_or_else(|| panic!("no occurrence {n} of {word}"));
    Span::new(start, start + word.len())
}

#[test]
fn every_reference_kind_resolves_with_both_spans() {
    let (file, diagnostics) = acre::syntax::parse(CASE);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let checked = acre::check::check_source(CASE);
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    let names = Names::of(&file);
    let symbols: Vec<(SymbolKind, &str, Span)> = names
        .symbols
        .iter()
        .map(|s| (s.kind, s.name.as_str(), s.span))
        .collect();
    assert_eq!(
        symbols,
        [
            (SymbolKind::Yardstick, "mine", nth("mine", 1)),
            (SymbolKind::Hypothesis, "apt", nth("apt", 0)),
            (SymbolKind::Hypothesis, "other", nth("other", 0)),
            (SymbolKind::Assumption, "flag", nth("flag", 0)),
            (SymbolKind::Source, "vendor", nth("vendor", 0)),
            (SymbolKind::Source, "press", nth("press", 0)),
            (SymbolKind::Evidence, "tool", nth("tool", 0)),
            (SymbolKind::Evidence, "infra", nth("infra", 0)),
            (SymbolKind::Judgment, "j", nth("j", 0)),
        ]
    );
    // every reference: kind, the span of the use, the span of its declaration
    let refs: Vec<(RefKind, Span, Span)> = names
        .references
        .iter()
        .map(|r| (r.kind, r.span, names.symbols[r.target.unwrap()].span))
        .collect();
    assert_eq!(
        refs,
        [
            (RefKind::Yardstick, nth("mine", 0), nth("mine", 1)),
            (RefKind::Given, nth("apt", 1), nth("apt", 0)),
            (RefKind::Echoes, nth("vendor", 1), nth("vendor", 0)),
            (RefKind::From, nth("vendor", 2), nth("vendor", 0)),
            (RefKind::Given, nth("apt", 2), nth("apt", 0)),
            (RefKind::Condition, nth("flag", 1), nth("flag", 0)),
            (RefKind::From, nth("press", 1), nth("press", 0)),
            (RefKind::DependsOn, nth("tool", 1), nth("tool", 0)),
            (RefKind::Supports, nth("apt", 3), nth("apt", 0)),
            (RefKind::Supports, nth("other", 1), nth("other", 0)),
            (RefKind::Claims, nth("apt", 4), nth("apt", 0)),
            (RefKind::Expect, nth("apt", 5), nth("apt", 0)),
            (RefKind::Expect, nth("flag", 2), nth("flag", 0)),
            (RefKind::Outcome, nth("other", 2), nth("other", 0)),
        ]
    );
}

#[test]
fn queries_answer_from_uses_and_declarations() {
    let (file, _) = acre::syntax::parse(CASE);
    let names = Names::of(&file);
    // definition at any byte of a use, and at the declaration's own name
    let use_of_tool = nth("tool", 1);
    for offset in use_of_tool.start..=use_of_tool.end {
        assert_eq!(names.definition_at(offset).unwrap().span, nth("tool", 0));
    }
    assert_eq!(
        names.definition_at(nth("apt", 0).start).unwrap().name,
        "apt"
    );
    assert_eq!(
        names.reference_at(use_of_tool.start).map(|r| r.kind),
        Some(RefKind::DependsOn)
    );
    assert!(names.reference_at(nth("tool", 0).start).is_none());
    // nothing is named inside a string or at a keyword
    assert!(
        names
            .definition_at(CASE.find("\"Tool\"").unwrap() + 2)
            .is_none()
    );
    assert!(
        names
            .definition_at(CASE.find("otherwise").unwrap())
            .is_none()
    );
    // references of apt: given twice, supports, claims, expect
    let apt = names.symbol_index_at(nth("apt", 0).start).unwrap();
    let spans: Vec<Span> = names.references_of(apt).map(|r| r.span).collect();
    assert_eq!(spans, (1..=5).map(|n| nth("apt", n)).collect::<Vec<_>>());
    // a judgment is referred to by nothing
    let j = names.symbol_index_at(nth("j", 0).start).unwrap();
    assert_eq!(names.references_of(j).count(), 0);
}

#[test]
fn unknown_and_builtin_names_resolve_to_nothing_and_kinds_are_respected() {
    let src = "case \"x\" { yardstick phia }\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nsource a2 \"S\" reliability B\nevidence e {\n  from a\n  given zz: likely\n  otherwise: unlikely\n}\n";
    let (file, _) = acre::syntax::parse(src);
    let names = Names::of(&file);
    let targets: Vec<(RefKind, &str, Option<usize>)> = names
        .references
        .iter()
        .map(|r| (r.kind, r.name.as_str(), r.target))
        .collect();
    // `from a` names a hypothesis, not a source: unresolved, as the checker reports it
    assert_eq!(
        targets,
        [
            (RefKind::Yardstick, "phia", None),
            (RefKind::From, "a", None),
            (RefKind::Given, "zz", None),
        ]
    );
}

#[test]
fn a_file_with_errors_still_has_its_names() {
    let src = "hypothesis a \"A\" prior 50%\n@@@\nevidence e {\n  given a: likely\n  bogus\n  otherwise: unlikely\n}\n";
    let (file, diagnostics) = acre::syntax::parse(src);
    assert!(!diagnostics.is_empty());
    let names = Names::of(&file);
    assert_eq!(names.references.len(), 1);
    assert_eq!(
        names
            .definition_at(src.find("given a").unwrap() + 6)
            .unwrap()
            .span,
        Span::new(11, 12)
    );
}

/// The checker accepts every worked case, so every reference in them resolves (a built-in
/// yardstick is the one name without a declaration).
#[test]
fn every_reference_in_the_worked_cases_resolves() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "acre") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let (file, _) = acre::syntax::parse(&src);
        let names = Names::of(&file);
        for r in &names.references {
            let builtin =
                r.kind == RefKind::Yardstick && acre::lexicon::builtin_yardstick(&r.name).is_some();
            assert!(
                r.target.is_some() || builtin,
                "{}: `{}` ({:?}) does not resolve",
                path.display(),
                r.name,
                r.kind
            );
            n += 1;
        }
    }
    assert!(n > 100, "only {n} references");
}
