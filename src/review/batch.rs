//! One batch of a draft — whole paragraphs, about 1 MiB — read and checked: its
//! sentences split, its phrases found and read in context, and every rule that looks
//! within a sentence run. The rules that compare sentences across the draft
//! (conflicting terms, ICD 203's rows) run over what the batches collect.

use super::claims::{self, Claim};
use super::config::Level;
use super::language;
use super::rewrite::*;
use super::scan::{Hit, Meaning, Scanner};
use super::subjects::{self, CaseSubjects, Gazetteer, Mention, SubjectKey};
use super::{Finding, Fix, Options, Phrase, PhraseKind, Rule, claim_check};
use crate::format::format_band;
use crate::span::Span;
use aho_corasick::AhoCorasick;
use std::collections::HashMap;

/// What every batch of one review shares.
pub(super) struct Context<'a> {
    pub(super) text: &'a str,
    pub(super) scanner: &'a Scanner,
    pub(super) options: &'a Options<'a>,
    /// The governing yardstick's index among the scanner's.
    governing: Option<usize>,
    /// Boilerplate phrases: a sentence holding one is not reviewed.
    masks: Option<AhoCorasick>,
    /// The case's hypotheses and assumptions by name.
    case_subjects: Option<CaseSubjects>,
    /// The scanner's buffer, kept from batch to batch.
    folded: std::cell::RefCell<super::scan::Folded>,
}

impl<'a> Context<'a> {
    pub(super) fn new(text: &'a str, scanner: &'a Scanner, options: &'a Options<'a>) -> Self {
        let phrases = options.config.mask_phrases();
        let masks = (!phrases.is_empty())
            .then(|| {
                aho_corasick::AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(&phrases)
                    .ok()
            })
            .flatten();
        Context {
            text,
            scanner,
            options,
            governing: scanner
                .yardsticks
                .iter()
                .position(|s| s.name == options.yardstick.name),
            masks,
            case_subjects: options.case.map(|c| CaseSubjects::new(c.case)),
            folded: Default::default(),
        }
    }

    /// The level of `rule` in force.
    pub(super) fn level(&self, rule: Rule, analytic: bool) -> Level {
        self.options
            .config
            .level(rule, &self.options.yardstick.name, analytic)
    }

    /// The hits in `range`, with offsets into the whole text.
    fn scan(&self, range: Span) -> Vec<Hit> {
        let mut hits = self
            .scanner
            .scan_with(range.text(self.text), &mut self.folded.borrow_mut());
        for h in &mut hits {
            h.span = Span::new(h.span.start + range.start, h.span.end + range.start);
        }
        hits
    }
}

/// What the batches collect for the whole draft.
#[derive(Default)]
pub(super) struct Collected {
    /// Every phrase.
    pub(super) out: Vec<Phrase>,
    /// Every finding of the rules within a sentence.
    pub(super) findings: Vec<Finding>,
    /// The first term of each ICD 203 row.
    pub(super) rows_seen: [Option<Span>; 2],
    /// Every claim that has a subject, in text order.
    pub(super) claims: Vec<ClaimRecord>,
}

/// A term, what it stands for, and the claim it makes.
pub(super) struct ClaimRecord {
    /// The term.
    pub(super) term: Span,
    /// The governing yardstick's term it stands for.
    pub(super) effective: usize,
    /// Where its sentence starts.
    pub(super) sentence: usize,
    /// The claim.
    pub(super) claim: Claim,
}

/// A likelihood phrase as interpreted under the governing yardstick.
#[derive(Clone, Debug)]
pub(super) struct Likelihood {
    pub(super) span: Span,
    /// Term index in the governing yardstick it stands for (exactly, or the nearest);
    /// `None` for a comparison, which states no band.
    pub(super) effective: Option<usize>,
    /// Its own band (the foreign yardstick's for a foreign term).
    pub(super) band: (f64, f64),
    /// The sentence, by index in its batch.
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

/// How the review sees a batch of the draft: its sentences and which are boilerplate.
struct Document<'t> {
    text: &'t str,
    sentences: Vec<language::Sentence>,
    masked: Vec<bool>,
}

impl<'t> Document<'t> {
    /// The sentences of the paragraphs of `range` that hold a hit, and of the paragraph
    /// before each (where "the group" may find its actor). Paragraphs without a phrase are
    /// never split: most of a draft is not read sentence by sentence.
    fn new(ctx: &Context<'t>, range: Span, hits: &[Hit]) -> Document<'t> {
        let text = ctx.text;
        let mut sentences = Vec::new();
        // the end of the last paragraph split
        let mut done = range.start;
        for h in hits {
            if h.span.start < done {
                continue;
            }
            let here = paragraph_at(text, range, h.span.start);
            if here.start > done {
                let before = paragraph_at(text, Span::new(done, here.start), here.start - 1);
                if before.start >= done && !before.is_empty() {
                    sentences.extend(language::sentences_in(text, before));
                }
            }
            sentences.extend(language::sentences_in(text, here));
            done = here.end.max(h.span.end);
        }
        Document {
            text,
            masked: vec![false; sentences.len()],
            sentences,
        }
    }

    /// Marks as boilerplate the sentences with hits that hold a mask phrase (only they
    /// could yield a phrase or a finding).
    fn mask(&mut self, ctx: &Context, hits: &[Hit]) {
        let Some(ac) = &ctx.masks else { return };
        let mut last = None;
        for h in hits {
            let Some(i) = language::sentence_at(&self.sentences, h.span.start) else {
                continue;
            };
            if last == Some(i) {
                continue;
            }
            last = Some(i);
            if ac.is_match(self.sentences[i].span.text(self.text)) {
                self.masked[i] = true;
            }
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

/// The first likelihood phrase of sentence `s` that starts at or after `at` (the
/// sentence's phrases are in text order).
fn next_after<'l>(
    by_sentence: &HashMap<usize, Vec<usize>>,
    likelihoods: &'l [Likelihood],
    s: usize,
    at: usize,
) -> Option<&'l Likelihood> {
    let ls = by_sentence.get(&s)?;
    let i = ls.partition_point(|i| likelihoods[*i].span.start < at);
    ls.get(i).map(|i| &likelihoods[*i])
}

/// Whether a line holds nothing but spaces (a paragraph break).
fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// The paragraph of `range` that holds byte `at`: the lines around it up to a blank
/// line (or the range's edges). Sentences never cross a blank line, so a paragraph
/// splits into sentences exactly as the whole text would there.
fn paragraph_at(text: &str, range: Span, at: usize) -> Span {
    let bytes = text.as_bytes();
    let at = at.clamp(range.start, range.end);
    // back, line by line, to the line after a blank one
    let mut start = memchr::memrchr(b'\n', &bytes[range.start..at])
        .map_or(range.start, |p| range.start + p + 1);
    while start > range.start {
        let prev = memchr::memrchr(b'\n', &bytes[range.start..start - 1])
            .map_or(range.start, |p| range.start + p + 1);
        if is_blank(&bytes[prev..start - 1]) {
            break;
        }
        start = prev;
    }
    // forward, line by line, to the next blank line
    let mut end = at;
    loop {
        let Some(p) = memchr::memchr(b'\n', &bytes[end..range.end]) else {
            end = range.end;
            break;
        };
        let next = end + p + 1;
        let next_end =
            memchr::memchr(b'\n', &bytes[next..range.end]).map_or(range.end, |q| next + q);
        end = next;
        if next >= range.end || is_blank(&bytes[next..next_end]) {
            break;
        }
    }
    Span::new(start, end)
}

/// Who each sentence is about, found on demand and kept.
struct Subjects<'a> {
    case: Option<&'a CaseSubjects>,
    /// The sentences already read (their tokens are reused).
    readings: Option<&'a rustc_hash::FxHashMap<usize, language::Reading>>,
    gazetteer: &'a Gazetteer,
    cache: HashMap<usize, std::rc::Rc<[Mention]>>,
    direct: HashMap<usize, Vec<Mention>>,
}

impl Subjects<'_> {
    /// Mentions in sentence `i`; a sentence that names nobody but says "the group" is
    /// about the actor named last in the five sentences before it.
    fn of(&mut self, doc: &Document, i: usize) -> std::rc::Rc<[Mention]> {
        if let Some(m) = self.cache.get(&i) {
            return m.clone();
        }
        let mut found = self.direct(doc, i).to_vec();
        if !found.iter().any(|m| is_actor(&m.key))
            && let Some(reference) = subjects::back_reference(doc.text, doc.span(i))
        {
            let earlier = (i.saturating_sub(5)..i).rev().find_map(|j| {
                self.direct(doc, j)
                    .iter()
                    .rev()
                    .find(|m| is_actor(&m.key))
                    .cloned()
            });
            if let Some(m) = earlier {
                found.push(Mention {
                    key: m.key,
                    span: reference,
                });
                found.sort_by_key(|m| m.span.start);
            }
        }
        let found: std::rc::Rc<[Mention]> = found.into();
        self.cache.insert(i, found.clone());
        found
    }

    /// Mentions named in sentence `i` itself (kept: a sentence is looked back at by the
    /// five after it).
    fn direct(&mut self, doc: &Document, i: usize) -> &[Mention] {
        if !self.direct.contains_key(&i) {
            let found = self.find(doc, i);
            self.direct.insert(i, found);
        }
        self.direct.get(&i).map_or(&[], Vec::as_slice)
    }

    fn find(&self, doc: &Document, i: usize) -> Vec<Mention> {
        let span = doc.span(i);
        let read;
        let tokens = match self.readings.and_then(|r| r.get(&i)) {
            Some(r) => &r.tokens,
            None => {
                read = language::tokens(doc.text, span);
                &read
            }
        };
        let mut found = match &self.case {
            Some(c) => c.mentions_in(doc.text, tokens),
            None => Vec::new(),
        };
        // the gazetteer's mentions, except where a case name stands (both lists are in
        // text order)
        let case_names = std::mem::take(&mut found);
        let mut next_case = 0;
        for m in self.gazetteer.mentions_in(doc.text, tokens) {
            while case_names
                .get(next_case)
                .is_some_and(|c| c.span.end <= m.span.start)
            {
                next_case += 1;
            }
            let overlaps = case_names
                .get(next_case)
                .is_some_and(|c| c.span.start < m.span.end);
            if !overlaps {
                found.push(m);
            }
        }
        found.extend(case_names);
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

/// Reads and checks the batch of the draft at `range` (whole paragraphs), adding what
/// it finds to `acc`.
pub(super) fn run(ctx: &Context, range: Span, acc: &mut Collected) {
    let text = ctx.text;
    let scanner = ctx.scanner;
    let options = ctx.options;
    let y = &options.yardstick;
    let yname = y.name.as_str();
    let governing = ctx.governing;
    let level = |rule: Rule, analytic: bool| ctx.level(rule, analytic);
    let mut subjects = Subjects {
        case: ctx.case_subjects.as_ref(),
        readings: None,
        gazetteer: Gazetteer::get(),
        cache: HashMap::new(),
        direct: HashMap::new(),
    };

    let out = &mut acc.out;
    let findings = &mut acc.findings;
    let mut likelihoods: Vec<Likelihood> = Vec::new();
    let mut hedges: Vec<(Span, usize)> = Vec::new();
    let mut vague: Vec<(Span, usize)> = Vec::new();
    let mut confidences: Vec<(Span, usize)> = Vec::new();
    let mut unquantified: Vec<(Span, usize)> = Vec::new();
    let phrase = |out: &mut Vec<Phrase>,
                  span: Span,
                  kind,
                  named: Option<(String, String)>,
                  band: Option<[f64; 2]>,
                  reading: Option<String>| {
        let (term, yardstick) = named.map_or((None, None), |(t, y)| (Some(t), Some(y)));
        out.push(Phrase {
            text: span.text(text).to_string(),
            kind,
            term,
            yardstick,
            band,
            reading,
            span,
        });
    };

    let hits = ctx.scan(range);
    let mut doc = Document::new(ctx, range, &hits);
    doc.mask(ctx, &hits);
    let readings = doc.read(&hits);
    subjects.readings = Some(&readings);
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
            let negation = match own {
                Some(Meaning::Term { term, .. }) => language::negation(text, r, span.start)
                    .map(|start| (start, negated_reading(y, *term))),
                _ => None,
            };
            let number = (own.is_some() || foreign.is_some())
                .then(|| number_before(text, span.start))
                .flatten();
            // what is written (the number or the negation with the term), the term it reads
            // as, and why it is no yardstick term
            let reading = match (number, &negation) {
                (Some((p, start)), _) => {
                    let nearest = nearest_term(y, p);
                    Some((
                        start,
                        nearest,
                        format!(
                            "a number with a term word: {}% is {}",
                            crate::format::format_percent(p),
                            term_text(y, nearest)
                        ),
                    ))
                }
                (None, Some((start, (term, why)))) => Some((*start, *term, why.clone())),
                (None, None) => None,
            };
            if let Some((start, nearest, why)) = reading {
                let span = Span::new(start, span.end);
                let written = span.text(text).to_string();
                let lv = level(Rule::NonYardstickTerm, true);
                if lv != Level::Off {
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
                    out,
                    span,
                    PhraseKind::Likelihood,
                    None,
                    None,
                    Some(
                        if negation.is_some() {
                            "negated"
                        } else {
                            "number"
                        }
                        .to_string(),
                    ),
                );
                continue;
            }
        }
        let interpreted: Option<Interpretation> = match (own, foreign, non_term) {
            (Some(Meaning::Term { term, row, .. }), _, _) => {
                let t = &y.terms[*term];
                if let Some(row) = row {
                    let slot = &mut acc.rows_seen[usize::from((*row).min(1))];
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
                out,
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
                out,
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
                phrase(out, span, PhraseKind::Evidential, None, None, None);
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
                phrase(out, span, PhraseKind::Hedge, None, None, None);
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
        // the first term after the hedge, in its clause, with no comma or bracket between
        let term = next_after(&likelihood_in, &likelihoods, *s, h.end).filter(|l| {
            l.span.end <= clause.end && !text[h.end..l.span.start].contains([',', '('])
        });
        let governs = term.is_some() || {
            lower_after(text, h.end).starts_with("that ")
                || h.text(text).to_lowercase().ends_with(" to")
        };
        if !governs || is_literal_hedge(text, *h) {
            continue;
        }
        out.push(Phrase {
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
        let Some(l) = next_after(&likelihood_in, &likelihoods, *s, v.end).filter(|l| {
            let between = &text[v.end..l.span.start];
            between.len() <= 8
                && between.split_whitespace().count() <= 1
                && between
                    .split_whitespace()
                    .all(|w| w.eq_ignore_ascii_case("have"))
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

    // against the case: claims about a hypothesis or an assumption, not conditional
    if let Some(case) = options.case {
        for (l, c) in likelihoods.iter().zip(&claims) {
            let Some(c) = c else { continue };
            let Some((subject, _, _)) = c.key() else {
                continue;
            };
            let Some(f) = claim_check(case, &subject, l.band, &l.span.text(text).to_lowercase(), y)
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
    // claims with a key go on to the document-wide check of conflicting terms
    for (l, c) in likelihoods.iter().zip(claims) {
        if let (Some(c), Some(effective)) = (c, l.effective)
            && c.key().is_some()
        {
            acc.claims.push(ClaimRecord {
                term: l.span,
                effective,
                sentence: doc.span(l.sentence).start,
                claim: c,
            });
        }
    }
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

/// The term a negated term `term` reads as, and why it is no yardstick term. "Not unlikely",
/// "not a remote chance" (a term below even odds, negated) say only that the odds are not
/// low: the term nearest even odds. "Not likely" (when the term just below lies across even
/// odds) mirrors it to the term nearest one minus its point: "unlikely". "Not highly
/// likely", "not almost certain" say only that the odds are below the term's band: the term
/// just below it.
fn negated_reading(y: &crate::lexicon::Yardstick, term: usize) -> (usize, String) {
    let t = &y.terms[term];
    let mid = (t.lo + t.hi) / 2.0;
    if mid < 0.5 {
        return (
            nearest_term(y, 0.5),
            "a negated term is not a yardstick term: it says only that the odds are not low"
                .to_string(),
        );
    }
    let below = (0..y.terms.len())
        .filter(|&u| y.terms[u].hi <= t.lo)
        .max_by(|&a, &b| y.terms[a].hi.total_cmp(&y.terms[b].hi));
    match below {
        Some(u) if y.terms[u].lo >= 0.5 => (
            u,
            format!(
                "a negated term is not a yardstick term: it says only that the odds are below {}%",
                crate::format::format_percent(t.lo)
            ),
        ),
        _ => (
            nearest_term(y, 1.0 - mid),
            "a negated term is not a yardstick term".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::negated_reading;
    use crate::lexicon::builtin_yardstick;

    #[test]
    fn negated_terms_read_as_the_band_they_leave() {
        for (yardstick, negated, reads) in [
            ("phia", "likely", "unlikely"),
            ("phia", "highly likely", "likely"),
            ("phia", "almost certain", "highly likely"),
            ("phia", "unlikely", "realistic possibility"),
            ("phia", "remote chance", "realistic possibility"),
            ("icd203", "likely", "unlikely"),
            ("icd203", "very likely", "likely"),
            ("icd203", "almost certain", "very likely"),
            ("icd203", "unlikely", "roughly even chance"),
        ] {
            let y = builtin_yardstick(yardstick).unwrap();
            let term = y.terms.iter().position(|t| t.name == negated).unwrap();
            let (got, _) = negated_reading(&y, term);
            assert_eq!(y.terms[got].name, reads, "{yardstick}: not {negated}");
        }
    }
}
