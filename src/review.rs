//! Stage 3c: checking confidence wording in prose and in a case's judgments
//! (semantics section 9).
//!
//! The work is split so that each part can be tested on its own:
//! [`scan`] finds wordings (one Aho-Corasick automaton); [`language`] says what a
//! word means where it stands (a month, a permission, a habit, a comparison, a
//! condition); [`subjects`] finds who a sentence is about (an actor gazetteer, states,
//! a case's hypotheses and assumptions); [`claims`] keys each judgment by subject and
//! proposition; [`rules`] holds every rule's id, default levels and rationale; this
//! module runs the rules and builds the findings with their fixes.
//!
//! Invariants: `review` reads text and, optionally, a case with its assessment; it
//! never prints. Every finding names a [`Rule`], a level, the exact span, and either a
//! suggestion that rewrites the text or none; mechanical fixes carry an edit.

mod batch;
pub mod claims;
pub mod config;
pub mod language;
mod rewrite;
pub mod rules;
pub mod scan;
pub mod subjects;

use crate::format::format_band;
use crate::infer::Assessment;
use crate::infer::words::verdict;
use crate::lexicon::Yardstick;
use crate::model::Case;
use crate::span::Span;
use config::{Level, RuleConfig};
pub use rewrite::number_after;
use rewrite::term_text;
pub use rules::Rule;
use scan::{Meaning, Scanner};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use subjects::SubjectKey;

/// A mechanical fix: the same edit type as a diagnostic's.
pub use crate::diagnostic::Fix;

/// A problem found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Level in force.
    pub level: Level,
    /// One sentence.
    pub message: String,
    /// How to fix it: a rewrite of the text, or advice naming the terms to use.
    pub suggestion: Option<String>,
    /// The mechanical fix, when there is one.
    pub fix: Option<Fix>,
    /// Where.
    pub span: Span,
    /// What to say at the primary span.
    pub label: String,
    /// Other places involved.
    pub related: Vec<(Span, String)>,
}

impl Finding {
    /// The finding as a diagnostic (for miette rendering and the editor).
    pub fn to_diagnostic(&self) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::{Diagnostic, Label, Severity};
        let severity = match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info | Level::Off => Severity::Advice,
        };
        let mut labels = vec![Label {
            span: self.span,
            text: self.label.clone(),
        }];
        labels.extend(self.related.iter().map(|(span, text)| Label {
            span: *span,
            text: text.clone(),
        }));
        Diagnostic {
            code: self.rule.code(),
            severity,
            message: self.message.clone(),
            help: self.suggestion.clone(),
            labels,
            fixes: self.fix.iter().cloned().collect(),
        }
    }
}

/// What kind of phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhraseKind {
    /// A probability word or a comparison of probabilities.
    Likelihood,
    /// A confidence level.
    Confidence,
    /// An evidential hedge, or a modal used as a judgment.
    Hedge,
    /// Attribution wording that states no probability ("suspected", "reportedly").
    Evidential,
}

/// An estimative phrase found in the text, problem or not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phrase {
    /// As written.
    pub text: String,
    /// Kind.
    pub kind: PhraseKind,
    /// The canonical term, if it is one.
    pub term: Option<String>,
    /// The yardstick that defines it.
    pub yardstick: Option<String>,
    /// Its band.
    pub band: Option<[f64; 2]>,
    /// How it reads where it stands, when that is not plain: `comparative`, `negated`,
    /// `non-term`, `conditional`, a confidence level.
    pub reading: Option<String>,
    /// Where.
    pub span: Span,
}

/// The case a draft is checked against.
#[derive(Clone, Copy)]
pub struct CaseContext<'a> {
    /// The case.
    pub case: &'a Case,
    /// Its assessment.
    pub assessment: &'a Assessment,
}

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
}

/// Bytes per batch: a draft is read in batches of whole paragraphs of about this size, so
/// that memory follows the batch, not the draft.
const BATCH: usize = 1 << 20;

/// The batches of a draft: ranges of about [`BATCH`] bytes, cut at a blank line outside
/// fenced code; where no blank line comes within [`BATCH`] bytes more (a long table, one
/// long line), at the end of a sentence, else at a line break, else at a space.
fn batches(text: &str) -> Vec<Span> {
    let fences = scan::fenced_blocks(text);
    let mut out = Vec::with_capacity(text.len() / BATCH + 1);
    let mut start = 0;
    while start < text.len() {
        let end = cut_after(text, &fences, start + BATCH).unwrap_or(text.len());
        out.push(Span::new(start, end));
        start = end;
    }
    out
}

/// Where a batch that reaches `at` may end: the best cut in the next [`BATCH`] bytes.
fn cut_after(text: &str, fences: &[Span], at: usize) -> Option<usize> {
    if at >= text.len() {
        return None;
    }
    let bytes = text.as_bytes();
    let window_end = (at + BATCH).min(text.len());
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
    // one long line: after a sentence's end, else at any space
    let after_stop = memchr::memmem::find_iter(window, ". ")
        .map(|p| at + p + 2)
        .next();
    let space = || memchr::memchr(b' ', window).map(|p| at + p + 1);
    match after_stop.or_else(space) {
        Some(cut) => Some(cut),
        None => {
            let mut cut = window_end;
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            Some(cut)
        }
    }
}

/// Reviews a text: in batches of whole paragraphs, each read and checked within its
/// sentences; then the rules that compare sentences across the draft.
pub fn review(text: &str, scanner: &Scanner, options: &Options) -> Review {
    let ctx = batch::Context::new(text, scanner, options);
    let mut acc = batch::Collected::default();
    for range in batches(text) {
        batch::run(&ctx, range, &mut acc);
    }
    let mut findings = std::mem::take(&mut acc.findings);
    if let Some(f) = mixed_rows(&ctx, &acc) {
        findings.push(f);
    }
    findings.extend(conflicting_terms(&ctx, &acc));
    findings.sort_by_key(|f| (f.span.start, f.rule));
    let mut phrases = std::mem::take(&mut acc.out);
    phrases.sort_by_key(|p| p.span.start);
    Review { findings, phrases }
}

/// ICD 203: terms from both rows of words, without the disclaimer that they mean the same.
fn mixed_rows(ctx: &batch::Context, acc: &batch::Collected) -> Option<Finding> {
    let [Some(a), Some(b)] = acc.rows_seen else {
        return None;
    };
    let disclaimers = [
        "mean the same",
        "used interchangeably",
        "are equivalent",
        "equivalent terms",
    ];
    let disclaimed = aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(disclaimers)
        .ok()
        .is_some_and(|ac| ac.is_match(ctx.text));
    let level = ctx.level(Rule::MixedYardsticks, true);
    if disclaimed || level == Level::Off {
        return None;
    }
    let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
    Some(Finding {
        rule: Rule::MixedYardsticks,
        level,
        message: "this text mixes the likelihood and probability rows of ICD 203".to_string(),
        suggestion: Some(
            "use one row throughout, or say in the text that the two rows' terms mean the same"
                .to_string(),
        ),
        fix: None,
        span: second,
        label: "a term from the other row".to_string(),
        related: vec![(first, "first row used here".to_string())],
    })
}

/// One claim given terms from different bands in different sentences: one finding per
/// pair of terms per subject, on the later term, labelling the earlier.
fn conflicting_terms(ctx: &batch::Context, acc: &batch::Collected) -> Vec<Finding> {
    let level = ctx.level(Rule::ConflictingTerms, true);
    if level == Level::Off {
        return Vec::new();
    }
    let (text, y) = (ctx.text, &ctx.options.yardstick);
    let mut out = Vec::new();
    let mut reported: HashSet<(SubjectKey, usize, usize)> = HashSet::new();
    type ClaimKey<'k> = (SubjectKey, &'k str, &'k [String]);
    // per claim, the first place each distinct term was used
    let mut seen: HashMap<ClaimKey, Vec<(usize, Span, &batch::ClaimRecord)>> = HashMap::new();
    for r in &acc.claims {
        let Some(key) = r.claim.key() else { continue };
        if matches!(key.0, SubjectKey::Assumption(_)) && ctx.options.case.is_none() {
            continue;
        }
        let subject = r.claim.subject.as_ref().map_or(r.term, |s| s.span);
        let earlier = seen.entry(key.clone()).or_default();
        if let Some((first_eff, first_subject, first)) = earlier
            .iter()
            .find(|(e, _, f)| *e != r.effective && f.sentence != r.sentence)
            .filter(|(e, _, _)| reported.insert((key.0.clone(), *e, r.effective)))
        {
            out.push(Finding {
                rule: Rule::ConflictingTerms,
                level,
                message: format!(
                    "{} is given `{}` here and `{}` earlier for the same judgment",
                    first_subject.text(text),
                    r.term.text(text),
                    first.term.text(text)
                ),
                suggestion: Some(format!(
                    "use one term for one judgment: {} or {}",
                    term_text(y, *first_eff),
                    term_text(y, r.effective)
                )),
                fix: None,
                span: r.term,
                label: format!("reads as {}", term_text(y, r.effective)),
                related: vec![(first.term, format!("reads as {}", term_text(y, *first_eff)))],
            });
        }
        if !earlier.iter().any(|(e, _, _)| *e == r.effective) {
            earlier.push((r.effective, subject, r));
        }
    }
    out
}

pub use crate::infer::band_verdict;

/// Overclaim or underclaim of band `band` for a claim about the hypothesis or assumption
/// `subject`: (rule, message, suggestion, label).
pub(crate) fn claim_check(
    ctx: CaseContext,
    subject: &SubjectKey,
    band: (f64, f64),
    written: &str,
    y: &Yardstick,
) -> Option<(Rule, String, String, String)> {
    let (id, point, p05, p95) = match subject {
        SubjectKey::Hypothesis(h) => {
            let r = ctx.assessment.hypotheses.get(*h as usize)?;
            (r.id.as_str(), r.point, r.p05, r.p95)
        }
        SubjectKey::Assumption(a) => {
            let r = ctx.assessment.assumptions.get(*a as usize)?;
            (r.id.as_str(), r.posterior, r.p05, r.p95)
        }
        _ => return None,
    };
    let (rule, more_or_less, above_or_below) = match band_verdict(band, point, p05, p95) {
        "overclaim" => (Rule::Overclaim, "more", "above"),
        "underclaim" => (Rule::Underclaim, "less", "below"),
        _ => return None,
    };
    let pct = crate::format::pct1;
    let v = verdict(y, point);
    let supported = term_text(y, v.term_idx.unwrap_or(v.recommended));
    Some((
        rule,
        format!(
            "`{written}` ({}) claims {more_or_less} than the case supports for {id}: computed {} (90% interval {}-{})",
            format_band(band.0, band.1),
            pct(point),
            pct(p05).trim_end_matches('%'),
            pct(p95)
        ),
        format!("the case supports {supported}"),
        format!(
            "{above_or_below} what the evidence supports ({})",
            pct(point)
        ),
    ))
}

/// How a case's judgment compares with the numbers.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct JudgmentCheck {
    /// Judgment id.
    pub id: String,
    /// `consistent`, `defensible`, `overclaim` or `underclaim`.
    pub verdict: &'static str,
    /// The claimed term with its band.
    pub claimed: String,
    /// The term the numbers support.
    pub supported: String,
    /// Point posterior.
    pub point: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Where the term is written (in the judgment's text when found there).
    #[serde(skip)]
    pub span: Span,
}

/// Checks every judgment of a case (semantics section 9): consistent if the point lies in
/// the claimed band; defensible if not, but the 5-95% interval overlaps it; otherwise an
/// overclaim or underclaim.
pub fn judgment_checks(
    case: &Case,
    a: &Assessment,
    source: &str,
    scanner: &Scanner,
) -> Vec<JudgmentCheck> {
    let y = &case.yardstick;
    case.judgments
        .iter()
        .map(|j| {
            let r = &a.hypotheses[j.hypothesis.idx()];
            let t = &y.terms[j.term_idx];
            let verdict = band_verdict((t.lo, t.hi), r.point, r.p05, r.p95);
            // label the term where the judgment's own text says it, when it does
            let text_span = j.text_span.filter(|s| !s.is_empty());
            let span = text_span
                .and_then(|ts| {
                    scanner.scan(ts.text(source)).into_iter().find(|h| {
                        scanner.wordings[h.wording].meanings.iter().any(|m| matches!(m, Meaning::Term { yardstick, term, .. } if scanner.yardsticks[*yardstick].name == y.name && *term == j.term_idx))
                    }).map(|h| Span::new(ts.start + h.span.start, ts.start + h.span.end))
                })
                .unwrap_or(j.span);
            JudgmentCheck {
                id: j.id.clone(),
                verdict,
                claimed: term_text(y, j.term_idx),
                supported: term_text(y, r.verdict.term_idx.unwrap_or(r.verdict.recommended)),
                point: r.point,
                p05: r.p05,
                p95: r.p95,
                span,
            }
        })
        .collect()
}

/// Judgment checks as findings on the case file, in check order (one per check unless
/// its rule is off).
pub fn judgment_findings(
    case: &Case,
    checks: &[JudgmentCheck],
    config: &RuleConfig,
) -> Vec<(usize, Finding)> {
    let pct = crate::format::pct1;
    let yname = case.yardstick.name.as_str();
    checks
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let h = case.judgments.iter().find(|j| j.id == c.id).map(|j| case.hypotheses[j.hypothesis.idx()].id.clone()).unwrap_or_default();
            let numbers = format!("{} (90% interval {}-{})", pct(c.point), pct(c.p05).trim_end_matches('%'), pct(c.p95));
            // a verdict the case itself expects (`expect ID overclaims`) is a note, not a warning
            let expected = case.judgments.iter().position(|j| j.id == c.id).is_some_and(|j| {
                case.expectations.iter().any(|e| {
                    e.subject == crate::model::ExpectSubject::Judgment(j)
                        && matches!(e.check, crate::model::ExpectCheck::Verdict(v) if v.matches(c.verdict))
                })
            });
            let (rule, level, message, label) = match c.verdict {
                "consistent" => (Rule::Judgment, Level::Info, format!("judgment `{}` is consistent: {h} is {numbers}, within {}", c.id, c.claimed), "consistent with the numbers".to_string()),
                "defensible" => (
                    Rule::Judgment,
                    Level::Warning,
                    format!("judgment `{}` is defensible but not consistent: {h} is {numbers}; {} lies outside {}", c.id, pct(c.point), c.claimed),
                    "the 90% interval reaches this band, the point does not".to_string(),
                ),
                "overclaim" => (Rule::Overclaim, config.level(Rule::Overclaim, yname, true), format!("judgment `{}` overclaims: {h} is {numbers}, below {}", c.id, c.claimed), "above what the evidence supports".to_string()),
                _ => (Rule::Underclaim, config.level(Rule::Underclaim, yname, true), format!("judgment `{}` underclaims: {h} is {numbers}, above {}", c.id, c.claimed), "below what the evidence supports".to_string()),
            };
            let (level, message) = if expected && level != Level::Off && c.verdict != "consistent" {
                (Level::Info, format!("{message}, as the case expects"))
            } else {
                (level, message)
            };
            (level != Level::Off).then(|| (i, Finding {
                rule,
                level,
                message,
                suggestion: Some(format!("the numbers support {}", c.supported)),
                fix: None,
                span: c.span,
                label,
                related: Vec::new(),
            }))
        })
        .collect()
}

/// Applies non-overlapping fixes to `text` (the first of overlapping ones wins),
/// keeping every other byte; returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for f in fixes {
        if f.span.start < at
            || f.span.end > text.len()
            || !text.is_char_boundary(f.span.start)
            || !text.is_char_boundary(f.span.end)
        {
            continue;
        }
        out.push_str(&text[at..f.span.start]);
        out.push_str(&f.replacement);
        at = f.span.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Overclaims and underclaims of a case's judgments as warnings for `check` (notes when the
/// case expects them), computed with the default assessment (as `acre assess` runs it).
pub fn judgment_warnings(case: &Case, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    if case.judgments.is_empty() {
        return Vec::new();
    }
    // the point posterior first: a judgment whose point lies in its band is consistent, and
    // when all are, the Monte Carlo interval is not needed
    let Ok((point, _)) = crate::infer::point_posterior(case, &|_| true) else {
        return Vec::new();
    };
    let y = &case.yardstick;
    let all_consistent = case
        .judgments
        .iter()
        .all(|j| y.terms[j.term_idx].contains(point[j.hypothesis.idx()]));
    if all_consistent {
        return Vec::new();
    }
    let Ok(a) = crate::infer::assess(case, &crate::infer::Options::default()) else {
        return Vec::new();
    };
    let scanner = scan::Scanner::new(&case.custom_yardsticks);
    let checks = judgment_checks(case, &a, text, &scanner);
    let config = crate::review::config::RuleConfig::default();
    judgment_findings(case, &checks, &config)
        .into_iter()
        .filter(|(_, f)| matches!(f.rule, Rule::Overclaim | Rule::Underclaim))
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
            .find(|f| f.rule == Rule::NonYardstickTerm)
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
