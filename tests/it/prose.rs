//! Every sentence acre writes about a case is true: a property test that reads the prose.
//!
//! Over generated cases (`CASES` per run, in CI too, and cases tuned so that a posterior
//! falls in a yardstick's gap or on a band's edge), the narrative of `explain` for every
//! hypothesis and the confidence reasons are checked against the numbers, recomputed here:
//!
//! - no term is printed beside a number outside its band ("T (N%)", "T (lo-hi%; computed
//!   N%)", "T (lo-hi%): N%"); a number in a gap is worded "between A and B (N%...)";
//! - "Confidence is L because R": L is the lowest cap of the rules for that hypothesis (High
//!   when none caps), and the rules that set it are the ones given;
//! - "“X” (x, graded G) supports / counts against this hypothesis: without it, the
//!   assessment falls / rises to W": the posterior without X is lower / higher, W is its
//!   written words, and the written term without X differs from the written term with it
//!   (no linchpin keeps the written term);
//! - "The strongest item is … ±D decibans for/against it": the sign agrees with the
//!   waterfall;
//! - every sentence has at most 35 words, names the hypothesis by its label and no other
//!   hypothesis (outside quoted item descriptions);
//! - ENFSI words never say "no support either way" for a ratio other than 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::explain::WhatIfKind;
use acre::infer::ConfidenceRule;
use acre::infer::words::place as verdict;
use acre::model::ConfidenceLevel;
use proptest::prelude::*;

/// Generated cases per run.
const CASES: u32 = 200;

const GRADES: [char; 5] = ['A', 'B', 'C', 'D', 'E'];
const TERMS: [&str; 6] = [
    "remote chance",
    "highly unlikely",
    "unlikely",
    "likely",
    "highly likely",
    "almost certain",
];

#[derive(Clone, Debug)]
struct GenItem {
    source: usize,
    credibility: u8,
    likelihoods: Vec<(bool, u32)>,
    otherwise: u32,
}

fn generated_case() -> impl Strategy<Value = String> {
    generated_with(2..5)
}

/// Generated cases with `hypotheses` hypotheses (the last the catch-all).
fn generated_with(hypotheses: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    (hypotheses, 1usize..4, 0usize..2)
        .prop_flat_map(|(k, n_sources, m)| {
            let item = (
                0..n_sources,
                1u8..5,
                prop::collection::vec((any::<bool>(), 1u32..99), k - 1),
                1u32..99,
            )
                .prop_map(|(source, credibility, likelihoods, otherwise)| GenItem {
                    source,
                    credibility,
                    likelihoods,
                    otherwise,
                });
            (
                Just(k),
                Just(m),
                prop::collection::vec(0usize..5, n_sources),
                prop::collection::vec(5u32..60, k - 1),
                prop::collection::vec(item, 1..7),
                prop::collection::vec((1u32..60, 1u32..99), m),
            )
        })
        .prop_map(|(k, m, sources, priors, items, assumptions)| {
            let mut t = String::from(
                "case \"generated\" {\n  question \"Who did it?\"\n  yardstick phia\n}\n",
            );
            let total: u32 = priors.iter().sum();
            for (h, p) in priors.iter().enumerate() {
                // keep the named priors under 100% together
                let p = f64::from(*p) * 90.0 / f64::from(total.max(90));
                t.push_str(&format!("hypothesis h{h} \"H{h}\" prior {p:.1}%\n"));
            }
            t.push_str(&format!(
                "hypothesis h{} \"Someone else\" prior rest catch-all\n",
                k - 1
            ));
            for (s, g) in sources.iter().enumerate() {
                t.push_str(&format!(
                    "source s{s} \"S{s}\" reliability {}\n",
                    GRADES[*g]
                ));
            }
            for (a, (prior, given)) in assumptions.iter().enumerate() {
                t.push_str(&format!(
                    "assumption a{a} \"A{a}\" {{\n  prior {prior}%\n  given h0: {given}%\n}}\n"
                ));
            }
            for (i, it) in items.iter().enumerate() {
                t.push_str(&format!(
                    "evidence e{i} \"E{i}\" {{\n  from s{} credibility {}\n",
                    it.source, it.credibility
                ));
                for (h, (as_term, l)) in it.likelihoods.iter().enumerate() {
                    if *as_term {
                        t.push_str(&format!("  given h{h}: {}\n", TERMS[*l as usize % 6]));
                    } else {
                        t.push_str(&format!("  given h{h}: {l}%\n"));
                    }
                }
                if m > 0 && i == 0 {
                    t.push_str("  given h0 if a0: 90%\n");
                }
                t.push_str(&format!("  otherwise: {}%\n}}\n", it.otherwise));
            }
            t
        })
}

/// The sentences of a paragraph: split after ".", "!" or "?" followed by a space and a
/// capital letter or an opening quotation mark.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        current.push(*c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1) == Some(&' ')
            && chars
                .get(i + 2)
                .is_some_and(|n| n.is_uppercase() || *n == '\u{201c}');
        if ends {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// The text with every quoted item description (“…”) taken out.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '\u{201c}' => depth += 1,
            '\u{201d}' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A percentage at the start of `s` ("90.2%", "<1%"), as a probability.
fn leading_percent(s: &str) -> Option<f64> {
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() || !s[digits.len()..].starts_with('%') {
        return None;
    }
    digits.parse::<f64>().ok().map(|x| x / 100.0)
}

/// Every place in `text` where a term of `y` stands beside a number, checked: the number
/// lies in the term's band; after "between A and B" it lies strictly between the bands.
/// Returns the offences.
fn terms_beside_numbers(y: &acre::Yardstick, text: &str) -> Vec<String> {
    let mut names: Vec<(usize, &str)> = y
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.name.as_str()))
        .collect();
    names.sort_by_key(|(_, n)| std::cmp::Reverse(n.len()));
    let term_at = |at: usize| -> Option<(usize, usize)> {
        if at > 0
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            return None;
        }
        names.iter().find_map(|(i, n)| {
            let end = at + n.len();
            (text[at..].starts_with(n)
                && !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric))
            .then_some((*i, end))
        })
    };
    // the number a term's words stand beside: "(N%", "(lo-hi%; computed N%", "(lo-hi%): N%"
    let number_after = |end: usize| -> Option<f64> {
        let rest = text[end..].strip_prefix(" (")?;
        if let Some(p) = leading_percent(rest) {
            return Some(p);
        }
        let close = rest.find(')')?;
        let inside = &rest[..close];
        if let Some(c) = inside.find("computed ") {
            return leading_percent(&inside[c + 9..]);
        }
        rest[close..].strip_prefix("): ").and_then(leading_percent)
    };
    let mut offences = Vec::new();
    let mut at = 0;
    while at < text.len() {
        if !text.is_char_boundary(at) {
            at += 1;
            continue;
        }
        if text[at..].starts_with("between ")
            && let Some((lower, mid)) = term_at(at + 8)
            && text[mid..].starts_with(" and ")
            && let Some((upper, end)) = term_at(mid + 5)
        {
            if let Some(p) = number_after(end)
                && !(p > y.terms[lower].hi && p < y.terms[upper].lo)
            {
                offences.push(format!("{} at {p}", &text[at..end]));
            }
            at = end;
            continue;
        }
        if let Some((t, end)) = term_at(at) {
            let before = &text[..at];
            let gap_end = before.ends_with("below ") || before.ends_with("above ");
            if !gap_end
                && let Some(p) = number_after(end)
                && !y.terms[t].contains(p)
            {
                offences.push(format!(
                    "{} at {p}: {}",
                    y.terms[t].name,
                    &text[at..end.min(text.len())]
                ));
            }
            at = end;
            continue;
        }
        at += 1;
    }
    offences
}

fn check_prose(text: &str) -> Result<(), TestCaseError> {
    let checked = acre::check::check_source(text);
    let Some(case) = checked.case else {
        // generated likelihoods can make a case the checker refuses; nothing is written then
        return Ok(());
    };
    let options = acre::infer::Options {
        samples: 200,
        seed: 3,
    };
    let Ok(a) = acre::infer::assess(&case, &options) else {
        return Ok(());
    };
    for h in 0..case.hypotheses.len() {
        check_hypothesis(&case, &a, h)?;
    }
    Ok(())
}

fn check_hypothesis(
    case: &acre::Case,
    a: &acre::Assessment,
    h: usize,
) -> Result<(), TestCaseError> {
    let focus = acre::model::HypothesisId(h as u32);
    let Ok(x) = acre::explain::explain(case, a, Some(focus)) else {
        return Ok(());
    };
    let y = &case.yardstick;
    let r = &a.hypotheses[h];
    let n = &x.narrative;
    let confidence = acre::infer::confidence_for(case, a, h).unwrap();
    let written = |p: f64| acre::infer::words::written(y, p);

    // no term beside a number outside its band, in the narrative and the reasons
    let reasons = confidence.reasons.join(" ");
    for text in [n.as_str(), reasons.as_str()] {
        let offences = terms_beside_numbers(y, text);
        prop_assert!(offences.is_empty(), "{:?} in {}", offences, text);
    }

    // sentences an analyst can paste, about this hypothesis and no other
    let label = acre::explain::label_as_subject(&case.hypotheses[h].label);
    prop_assert!(n.contains(&label), "{} is not named in {}", label, n);
    // the groups that hold it: a sentence about one of them is about the group
    let mut groups = Vec::new();
    let mut at = acre::model::Proposition::Hypothesis(acre::model::HypothesisId(h as u32));
    while let Some(g) = case.parent(at) {
        groups.push(acre::explain::label_as_subject(&case.groups[g.idx()].label));
        at = acre::model::Proposition::Group(g);
    }
    for sentence in sentences(n) {
        let words = sentence.split_whitespace().count();
        prop_assert!(words <= 35, "{} words: {}", words, sentence);
        if groups
            .iter()
            .any(|g| sentence.contains(&format!("that {g} ")))
        {
            continue;
        }
        let bare = unquoted(&sentence);
        for (o, other) in case.hypotheses.iter().enumerate() {
            if o != h && !label.contains(&other.label) && !label.contains(&other.id) {
                prop_assert!(
                    !bare.contains(&other.label) && !bare.contains(&format!("{} ", other.id)),
                    "{} is named in a sentence about {}: {}",
                    other.label,
                    label,
                    sentence
                );
            }
        }
    }

    // the judgment sentence: the number beside the term, or the gap wording
    let v = acre::infer::words::place(y, r.point);
    match v.band {
        Some(_) => prop_assert!(n.starts_with("We assess "), "{}", n),
        None => {
            prop_assert!(n.contains(&v.words), "{}", n);
            prop_assert!(
                n.contains(&format!(
                    "acre suggests the nearer term, {}",
                    y.terms[v.written].name
                )),
                "{}",
                n
            );
        }
    }

    // the confidence level and the rules that set it
    let lowest = confidence
        .checks
        .iter()
        .filter_map(|c| c.cap)
        .min()
        .unwrap_or(ConfidenceLevel::High);
    prop_assert_eq!(confidence.level, lowest);
    if lowest == ConfidenceLevel::High {
        prop_assert!(
            n.contains("every rule of the confidence table is met"),
            "{}",
            n
        );
    } else {
        prop_assert!(
            n.contains(&format!("Confidence is {} because ", lowest.word())),
            "{}",
            n
        );
    }
    for c in &confidence.checks {
        let binds = c.cap == Some(lowest);
        let said = match c.rule {
            ConfidenceRule::SingleItem => {
                n.contains("items would change the written term")
                    || n.contains("one item would change the written term")
            }
            ConfidenceRule::Assumption => n.contains("forcing an assumption"),
            _ => n.contains(&format!(
                "because {}.",
                c.reason.replace(&label, "this hypothesis")
            )),
        };
        prop_assert_eq!(said, binds, "{:?} in {}", c, n);
        // a rule that caps for a changed term names a change that really changes it
        if c.cap.is_some()
            && matches!(
                c.rule,
                ConfidenceRule::SingleItem | ConfidenceRule::Assumption
            )
        {
            prop_assert!(
                c.reason.contains("changes the written term"),
                "{}",
                c.reason
            );
        }
    }

    // every item the prose says changes the term, with its direction and words
    let mut named = 0;
    for w in x
        .sensitivity
        .iter()
        .filter(|w| w.kind == WhatIfKind::ItemRemoved)
    {
        let item = w.subject.as_deref().unwrap();
        let said = n.split(&format!("({item}, graded ")).nth(1);
        let Some(rest) = said else { continue };
        let Some(without) = w.posterior else { continue };
        if !rest.contains("this hypothesis: without it") {
            continue;
        }
        named += 1;
        let supports = without < r.point;
        let (right, moves) = if supports {
            ("supports this hypothesis", "falls")
        } else {
            ("counts against this hypothesis", "rises")
        };
        let clause = rest.split(". ").next().unwrap_or(rest);
        prop_assert!(
            clause.contains(right) && clause.contains(&format!("the assessment {moves} to")),
            "{} ({} -> {}): {}",
            item,
            r.point,
            without,
            clause
        );
        let words = acre::infer::words::written_words(y, without);
        prop_assert!(clause.contains(&words), "{} missing in {}", words, clause);
        prop_assert_ne!(
            written(without),
            written(r.point),
            "{} is named as changing the written term: {}",
            item,
            n
        );
    }
    let changing = x.effects.iter().filter(|e| e.changes_term).count();
    prop_assert_eq!(named, changing.min(3), "{}", n);

    // the typed effects agree with the numbers they come from
    for e in &x.effects {
        let w = x
            .sensitivity
            .iter()
            .find(|w| {
                w.kind == WhatIfKind::ItemRemoved && w.subject.as_deref() == Some(e.item.as_str())
            })
            .unwrap();
        if let Some(without) = w.posterior {
            prop_assert_eq!(e.supports, without < r.point, "{:?}", e);
            prop_assert_eq!(&e.term_without, &verdict(y, without).words);
            prop_assert_eq!(
                e.changes_term,
                written(without) != written(r.point),
                "{:?}",
                e
            );
            if let Some(lo) = e.log_odds
                && (without - r.point).abs() > 1e-12
            {
                prop_assert_eq!(lo > 0.0, e.supports, "{:?}", e);
            }
        }
    }
    // linchpins and flips: never one that keeps the written term
    for l in &x.linchpins {
        prop_assert_ne!(written(l.posterior), written(r.point), "{:?}", l);
    }
    for f in &x.flip_thresholds {
        prop_assert_ne!(written(f.posterior_with_item), written(r.point), "{:?}", f);
        let target = y
            .terms
            .iter()
            .position(|t| f.target.starts_with(&t.name))
            .unwrap();
        let now = written(r.point);
        prop_assert_eq!(target.abs_diff(now), 1, "{:?}", f);
        prop_assert_eq!(written(f.posterior_with_item), target, "{:?}", f);
    }

    // the strongest item's sign
    if let Some(rest) = n.split("The strongest item is ").nth(1) {
        let item: String = rest
            .split(" (")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(|c| *c != ',')
            .collect();
        if let Some(c) = x.hypotheses[h]
            .contributions
            .iter()
            .find(|c| c.item == item)
        {
            let lo = c.log_odds.unwrap();
            let toward = if lo >= 0.0 { "for it" } else { "against it" };
            prop_assert!(rest.contains(toward), "{} has log-odds {}: {}", item, lo, n);
        }
    }

    // ENFSI words
    for c in &x.hypotheses[h].contributions {
        if let Some(lo) = c.log_odds
            && lo.abs() > 1e-9
        {
            prop_assert!(
                !c.words.contains("no support either way"),
                "{} log-odds {} worded {}",
                c.item,
                lo,
                c.words
            );
        }
    }
    Ok(())
}

/// A generated case with one hypothesis's prior tuned, by bisection, so that its point
/// posterior is `target`: in a yardstick's gap, at a gap's middle, on a band's edge.
fn tuned(text: &str, target: f64) -> Option<String> {
    let with_prior = |p: f64| text.replacen("prior @%", &format!("prior {:.12}%", p * 100.0), 1);
    let posterior = |p: f64| -> Option<f64> {
        let case = acre::check::check_source(&with_prior(p)).case?;
        let (post, _) = acre::infer::point_posterior(&case, &|_| true).ok()?;
        Some(post[0])
    };
    let (mut lo, mut hi) = (0.0001, 0.9);
    if posterior(lo)? > target || posterior(hi)? < target {
        return None;
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if posterior(mid)? < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(with_prior((lo + hi) / 2.0))
}

/// Posteriors to tune generated cases to, on PHIA: inside its gaps, at their middles (a
/// tie goes to the lower term) and just past them, on band edges.
const TARGETS: [f64; 16] = [
    0.902, 0.92, 0.925, 0.9251, 0.945, 0.95, 0.90, 0.7749, 0.776, 0.52, 0.525, 0.075, 0.0751, 0.21,
    0.55, 0.80,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_sentence_agrees_with_the_numbers(text in generated_case()) {
        check_prose(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES / 2))]

    /// The same, on cases whose leading posterior falls in a gap or on a band's edge.
    #[test]
    fn every_sentence_agrees_at_gaps_and_edges(
        text in generated_with(2..3),
        target in prop::sample::select(TARGETS.to_vec()),
    ) {
        let text = text.replacen(
            "hypothesis h0 \"H0\" prior ",
            "hypothesis h0 \"H0\" prior @% #",
            1,
        );
        if let Some(tuned) = tuned(&text, target) {
            check_prose(&tuned)?;
        }
    }
}

/// Every case under `cases/`: the worked cases, the library, the history and pool examples.
fn every_case_file() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut out = Vec::new();
    for dir in [
        root.clone(),
        root.join("library"),
        root.join("history"),
        root.join("pool"),
    ] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "acre") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_worked_cases_state_true_directions_and_the_binding_reason() {
    let files = every_case_file();
    for path in &files {
        check_prose(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(files.len() >= 40, "{}", files.len());
}

#[test]
fn enfsi_gaps_are_worded_as_gaps() {
    let scale = acre::lexicon::enfsi();
    assert_eq!(scale.describe(1.0, "x", "y"), "no support either way");
    assert_eq!(
        scale.describe(1.95, "x", "y"),
        "between no support and weak support for x"
    );
    assert_eq!(
        scale.describe(1.0 / 1.95, "x", "y"),
        "between no support and weak support for y"
    );
    assert_eq!(scale.describe(2.0, "x", "y"), "weak support for x");
}

/// The property above only means something if most generated cases reach the prose.
#[test]
fn most_generated_cases_are_assessed_and_explained() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = generated_case();
    let mut explained = 0;
    for _ in 0..100 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        if let Some(case) = acre::check::check_source(&text).case {
            let options = acre::infer::Options {
                samples: 50,
                seed: 1,
            };
            if let Ok(a) = acre::infer::assess(&case, &options) {
                explained += usize::from(acre::explain::explain(&case, &a, None).is_ok());
            }
        }
    }
    assert!(
        explained >= 80,
        "only {explained} of 100 generated cases were explained"
    );
}

/// The narrative as the report shows it (its bottom line and the confidence reasons), for
/// every worked case.
#[test]
fn report_bottom_lines_of_every_case() {
    insta::glob!("../../cases", "*.acre", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let case = acre::check::check_source(&text).case.unwrap();
        let options = acre::infer::Options {
            samples: 10_000,
            seed: 20_240_325,
        };
        let a = acre::infer::assess(&case, &options).unwrap();
        let x = acre::explain::explain(&case, &a, None).unwrap();
        let md = acre::report::html::markdown(&case, &a, &x, &[]);
        let bottom: String = md
            .split("## Bottom line")
            .nth(1)
            .unwrap()
            .split("\n## ")
            .next()
            .unwrap()
            .to_string();
        insta::assert_snapshot!(bottom);
    });
}

/// A plain case whose first prior `tuned` sets.
const TUNED_BASE: &str = "case \"tuned\" {\n  question \"Who did it?\"\n  yardstick phia\n}\n\
    hypothesis h0 \"The Lazarus Group\" prior @% #\n\
    hypothesis h1 \"Someone else\" prior rest catch-all\n\
    source s0 \"S0\" reliability B\n\
    evidence e0 \"Shared loader\" {\n  from s0 credibility 2\n  given h0: likely\n  otherwise: 20%\n}\n\
    evidence e1 \"Working hours\" {\n  from s0 credibility 3\n  given h0: 60%\n  otherwise: 40%\n}\n";

/// Every target of the tuned cases is reached on a plain case, so the property above
/// checks gaps and edges rather than skipping them.
#[test]
fn tuned_cases_reach_every_gap_and_edge() {
    for target in TARGETS {
        let tuned = tuned(TUNED_BASE, target).unwrap_or_else(|| panic!("{target} not reached"));
        let case = acre::check::check_source(&tuned).case.unwrap();
        let (post, _) = acre::infer::point_posterior(&case, &|_| true).unwrap();
        assert!((post[0] - target).abs() < 1e-9, "{} for {target}", post[0]);
        check_prose(&tuned).unwrap_or_else(|e| panic!("{target}: {e}"));
    }
}

/// Whitespace runs (line breaks and indents of wrapped text) as one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text acre prints about a case (assess, explain, the report, the judgment checks
/// and the warnings `check` raises), on every worked case and on cases tuned into PHIA's
/// gaps and onto its band edges with a judgment of each term: no term stands beside a
/// number outside its band, and a judgment of the written term is consistent.
#[test]
fn no_term_beside_a_number_outside_its_band_in_any_output() {
    let mut texts: Vec<(String, String)> = every_case_file()
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    for target in TARGETS {
        let mut text = tuned(TUNED_BASE, target).unwrap();
        for (i, term) in TERMS.iter().enumerate() {
            text.push_str(&format!(
                "judgment j{i} \"It is {term} that the Lazarus Group did it.\" {{\n  claims h0 {term}\n}}\n"
            ));
        }
        texts.push((format!("tuned to {target}"), text));
    }
    let mut outputs = 0;
    for (name, text) in &texts {
        let case = acre::check::check_source(text).case.unwrap();
        let a = acre::infer::assess(&case, &acre::infer::Options::default()).unwrap();
        let x = acre::explain::explain(&case, &a, None).unwrap();
        let scanner = acre::review::scan::Scanner::new(&case.custom_yardsticks);
        let checks = acre::review::judgment_checks(&case, &a, text, &scanner);
        let y = &case.yardstick;
        for c in &checks {
            let j = case.judgments.iter().find(|j| j.id == c.id).unwrap();
            let r = a.result(j.proposition);
            if j.term_idx == acre::infer::words::written(y, r.point) {
                assert_eq!(c.verdict, acre::vocab::Verdict::Consistent, "{name}: {c:?}");
            } else {
                assert_ne!(c.verdict, acre::vocab::Verdict::Consistent, "{name}: {c:?}");
            }
        }
        let warnings: Vec<String> = acre::review::judgment_warnings(&case, text)
            .into_iter()
            .map(|d| format!("{} {}", d.message, d.help.unwrap_or_default()))
            .collect();
        for (what, out) in [
            ("assess", acre::report::assess::text(&case, &a, name)),
            ("explain", acre::report::explain::text(&case, &x)),
            (
                "report",
                acre::report::html::markdown(&case, &a, &x, &checks),
            ),
            (
                "judgments",
                acre::report::assess::judgments_text(&case, &checks),
            ),
            ("check", warnings.join("\n")),
        ] {
            let out = flat(&out);
            let offences = terms_beside_numbers(y, &out);
            assert!(offences.is_empty(), "{name}, {what}: {offences:?}\n{out}");
            outputs += 1;
        }
    }
    assert_eq!(outputs, 5 * texts.len());
    assert!(texts.len() > TARGETS.len() + 5);
}

/// The checker above finds what it looks for.
#[test]
fn the_term_and_number_checker_can_fail() {
    let phia = acre::lexicon::builtin_yardstick("phia").unwrap();
    let bad = [
        "We assess it is almost certain (95-100%; computed 94.5%) that",
        "highly likely (80-90%): 90.2% [bounds",
        "the numbers support highly likely (90.2%)",
        "between highly likely and almost certain (95.5%)",
        "is likely (76.0%); it was",
    ];
    for text in bad {
        assert_eq!(terms_beside_numbers(&phia, text).len(), 1, "{text}");
    }
    let good = [
        "We assess it is almost certain (95-100%; computed 96.5%) that",
        "between highly likely and almost certain (90.2%; the nearer term is highly likely)",
        "acre suggests the nearer term, highly likely (80-90%)",
        "below remote chance (0.0%)",
        "falls to 92.3%, in the gap where the nearer term is highly likely",
        "unlikely (30.0%) and highly unlikely (12.0%)",
    ];
    for text in good {
        assert_eq!(
            terms_beside_numbers(&phia, text),
            Vec::<String>::new(),
            "{text}"
        );
    }
}

/// The interval sentence for every pair of places on PHIA and ICD 203 (each band, each gap,
/// beyond either end), with the words for a point in each place: read in the snapshot.
#[test]
fn interval_sentences_for_every_pair_of_places() {
    use acre::infer::words;
    let mut out = String::new();
    for name in ["phia", "icd203"] {
        let y = acre::lexicon::builtin_yardstick(name).unwrap();
        // a point inside each place along the yardstick, in order
        let mut places: Vec<f64> = Vec::new();
        if y.terms[0].lo > 0.0 {
            places.push(y.terms[0].lo / 2.0);
        }
        for (i, t) in y.terms.iter().enumerate() {
            places.push((t.lo + t.hi) / 2.0);
            if let Some(next) = y.terms.get(i + 1)
                && next.lo > t.hi
            {
                places.push((t.hi + next.lo) / 2.0 + 0.004);
            }
        }
        if let Some(last) = y.terms.last()
            && last.hi < 1.0
        {
            places.push((last.hi + 1.0) / 2.0);
        }
        out.push_str(&format!("## {name}\n\n### a point in each place\n"));
        for p in &places {
            let v = words::place(&y, *p);
            out.push_str(&format!("{}\n", words::stated(&y, *p)));
            if let Some(note) = words::gap_note(&y, &v) {
                out.push_str(&format!("  note: {note}\n"));
            }
        }
        out.push_str("\n### intervals\n");
        for (i, lo) in places.iter().enumerate() {
            for hi in &places[i..] {
                let note = words::interval_note(&y, *lo, *hi);
                out.push_str(&format!(
                    "{}\n",
                    note.unwrap_or_else(|| format!(
                        "({}: one place, no note)",
                        words::place(&y, *lo).words
                    ))
                ));
            }
        }
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}
