//! Keeps `grammar/acre.ebnf` and the parser in agreement, and checks that
//! random case files built by the grammar's structure parse and check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::syntax::keyword::Keyword;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn grammar() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/acre.ebnf")).unwrap()
}

/// The grammar without its comments.
fn rules_text() -> String {
    let g = grammar();
    let mut out = String::new();
    let mut rest = g.as_str();
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

fn quoted_terminals(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\''
            && let Some(len) = text[i + 1..].find('\'')
        {
            out.insert(text[i + 1..i + 1 + len].to_string());
            for _ in 0..=len {
                chars.next();
            }
        }
    }
    out
}

#[test]
fn every_keyword_is_in_the_grammar_and_back() {
    let terminals = quoted_terminals(&rules_text());
    let words: BTreeSet<String> = terminals
        .iter()
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .cloned()
        .collect();
    let keywords: BTreeSet<String> = Keyword::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    assert_eq!(words, keywords, "grammar words vs parser keywords");
    // punctuation the lexer produces
    for p in ["{", "}", ":", ",", "..", "%", "\"", "\"\"\"", "#", "//"] {
        assert!(
            terminals.contains(p),
            "punctuation `{p}` missing from the grammar"
        );
    }
}

#[test]
fn every_production_used_is_defined() {
    let text = rules_text();
    let mut defined = BTreeSet::new();
    let mut used = BTreeSet::new();
    for line in text.lines() {
        if let Some((lhs, _)) = line.split_once("::=") {
            defined.insert(lhs.trim().to_string());
        }
        let rhs = line.split_once("::=").map_or(line, |(_, r)| r);
        let mut in_quote = false;
        let mut in_class = false;
        let mut word = String::new();
        for c in rhs.chars().chain(std::iter::once(' ')) {
            match c {
                '\'' if !in_class => in_quote = !in_quote,
                '[' if !in_quote => in_class = true,
                ']' if !in_quote => in_class = false,
                c if !in_quote && !in_class && c.is_ascii_alphanumeric() => {
                    word.push(c);
                    continue;
                }
                _ => {}
            }
            if !word.is_empty() {
                if word.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    used.insert(std::mem::take(&mut word));
                } else {
                    word.clear();
                }
            }
        }
    }
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
}

/// Every declaration keyword named in the grammar's `Declaration` rule is parsed.
#[test]
fn declarations_in_the_grammar_parse() {
    let samples = [
        "case \"t\" { question \"q\" yardstick phia event 2021 assessed 2024-03-25 analyst \"a\", \"b\" summary \"\"\"x\"\"\" note \"n\" }",
        "hypothesis a \"A\" prior 50% alias \"x\", \"y\"\nhypothesis b prior rest catch-all note \"n\"",
        "source s \"S\" reliability B note \"n\"\nsource t reliability C echoes s\nsource u repeats t\nsource v cites u",
        "assumption f \"F\" { prior remote chance given a: unlikely note \"n\" }",
        "evidence e \"E\" { from s credibility 2 given a if f: likely given a unless f: 0.3 otherwise: 10%..20% pending depends on d note \"n\" }",
        "evidence d { grade B2 supports a over b: moderately strong absent observed }",
        "judgment j \"J\" { claims a likely }",
        "expect a is likely\nexpect a at least unlikely\nexpect a at most likely\nexpect a above 0.5\nexpect a below 90%\nexpect a in 0.1..0.9\nexpect a leads\nexpect confidence is moderate",
        "outcome a on 2024-03-25 \"resolved\"",
        "yardstick team \"T\" { term \"fair\" 40%..60% point 50% beta 5 5 alias \"even\" source \"wiki\" }",
        "grading { reliability B 0.85 credibility 3 0.7 }",
    ];
    for s in samples {
        let (file, diags) = acre::syntax::parse(s);
        assert!(diags.is_empty(), "{s}: {diags:?}");
        assert!(
            !file
                .items
                .iter()
                .any(|i| matches!(i, acre::syntax::ast::Item::Error(_))),
            "{s}"
        );
    }
}

const TERMS: &[&str] = &[
    "remote chance",
    "highly unlikely",
    "unlikely",
    "realistic possibility",
    "likely",
    "probably",
    "highly likely",
    "almost certain",
    "almost certainly",
];

fn sep() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just(" # a comment\n".to_string()),
        Just("\r\n".to_string()),
    ]
}

fn prob() -> impl Strategy<Value = String> {
    prop_oneof![
        (0usize..TERMS.len()).prop_map(|i| TERMS[i].to_string()),
        (1u32..99).prop_map(|p| format!("{p}%")),
        (1u32..99).prop_map(|p| format!("0.{p:02}")),
        (1u32..50, 1u32..49).prop_map(|(a, b)| format!("{a}%..{}%", a + b)),
    ]
}

/// Likelihoods, default, condition, credibility, absent.
type GenItem = (Vec<String>, String, Option<usize>, u8, bool);

#[derive(Debug, Clone)]
struct Shape {
    n_hyps: usize,
    uniform: bool,
    n_sources: usize,
    echo: Vec<bool>,
    n_assumptions: usize,
    items: Vec<GenItem>,
    seps: Vec<String>,
    block: bool,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        2usize..6,
        any::<bool>(),
        1usize..4,
        0usize..3,
        any::<bool>(),
    )
        .prop_flat_map(|(n_hyps, uniform, n_sources, n_assumptions, block)| {
            let item = (
                prop::collection::vec(prob(), n_hyps),
                prob(),
                prop::option::of(0usize..n_assumptions.max(1)),
                1u8..7,
                any::<bool>(),
            );
            (
                Just(n_hyps),
                Just(uniform),
                Just(n_sources),
                prop::collection::vec(any::<bool>(), n_sources),
                Just(n_assumptions),
                prop::collection::vec(item, 1..6),
                prop::collection::vec(sep(), 8),
                Just(block),
            )
        })
        .prop_map(
            |(n_hyps, uniform, n_sources, echo, n_assumptions, items, seps, block)| Shape {
                n_hyps,
                uniform,
                n_sources,
                echo,
                n_assumptions,
                items,
                seps,
                block,
            },
        )
}

fn render(s: &Shape) -> String {
    let sp = |i: usize| s.seps[i % s.seps.len()].clone();
    let mut out = String::from("# generated\n");
    out.push_str(&format!(
        "case{}\"Generated\"{}{{{}question \"Who?\"{}yardstick phia\n}}\n",
        sp(0),
        sp(1),
        sp(2),
        sp(3)
    ));
    for h in 0..s.n_hyps {
        let prior = if s.uniform {
            String::new()
        } else if h + 1 == s.n_hyps {
            " prior rest catch-all".to_string()
        } else {
            format!(" prior {}%", (80 / (s.n_hyps - 1)))
        };
        out.push_str(&format!("hypothesis h{h}{}\"H {h}\"{prior}\n", sp(h)));
    }
    for i in 0..s.n_sources {
        let echo = if i > 0 && s.echo[i] {
            format!(" echoes s{}", i - 1)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "source s{i} \"S{i}\" reliability {}{echo}\n",
            ["A", "B", "C", "D", "E", "F"][i % 6]
        ));
    }
    for a in 0..s.n_assumptions {
        out.push_str(&format!("assumption a{a} \"A{a}\" prior unlikely\n"));
    }
    for (i, (likelihoods, default, cond, cred, absent)) in s.items.iter().enumerate() {
        let (open, close) = if s.block { ("{\n", "}\n") } else { ("", "\n") };
        out.push_str(&format!("evidence e{i} \"E{i}\" {open}"));
        out.push_str(&format!("  from s{} credibility {cred}\n", i % s.n_sources));
        for (h, l) in likelihoods.iter().enumerate().skip(1) {
            out.push_str(&format!("  given h{h}:{}{l}\n", sp(h + i)));
        }
        if let (Some(a), true) = (cond, s.n_assumptions > 0) {
            out.push_str(&format!("  otherwise if a{a}: {}\n", likelihoods[0]));
        }
        out.push_str(&format!("  otherwise: {default}\n"));
        if *absent {
            out.push_str("  absent\n");
        }
        if i > 0 {
            out.push_str(&format!("  depends on e{}\n", i - 1));
        }
        out.push_str(close);
    }
    out.push_str(
        "judgment j1 \"H0 likely did it\" claims h0 likely\nexpect h0 at least remote chance\n",
    );
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_cases_parse_and_check(s in shape()) {
        let text = render(&s);
        let (_, diags) = acre::syntax::parse(&text);
        prop_assert!(diags.is_empty(), "{text}\n{diags:?}");
        let checked = acre::check::check_source(&text);
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{text}\n{errors:?}");
        prop_assert!(checked.case.is_some());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = acre::check::check_source(&text);
    }

    #[test]
    fn mutated_cases_never_panic(s in shape(), cut in 0usize..2000, junk in "[{}:,.\"#a-z0-9% ]{0,6}") {
        let mut text = render(&s);
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count().max(1)).unwrap_or(0);
        text.insert_str(at, &junk);
        let _ = acre::check::check_source(&text);
    }
}

/// The alternatives of a TextMate `match` of the form `(?<!…)(a|b\s+c|…)(?!…)`, words
/// spaced as written.
fn alternatives(pattern: &str) -> BTreeSet<String> {
    let start = pattern.find(")(").map_or(0, |i| i + 2);
    let start = if pattern.starts_with("^\\s*(") {
        5
    } else {
        start
    };
    let end = start + pattern[start..].find(')').unwrap();
    pattern[start..end]
        .split('|')
        .map(|a| a.replace("\\s+", " "))
        .collect()
}

#[test]
fn the_textmate_grammar_knows_every_keyword_and_builtin_term() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/acre.tmLanguage.json");
    let tm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(tm["scopeName"], "source.acre");
    let repo = &tm["repository"];
    let declarations = alternatives(
        repo["declarations"]["patterns"][1]["match"]
            .as_str()
            .unwrap(),
    );
    let fields = alternatives(repo["keywords"]["match"].as_str().unwrap());
    let want_decl: BTreeSet<String> = Keyword::declarations()
        .map(|k| k.as_str().to_string())
        .collect();
    let want_fields: BTreeSet<String> = Keyword::ALL
        .iter()
        .filter(|k| !k.starts_declaration())
        .map(|k| k.as_str().to_string())
        .collect();
    assert_eq!(declarations, want_decl);
    assert_eq!(fields, want_fields);
    let terms = alternatives(repo["terms"]["match"].as_str().unwrap());
    for name in ["phia", "icd203", "kent", "ipcc"] {
        let y = acre::lexicon::builtin_yardstick(name).unwrap();
        for (wording, _) in y.wordings() {
            assert!(
                terms.contains(wording),
                "{name}: `{wording}` is not highlighted"
            );
        }
    }
    // every included rule exists
    for p in tm["patterns"].as_array().unwrap() {
        let name = p["include"].as_str().unwrap().trim_start_matches('#');
        assert!(!repo[name].is_null(), "{name}");
    }
}

#[test]
fn the_vscode_manifest_names_files_that_exist() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let files = [
        manifest["main"].as_str().unwrap(),
        manifest["contributes"]["grammars"][0]["path"]
            .as_str()
            .unwrap(),
        manifest["contributes"]["languages"][0]["configuration"]
            .as_str()
            .unwrap(),
    ];
    for f in files {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let js = std::fs::read_to_string(dir.join("extension.js")).unwrap();
    assert!(js.contains("args: [\"lsp\"]"));
}

/// The productions of the grammar: name to body (its lines joined).
fn productions() -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in rules_text().lines() {
        if let Some((lhs, rhs)) = line.split_once("::=") {
            let name = lhs.trim().to_string();
            out.insert(name.clone(), rhs.to_string());
            current = Some(name);
        } else if let Some(name) = &current
            && !line.trim().is_empty()
        {
            let body: &mut String = out.get_mut(name).unwrap();
            body.push(' ');
            body.push_str(line);
        } else {
            current = None;
        }
    }
    out
}

/// The words that can start `body`: the first terminal of each top-level alternative, with
/// productions and parenthesised groups followed to their own first words.
fn first_words(
    body: &str,
    rules: &std::collections::BTreeMap<String, String>,
    out: &mut BTreeSet<String>,
) {
    // top-level alternatives
    let mut depth = 0;
    let mut alternatives = Vec::new();
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => {
                alternatives.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    alternatives.push(&body[start..]);
    for alt in alternatives {
        let alt = alt.trim();
        if let Some(rest) = alt.strip_prefix('\'') {
            out.insert(rest[..rest.find('\'').unwrap()].to_string());
        } else if let Some(group) = alt.strip_prefix('(') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += i32::from(c == '(') - i32::from(c == ')');
                    depth == 0
                })
                .unwrap()
                .0;
            first_words(&group[..end], rules, out);
        } else {
            let name: String = alt
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            first_words(&rules[&name], rules, out);
        }
    }
}

#[test]
fn each_declarations_fields_are_the_grammars() {
    let rules = productions();
    for keyword in Keyword::declarations().filter(|k| !k.fields().is_empty()) {
        // `Hypothesis ::= 'hypothesis' Name Text? HypothesisField* ...`: the *Field production
        let decl = rules
            .values()
            .find(|body| {
                body.trim_start()
                    .starts_with(&format!("'{}'", keyword.as_str()))
            })
            .unwrap_or_else(|| panic!("no production starts with `{}`", keyword.as_str()));
        let field_rule = decl
            .split_whitespace()
            .find_map(|w| w.strip_suffix('*').filter(|n| n.ends_with("Field")))
            .unwrap_or_else(|| panic!("`{}` has no field production", keyword.as_str()));
        let mut grammar_fields = BTreeSet::new();
        first_words(&rules[field_rule], &rules, &mut grammar_fields);
        let parser_fields: BTreeSet<String> = keyword
            .fields()
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        assert_eq!(
            grammar_fields,
            parser_fields,
            "the fields of `{}`",
            keyword.as_str()
        );
    }
    // the help the parser prints lists the same fields
    let (_, diags) = acre::syntax::parse("hypothesis a \"A\" { priorr 20% }\n");
    let help = diags[0].help.as_deref().unwrap();
    assert!(help.ends_with(&Keyword::Hypothesis.field_list()), "{help}");
    assert!(help.starts_with("did you mean `prior`?"), "{help}");
}
