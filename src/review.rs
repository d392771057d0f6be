//! Stage 3c: checking confidence wording in prose and in a case's judgments
//! (semantics section 9).
//!
//! The work is split so that each part can be tested on its own:
//! [`scan`] finds wordings (one Aho-Corasick automaton); `language` says what a
//! word means where it stands (a month, a permission, a habit, a comparison, a
//! condition); [`subjects`] finds who a sentence is about (an actor gazetteer, states,
//! a case's hypotheses and assumptions); `claims` keys each judgment by subject and
//! proposition; `read` reads a draft batch by batch into what the rules judge;
//! [`rules`] holds every rule, one file each (`rule` says what a rule is);
//! `compare` and `judgments` compare words with a case's numbers; this module runs
//! the reading and the rules and orders the findings.
//!
//! Invariants: `review` reads text and, optionally, a case with its assessment; it
//! never prints. Every finding names a [`Rule`], a level, the exact span, and either a
//! suggestion that rewrites the text or none; mechanical fixes carry an edit. Reading
//! never decides what is a problem, and a rule never reads the text anew.

pub(crate) mod compare;
pub mod config;
pub(crate) mod english;
pub(crate) mod judgments;
pub(crate) mod language;
pub(crate) mod proposition;
pub(crate) mod read;
mod rewrite;
pub(crate) mod rule;
pub mod rules;
pub mod scan;
pub mod subjects;

use crate::lexicon::Yardstick;
use crate::model::Case;
use crate::span::Span;
pub use compare::CaseContext;
use config::RuleConfig;
pub use judgments::{JudgmentCheck, judgment_checks};
pub use read::{Phrase, PhraseKind, Said};
pub use rewrite::number_after;
use rule::{Cx, JudgmentCx};
pub use rule::{Finding, Level, Rule};
use scan::Scanner;

/// A mechanical fix: the same edit type as a diagnostic's.
pub use crate::diagnostic::Fix;

/// How to review.
pub struct Options<'a> {
    /// The yardstick that governs wording.
    pub yardstick: Yardstick,
    /// Rule levels and masks.
    pub config: RuleConfig,
    /// The case, for overclaim / underclaim.
    pub case: Option<CaseContext<'a>>,
}

/// The result of a review.
#[derive(Clone, Debug, Default)]
pub struct Review {
    /// Every problem, in text order.
    pub findings: Vec<Finding>,
    /// Every estimative phrase, in text order.
    pub phrases: Vec<Phrase>,
    /// With a case: every term compared with the case's numbers, consistent ones
    /// included, in text order.
    pub comparisons: Vec<Compared>,
}

/// A term of the draft compared with the case: what it states, what it was compared
/// with, and the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    /// The term.
    pub term: Span,
    /// Its sentence.
    pub sentence: Span,
    /// The hypothesis or assumption compared with.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Whether it is an assumption (else a hypothesis, on the case's question).
    pub assumption: bool,
    /// What the proposition says of it (`responsible`, `access`, ...).
    pub predicate: String,
    /// The term's band.
    pub band: (f64, f64),
    /// The numbers: point, 5th and 95th percentiles.
    pub numbers: (f64, f64, f64),
    /// What the numbers make of the term.
    pub verdict: crate::vocab::Verdict,
}

/// Bytes per batch at most: a draft is read in batches of whole paragraphs, so that memory
/// follows the batch, not the draft.
const BATCH: usize = 1 << 20;

/// Bytes per batch at least: below this, a batch's fixed costs would outweigh its reading.
const SMALL_BATCH: usize = 64 << 10;

/// The size of a batch of a draft of `len` bytes: an eighth of the draft, so that a draft
/// of a few megabytes is read on every core too, between [`SMALL_BATCH`] and [`BATCH`].
fn batch_size(len: usize) -> usize {
    (len / 8).clamp(SMALL_BATCH, BATCH)
}

/// The batches of a draft: ranges of about [`batch_size`] bytes, cut at a blank line
/// outside fenced code; where no blank line comes within as many bytes more (a long table,
/// one long line), at the end of a sentence, else at a line break, else where the long run's
/// pieces are cut anyway (`language::run_cut`), so that no batch changes how a run is read.
fn batches(text: &str) -> Vec<Span> {
    let fences = scan::fenced_blocks(text);
    let size = batch_size(text.len());
    let mut out = Vec::with_capacity(text.len() / size + 1);
    let mut start = 0;
    while start < text.len() {
        let end = cut_after(text, &fences, start + size, size).unwrap_or(text.len());
        out.push(Span::new(start, end));
        start = end;
    }
    out
}

/// Where a batch that reaches `at` may end: the best cut in the next `size` bytes.
fn cut_after(text: &str, fences: &[Span], at: usize, size: usize) -> Option<usize> {
    if at >= text.len() {
        return None;
    }
    let bytes = text.as_bytes();
    let window_end = (at + size).min(text.len());
    let window = &bytes[at..window_end];
    let in_fence = |cut: usize| fences.iter().any(|f| f.start < cut && cut < f.end);
    // a blank line outside fenced code
    let blank = memchr::memmem::find_iter(window, "\n\n")
        .map(|p| at + p + 1)
        .find(|cut| !in_fence(*cut));
    if blank.is_some() {
        return blank;
    }
    // the end of a line that ends a sentence or a table row, then any line break
    let lines = || memchr::memchr_iter(b'\n', window).map(|p| at + p + 1);
    let ends_sentence = |cut: usize| {
        let line = text[..cut - 1].trim_end();
        line.ends_with(['.', '!', '?', '|', ':'])
    };
    if let Some(cut) = lines().find(|c| ends_sentence(*c) && !in_fence(*c)) {
        return Some(cut);
    }
    if let Some(cut) = lines().find(|c| !in_fence(*c)) {
        return Some(cut);
    }
    // one long line: after a sentence's end, else where the run's pieces are cut anyway
    // (a grid line a piece on), so that both batches read the pieces of the whole run
    let after_stop = memchr::memmem::find_iter(window, ". ")
        .map(|p| at + p + 2)
        .next();
    after_stop.or_else(|| {
        let g = language::next_grid(0, at + language::MAX_SENTENCE);
        (g < text.len()).then(|| language::run_cut(text, g))
    })
}

/// Reviews a text: in batches of whole paragraphs, each read and checked by every rule
/// within its sentences; then the rules that compare sentences across the draft.
pub fn review(text: &str, scanner: &Scanner, options: &Options) -> Review {
    let level = |rule: Rule, analytic: bool| {
        options
            .config
            .level(rule, &options.yardstick.name, analytic)
    };
    // the rules' view (made where it is used: it holds the level as a plain `dyn Fn`,
    // which a worker thread cannot share)
    let cx = || Cx {
        text,
        yardstick: &options.yardstick,
        scanner,
        case: options.case,
        level: &level,
    };
    let masks = options.config.mask_phrases();
    let reader = read::Reader::new(text, scanner, &options.yardstick, &masks, options.case);
    // each batch read on its own draft, with its findings and comparisons (no batch reads
    // what another read); the drafts joined in text order after
    let read_batch = |folded: &mut scan::Folded, range: Span| {
        let cx = cx();
        let mut draft = read::Draft::default();
        let batch = read::read(&reader, folded, range, &mut draft);
        let mut findings = Vec::new();
        for rule in rules::ALL {
            rule.0.check.batch(&cx, &batch, &mut findings);
        }
        let mut comparisons = Vec::new();
        if let Some(case) = options.case {
            for l in &batch.likelihoods {
                let (Some(target), Some(claim)) = (&l.target, &l.claim) else {
                    continue;
                };
                let Some(c) = compare::compare(case, target, l.band) else {
                    continue;
                };
                comparisons.push(Compared {
                    term: l.span,
                    sentence: batch.sentence_span(l.sentence),
                    id: c.id.to_string(),
                    label: c.label.to_string(),
                    assumption: c.assumption,
                    predicate: claim.predicate.word().to_string(),
                    band: l.band,
                    numbers: (c.point, c.p05, c.p95),
                    verdict: c.verdict,
                });
            }
        }
        (draft, findings, comparisons)
    };
    let mut draft = read::Draft::default();
    let mut findings = Vec::new();
    let mut comparisons = Vec::new();
    // the batches a few at a time (on every core with the `parallel` feature, the scanner's
    // buffer kept by each worker), each few joined in text order before the next are read
    // (so that what they read is not held twice)
    #[cfg(not(feature = "parallel"))]
    let mut folded = scan::Folded::default();
    for few in batches(text).chunks(16) {
        #[cfg(feature = "parallel")]
        let read: Vec<_> = {
            use rayon::prelude::*;
            few.par_iter()
                .map_init(scan::Folded::default, |folded, range| {
                    read_batch(folded, *range)
                })
                .collect()
        };
        #[cfg(not(feature = "parallel"))]
        let read: Vec<_> = few
            .iter()
            .map(|range| read_batch(&mut folded, *range))
            .collect();
        for (d, f, c) in read {
            draft.append(d);
            findings.extend(f);
            comparisons.extend(c);
        }
    }
    let cx = cx();
    for rule in rules::ALL {
        rule.0.check.draft(&cx, &draft, &mut findings);
    }
    findings.sort_by_key(|f| (f.span.start, rules::position(f.rule)));
    let mut phrases = draft.phrases;
    phrases.sort_by_key(|p| p.span.start);
    comparisons.sort_by_key(|c| c.term.start);
    Review {
        findings,
        phrases,
        comparisons,
    }
}

/// Judgment checks as findings on the case file, in check order (one per check unless
/// its rule is off).
pub fn judgment_findings(
    case: &Case,
    checks: &[JudgmentCheck],
    config: &RuleConfig,
) -> Vec<(usize, Finding)> {
    let level = |rule: Rule| config.level(rule, &case.yardstick.name, true);
    let cx = JudgmentCx {
        case,
        level: &level,
    };
    let mut out = Vec::new();
    for rule in rules::ALL {
        rule.0.check.judgments(&cx, checks, &mut out);
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// Applies non-overlapping fixes to `text` (the first of overlapping ones wins),
/// keeping every other byte; returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let (out, placed) = apply(
        text,
        findings.iter().filter_map(|f| f.fix.as_ref()).collect(),
    );
    (out, placed.len())
}

/// A draft with its mechanical fixes applied, and the review of the result.
pub struct Fixed {
    /// The new text.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many were held back because applying them brought a finding the draft did not
    /// have (a term of another yardstick replaced by one the case's numbers do not
    /// support).
    pub withheld: usize,
    /// The review of the new text.
    pub review: Review,
}

/// Applies the mechanical fixes of `review` (the review of `text`) and reviews the result;
/// a fix that brings a finding the draft did not have at its place is held back and the
/// rest applied again, so fixing never introduces a finding.
pub fn fix(text: &str, review_of_text: &Review, scanner: &Scanner, options: &Options) -> Fixed {
    let mut held: Vec<Span> = Vec::new();
    loop {
        let fixes: Vec<&Fix> = review_of_text
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| !held.contains(&f.span))
            .collect();
        let (new_text, placed) = apply(text, fixes);
        let new_review = review(&new_text, scanner, options);
        // a finding on a replacement that the original text did not have at that place
        let brought: Vec<Span> = placed
            .iter()
            .filter(|(old, new, _)| {
                new_review.findings.iter().any(|f| {
                    f.span.start < new.end.max(new.start + 1)
                        && new.start < f.span.end.max(f.span.start + 1)
                        && !review_of_text.findings.iter().any(|o| {
                            o.rule == f.rule && o.span.start < old.end && old.start < o.span.end
                        })
                })
            })
            .map(|(old, _, _)| *old)
            .collect();
        if brought.is_empty() || held.len() > review_of_text.findings.len() {
            return Fixed {
                text: new_text,
                applied: placed.len(),
                withheld: held.len(),
                review: new_review,
            };
        }
        held.extend(brought);
    }
}

/// Applies non-overlapping fixes (the first of overlapping ones wins), keeping every other
/// byte; returns the new text and, for each fix applied, its span before and after.
fn apply(text: &str, mut fixes: Vec<&Fix>) -> (String, Vec<(Span, Span, usize)>) {
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut placed = Vec::new();
    for (i, f) in fixes.into_iter().enumerate() {
        if f.span.start < at
            || f.span.end > text.len()
            || !text.is_char_boundary(f.span.start)
            || !text.is_char_boundary(f.span.end)
        {
            continue;
        }
        out.push_str(&text[at..f.span.start]);
        let start = out.len();
        out.push_str(&f.replacement);
        placed.push((f.span, Span::new(start, out.len()), i));
        at = f.span.end;
    }
    out.push_str(&text[at..]);
    (out, placed)
}

/// Overclaims and underclaims of a case's judgments as warnings for `check` (notes when the
/// case expects them), computed with the default assessment (as `acre assess` runs it).
pub fn judgment_warnings(case: &Case, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    if case.judgments.is_empty() {
        return Vec::new();
    }
    // the point posterior first: a judgment whose term is the point's written term is
    // consistent, and
    // when all are, the Monte Carlo interval is not needed
    let Ok((point, _)) = crate::infer::point_posterior(case, &|_| true) else {
        return Vec::new();
    };
    let y = &case.yardstick;
    let all_consistent = case.judgments.iter().all(|j| {
        let p: f64 = case
            .members(&j.proposition)
            .iter()
            .map(|h| point[h.idx()])
            .sum();
        j.term_idx == crate::infer::words::written(y, p)
    });
    if all_consistent {
        return Vec::new();
    }
    let Ok(a) = crate::infer::assess(case, &crate::infer::Options::default()) else {
        return Vec::new();
    };
    let scanner = scan::Scanner::new(&case.custom_yardsticks);
    let checks = judgment_checks(case, &a, text, &scanner);
    let config = RuleConfig::default();
    judgment_findings(case, &checks, &config)
        .into_iter()
        .filter(|(_, f)| f.rule == rules::OVERCLAIM || f.rule == rules::UNDERCLAIM)
        .map(|(_, f)| {
            let mut d = f.to_diagnostic();
            // a verdict the case expects is a note
            d.severity = if f.level == Level::Info {
                crate::diagnostic::Severity::Advice
            } else {
                crate::diagnostic::Severity::Warning
            };
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Review {
        let scanner = Scanner::new(&[]);
        let options = Options {
            yardstick: crate::lexicon::builtin_yardstick("phia").unwrap(),
            config: RuleConfig::default(),
            case: None,
        };
        review(text, &scanner, &options)
    }

    fn rules(r: &Review) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.rule.id()).collect()
    }

    #[test]
    fn a_modal_joined_to_the_word_before_it_is_judged_without_a_panic() {
        // "is:possible" is one token, and the modal's clause starts inside it (found by the
        // review fuzz target: the rewrite's subject ran past the modal and sliced backwards)
        let r = run("It is:possible that the group used it.");
        assert_eq!(rules(&r), vec!["vague-term"]);
        // the restatement keeps every word after the phrase (it dropped "the")
        let help = r.findings[0].suggestion.as_deref().unwrap_or_default();
        assert!(
            help.contains("a realistic possibility that the group used it"),
            "{help}"
        );
        let r = run(
            "There is a &high chance of it.\n\nIt is:possible that the group used portions of it, and it% is likely that APT03\nis a group.",
        );
        assert!(rules(&r).contains(&"vague-term"), "{:?}", rules(&r));
    }

    /// A modal inside an indirect question or a concession asks, it does not judge, and
    /// "could not be attributed" says what was not possible; after a noun (a relative
    /// clause) or a verb of finding (what is found) the modal judges, and so does "could not
    /// be ruled out".
    #[test]
    fn modals_in_indirect_questions_are_not_judgments() {
        for asks in [
            "As for which nation-state may be behind the effort, nobody has said.",
            "It is unclear who may be behind the attack.",
            "Researchers are still trying to determine what might have caused the outage.",
            "The question of which actor may have carried out the intrusion remains open.",
            "It is not known how the attackers could have gained access.",
            "Investigators wanted to find out who may have sent the emails.",
            // a concession asks of every answer
            "Whatever the motive may be, the attack disrupted shipping.",
            // what could not be done is a fact
            "The malware could not be attributed to any known group.",
            "The attack could not be linked to APT28 by investigators.",
            "We could not confirm the identity of the operators.",
        ] {
            assert_eq!(rules(&run(asks)), Vec::<&str>::new(), "{asks}");
        }
        for judges in [
            "The group, which may be linked to APT28, used the loader.",
            "Researchers identified what may be a new variant of the backdoor.",
            "The actors who may be behind the attack used stolen credentials.",
            "They launched what might be the largest intrusion of the year.",
            "We assess the group may be behind the attack.",
            "However, the group may have reused the loader.",
            // a possibility left open is a judgment
            "Russian involvement could not be ruled out.",
            "APT28 could not be behind the attack.",
        ] {
            assert_eq!(rules(&run(judges)), vec!["vague-term"], "{judges}");
        }
    }

    #[test]
    fn batches_tile_the_draft_and_spread_a_few_megabytes() {
        let para = "APT28 was almost certainly responsible for the intrusion. \
                    Tracking links were sent in May.\n\n";
        for (bytes, at_least) in [(10_000, 1), (1 << 20, 8), (3 << 20, 8), (20 << 20, 20)] {
            let text = para.repeat(bytes / para.len() + 1);
            let b = batches(&text);
            assert!(b.len() >= at_least, "{bytes}: {}", b.len());
            assert_eq!(b[0].start, 0);
            assert_eq!(b[b.len() - 1].end, text.len());
            let size = batch_size(text.len());
            for w in b.windows(2) {
                assert_eq!(w[0].end, w[1].start);
                // cut at a blank line, within a batch of the size
                assert!(text[..w[0].end].ends_with('\n') && text[w[0].end..].starts_with('\n'));
                assert!(w[0].len() >= size && w[0].len() < size + para.len());
            }
        }
    }

    /// A line without a sentence end, longer than a batch: each batch reads the pieces the
    /// whole line is read in, wherever the batches are cut (words of every length, a word
    /// of several kilobytes, runs of spaces, characters of two to four bytes).
    #[test]
    fn batches_of_one_long_line_read_the_pieces_of_the_whole_line() {
        let words = [
            "APT31",
            "likely",
            "conducted",
            "the",
            "reconnaissance;",
            "it",
            "is",
            "almost",
            "certainly",
            "déjà",
            "vu",
            "—",
            "👀",
            "tracking",
            "links",
            "in",
            "2021,",
        ];
        for seed in 1..6u64 {
            let mut state = seed;
            let mut next = |n: usize| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) as usize % n
            };
            let mut text = String::new();
            while text.len() < 1_500_000 {
                match next(400) {
                    0 => text.push_str(&"x".repeat(1000 + next(5000))),
                    1 => text.push_str(&" ".repeat(2 + next(40))),
                    2 => text.push_str(&"ü".repeat(100 + next(1500))),
                    _ => text.push_str(words[next(words.len())]),
                }
                text.push(' ');
            }
            let b = batches(&text);
            assert!(b.len() >= 8, "{}", b.len());
            let whole = language::sentences_in(&text, Span::new(0, text.len()));
            let pieced: Vec<Span> = b
                .iter()
                .flat_map(|r| language::sentences_in(&text, *r))
                .map(|s| s.span)
                .collect();
            let whole: Vec<Span> = whole.iter().map(|s| s.span).collect();
            assert_eq!(pieced.len(), whole.len(), "seed {seed}");
            assert_eq!(pieced, whole, "seed {seed}");
            for s in &whole {
                assert!(s.len() <= language::MAX_SENTENCE);
            }
        }
    }

    #[test]
    fn numbers_after_terms() {
        let t = "likely (70%) and likely, 60 per cent and likely (55-75%) and likely (2021)";
        let at = |needle: &str| t.find(needle).unwrap() + "likely".len();
        let (a, b, span) = number_after(t, at("likely (70")).unwrap();
        assert_eq!((a, b, span.text(t)), (0.7, 0.7, "70%"));
        let (a, b, _) = number_after(t, at("likely, 60")).unwrap();
        assert_eq!((a, b), (0.6, 0.6));
        let (a, b, span) = number_after(t, at("likely (55")).unwrap();
        assert_eq!((a, b, span.text(t)), (0.55, 0.75, "55-75%"));
        assert_eq!(
            number_after(t, at("likely (2021")),
            None,
            "a year is not a probability"
        );
    }

    #[test]
    fn fixes_rewrite_grammatically() {
        let t = "Officials said there was a high likelihood that APT31 was behind it.";
        let r = run(t);
        let f = r
            .findings
            .iter()
            .find(|f| f.rule.id() == "non-yardstick-term")
            .unwrap();
        let (fixed, n) = apply_fixes(t, &r.findings);
        assert_eq!(n, 1);
        assert_eq!(
            fixed,
            "Officials said it was highly likely that APT31 was behind it."
        );
        assert_eq!(
            f.suggestion.as_deref(),
            Some("write `it was highly likely` (80-90%)")
        );
        let t = "Experts said the hackers are most likely behind the attacks.";
        let (fixed, _) = apply_fixes(t, &run(t).findings);
        assert_eq!(
            fixed,
            "Experts said the hackers are likely behind the attacks."
        );
        let t = "Most likely using credentials gathered from lsass.";
        let (fixed, _) = apply_fixes(t, &run(t).findings);
        assert_eq!(fixed, "Likely using credentials gathered from lsass.");
    }

    #[test]
    fn hedge_stacking_fixes_drop_the_hedge() {
        let t = "Evidence suggests the group was almost certainly responsible for the campaign.";
        let r = run(t);
        assert_eq!(rules(&r), ["hedge-stacking"]);
        let (fixed, _) = apply_fixes(t, &r.findings);
        assert_eq!(
            fixed,
            "Evidence shows the group was almost certainly responsible for the campaign."
        );
        let t = "As a result, many may have likely skipped the update.";
        let r = run(t);
        assert_eq!(rules(&r), ["hedge-stacking"]);
        let (fixed, _) = apply_fixes(t, &r.findings);
        assert_eq!(fixed, "As a result, many likely skipped the update.");
    }

    #[test]
    fn fixes_keep_every_other_byte() {
        let t =
            "# Title\n\nThere is a high likelihood that X did it; é.\n\n```\nmost likely\n```\n";
        let (fixed, n) = apply_fixes(t, &run(t).findings);
        assert_eq!(n, 1);
        assert_eq!(
            fixed,
            "# Title\n\nIt is highly likely that X did it; é.\n\n```\nmost likely\n```\n"
        );
    }
}
