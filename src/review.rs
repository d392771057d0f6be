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

pub mod claims;
pub mod config;
pub mod language;
pub mod rules;
pub mod scan;
pub mod subjects;

use crate::infer::Assessment;
use crate::infer::words::verdict;
use crate::lexicon::{Yardstick, format_band};
use crate::model::Case;
use crate::span::Span;
use claims::Claim;
use config::{Level, RuleConfig};
pub use rules::Rule;
use scan::{Hit, Meaning, Scanner};
use serde::Serialize;
use std::collections::HashMap;
use subjects::{CaseSubjects, Gazetteer, Mention, SubjectKey};

/// A machine-applicable edit: replace `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What to replace.
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

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

/// A likelihood phrase as interpreted under the governing yardstick.
#[derive(Clone, Debug)]
struct Likelihood {
    span: Span,
    /// Term index in the governing yardstick it stands for (exactly, or the nearest);
    /// `None` for a comparison, which states no band.
    effective: Option<usize>,
    /// Its own band (the foreign yardstick's for a foreign term).
    band: (f64, f64),
    sentence: usize,
}

/// How a likelihood phrase reads under the governing yardstick: the term index it stands
/// for (`None` for a comparison), its own band, the (term, yardstick) that defines it,
/// and how it reads where it stands.
type Interpretation = (
    Option<usize>,
    (f64, f64),
    Option<(String, String)>,
    Option<String>,
);

/// How the review sees a document: its sentences and which are boilerplate.
struct Document<'t> {
    text: &'t str,
    sentences: Vec<language::Sentence>,
    masked: Vec<bool>,
}

impl<'t> Document<'t> {
    fn new(text: &'t str, config: &RuleConfig) -> Document<'t> {
        let sentences = language::sentences(text);
        let mut masked = vec![false; sentences.len()];
        let phrases = config.mask_phrases();
        if !phrases.is_empty()
            && let Ok(ac) = aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(&phrases)
        {
            for m in ac.find_iter(text) {
                if let Some(i) = language::sentence_at(&sentences, m.start()) {
                    masked[i] = true;
                }
            }
        }
        Document {
            text,
            sentences,
            masked,
        }
    }

    /// Reads every sentence that holds a hit, once.
    fn read(&self, hits: &[Hit]) -> rustc_hash::FxHashMap<usize, language::Reading> {
        let mut out = rustc_hash::FxHashMap::default();
        for h in hits {
            if let Some(i) = self.sentence_of(h.span) {
                out.entry(i)
                    .or_insert_with(|| language::Reading::new(self.text, self.span(i)));
            }
        }
        out
    }

    fn sentence_of(&self, span: Span) -> Option<usize> {
        language::sentence_at(&self.sentences, span.start).filter(|i| !self.masked[*i])
    }

    fn span(&self, sentence: usize) -> Span {
        self.sentences[sentence].span
    }
}

/// Who each sentence is about, found on demand and kept.
struct Subjects<'a> {
    case: Option<CaseSubjects>,
    gazetteer: &'a Gazetteer,
    cache: HashMap<usize, Vec<Mention>>,
}

impl Subjects<'_> {
    /// Mentions in sentence `i`; a sentence that names nobody but says "the group" is
    /// about the actor named last in the five sentences before it.
    fn of(&mut self, doc: &Document, i: usize) -> Vec<Mention> {
        if let Some(m) = self.cache.get(&i) {
            return m.clone();
        }
        let mut found = self.direct(doc, i);
        if !found.iter().any(|m| is_actor(&m.key))
            && let Some(reference) = subjects::back_reference(doc.text, doc.span(i))
        {
            let earlier = (i.saturating_sub(5)..i).rev().find_map(|j| {
                self.direct(doc, j)
                    .into_iter()
                    .rev()
                    .find(|m| is_actor(&m.key))
            });
            if let Some(m) = earlier {
                found.push(Mention {
                    key: m.key,
                    span: reference,
                });
                found.sort_by_key(|m| m.span.start);
            }
        }
        self.cache.insert(i, found.clone());
        found
    }

    fn direct(&self, doc: &Document, i: usize) -> Vec<Mention> {
        let span = doc.span(i);
        let mut found = match &self.case {
            Some(c) => c.mentions(doc.text, span),
            None => Vec::new(),
        };
        for m in self.gazetteer.mentions(doc.text, span) {
            if !found
                .iter()
                .any(|c| c.span.start < m.span.end && m.span.start < c.span.end)
            {
                found.push(m);
            }
        }
        found.sort_by_key(|m| m.span.start);
        found
    }
}

fn is_actor(key: &SubjectKey) -> bool {
    matches!(
        key,
        SubjectKey::Actor(_) | SubjectKey::Hypothesis(_) | SubjectKey::Named(_)
    )
}

/// The number or range printed right after a term, as probabilities: "likely (70%)",
/// "highly likely (80-90%)", "likely, 60 per cent".
pub fn number_after(text: &str, at: usize) -> Option<(f64, f64, Span)> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start_matches([' ', '(', ',', ':', '\u{2013}', '\u{2014}', '[']);
    let start = at + (rest.len() - trimmed.len());
    if rest.len() - trimmed.len() > 4 {
        return None;
    }
    let num = |s: &str| -> Option<(f64, usize)> {
        let len = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let n: f64 = s[..len].trim_end_matches('.').parse().ok()?;
        Some((n, len))
    };
    let (a, len_a) = num(trimmed)?;
    let mut pos = len_a;
    let percent = |s: &str| -> Option<usize> {
        let t = s.trim_start();
        let skipped = s.len() - t.len();
        ["%", "per cent", "percent"]
            .iter()
            .find(|p| t.starts_with(*p))
            .map(|p| skipped + p.len())
    };
    let mut has_percent = false;
    if let Some(p) = percent(&trimmed[pos..]) {
        pos += p;
        has_percent = true;
    }
    let mut b = a;
    let after = &trimmed[pos..];
    let sep = after.trim_start();
    for dash in ["-", "\u{2013}", "to "] {
        if let Some(r) = sep.strip_prefix(dash) {
            let r2 = r.trim_start();
            if let Some((n, len)) = num(r2) {
                b = n;
                pos += (after.len() - sep.len()) + dash.len() + (r.len() - r2.len()) + len;
                if let Some(p) = percent(&trimmed[pos..]) {
                    pos += p;
                    has_percent = true;
                }
            }
            break;
        }
    }
    if !has_percent || a > 100.0 || b > 100.0 {
        return None;
    }
    Some((a / 100.0, b / 100.0, Span::new(start, start + pos)))
}

/// "the likelihood is that ..." reads as likely; "the likelihood is (now quite) low" as
/// unlikely; "... high" as highly likely.
fn likelihood_is(text: &str, span: Span) -> Option<&'static str> {
    let after = lower_after(text, span.end);
    let words: Vec<&str> = after.split_whitespace().take(4).collect();
    for w in words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        match w {
            "that" => return Some("likely"),
            "low" | "small" | "slim" | "remote" | "minimal" => return Some("unlikely"),
            "high" | "great" | "strong" => return Some("highly likely"),
            "very" | "now" | "quite" | "rather" | "fairly" | "still" | "extremely" => continue,
            _ => return None,
        }
    }
    None
}

/// A percentage written right before a term ("95% likely"): its value.
fn number_before(text: &str, at: usize) -> Option<f64> {
    let before = text.get(..at)?.trim_end();
    let before = before.strip_suffix('%')?;
    let digits = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    before[before.len() - digits..]
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=100.0).contains(v))
        .map(|v| v / 100.0)
}

fn term_text(y: &Yardstick, idx: usize) -> String {
    y.terms
        .get(idx)
        .map_or_else(String::new, |t| format!("{} ({})", t.name, t.band_text()))
}

/// The term of `y` whose band holds `p`, or the nearest.
fn nearest_term(y: &Yardstick, p: f64) -> usize {
    let v = verdict(y, p);
    v.term_idx.unwrap_or(v.recommended)
}

/// A term's wording as an adjective (`adverb == false`) or an adverb, when it has one:
/// "almost certain" / "almost certainly"; "likely" both; noun terms ("remote chance",
/// "realistic possibility") have neither.
fn term_form(name: &str, adverb: bool) -> Option<String> {
    match name {
        "almost certain" | "nearly certain" => Some(if adverb {
            format!("{name}ly")
        } else {
            name.to_string()
        }),
        "probable" => Some(if adverb { "probably" } else { "probable" }.to_string()),
        n if n.ends_with("likely") => Some(n.to_string()),
        _ => None,
    }
}

/// Whether the phrase at `span` is used as an adverb ("APT31 almost certainly
/// conducted") rather than an adjective ("it is almost certain that", "is likely to").
fn used_as_adverb(text: &str, span: Span) -> bool {
    let after = text[span.end..].trim_start();
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    !(next.is_empty() || next == "that" || next == "to" || next == "than")
}

/// Keeps the capital of the text being replaced: "Most likely" becomes "Likely".
fn match_case(original: &str, replacement: &str) -> String {
    if original.starts_with(char::is_uppercase) {
        let mut c = replacement.chars();
        c.next()
            .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
    } else {
        replacement.to_string()
    }
}

/// Noun-form non-terms that need "it is TERM that" instead of "there is a X that".
#[rustfmt::skip]
const NOUN_NON_TERMS: &[&str] = &[
    "high likelihood", "strong likelihood", "low likelihood", "high chance", "strong chance",
    "low chance", "small chance", "slim chance", "slight chance", "good chance", "fair chance",
    "real possibility", "strong possibility",
];

/// The grammatical replacement of a non-term by the term `term` (canonical name), if
/// there is a mechanical one.
fn non_term_fix(text: &str, span: Span, term: &str) -> Option<Fix> {
    let written = span.text(text);
    let lower = crate::lexicon::normalize_phrase(written);
    let followed_by_that = lower_after(text, span.end).starts_with("that ");
    if NOUN_NON_TERMS.contains(&lower.as_str()) {
        // "there was a high likelihood that" -> "it was highly likely that"
        let adjective = term_form(term, false)?;
        let lower_before = lower_before(text, span.start);
        for (opening, verb) in [
            ("there is a ", "is"),
            ("there was a ", "was"),
            ("there's a ", "is"),
            ("there remains a ", "remains"),
            ("there is an ", "is"),
            ("there was an ", "was"),
        ] {
            if lower_before.ends_with(opening) && followed_by_that {
                let start = span.start - opening.len();
                let original = &text[start..span.start];
                let replacement = match_case(original, &format!("it {verb} {adjective}"));
                return Some(Fix {
                    span: Span::new(start, span.end),
                    replacement,
                });
            }
        }
        return None;
    }
    if lower == "the likelihood is" {
        // "The likelihood is that ..." -> "It is likely that ..."
        let adjective = term_form(term, false)?;
        return followed_by_that.then(|| Fix {
            span,
            replacement: match_case(written, &format!("it is {adjective}")),
        });
    }
    if lower == "in all likelihood" {
        return None;
    }
    let form = term_form(term, used_as_adverb(text, span))?;
    Some(Fix {
        span,
        replacement: match_case(written, &form),
    })
}

/// Evidential verbs and what a plain statement uses instead (the term then carries the
/// uncertainty alone).
const HEDGE_REPLACEMENTS: &[(&str, &str)] = &[
    ("suggests", "shows"),
    ("suggest", "show"),
    ("suggested", "showed"),
    ("suggesting", "showing"),
    ("indicates", "shows"),
    ("indicate", "show"),
    ("indicated", "showed"),
    ("indicating", "showing"),
];

/// A rewrite of a vague modal with a yardstick term in its place, for the suggestion:
/// "may have been purchasing" -> "was likely purchasing", "could indicate" -> "likely
/// indicates", "it is possible that" -> "it is likely that". `None` when no grammatical
/// rewrite is known.
fn vague_rewrite(text: &str, r: &language::Reading, span: Span) -> Option<(String, String)> {
    let word = span.text(text).to_lowercase();
    let all = &r.tokens;
    let at = r.token_at(span.start);
    let plural = language::subject_is_plural(text, all, at);
    let prev = at
        .checked_sub(1)
        .and_then(|p| all.get(p))
        .map(|t| t.text(text).to_lowercase());
    // adverbs after the modal stay before the term: "may also have" -> "also likely"
    let n_adverbs = all[at + 1..]
        .iter()
        .take_while(|t| t.is_word && t.is_in(text, &language::ADVERBS))
        .count();
    let adverbs: String = all[at + 1..at + 1 + n_adverbs]
        .iter()
        .map(|t| format!("{} ", t.text(text)))
        .collect();
    let toks = &all[at + n_adverbs..];
    let w = |i: usize| {
        toks.get(i)
            .filter(|t| t.is_word)
            .map(|t| t.text(text).to_lowercase())
    };
    match word.as_str() {
        "may" | "might" | "could" => {
            if prev.as_deref() == Some("there") {
                return None;
            }
            let (one, two, three) = (w(1)?, w(2), w(3));
            let (is, was) = if plural {
                ("are", "were")
            } else {
                ("is", "was")
            };
            let from = |rest: &str| format!("{word} {adverbs}{rest}");
            if one == "have" && two.as_deref() == Some("been") {
                let next = three?;
                Some((
                    from(&format!("have been {next}")),
                    format!("{was} {adverbs}likely {next}"),
                ))
            } else if one == "have" {
                let participle = two?;
                participle.ends_with("ed").then(|| {
                    (
                        from(&format!("have {participle}")),
                        format!("{adverbs}likely {participle}"),
                    )
                })
            } else if one == "be" {
                let next = two?;
                Some((
                    from(&format!("be {next}")),
                    format!("{is} {adverbs}likely {next}"),
                ))
            } else if language::STATIVE.contains(&one) && one != "be" && one != "have" {
                let verb = if plural {
                    one.clone()
                } else {
                    third_person(&one)
                };
                Some((from(&one), format!("{adverbs}likely {verb}")))
            } else {
                None
            }
        }
        "possibly" | "perhaps" | "potentially" => {
            Some((span.text(text).to_string(), "likely".to_string()))
        }
        "possible that" => Some((span.text(text).to_string(), "likely that".to_string())),
        _ => None,
    }
}

/// The third person singular of a verb: "indicate" -> "indicates", "reach" -> "reaches".
fn third_person(verb: &str) -> String {
    if verb.ends_with(['s', 'x', 'z', 'o']) || verb.ends_with("ch") || verb.ends_with("sh") {
        format!("{verb}es")
    } else if verb.ends_with('y') && !verb.ends_with(['a', 'e', 'o', 'u']) && verb.len() > 2 {
        let stem = &verb[..verb.len() - 1];
        if stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            format!("{verb}s")
        } else {
            format!("{stem}ies")
        }
    } else {
        format!("{verb}s")
    }
}

/// Reviews a text.
pub fn review(text: &str, scanner: &Scanner, options: &Options) -> Review {
    let y = &options.yardstick;
    let yname = y.name.as_str();
    let governing = scanner.yardsticks.iter().position(|s| s.name == y.name);
    let doc = Document::new(text, &options.config);
    let level = |rule: Rule, analytic: bool| options.config.level(rule, yname, analytic);
    let mut subjects = Subjects {
        case: options.case.map(|c| CaseSubjects::new(c.case)),
        gazetteer: Gazetteer::get(),
        cache: HashMap::new(),
    };

    let mut out = Review::default();
    let mut findings: Vec<Finding> = Vec::new();
    let mut likelihoods: Vec<Likelihood> = Vec::new();
    let mut hedges: Vec<(Span, usize)> = Vec::new();
    let mut vague: Vec<(Span, usize)> = Vec::new();
    let mut confidences: Vec<(Span, usize)> = Vec::new();
    let mut unquantified: Vec<(Span, usize)> = Vec::new();
    let mut rows_seen: [Option<Span>; 2] = [None, None];
    let phrase = |out: &mut Review,
                  span: Span,
                  kind,
                  named: Option<(String, String)>,
                  band: Option<[f64; 2]>,
                  reading: Option<String>| {
        let (term, yardstick) = named.map_or((None, None), |(t, y)| (Some(t), Some(y)));
        out.phrases.push(Phrase {
            text: span.text(text).to_string(),
            kind,
            term,
            yardstick,
            band,
            reading,
            span,
        });
    };

    let hits = scanner.scan(text);
    let readings = doc.read(&hits);
    for Hit { wording, span } in hits {
        let Some(sentence) = doc.sentence_of(span) else {
            continue;
        };
        let Some(r) = readings.get(&sentence) else {
            continue;
        };
        let w = &scanner.wordings[wording];
        let written = span.text(text).to_string();
        let lower = crate::lexicon::normalize_phrase(&written);
        let own = w.meanings.iter().find(
            |m| matches!(m, Meaning::Term { yardstick, .. } if Some(*yardstick) == governing),
        );
        let foreign = w
            .meanings
            .iter()
            .find(|m| matches!(m, Meaning::Term { .. }));
        let non_term = w
            .meanings
            .iter()
            .find(|m| matches!(m, Meaning::NonTerm { .. }));
        let is = |m: fn(&Meaning) -> bool| w.meanings.iter().any(m);

        // words that read as a likelihood only in some places
        if non_term.is_some() && own.is_none() && foreign.is_none() {
            if (lower == "certainly" || lower == "certain") && is_intensifier(text, r, span) {
                continue;
            }
            if (lower == "most likely" || lower == "most probably") && is_superlative(text, r, span)
            {
                continue;
            }
        }
        if own.is_some() || foreign.is_some() || non_term.is_some() {
            // "95% likely": a number, not a term; "not likely", "isn't likely": a negated term
            let negated = own.is_some() && language::is_negated(text, r, span.start);
            let number = (own.is_some() || foreign.is_some())
                .then(|| number_before(text, span.start))
                .flatten();
            let span = match number {
                Some(_) => Span::new(
                    text[..span.start]
                        .trim_end()
                        .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == '%'))
                        .map_or(0, |p| p + 1),
                    span.end,
                ),
                None => span,
            };
            let written = span.text(text).to_string();
            if negated || number.is_some() {
                let nearest = match number {
                    Some(p) => nearest_term(y, p),
                    None => y
                        .find("unlikely")
                        .map_or_else(|| nearest_term(y, 0.3), |m| m.term_idx),
                };
                let lv = level(Rule::NonYardstickTerm, true);
                if lv != Level::Off {
                    let why = match number {
                        Some(p) => format!(
                            "a number with a term word: {}% is {}",
                            crate::lexicon::format_percent(p),
                            term_text(y, nearest)
                        ),
                        None => "a negated term is not a yardstick term".to_string(),
                    };
                    findings.push(Finding {
                        rule: Rule::NonYardstickTerm,
                        level: lv,
                        message: format!("`{}` is not a term of the {} yardstick", written, y.name),
                        suggestion: Some(format!(
                            "use `{}` ({})",
                            y.terms[nearest].name,
                            y.terms[nearest].band_text()
                        )),
                        fix: None,
                        span,
                        label: why,
                        related: Vec::new(),
                    });
                }
                let band = &y.terms[nearest];
                likelihoods.push(Likelihood {
                    span,
                    effective: Some(nearest),
                    band: (band.lo, band.hi),
                    sentence,
                });
                phrase(
                    &mut out,
                    span,
                    PhraseKind::Likelihood,
                    None,
                    None,
                    Some(if negated { "negated" } else { "number" }.to_string()),
                );
                continue;
            }
        }
        let interpreted: Option<Interpretation> = match (own, foreign, non_term) {
            (Some(Meaning::Term { term, row, .. }), _, _) => {
                let t = &y.terms[*term];
                if let Some(row) = row {
                    let slot = &mut rows_seen[usize::from((*row).min(1))];
                    if slot.is_none() {
                        *slot = Some(span);
                    }
                }
                Some((
                    Some(*term),
                    (t.lo, t.hi),
                    Some((t.name.clone(), y.name.clone())),
                    None,
                ))
            }
            (
                _,
                Some(Meaning::Term {
                    yardstick, term, ..
                }),
                _,
            ) => {
                let other = &scanner.yardsticks[*yardstick];
                let t = &other.terms[*term];
                let effective = nearest_term(y, t.point);
                let lv = level(Rule::MixedYardsticks, true);
                if lv != Level::Off {
                    let target = &y.terms[effective].name;
                    let fix = term_form(target, used_as_adverb(text, span)).map(|form| Fix {
                        span,
                        replacement: match_case(&written, &form),
                    });
                    findings.push(Finding {
                        rule: Rule::MixedYardsticks,
                        level: lv,
                        message: format!(
                            "`{written}` is a term of the {} yardstick, not of {}",
                            other.name, y.name
                        ),
                        suggestion: Some(format!(
                            "use the {} term {}",
                            y.name,
                            term_text(y, effective)
                        )),
                        fix,
                        span,
                        label: format!("{} term: {}", other.name, format_band(t.lo, t.hi)),
                        related: Vec::new(),
                    });
                }
                Some((
                    Some(effective),
                    (t.lo, t.hi),
                    Some((t.name.clone(), other.name.clone())),
                    None,
                ))
            }
            (_, _, Some(Meaning::NonTerm { nearest, why })) => {
                let nearest = match lower.as_str() {
                    "the likelihood is" => likelihood_is(text, span).unwrap_or(nearest),
                    _ => nearest,
                };
                let effective = y.find(nearest).map(|m| m.term_idx).unwrap_or_else(|| {
                    let p = crate::lexicon::builtin_yardstick("phia")
                        .and_then(|phia| phia.find(nearest).map(|m| phia.terms[m.term_idx].point))
                        .unwrap_or(0.5);
                    nearest_term(y, p)
                });
                let t = &y.terms[effective];
                let lv = level(Rule::NonYardstickTerm, true);
                if lv != Level::Off {
                    let fix = non_term_fix(text, span, &t.name);
                    findings.push(Finding {
                        rule: Rule::NonYardstickTerm,
                        level: lv,
                        message: format!("`{written}` is not a term of the {} yardstick", y.name),
                        suggestion: Some(match &fix {
                            Some(f) => format!("write `{}` ({})", f.replacement, t.band_text()),
                            None => format!("use `{}` ({})", t.name, t.band_text()),
                        }),
                        fix,
                        span,
                        label: why.to_string(),
                        related: Vec::new(),
                    });
                }
                Some((
                    Some(effective),
                    (t.lo, t.hi),
                    None,
                    Some("non-term".to_string()),
                ))
            }
            _ if is(|m| matches!(m, Meaning::Comparative)) => {
                Some((None, (0.0, 1.0), None, Some("comparative".to_string())))
            }
            _ => None,
        };
        if let Some((effective, band, named, reading)) = interpreted {
            likelihoods.push(Likelihood {
                span,
                effective,
                band,
                sentence,
            });
            let band_of_term = named.is_some().then_some([band.0, band.1]);
            phrase(
                &mut out,
                span,
                PhraseKind::Likelihood,
                named,
                band_of_term,
                reading,
            );
            continue;
        }
        if let Some(Meaning::Confidence { level }) = w
            .meanings
            .iter()
            .find(|m| matches!(m, Meaning::Confidence { .. }))
        {
            confidences.push((span, sentence));
            phrase(
                &mut out,
                span,
                PhraseKind::Confidence,
                None,
                None,
                (!level.is_empty()).then(|| level.clone()),
            );
            continue;
        }
        if is(|m| matches!(m, Meaning::Unquantified)) {
            if is_attribution_marker(text, r, span, &mut subjects, &doc, sentence) {
                unquantified.push((span, sentence));
                phrase(&mut out, span, PhraseKind::Evidential, None, None, None);
            }
            continue;
        }
        if is(|m| matches!(m, Meaning::Hedge)) {
            hedges.push((span, sentence));
            continue;
        }
        if is(|m| matches!(m, Meaning::Vague)) {
            let sense = if lower.contains(' ') {
                language::Sense::Epistemic
            } else {
                language::modal_sense(text, r, span)
            };
            let judgment = sense == language::Sense::Epistemic
                && !r.is_question(text)
                && !r.is_instruction(text);
            if judgment {
                vague.push((span, sentence));
                phrase(&mut out, span, PhraseKind::Hedge, None, None, None);
            }
        }
    }

    // evidential hedges: reported where they govern a clause; stacked on a term in it
    let mut stacked: Vec<usize> = Vec::new();
    let lv_stack = level(Rule::HedgeStacking, true);
    let mut likelihood_in: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, l) in likelihoods.iter().enumerate() {
        likelihood_in.entry(l.sentence).or_default().push(i);
    }
    for (h, s) in &hedges {
        let Some(r) = readings.get(s) else { continue };
        let clause = r.clause_at(h.start);
        let term = likelihood_in.get(s).and_then(|ls| {
            ls.iter().map(|i| &likelihoods[*i]).find(|l| {
                l.span.start >= h.end
                    && l.span.end <= clause.end
                    && !text[h.end..l.span.start].contains([',', '('])
            })
        });
        let governs = term.is_some() || {
            lower_after(text, h.end).starts_with("that ")
                || h.text(text).to_lowercase().ends_with(" to")
        };
        if !governs || is_literal_hedge(text, *h) {
            continue;
        }
        out.phrases.push(Phrase {
            text: h.text(text).to_string(),
            kind: PhraseKind::Hedge,
            term: None,
            yardstick: None,
            band: None,
            reading: None,
            span: *h,
        });
        if let Some(l) = term {
            stacked.push(h.start);
            if lv_stack != Level::Off {
                let verb = h.text(text).to_lowercase();
                let fix = HEDGE_REPLACEMENTS
                    .iter()
                    .find(|(from, _)| *from == verb)
                    .map(|(_, to)| Fix {
                        span: *h,
                        replacement: match_case(h.text(text), to),
                    });
                findings.push(stack_finding(text, *h, l.span, lv_stack, fix));
            }
        }
    }
    // a modal right before a term: "may have likely skipped", "might possibly"
    for (v, s) in &vague {
        let Some(l) = likelihood_in.get(s).and_then(|ls| {
            ls.iter().map(|i| &likelihoods[*i]).find(|l| {
                l.span.start >= v.end && {
                    let between = &text[v.end..l.span.start];
                    between.split_whitespace().count() <= 1
                        && between
                            .split_whitespace()
                            .all(|w| w.eq_ignore_ascii_case("have"))
                }
            })
        }) else {
            continue;
        };
        stacked.push(v.start);
        if lv_stack != Level::Off {
            // "may have likely skipped" -> "likely skipped"
            let after = &text[l.span.end..];
            let participle: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let fix = (text[v.end..l.span.start]
                .trim()
                .eq_ignore_ascii_case("have")
                && participle.ends_with("ed"))
            .then(|| Fix {
                span: Span::new(v.start, l.span.start),
                replacement: String::new(),
            });
            findings.push(stack_finding(text, *v, l.span, lv_stack, fix));
        }
    }
    stacked.sort_unstable();

    // ICD 203: both rows without the disclaimer
    if let [Some(a), Some(b)] = rows_seen {
        let lower = text.to_lowercase();
        let disclaimed = [
            "mean the same",
            "used interchangeably",
            "are equivalent",
            "equivalent terms",
        ]
        .iter()
        .any(|d| lower.contains(d));
        let lv = level(Rule::MixedYardsticks, true);
        if !disclaimed && lv != Level::Off {
            let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
            findings.push(Finding {
                rule: Rule::MixedYardsticks,
                level: lv,
                message: "this text mixes the likelihood and probability rows of ICD 203".to_string(),
                suggestion: Some("use one row throughout, or say in the text that the two rows' terms mean the same".to_string()),
                fix: None,
                span: second,
                label: "a term from the other row".to_string(),
                related: vec![(first, "first row used here".to_string())],
            });
        }
    }

    // vague modals where a reader is owed a probability
    for (v, s) in &vague {
        if stacked.binary_search(&v.start).is_ok() {
            continue;
        }
        let Some(r) = readings.get(s) else { continue };
        let clause = r.clause_at(v.start);
        let analytic = r.is_analytic(text) || !subjects.of(&doc, *s).is_empty();
        if !analytic
            || language::is_conditional(text, r, clause, v.start)
            || r.addresses_reader(text)
        {
            continue;
        }
        let lv = level(Rule::VagueTerm, true);
        if lv == Level::Off {
            continue;
        }
        let word = v.text(text);
        let suggestion = vague_rewrite(text, r, *v).map(|(from, to)| {
            format!(
                "state how likely it is with a {} term: e.g. `{}` instead of `{from}` ({}), or the term the evidence supports",
                y.name,
                to,
                y.find("likely").map_or_else(String::new, |m| y.terms[m.term_idx].band_text())
            )
        });
        findings.push(Finding {
            rule: Rule::VagueTerm,
            level: lv,
            message: format!("`{word}` states no probability"),
            suggestion,
            fix: None,
            span: *v,
            label: "a modal used as a judgment".to_string(),
            related: Vec::new(),
        });
    }

    // attribution wording without a probability
    for (u, s) in &unquantified {
        if likelihood_in.contains_key(s) {
            continue;
        }
        let analytic = readings.get(s).is_some_and(|r| r.is_analytic(text));
        let lv = level(Rule::UnquantifiedJudgment, analytic);
        if lv == Level::Off {
            continue;
        }
        findings.push(Finding {
            rule: Rule::UnquantifiedJudgment,
            level: lv,
            message: format!("`{}` attributes without saying how likely it is", u.text(text)),
            suggestion: Some(format!(
                "add the probability with a {} term, e.g. `likely ({})`, or the term the evidence supports",
                y.name,
                y.find("likely").map_or_else(String::new, |m| y.terms[m.term_idx].band_text())
            )),
            fix: None,
            span: *u,
            label: "an attribution with no probability".to_string(),
            related: Vec::new(),
        });
    }

    // confidence and likelihood in one sentence
    let lv_conf = level(Rule::ConfidenceWithLikelihood, true);
    if lv_conf != Level::Off {
        let is_icd = yname == "icd203";
        for (c, s) in &confidences {
            let Some(l) = likelihood_in.get(s).and_then(|ls| {
                ls.iter()
                    .map(|i| &likelihoods[*i])
                    .find(|l| l.effective.is_some())
            }) else {
                continue;
            };
            findings.push(Finding {
                rule: Rule::ConfidenceWithLikelihood,
                level: lv_conf,
                message: format!("`{}` and `{}` share a sentence", c.text(text), l.span.text(text)),
                suggestion: Some(if is_icd {
                    "ICD 203 keeps confidence and likelihood in separate sentences: state each on its own".to_string()
                } else {
                    "allowed in UK practice; make sure the confidence level and the likelihood are not read as one number".to_string()
                }),
                fix: None,
                span: *c,
                label: "confidence level".to_string(),
                related: vec![(l.span, "likelihood term".to_string())],
            });
        }
    }

    // numbers beside terms
    let lv_num = level(Rule::NumberTermMismatch, true);
    let lv_missing = level(Rule::MissingNumber, true);
    for l in likelihoods.iter().filter(|l| l.effective.is_some()) {
        match number_after(text, l.span.end) {
            Some((a, b, nspan)) => {
                let (lo, hi) = (a.min(b), a.max(b));
                let inside = lo >= l.band.0 - 0.005 && hi <= l.band.1 + 0.005;
                if !inside && lv_num != Level::Off {
                    findings.push(Finding {
                        rule: Rule::NumberTermMismatch,
                        level: lv_num,
                        message: format!(
                            "`{}` means {}, but the number beside it says otherwise",
                            l.span.text(text),
                            format_band(l.band.0, l.band.1)
                        ),
                        suggestion: Some(format!(
                            "for {} use {}",
                            nspan.text(text),
                            term_text(y, nearest_term(y, (lo + hi) / 2.0))
                        )),
                        fix: None,
                        span: nspan,
                        label: "outside the term's band".to_string(),
                        related: vec![(
                            l.span,
                            format!("means {}", format_band(l.band.0, l.band.1)),
                        )],
                    });
                }
            }
            None if lv_missing != Level::Off => findings.push(Finding {
                rule: Rule::MissingNumber,
                level: lv_missing,
                message: format!("`{}` is printed without its range", l.span.text(text)),
                suggestion: Some(format!(
                    "write `{} ({})`",
                    l.span.text(text),
                    format_band(l.band.0, l.band.1)
                )),
                fix: Some(Fix {
                    span: Span::new(l.span.end, l.span.end),
                    replacement: format!(" ({})", format_band(l.band.0, l.band.1)),
                }),
                span: l.span,
                label: "no numeric range".to_string(),
                related: Vec::new(),
            }),
            None => {}
        }
    }

    // claims: who each term is said of, and what
    let claims: Vec<Option<Claim>> = likelihoods
        .iter()
        .map(|l| {
            l.effective?;
            let mentions = subjects.of(&doc, l.sentence);
            Some(claims::claim(
                text,
                readings.get(&l.sentence)?,
                l.span,
                &mentions,
            ))
        })
        .collect();

    // conflicting terms for one claim
    let lv_conflict = level(Rule::ConflictingTerms, true);
    if lv_conflict != Level::Off {
        let mut reported: std::collections::HashSet<(SubjectKey, usize, usize)> =
            std::collections::HashSet::new();
        type ClaimKey<'k> = (SubjectKey, &'k str, &'k [String]);
        let mut seen: HashMap<ClaimKey, Vec<(usize, Span, &Likelihood)>> = HashMap::new();
        for (l, c) in likelihoods.iter().zip(&claims) {
            let (Some(c), Some(eff)) = (c, l.effective) else {
                continue;
            };
            let Some(key) = c.key() else { continue };
            if matches!(key.0, SubjectKey::Assumption(_)) && options.case.is_none() {
                continue;
            }
            let subject = c.subject.as_ref().map_or(l.span, |s| s.span);
            let earlier = seen.entry(key.clone()).or_default();
            if let Some((first_eff, first_subject, first)) = earlier
                .iter()
                .find(|(e, _, f)| *e != eff && f.sentence != l.sentence)
                .filter(|(e, _, _)| reported.insert((key.0.clone(), *e, eff)))
            {
                let name = first_subject.text(text);
                findings.push(Finding {
                    rule: Rule::ConflictingTerms,
                    level: lv_conflict,
                    message: format!(
                        "{name} is given `{}` here and `{}` earlier for the same judgment",
                        l.span.text(text),
                        first.span.text(text)
                    ),
                    suggestion: Some(format!(
                        "use one term for one judgment: {} or {}",
                        term_text(y, *first_eff),
                        term_text(y, eff)
                    )),
                    fix: None,
                    span: l.span,
                    label: format!("reads as {}", term_text(y, eff)),
                    related: vec![(first.span, format!("reads as {}", term_text(y, *first_eff)))],
                });
            }
            if !earlier.iter().any(|(e, _, _)| *e == eff) {
                earlier.push((eff, subject, l));
            }
        }
    }

    // against the case: claims about a hypothesis, not about an assumption, not conditional
    if let Some(ctx) = options.case {
        for (l, c) in likelihoods.iter().zip(&claims) {
            let Some(c) = c else { continue };
            let Some((subject, _, _)) = c.key() else {
                continue;
            };
            let Some(f) = claim_check(ctx, &subject, l.band, &l.span.text(text).to_lowercase(), y)
            else {
                continue;
            };
            let lv = level(f.0, true);
            if lv != Level::Off {
                findings.push(Finding {
                    rule: f.0,
                    level: lv,
                    message: f.1,
                    suggestion: Some(f.2),
                    fix: None,
                    span: l.span,
                    label: f.3,
                    related: Vec::new(),
                });
            }
        }
    }
    findings.sort_by_key(|f| (f.span.start, f.rule));
    out.findings = findings;
    out.phrases.sort_by_key(|p| p.span.start);
    out
}

fn stack_finding(text: &str, hedge: Span, term: Span, level: Level, fix: Option<Fix>) -> Finding {
    // the rewritten words, from the hedge to the word after the term
    let end = text[term.end..]
        .char_indices()
        .skip_while(|(_, c)| c.is_whitespace())
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(i, _)| term.end + i);
    let suggestion = fix.as_ref().map(|f| {
        let mut rewritten = text[hedge.start..end].to_string();
        let at = f.span.start - hedge.start;
        rewritten.replace_range(at..at + f.span.len(), &f.replacement);
        format!(
            "let `{}` carry the uncertainty alone: \"…{}…\"",
            term.text(text),
            rewritten.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    });
    Finding {
        rule: Rule::HedgeStacking,
        level,
        message: format!(
            "`{}` hedges an estimate that `{}` already states",
            hedge.text(text),
            term.text(text)
        ),
        suggestion,
        fix,
        span: Span::new(hedge.start, term.end),
        label: "a hedge governing an estimative term".to_string(),
        related: Vec::new(),
    }
}

/// "it's certainly one to be wary of", "he certainly can't": emphasis, not a probability.
fn is_intensifier(text: &str, r: &language::Reading, span: Span) -> bool {
    let toks = &r.tokens;
    let next = toks.get(r.token_at(span.end)).filter(|t| t.is_word);
    let prev = r
        .token_at(span.start)
        .checked_sub(1)
        .and_then(|p| toks.get(p));
    if prev.is_some_and(|p| p.is_any(text, &["almost", "nearly", "near", "virtually"])) {
        return false;
    }
    // emphasis before a negation, a modal, a pronoun or an article
    next.is_none_or(|n| {
        n.is_any(
            text,
            &[
                "not", "can't", "cannot", "won't", "isn't", "wasn't", "one", "a", "an", "the",
                "is", "was", "be", "worth", "true", "possible", "can", "could", "will", "would",
                "should", "must", "do", "does", "did", "helps", "help",
            ],
        )
    }) || !r.is_analytic(text)
}

/// "the targets most likely to offer": a descriptor, not a judgment.
fn is_superlative(text: &str, r: &language::Reading, span: Span) -> bool {
    let toks = &r.tokens;
    let i = r.token_at(span.start);
    let prev = i
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .filter(|t| t.is_word);
    let next = toks.get(r.token_at(span.end));
    let prev_is_verb = prev.is_none_or(|p| {
        p.is_any(
            text,
            &[
                "is", "are", "was", "were", "be", "been", "will", "would", "could", "may", "might",
                "and", "or", "but", "which", "that", "it", "they", "seems", "appears", "remains",
                "'s",
            ],
        )
    });
    !prev_is_verb && next.is_some_and(|n| n.is(text, "to"))
}

/// "the indicated malware", "data indicating attempts", "points to x.co": literal senses.
fn is_literal_hedge(text: &str, hedge: Span) -> bool {
    let next = lower_after(text, hedge.end);
    let word = hedge.text(text).to_lowercase();
    let first = next.split_whitespace().next().unwrap_or("");
    (word.starts_with("point")
        && (first.contains("://") || first.contains('.') && !first.ends_with('.')))
        || (word == "indicated" && !next.starts_with("that"))
}

/// Up to 80 bytes of text after `at`, leading space trimmed, in lower case: enough for
/// the few words a context cue looks at, and never the whole rest of a large file.
fn lower_after(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("").trim_start();
    let mut end = rest.len().min(80);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    rest[..end].to_lowercase()
}

/// Up to 80 bytes of text before `at`, in lower case.
fn lower_before(text: &str, at: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let mut start = head.len().saturating_sub(80);
    while !head.is_char_boundary(start) {
        start += 1;
    }
    head[start..].to_lowercase()
}

/// Whether an unquantified marker ("suspected", "believed to be") attributes: it stands
/// before or about an actor, a state or an actor noun, or in a sentence about one.
fn is_attribution_marker(
    text: &str,
    r: &language::Reading,
    span: Span,
    subjects: &mut Subjects,
    doc: &Document,
    i: usize,
) -> bool {
    #[rustfmt::skip]
    const ACTOR_NOUNS: &[&str] = &[
        "group", "groups", "actor", "actors", "hackers", "apt", "operators", "state",
        "government", "gang", "crew", "attacker", "attackers", "perpetrators", "operatives",
        "officers", "intelligence", "military", "unit", "agency", "nexus", "origin", "sponsor",
        "sponsors", "sponsored", "state-sponsored", "state-backed", "linked", "behind",
        "responsible", "affiliated", "tied", "connected", "associated", "involvement",
        "involved", "culprit", "culprits", "author", "authors",
    ];
    let at = r.token_at(span.end);
    let near = r.tokens[at..].iter().filter(|t| t.is_word).take(5);
    let mentions = subjects.of(doc, i);
    near.clone().any(|t| t.is_any(text, ACTOR_NOUNS))
        || mentions.iter().any(|m| {
            let gap = if m.span.start >= span.end {
                m.span.start - span.end
            } else {
                span.start.saturating_sub(m.span.end)
            };
            gap <= 40
        })
}

/// Semantics section 9: `consistent` if the point lies in the band, `defensible` if not but
/// the 5-95% interval overlaps it, otherwise `overclaim` (band above) or `underclaim` (below).
pub fn band_verdict(band: (f64, f64), point: f64, p05: f64, p95: f64) -> &'static str {
    if point >= band.0 - 1e-12 && point <= band.1 + 1e-12 {
        "consistent"
    } else if p95 >= band.0 && p05 <= band.1 {
        "defensible"
    } else if band.0 > p95 {
        "overclaim"
    } else {
        "underclaim"
    }
}

/// Overclaim or underclaim of band `band` for a claim about the hypothesis or assumption
/// `subject`: (rule, message, suggestion, label).
fn claim_check(
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
    let pct = crate::report::assess::pct1;
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
    let pct = crate::report::assess::pct1;
    let yname = case.yardstick.name.as_str();
    checks
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let h = case.judgments.iter().find(|j| j.id == c.id).map(|j| case.hypotheses[j.hypothesis.idx()].id.clone()).unwrap_or_default();
            let numbers = format!("{} (90% interval {}-{})", pct(c.point), pct(c.p05).trim_end_matches('%'), pct(c.p95));
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
