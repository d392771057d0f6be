//! The lossless syntax tree prints back every input exactly: every case, every fixture and
//! generated files (valid, broken and junk). Its declarations agree with the parsed AST.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use acre::syntax::ast::Item;
use acre::syntax::tree::{self, SyntaxKind};
use proptest::prelude::*;
use std::path::Path;

/// Prints back exactly, nodes cover their tokens without gaps, and the declarations are the
/// AST's items in order with the same names.
fn check_tree(src: &str) {
    let parse = tree::parse(src);
    let root = parse.syntax();
    assert_eq!(root.to_string(), src);
    assert_eq!(usize::from(root.text_range().end()), src.len());
    let mut at = 0usize;
    for t in root
        .descendants_with_tokens()
        .filter_map(rowan::NodeOrToken::into_token)
    {
        let r = t.text_range();
        assert_eq!(usize::from(r.start()), at, "tokens are contiguous");
        at = usize::from(r.end());
    }
    assert_eq!(at, src.len());
    // the parser's diagnostics are the same whichever way it is called
    let (file, diagnostics) = acre::syntax::parse(src);
    assert_eq!(parse.diagnostics, diagnostics);
    let items: Vec<&Item> = file
        .items
        .iter()
        .filter(|i| !matches!(i, Item::Error(_)))
        .collect();
    let decls: Vec<_> = parse.declarations().collect();
    let declared = |i: &Item| match i {
        Item::Hypothesis(d) => Some(d.id.name.clone()),
        Item::Group(d) => Some(d.id.name.clone()),
        Item::Source(d) => Some(d.id.name.clone()),
        Item::Assumption(d) => Some(d.id.name.clone()),
        Item::Evidence(d) => Some(d.id.name.clone()),
        Item::Judgment(d) => Some(d.id.name.clone()),
        _ => None,
    };
    // declarations that parsed are nodes of their kind with their name; a failed one is a
    // node of its kind too, so there may be more nodes than items
    let mut nodes = decls.iter();
    for item in items {
        let want = match item {
            Item::Case(_) => SyntaxKind::CaseDecl,
            Item::Hypothesis(_) => SyntaxKind::HypothesisDecl,
            Item::Group(_) => SyntaxKind::GroupDecl,
            Item::Source(_) => SyntaxKind::SourceDecl,
            Item::Assumption(_) => SyntaxKind::AssumptionDecl,
            Item::Evidence(_) => SyntaxKind::EvidenceDecl,
            Item::Judgment(_) => SyntaxKind::JudgmentDecl,
            Item::Expect(_) => SyntaxKind::ExpectDecl,
            Item::Outcome(_) => SyntaxKind::OutcomeDecl,
            Item::Yardstick(_) => SyntaxKind::YardstickDecl,
            Item::Grading(_) => SyntaxKind::GradingDecl,
            Item::Include(_) => SyntaxKind::IncludeDecl,
            Item::Error(_) => unreachable!(),
        };
        let name = declared(item);
        let found = nodes.any(|d| {
            d.syntax().kind() == want
                && (name.is_none() || d.name().map(|t| t.text().to_string()) == name)
        });
        assert!(found, "no {want:?} node named {name:?}");
    }
}

#[test]
fn every_project_file_prints_back_exactly() {
    let files = support::project_acre_files();
    assert!(files.len() > 60, "found {} files", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let text = acre::source::decode(path.display().to_string(), bytes).text;
        check_tree(&text);
    }
}

#[test]
fn comments_sit_where_they_were_written() {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/apt31-uk-parliament-2021.acre"),
    )
    .unwrap();
    let written: Vec<&str> = src
        .lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end()))
        .filter(|c| !c.contains('"'))
        .collect();
    let parse = tree::parse(&src);
    let found: Vec<String> = parse
        .syntax()
        .descendants_with_tokens()
        .filter_map(rowan::NodeOrToken::into_token)
        .filter(|t| t.kind() == SyntaxKind::Comment)
        .map(|t| t.text().to_string())
        .collect();
    for c in &written {
        assert!(
            found.iter().any(|f| f == c),
            "comment {c:?} not in the tree"
        );
    }
}

/// Pieces of the language and of junk, glued in any order.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("case \"t\" {\n  yardstick phia\n}\n".to_string()),
        Just("hypothesis a \"A\" prior 20%\n".to_string()),
        Just("hypothesis b \"B\" prior rest catch-all\n".to_string()),
        Just("source s \"S\" reliability B echoes t\n".to_string()),
        Just(
            "evidence e \"E\" {\n  from s credibility 2\n  given a: likely\n  otherwise: 0.2\n}\n"
                .to_string()
        ),
        Just("evidence f {\n  depends on e\n".to_string()),
        Just("judgment j \"\"\"\n  text\n\"\"\" claims a likely\n".to_string()),
        Just("expect a leads\n".to_string()),
        Just("# comment\n".to_string()),
        Just("// other comment".to_string()),
        Just("\u{feff}".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(":".to_string()),
        Just("\"open".to_string()),
        Just("\n".to_string()),
        "[ -~\t\n]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_files_print_back_exactly(pieces in prop::collection::vec(piece(), 0..24)) {
        check_tree(&pieces.concat());
    }
}
