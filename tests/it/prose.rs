//! Every sentence acre writes about a case is true: a property test that reads the prose.
//!
//! Over generated cases (`CASES` per run, in CI too), the narrative of `explain` and the
//! confidence reasons of `assess` are checked against the numbers, recomputed here:
//!
//! - "We assess it is T (lo-hi%; computed N%)": N read back lies in T's band when the point
//!   does, and reads as the same words as the point otherwise;
//! - "Confidence is L because R": L is the lowest cap of the rules (High when none caps), and
//!   R is exactly the reasons of the rules that cap at L;
//! - "X, which supports it (without it: W)" / "X, which counts against it (without it: W)":
//!   the posterior without X is lower / higher than with it, and W is its words;
//! - "without X it falls / rises to 'W'", "rests mainly on one item (X …), which supports it
//!   … falls to 'W'", "One item (X …) counts against it … rises to 'W'": the same, by sign;
//! - "the strongest is X (…, ±D decibans, for/against it: …)": the sign of D and the word
//!   agree with X's weight in the waterfall;
//! - ENFSI words never say "no support either way" for a ratio other than 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::explain::WhatIfKind;
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
    (2usize..5, 1usize..4, 0usize..2)
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

/// The percentage after `computed ` in the narrative, as a probability.
fn computed(narrative: &str) -> f64 {
    let rest = narrative.split("computed ").nth(1).unwrap();
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse::<f64>().unwrap() / 100.0
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
    let Ok(x) = acre::explain::explain(&case, &a, None) else {
        return Ok(());
    };
    let y = &case.yardstick;
    let h = a.leading;
    let r = &a.hypotheses[h];
    let n = &x.narrative;

    // the number beside the term
    let shown = computed(n);
    prop_assert_eq!(
        verdict(y, shown).words,
        verdict(y, r.point).words.clone(),
        "{} printed for {} in: {}",
        shown,
        r.point,
        n
    );

    // the confidence level and its reason
    let lowest = a
        .confidence
        .checks
        .iter()
        .filter_map(|c| c.cap)
        .min()
        .unwrap_or(ConfidenceLevel::High);
    prop_assert_eq!(a.confidence.level, lowest);
    let binding: Vec<&str> = a
        .confidence
        .checks
        .iter()
        .filter(|c| c.cap == Some(lowest))
        .map(|c| c.reason.as_str())
        .collect();
    if binding.is_empty() {
        prop_assert!(
            n.contains("every rule of the confidence table is met"),
            "{}",
            n
        );
    } else {
        let said = format!(
            "Confidence is {} because {}.",
            lowest.word(),
            binding.join("; and ")
        );
        prop_assert!(n.contains(&said), "missing {:?} in {}", said, n);
    }
    for c in &a.confidence.checks {
        if c.cap.is_none_or(|cap| cap != lowest) {
            prop_assert!(
                !n.contains(&format!("because {}", c.reason)),
                "a rule that did not bind is given as the reason: {}",
                n
            );
        }
    }

    // every item the prose says changes the term, with its direction and words
    let prose = format!("{n} {}", a.confidence.reasons.join(" "));
    for w in x
        .sensitivity
        .iter()
        .filter(|w| w.kind == WhatIfKind::ItemRemoved)
    {
        let item = w.subject.as_deref().unwrap();
        let Some(without) = w.posterior else { continue };
        let words = verdict(y, without).words;
        let supports = without < r.point;
        let (right, wrong) = if supports {
            ("which supports it", "which counts against it")
        } else {
            ("which counts against it", "which supports it")
        };
        if prose.contains(&format!("{item}, {wrong}")) {
            return Err(TestCaseError::fail(format!(
                "{item} is said to be {wrong}: without it {without} vs {}: {prose}",
                r.point
            )));
        }
        if prose.contains(&format!("{item}, {right}")) {
            prop_assert!(
                prose.contains(&format!("{item}, {right} (without it: {words})")),
                "{} {} in {}",
                item,
                words,
                prose
            );
        }
        let (moves, other) = if supports {
            ("falls", "rises")
        } else {
            ("rises", "falls")
        };
        prop_assert!(
            !prose.contains(&format!("without {item} it {other}")),
            "{}",
            prose
        );
        if prose.contains(&format!("without {item} it {moves}")) {
            prop_assert!(
                prose.contains(&format!("without {item} it {moves} to '{words}'")),
                "{}",
                prose
            );
        }
        if prose.contains(&format!("({item}, graded")) {
            let said_supports =
                prose.contains("which supports it: without it, the assessment falls");
            let said_against = prose.contains(
                "counts against it and decides the term: without it, the assessment rises",
            );
            if said_supports || said_against {
                prop_assert_eq!(said_supports, supports, "{}", prose);
                prop_assert!(prose.contains(&format!("to '{words}'")), "{}", prose);
            }
        }
    }

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
            if let Some(lo) = e.log_odds
                && (without - r.point).abs() > 1e-12
            {
                prop_assert_eq!(lo > 0.0, e.supports, "{:?}", e);
            }
        }
        prop_assert_eq!(e.changes_term, e.term_without != e.term_with, "{:?}", e);
    }

    // the strongest item's sign
    if let Some(rest) = n.split("the strongest is ").nth(1) {
        let item: String = rest.chars().take_while(|c| *c != ' ').collect();
        let c = x.hypotheses[h]
            .contributions
            .iter()
            .find(|c| c.item == item)
            .unwrap();
        let lo = c.log_odds.unwrap();
        let toward = if lo >= 0.0 { "for it" } else { "against it" };
        prop_assert!(rest.contains(toward), "{} has log-odds {}: {}", item, lo, n);
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_sentence_agrees_with_the_numbers(text in generated_case()) {
        check_prose(&text)?;
    }
}

#[test]
fn the_worked_cases_state_true_directions_and_the_binding_reason() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "acre") {
            check_prose(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 5);
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
