//! Stage 3c: checking confidence wording in prose and in a case's judgments
//! (semantics section 9).
//!
//! Invariants: `review` reads text and, optionally, a case with its assessment;
//! it never prints. Every finding names a rule id from [`config::RULES`], a level,
//! the exact span and a fix suggestion.

pub mod config;
pub mod scan;

use crate::infer::Assessment;
use crate::infer::words::verdict;
use crate::lexicon::{Yardstick, format_band};
use crate::model::{Case, HypothesisId};
use crate::span::Span;
use config::{Level, RuleConfig};
use scan::{Hit, Meaning, Scanner};
use serde::Serialize;

/// A problem found in a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id, e.g. `non-yardstick-term`.
    pub rule: &'static str,
    /// Level in force.
    pub level: Level,
    /// One sentence.
    pub message: String,
    /// How to fix it.
    pub suggestion: Option<String>,
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
    /// A probability word.
    Likelihood,
    /// A confidence level.
    Confidence,
    /// An evidential hedge or a modal that asserts no probability.
    Hedge,
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
    /// Rule levels.
    pub config: RuleConfig,
    /// The case, for overclaim / underclaim.
    pub case: Option<CaseContext<'a>>,
}

/// The result of a review.
#[derive(Clone, Debug, Default, Serialize)]
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
    /// Term index in the governing yardstick it stands for (exactly, or the nearest).
    effective: usize,
    /// Its own band (the foreign yardstick's for a foreign term).
    band: (f64, f64),
    sentence: usize,
}

/// How a likelihood phrase reads under the governing yardstick: the term index it stands
/// for, its own band, and (for defined terms) its canonical name and yardstick.
type Interpretation = (usize, (f64, f64), Option<(String, String)>);

/// Sentences as byte spans: ends at `.`, `!`, `?` followed by space and a capital,
/// a quote or the end, at blank lines and at Markdown headings.
pub fn sentences(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end_here = match b {
            b'.' | b'!' | b'?' => {
                let next = text[i + 1..]
                    .trim_start_matches([' ', '\t', '\r', '"', '\u{201d}', ')', '*', '_']);
                let gap = next.len() < text.len() - i - 1;
                // "e.g." / "U.S." : a single capital or lowercase letter before the dot
                let abbreviation = b == b'.'
                    && i >= 1
                    && bytes[i - 1].is_ascii_alphabetic()
                    && (i < 2 || !bytes[i - 2].is_ascii_alphabetic());
                (next.is_empty()
                    || (gap
                        && next.starts_with(|c: char| {
                            c.is_uppercase() || c == '\n' || c == '#' || c.is_ascii_digit()
                        })))
                    && !abbreviation
            }
            b'\n' => {
                let next = &text[i + 1..];
                let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                let heading = text[line_start..i].trim_start().starts_with('#');
                let next_trim = next.trim_start_matches([' ', '\t']);
                heading
                    || next.starts_with('\n')
                    || next.starts_with("\r\n")
                    || next_trim.starts_with('#')
                    || next_trim.starts_with("- ")
                    || next_trim.starts_with("* ")
                    || next_trim.starts_with("+ ")
            }
            _ => false,
        };
        if end_here {
            out.push(Span::new(start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < text.len() {
        out.push(Span::new(start, text.len()));
    }
    out.retain(|s| !s.text(text).trim().is_empty());
    out
}

/// Whether a clause boundary lies between two offsets of a sentence.
fn clause_break(text: &str, from: usize, to: usize) -> bool {
    let between = text.get(from..to).unwrap_or("");
    between.contains([';', ':', '\u{2014}', '\u{2013}'])
        || [
            ", but ",
            ", and ",
            ", while ",
            ", whereas ",
            ", although ",
            " however",
        ]
        .iter()
        .any(|w| between.contains(w))
}

const ASSESSORS: &[&str] = &[
    "UK", "US", "USA", "NCSC", "FBI", "CISA", "NSA", "GCHQ", "DOJ", "FCDO", "EU", "NATO", "IPAC",
    "HMG", "ODNI", "DHS", "CEO", "CTI", "ICD", "PHIA", "AND", "THE", "IP", "VPN", "URL", "TLP",
    "NOT",
];
/// Well-known threat-actor names that carry no digit or suffix.
const KNOWN_ACTORS: &[&str] = &[
    "Sandworm",
    "Lazarus",
    "Turla",
    "Kimsuky",
    "Andariel",
    "Gamaredon",
    "Nobelium",
    "Zirconium",
    "Hafnium",
    "Strontium",
    "Equation",
    "Darkhotel",
    "Winnti",
    "Ke3chang",
    "Charming",
    "OilRig",
    "MuddyWater",
    "Sofacy",
    "Carbanak",
    "Cobalt",
    "Evil",
    "Dragonfly",
    "Energetic",
    "Kimsuky",
    "BlueNoroff",
    "Callisto",
];

const ACTOR_SUFFIXES: &[&str] = &[
    "Bear", "Panda", "Kitten", "Chollima", "Spider", "Typhoon", "Blizzard", "Sleet", "Tempest",
    "Group", "Team",
];

/// Named actors in a sentence without a case: tokens such as `APT31`, `UNC2452`, `GRU`,
/// and vendor names such as `Fancy Bear` or `Lazarus Group`. Returns (key, span).
fn actor_mentions(text: &str, sentence: Span) -> Vec<(String, Span)> {
    let s = sentence.text(text);
    let mut out = Vec::new();
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let word_char = c.is_alphanumeric();
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                words.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    for (idx, (at, w)) in words.iter().enumerate() {
        let upper_digits = w.len() >= 3
            && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_alphanumeric());
        let acronym = w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase());
        if (upper_digits || acronym || KNOWN_ACTORS.contains(w)) && !ASSESSORS.contains(w) {
            out.push((
                w.to_lowercase(),
                Span::new(sentence.start + at, sentence.start + at + w.len()),
            ));
            continue;
        }
        if let Some((next_at, next)) = words.get(idx + 1)
            && ACTOR_SUFFIXES.contains(next)
            && w.chars().next().is_some_and(char::is_uppercase)
            && *w != "The"
        {
            let key = format!("{} {}", w.to_lowercase(), next.to_lowercase());
            out.push((
                key,
                Span::new(sentence.start + at, sentence.start + next_at + next.len()),
            ));
        }
    }
    out
}

/// Phrases that refer back to the last named actor.
const BACK_REFERENCES: &[&str] = &[
    "the group",
    "the actor",
    "the hackers",
    "the attackers",
    "the operators",
    "the threat actor",
];

/// A sentence that names no actor but says "the group" (or the like) is about the actor
/// named last in the sentences before it, within the same paragraph or the next.
fn resolve_references(text: &str, sentences: &[Span], mentions: &mut [Vec<(String, Span)>]) {
    let mut last: Option<String> = None;
    for (i, s) in sentences.iter().enumerate() {
        if let Some((key, _)) = mentions[i].last() {
            last = Some(key.clone());
            continue;
        }
        let Some(key) = &last else { continue };
        let lower = s.text(text).to_lowercase();
        if let Some((at, phrase)) = BACK_REFERENCES
            .iter()
            .filter_map(|p| lower.find(p).map(|at| (at, p)))
            .min()
            && s.text(text).is_char_boundary(at)
            && s.text(text).is_char_boundary(at + phrase.len())
        {
            mentions[i].push((
                key.clone(),
                Span::new(s.start + at, s.start + at + phrase.len()),
            ));
        }
    }
}

/// Mentions of a case's hypotheses by alias (or label when there is none).
fn hypothesis_mentions(text: &str, sentence: Span, case: &Case) -> Vec<(String, Span)> {
    let s = sentence.text(text);
    let lower = s.to_lowercase();
    let mut out = Vec::new();
    for h in &case.hypotheses {
        let names: Vec<String> = if h.aliases.is_empty() {
            vec![h.label.clone()]
        } else {
            h.aliases.clone()
        };
        for name in names {
            let needle = name.to_lowercase();
            if needle.is_empty() {
                continue;
            }
            let mut from = 0;
            while let Some(pos) = lower[from..].find(&needle) {
                let at = from + pos;
                let end = at + needle.len();
                let before = lower[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after = lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if before && after && s.is_char_boundary(at) && s.is_char_boundary(end) {
                    out.push((
                        h.id.clone(),
                        Span::new(sentence.start + at, sentence.start + end),
                    ));
                }
                from = end;
            }
        }
    }
    out.sort_by_key(|(_, s)| s.start);
    out
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

/// Reviews a text.
pub fn review(text: &str, scanner: &Scanner, options: &Options) -> Review {
    let y = &options.yardstick;
    let governing = scanner.yardsticks.iter().position(|s| s.name == y.name);
    let hits = scanner.scan(text);
    let sentences = sentences(text);
    let sentence_of = |span: Span| sentences.partition_point(|s| s.end <= span.start);
    let level = |rule: &str, default: Level| options.config.level(rule, default);
    let is_icd = y.name == "icd203";
    let is_phia = y.name == "phia";

    let mut out = Review::default();
    let mut likelihoods: Vec<Likelihood> = Vec::new();
    let mut hedges: Vec<(Span, usize)> = Vec::new();
    let mut vague: Vec<(Span, usize)> = Vec::new();
    let mut confidences: Vec<(Span, usize)> = Vec::new();
    let mut rows_seen: [Option<Span>; 2] = [None, None];

    for Hit { wording, span } in &hits {
        let w = &scanner.wordings[*wording];
        let sentence = sentence_of(*span);
        let written = span.text(text).to_string();
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
        // (term index standing for it under the governing yardstick, its own band,
        // and how the phrase list names it: term, yardstick)
        let interpreted: Option<Interpretation> = match (own, foreign, non_term) {
            (Some(Meaning::Term { term, row, .. }), _, _) => {
                let t = &y.terms[*term];
                if let Some(row) = row {
                    let slot = &mut rows_seen[usize::from((*row).min(1))];
                    if slot.is_none() {
                        *slot = Some(*span);
                    }
                }
                Some((*term, (t.lo, t.hi), Some((t.name.clone(), y.name.clone()))))
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
                let lv = level("mixed-yardsticks", Level::Warning);
                if lv != Level::Off {
                    out.findings.push(Finding {
                        rule: "mixed-yardsticks",
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
                        span: *span,
                        label: format!("{} term: {}", other.name, format_band(t.lo, t.hi)),
                        related: Vec::new(),
                    });
                }
                Some((
                    effective,
                    (t.lo, t.hi),
                    Some((t.name.clone(), other.name.clone())),
                ))
            }
            (_, _, Some(Meaning::NonTerm { nearest, why })) => {
                let effective = y.find(nearest).map(|m| m.term_idx).unwrap_or_else(|| {
                    let p = crate::lexicon::builtin_yardstick("phia")
                        .and_then(|phia| phia.find(nearest).map(|m| phia.terms[m.term_idx].point))
                        .unwrap_or(0.5);
                    nearest_term(y, p)
                });
                let t = &y.terms[effective];
                let lv = level("non-yardstick-term", Level::Error);
                if lv != Level::Off {
                    out.findings.push(Finding {
                        rule: "non-yardstick-term",
                        level: lv,
                        message: format!("`{written}` is not a term of the {} yardstick", y.name),
                        suggestion: Some(format!("use `{}` ({})", t.name, t.band_text())),
                        span: *span,
                        label: why.to_string(),
                        related: Vec::new(),
                    });
                }
                Some((effective, (t.lo, t.hi), None))
            }
            _ => None,
        };
        if let Some((effective, band, named)) = interpreted {
            likelihoods.push(Likelihood {
                span: *span,
                effective,
                band,
                sentence,
            });
            let band_of_term = named.is_some().then_some([band.0, band.1]);
            let (term, yardstick) = named.map_or((None, None), |(t, y)| (Some(t), Some(y)));
            out.phrases.push(Phrase {
                text: written,
                kind: PhraseKind::Likelihood,
                term,
                yardstick,
                band: band_of_term,
                span: *span,
            });
        }
        for m in &w.meanings {
            match m {
                Meaning::Hedge => hedges.push((*span, sentence)),
                Meaning::Vague => vague.push((*span, sentence)),
                Meaning::Confidence => confidences.push((*span, sentence)),
                _ => {}
            }
        }
        if w.meanings
            .iter()
            .any(|m| matches!(m, Meaning::Hedge | Meaning::Vague))
        {
            out.phrases.push(Phrase {
                text: span.text(text).to_string(),
                kind: PhraseKind::Hedge,
                term: None,
                yardstick: None,
                band: None,
                span: *span,
            });
        }
        if w.meanings.contains(&Meaning::Confidence) {
            out.phrases.push(Phrase {
                text: span.text(text).to_string(),
                kind: PhraseKind::Confidence,
                term: None,
                yardstick: None,
                band: None,
                span: *span,
            });
        }
    }

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
        let lv = options
            .config
            .levels
            .get("mixed-yardsticks")
            .copied()
            .unwrap_or(Level::Error);
        if !disclaimed && lv != Level::Off {
            let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
            out.findings.push(Finding {
                rule: "mixed-yardsticks",
                level: lv,
                message: "this text mixes the likelihood and probability rows of ICD 203".to_string(),
                suggestion: Some("use one row throughout, or say in the text that the two rows' terms mean the same".to_string()),
                span: second,
                label: "a term from the other row".to_string(),
                related: vec![(first, "first row used here".to_string())],
            });
        }
    }

    // hedge-stacking: a hedge before an estimative term in the same clause
    let mut hedges_by_sentence: Vec<Vec<Span>> = vec![Vec::new(); sentences.len() + 1];
    for (h, s) in &hedges {
        hedges_by_sentence[*s].push(*h);
    }
    // starts of hedges already reported (spans always compare equal, so keep offsets)
    let mut stacked_hedges: Vec<usize> = Vec::new();
    let lv = level("hedge-stacking", Level::Warning);
    for l in &likelihoods {
        let candidates = &hedges_by_sentence[l.sentence];
        if let Some(h) = candidates
            .iter()
            .rev()
            .find(|h| h.end <= l.span.start && !clause_break(text, h.end, l.span.start))
        {
            stacked_hedges.push(h.start);
            if lv != Level::Off {
                out.findings.push(Finding {
                    rule: "hedge-stacking",
                    level: lv,
                    message: format!("`{}` hedges an estimate that `{}` already states", h.text(text), l.span.text(text)),
                    suggestion: Some(format!("drop `{}` and let the term carry the uncertainty: \"… was {} responsible\"", h.text(text), l.span.text(text))),
                    span: Span::new(h.start, l.span.end),
                    label: "an evidential hedge governing an estimative term".to_string(),
                    related: Vec::new(),
                });
            }
        }
    }
    stacked_hedges.sort_unstable();

    // subjects: hypotheses by alias with a case, named actors without
    let mut mention_lists: Vec<Vec<(String, Span)>> = sentences
        .iter()
        .map(|s| match options.case {
            Some(ctx) => hypothesis_mentions(text, *s, ctx.case),
            None => actor_mentions(text, *s),
        })
        .collect();
    resolve_references(text, &sentences, &mut mention_lists);
    let subject_of = |l: &Likelihood| -> Option<(String, Span)> {
        let mentions = mention_lists.get(l.sentence)?;
        // the nearest mention before the term in its clause, else the first after it
        mentions
            .iter()
            .rev()
            .find(|(_, s)| s.end <= l.span.start && !clause_break(text, s.end, l.span.start))
            .or_else(|| {
                mentions.iter().find(|(_, s)| {
                    s.start >= l.span.end && !clause_break(text, l.span.end, s.start)
                })
            })
            .cloned()
    };

    // vague modals about a subject
    let lv_vague = level(
        "vague-term",
        if is_icd { Level::Info } else { Level::Warning },
    );
    if lv_vague != Level::Off {
        for (v, s) in &vague {
            if stacked_hedges.binary_search(&v.start).is_ok()
                || mention_lists.get(*s).is_none_or(Vec::is_empty)
            {
                continue;
            }
            let word = v.text(text);
            out.findings.push(Finding {
                rule: "vague-term",
                level: lv_vague,
                message: format!("`{word}` states no probability"),
                suggestion: Some(format!("say how likely it is with a {} term, e.g. `realistic possibility` or `unlikely`", y.name)),
                span: *v,
                label: "a modal that asserts no probability".to_string(),
                related: Vec::new(),
            });
        }
    }

    // confidence and likelihood in one sentence
    let lv_conf = level(
        "confidence-with-likelihood",
        if is_icd {
            Level::Error
        } else if is_phia {
            Level::Info
        } else {
            Level::Warning
        },
    );
    if lv_conf != Level::Off {
        let mut first_likelihood: Vec<Option<usize>> = vec![None; sentences.len() + 1];
        for (i, l) in likelihoods.iter().enumerate() {
            first_likelihood[l.sentence].get_or_insert(i);
        }
        for (c, s) in &confidences {
            if let Some(l) = first_likelihood[*s].map(|i| &likelihoods[i]) {
                out.findings.push(Finding {
                    rule: "confidence-with-likelihood",
                    level: lv_conf,
                    message: format!("`{}` and `{}` share a sentence", c.text(text), l.span.text(text)),
                    suggestion: Some(if is_icd {
                        "ICD 203 keeps confidence and likelihood in separate sentences: state each on its own".to_string()
                    } else {
                        "allowed in UK practice; make sure the confidence level and the likelihood are not read as one number".to_string()
                    }),
                    span: *c,
                    label: "confidence level".to_string(),
                    related: vec![(l.span, "likelihood term".to_string())],
                });
            }
        }
    }

    // numbers beside terms
    let lv_num = level("number-term-mismatch", Level::Error);
    let lv_missing = level("missing-number", Level::Off);
    for l in &likelihoods {
        match number_after(text, l.span.end) {
            Some((a, b, nspan)) => {
                let (lo, hi) = (a.min(b), a.max(b));
                let inside = lo >= l.band.0 - 0.005 && hi <= l.band.1 + 0.005;
                if !inside && lv_num != Level::Off {
                    out.findings.push(Finding {
                        rule: "number-term-mismatch",
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
                        span: nspan,
                        label: "outside the term's band".to_string(),
                        related: vec![(
                            l.span,
                            format!("means {}", format_band(l.band.0, l.band.1)),
                        )],
                    });
                }
            }
            None if lv_missing != Level::Off => out.findings.push(Finding {
                rule: "missing-number",
                level: lv_missing,
                message: format!("`{}` is printed without its range", l.span.text(text)),
                suggestion: Some(format!(
                    "write `{} ({})`: readers agree with the intended band twice as often",
                    l.span.text(text),
                    format_band(l.band.0, l.band.1)
                )),
                span: l.span,
                label: "no numeric range".to_string(),
                related: Vec::new(),
            }),
            None => {}
        }
    }

    // conflicting terms for one subject in different sentences
    let lv_conflict = level("conflicting-terms", Level::Error);
    let with_subject: Vec<(String, Span, &Likelihood)> = likelihoods
        .iter()
        .filter_map(|l| subject_of(l).map(|(k, s)| (k, s, l)))
        .collect();
    if lv_conflict != Level::Off {
        // per subject, the first place each distinct term was used
        // each pair of terms is reported once per subject
        let mut reported: std::collections::HashSet<(String, usize, usize)> =
            std::collections::HashSet::new();
        let mut seen: std::collections::HashMap<&str, Vec<(usize, Span, &Likelihood)>> =
            std::collections::HashMap::new();
        for (key, subject, later) in &with_subject {
            let earlier = seen.entry(key.as_str()).or_default();
            if let Some((_, first_subject, first)) = earlier
                .iter()
                .find(|(eff, _, l)| *eff != later.effective && l.sentence != later.sentence)
                .filter(|(eff, _, _)| reported.insert((key.clone(), *eff, later.effective)))
            {
                let name = first_subject.text(text);
                out.findings.push(Finding {
                    rule: "conflicting-terms",
                    level: lv_conflict,
                    message: format!(
                        "{name} is given `{}` here and `{}` earlier",
                        later.span.text(text),
                        first.span.text(text)
                    ),
                    suggestion: Some(format!(
                        "use one term for one judgment: {} or {}",
                        term_text(y, first.effective),
                        term_text(y, later.effective)
                    )),
                    span: later.span,
                    label: format!("reads as {}", term_text(y, later.effective)),
                    related: vec![(
                        first.span,
                        format!("reads as {}", term_text(y, first.effective)),
                    )],
                });
            }
            if !earlier.iter().any(|(eff, _, _)| *eff == later.effective) {
                earlier.push((later.effective, *subject, later));
            }
        }
    }

    // against the case
    if let Some(ctx) = options.case {
        let lv_over = level("overclaim", Level::Error);
        let lv_under = level("underclaim", Level::Error);
        for (key, _, l) in &with_subject {
            let Some(h) = ctx.case.hypothesis(key) else {
                continue;
            };
            let Some(f) = claim_check(ctx, h, l.band, &l.span.text(text).to_lowercase(), y) else {
                continue;
            };
            let lv = if f.0 == "overclaim" {
                lv_over
            } else {
                lv_under
            };
            if lv != Level::Off {
                out.findings.push(Finding {
                    rule: f.0,
                    level: lv,
                    message: f.1,
                    suggestion: Some(f.2),
                    span: l.span,
                    label: f.3,
                    related: Vec::new(),
                });
            }
        }
    }
    out.findings.sort_by_key(|f| (f.span.start, f.rule));
    out.phrases.sort_by_key(|p| p.span.start);
    out
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

/// Overclaim or underclaim of band `band` for hypothesis `h`: (rule, message, suggestion, label).
fn claim_check(
    ctx: CaseContext,
    h: HypothesisId,
    band: (f64, f64),
    written: &str,
    y: &Yardstick,
) -> Option<(&'static str, String, String, String)> {
    let r = &ctx.assessment.hypotheses[h.idx()];
    let (more_or_less, above_or_below) = match band_verdict(band, r.point, r.p05, r.p95) {
        "overclaim" => ("more", "above"),
        "underclaim" => ("less", "below"),
        _ => return None,
    };
    let pct = crate::report::assess::pct1;
    let supported = term_text(y, r.verdict.term_idx.unwrap_or(r.verdict.recommended));
    Some((
        if more_or_less == "more" {
            "overclaim"
        } else {
            "underclaim"
        },
        format!(
            "`{written}` ({}) claims {more_or_less} than the case supports for {}: computed {} (90% interval {}-{})",
            format_band(band.0, band.1),
            r.id,
            pct(r.point),
            pct(r.p05).trim_end_matches('%'),
            pct(r.p95)
        ),
        format!("the case supports {supported}"),
        format!(
            "{above_or_below} what the evidence supports ({})",
            pct(r.point)
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

/// Judgment checks as findings on the case file.
pub fn judgment_findings(
    case: &Case,
    checks: &[JudgmentCheck],
    config: &RuleConfig,
) -> Vec<Finding> {
    let pct = crate::report::assess::pct1;
    checks
        .iter()
        .filter_map(|c| {
            let h = case.judgments.iter().find(|j| j.id == c.id).map(|j| case.hypotheses[j.hypothesis.idx()].id.clone()).unwrap_or_default();
            let numbers = format!("{} (90% interval {}-{})", pct(c.point), pct(c.p05).trim_end_matches('%'), pct(c.p95));
            let (rule, level, message, label) = match c.verdict {
                "consistent" => ("judgment", Level::Info, format!("judgment `{}` is consistent: {h} is {numbers}, within {}", c.id, c.claimed), "consistent with the numbers".to_string()),
                "defensible" => (
                    "judgment",
                    Level::Warning,
                    format!("judgment `{}` is defensible but not consistent: {h} is {numbers}; {} lies outside {}", c.id, pct(c.point), c.claimed),
                    "the 90% interval reaches this band, the point does not".to_string(),
                ),
                "overclaim" => ("overclaim", config.level("overclaim", Level::Error), format!("judgment `{}` overclaims: {h} is {numbers}, below {}", c.id, c.claimed), "above what the evidence supports".to_string()),
                _ => ("underclaim", config.level("underclaim", Level::Error), format!("judgment `{}` underclaims: {h} is {numbers}, above {}", c.id, c.claimed), "below what the evidence supports".to_string()),
            };
            (level != Level::Off).then(|| Finding {
                rule,
                level,
                message,
                suggestion: Some(format!("the numbers support {}", c.supported)),
                span: c.span,
                label,
                related: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| s.text(text).trim())
            .collect()
    }

    #[test]
    fn sentences_end_at_stops_blank_lines_and_headings() {
        assert_eq!(
            split("One. Two? \"Three,\" he said.\n\nFour"),
            ["One.", "Two?", "\"Three,\" he said.", "Four"]
        );
        assert_eq!(
            split("The U.S. and e.g. this. Next"),
            ["The U.S. and e.g. this.", "Next"]
        );
        assert_eq!(split("# Title\nBody text"), ["# Title", "Body text"]);
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
    fn named_actors_without_a_case() {
        let t = "The NCSC said APT31 and Fancy Bear, not the GRU's Sandworm, did it.";
        let found: Vec<String> = actor_mentions(t, Span::new(0, t.len()))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(found, ["apt31", "fancy bear", "gru", "sandworm"]);
    }

    #[test]
    fn clauses_break_at_semicolons_and_contrasts() {
        assert!(clause_break("a; b", 0, 4));
        assert!(clause_break("a, but b", 0, 8));
        assert!(clause_break("the actor chose, and it is unlikely", 0, 28));
        assert!(!clause_break("suggests the group was", 0, 22));
    }

    #[test]
    fn the_group_refers_to_the_last_named_actor() {
        let text = "APT31 sent the emails. Later the group was almost certainly paid.";
        let sentences = sentences(text);
        let mut mentions: Vec<Vec<(String, Span)>> =
            sentences.iter().map(|s| actor_mentions(text, *s)).collect();
        resolve_references(text, &sentences, &mut mentions);
        assert_eq!(mentions[1].len(), 1);
        assert_eq!(mentions[1][0].0, "apt31");
        assert_eq!(mentions[1][0].1.text(text), "the group");
    }
}
