//! Reading a draft: one batch — whole paragraphs, an eighth of the draft between 64 KiB and
//! 1 MiB — at a time (batches on every core, each seeing the paragraph before it), its
//! sentences split, its phrases found and read in context, who each sentence is about, and what
//! claim each likelihood term makes. What is read here is what the rules
//! ([`super::rules`]) judge: reading says what a phrase *is* (a term of another yardstick,
//! a hedge governing a term, a modal used as a judgment), a rule says whether that is a
//! problem and how to fix it.

use super::compare::{CaseContext, Question};
use super::language;
use super::proposition::{self, Proposition};
use super::rewrite::{likelihood_is, lower_after, number_before};
use super::scan::{Folded, Hit, Meaning, Scanner};
use super::subjects::{self, CaseSubjects, Gazetteer, Mention, SubjectKey};
use crate::infer::words::written;
use crate::lexicon::Yardstick;
use crate::span::Span;
use aho_corasick::AhoCorasick;
use serde::Serialize;
use std::collections::HashMap;

/// Verbs of assessment: a modal in what they frame is a judgment.
#[rustfmt::skip]
static ASSESSING: language::Words = language::Words::new(&[
    "assess", "assesses", "assessed", "judge", "judges", "judged", "believe", "believes",
    "estimate", "estimates", "estimated", "conclude", "concludes", "concluded", "assessment",
]);

/// What kind of phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
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
    /// For a likelihood term: the proposition it is said of.
    pub proposition: Option<Box<Said>>,
}

/// What a term is said of, as the review read it (for reviewers, in JSON).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Said {
    /// The subject as written, if one was found.
    pub subject: Option<String>,
    /// The predicate's class (`responsible`, `access`, `deploy`, `capable`, ...).
    pub predicate: String,
    /// `asserted`, `conditional`, `quoted`, `reported`, `prediction`, `denial` or
    /// `narrative`.
    pub mode: String,
    /// Whether the proposition is negated.
    pub negated: bool,
    /// The names, content words and years of its object.
    pub object: Vec<String>,
}

impl Said {
    fn of(text: &str, p: &Proposition) -> Said {
        let mut object: Vec<String> = p.object.names.clone();
        object.extend(p.object.words.iter().cloned());
        object.extend(p.object.years.iter().map(u32::to_string));
        Said {
            subject: p.subject.as_ref().map(|s| s.span.text(text).to_string()),
            predicate: p.predicate.word().to_string(),
            mode: p.mode.word().to_string(),
            negated: p.negated,
            object,
        }
    }
}

/// What the reader needs besides the text.
pub struct Reader<'a> {
    /// The whole draft.
    pub text: &'a str,
    /// The scanner.
    pub scanner: &'a Scanner,
    /// The governing yardstick.
    pub yardstick: &'a Yardstick,
    /// The governing yardstick's index among the scanner's.
    governing: Option<usize>,
    /// Boilerplate phrases: a sentence holding one is not reviewed.
    masks: Option<AhoCorasick>,
    /// The case's hypotheses and assumptions by name.
    case_subjects: Option<CaseSubjects>,
    /// The case's question.
    question: Option<Question>,
    /// The content words of each assumption's label.
    assumption_words: Vec<Vec<String>>,
}

impl<'a> Reader<'a> {
    /// A reader of `text` under `yardstick`, skipping sentences that hold a mask phrase,
    /// and knowing the case's names when there is one.
    pub fn new(
        text: &'a str,
        scanner: &'a Scanner,
        yardstick: &'a Yardstick,
        masks: &[String],
        case: Option<CaseContext>,
    ) -> Self {
        let masks = (!masks.is_empty())
            .then(|| {
                aho_corasick::AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(masks)
                    .ok()
            })
            .flatten();
        Reader {
            text,
            scanner,
            yardstick,
            governing: scanner
                .yardsticks
                .iter()
                .position(|s| s.name == yardstick.name),
            masks,
            case_subjects: case.map(|c| CaseSubjects::new(c.case)),
            question: case.map(|c| Question::of(c.case)),
            assumption_words: case.map_or_else(Vec::new, |c| {
                c.case
                    .assumptions
                    .iter()
                    .map(|a| proposition::content_words(&a.label))
                    .collect()
            }),
        }
    }

    /// The hits in `range`, with offsets into the whole text.
    fn scan(&self, range: Span, folded: &mut Folded) -> Vec<Hit> {
        let mut hits = self.scanner.scan_with(range.text(self.text), folded);
        for h in &mut hits {
            h.span = Span::new(h.span.start + range.start, h.span.end + range.start);
        }
        hits
    }
}

/// How a likelihood phrase is written.
#[derive(Clone, Debug)]
pub enum Form {
    /// A term of the governing yardstick (`row`: ICD 203's row of words).
    Term {
        /// Its row, under ICD 203.
        row: Option<u8>,
    },
    /// A term of another yardstick (index into the scanner's yardsticks).
    Foreign {
        /// The yardstick.
        yardstick: usize,
        /// Its term.
        term: usize,
    },
    /// A likelihood phrase no yardstick defines ("high likelihood").
    NonTerm {
        /// Why it is no term.
        why: &'static str,
    },
    /// A number with a term word ("95% likely") or a negated term ("not likely"), read as
    /// the term it stands for.
    Restated {
        /// Whether it is a negation (else a number).
        negated: bool,
        /// Why it is no yardstick term.
        why: String,
    },
    /// A comparison ("more likely"): no band.
    Comparative,
}

/// A likelihood phrase as read under the governing yardstick.
#[derive(Clone, Debug)]
pub struct Likelihood {
    /// Its phrase (index into [`Draft::phrases`]).
    pub phrase: usize,
    /// Where (a restated term from its number or negation on).
    pub span: Span,
    /// How it is written.
    pub form: Form,
    /// The governing yardstick's term it stands for (exactly, or the nearest); `None` for a
    /// comparison, which states no band.
    pub effective: Option<usize>,
    /// Its own band (the foreign yardstick's for a foreign term).
    pub band: (f64, f64),
    /// Its sentence (index into [`Batch::sentences`]).
    pub sentence: usize,
    /// The proposition it is said of, when it stands for a term.
    pub claim: Option<Proposition>,
    /// What it is compared with in the case (a hypothesis or an assumption), when it states
    /// what the case computes.
    pub target: Option<SubjectKey>,
}

/// An evidential hedge or a modal right before an estimative term in its clause.
#[derive(Clone, Debug)]
pub struct Stack {
    /// The hedge ("suggests") or the modal ("may").
    pub hedge: Span,
    /// Whether it is a modal (else an evidential hedge).
    pub modal: bool,
    /// The likelihood it governs (index into [`Batch::likelihoods`]).
    pub likelihood: usize,
}

/// A modal used as a judgment ("may", "possibly"), where it stands.
#[derive(Clone, Debug)]
pub struct Modal {
    /// Where.
    pub span: Span,
    /// Its sentence.
    pub sentence: usize,
    /// Whether it governs an estimative term (a [`Stack`]).
    pub stacked: bool,
    /// Whether its sentence is analytic or names a subject.
    pub analytic: bool,
    /// With a case: the hypothesis or assumption its proposition states, if any.
    pub target: Option<SubjectKey>,
}

/// One batch of the draft as read.
pub struct Batch {
    /// The sentences read (those with phrases, and the paragraph before each).
    pub sentences: Vec<language::Sentence>,
    /// Each sentence with a phrase, read.
    pub readings: rustc_hash::FxHashMap<usize, language::Reading>,
    /// Likelihood phrases, in text order.
    pub likelihoods: Vec<Likelihood>,
    /// Likelihood phrases by sentence, in text order.
    pub likelihood_in: HashMap<usize, Vec<usize>>,
    /// Hedges and modals stacked on a term.
    pub stacks: Vec<Stack>,
    /// Modals used as judgments.
    pub modals: Vec<Modal>,
    /// Attribution wording without a probability, with its sentence.
    pub unquantified: Vec<(Span, usize)>,
    /// Confidence levels, with their sentences.
    pub confidences: Vec<(Span, usize)>,
}

impl Batch {
    /// The span of sentence `i`.
    pub fn sentence_span(&self, i: usize) -> Span {
        self.sentences[i].span
    }
}

/// A term, what it stands for, and the claim it states (an index into
/// [`Draft::distinct`]: a draft that states one claim a hundred thousand times keeps it once).
pub struct ClaimRecord {
    /// The term.
    pub term: Span,
    /// The governing yardstick's term it stands for.
    pub effective: usize,
    /// Where its sentence starts.
    pub sentence: usize,
    /// Its claim, in [`Draft::distinct`].
    pub claim: u32,
}

/// A claim as the draft states it: the proposition (its subject's span that of its first
/// statement), and the case's hypothesis or assumption it states, when it states one (then
/// it is that claim, whatever its wording).
pub struct Claim {
    /// The proposition.
    pub prop: Proposition,
    /// The case's hypothesis or assumption it states.
    pub target: Option<SubjectKey>,
}

/// What tells two claims apart: everything but where they are written.
type ClaimSig = (
    Option<SubjectKey>,
    super::proposition::Predicate,
    super::proposition::Mode,
    bool,
    super::proposition::Object,
    Option<SubjectKey>,
);

/// What the reading of every batch adds up to, for the rules that compare sentences
/// across the draft.
#[derive(Default)]
pub struct Draft {
    /// Every phrase.
    pub phrases: Vec<Phrase>,
    /// The first term of each ICD 203 row.
    pub rows_seen: [Option<Span>; 2],
    /// Every statement of a claim that has a subject, in text order.
    pub claims: Vec<ClaimRecord>,
    /// The distinct claims those statements state.
    pub distinct: Vec<Claim>,
    index: HashMap<ClaimSig, u32>,
}

/// What makes two statements one claim.
fn signature(p: &Proposition, target: &Option<SubjectKey>) -> ClaimSig {
    (
        p.subject.as_ref().map(|s| s.key.clone()),
        p.predicate.clone(),
        p.mode,
        p.negated,
        p.object.clone(),
        target.clone(),
    )
}

impl Draft {
    /// The claim `p` (stating `target`), added when it is new.
    fn claim(&mut self, p: &Proposition, target: &Option<SubjectKey>) -> u32 {
        let sig = signature(p, target);
        if let Some(&i) = self.index.get(&sig) {
            return i;
        }
        let i = self.distinct.len() as u32;
        self.distinct.push(Claim {
            prop: p.clone(),
            target: target.clone(),
        });
        self.index.insert(sig, i);
        i
    }

    /// Adds what `later` read (a draft of the batches after this one's): its phrases and
    /// claim statements after these, its claims numbered on from these (one claim stated
    /// in both is one), the first term of each ICD 203 row kept when this draft has it.
    pub fn append(&mut self, later: Draft) {
        self.phrases.extend(later.phrases);
        for (slot, seen) in self.rows_seen.iter_mut().zip(later.rows_seen) {
            if slot.is_none() {
                *slot = seen;
            }
        }
        let number: Vec<u32> = later
            .distinct
            .into_iter()
            .map(|c| {
                let sig = signature(&c.prop, &c.target);
                match self.index.get(&sig) {
                    Some(&i) => i,
                    None => {
                        let i = self.distinct.len() as u32;
                        self.distinct.push(c);
                        self.index.insert(sig, i);
                        i
                    }
                }
            })
            .collect();
        self.claims
            .extend(later.claims.into_iter().map(|mut record| {
                record.claim = number[record.claim as usize];
                record
            }));
    }
}

/// How the review sees a batch of the draft: its sentences and which are boilerplate.
struct Document<'t> {
    text: &'t str,
    sentences: Vec<language::Sentence>,
    masked: Vec<bool>,
}

impl<'t> Document<'t> {
    /// The sentences of the paragraphs of `range` that hold a hit, and of the paragraph
    /// before each (where "the group" may find its actor), the first hit's even when it
    /// lies before the batch. Paragraphs without a phrase are never split: most of a draft
    /// is not read sentence by sentence.
    fn new(text: &'t str, range: Span, hits: &[Hit]) -> Document<'t> {
        let mut sentences = Vec::new();
        // the end of the last paragraph split (none yet: the paragraph before the first
        // may lie in the batch before, within a few sentences of it)
        let mut done = look_back_from(text, range.start);
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
    fn mask(&mut self, masks: Option<&AhoCorasick>, hits: &[Hit]) {
        let Some(ac) = masks else { return };
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
pub fn next_after<'l>(
    by_sentence: &HashMap<usize, Vec<usize>>,
    likelihoods: &'l [Likelihood],
    s: usize,
    at: usize,
) -> Option<(usize, &'l Likelihood)> {
    let ls = by_sentence.get(&s)?;
    let i = ls.partition_point(|i| likelihoods[*i].span.start < at);
    ls.get(i).map(|i| (*i, &likelihoods[*i]))
}

/// Bytes before a batch where its first paragraph may find the paragraph before it.
const LOOK_BACK: usize = 4096;

/// Where the text before `at` is looked at from: at most [`LOOK_BACK`] bytes back, at the
/// start of a line, else of a word (never inside one).
fn look_back_from(text: &str, at: usize) -> usize {
    let from = at.saturating_sub(LOOK_BACK);
    let window = &text.as_bytes()[from..at];
    if from == 0 {
        return 0;
    }
    memchr::memchr(b'\n', window)
        .or_else(|| memchr::memchr(b' ', window))
        .map_or(at, |p| from + p + 1)
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
        SubjectKey::Actor(_)
            | SubjectKey::Hypothesis(_)
            | SubjectKey::Group(_)
            | SubjectKey::Named(_)
    )
}

fn phrase(
    text: &str,
    span: Span,
    kind: PhraseKind,
    named: Option<(String, String)>,
    band: Option<[f64; 2]>,
    reading: Option<String>,
) -> Phrase {
    let (term, yardstick) = named.map_or((None, None), |(t, y)| (Some(t), Some(y)));
    Phrase {
        text: span.text(text).to_string(),
        kind,
        term,
        yardstick,
        band,
        reading,
        span,
        proposition: None,
    }
}

/// Reads the batch of the draft at `range` (whole paragraphs), adding its phrases, ICD 203
/// rows and claims to `draft`; `folded` is the scanner's buffer, kept from batch to batch
/// (one per thread: the reader is shared).
pub fn read(reader: &Reader, folded: &mut Folded, range: Span, draft: &mut Draft) -> Batch {
    let text = reader.text;
    let scanner = reader.scanner;
    let y = reader.yardstick;
    let governing = reader.governing;
    let mut subjects = Subjects {
        case: reader.case_subjects.as_ref(),
        readings: None,
        gazetteer: Gazetteer::get(),
        cache: HashMap::new(),
        direct: HashMap::new(),
    };

    let out = &mut draft.phrases;
    let mut likelihoods: Vec<Likelihood> = Vec::new();
    let mut hedges: Vec<(Span, usize)> = Vec::new();
    let mut modals: Vec<Modal> = Vec::new();
    let mut confidences: Vec<(Span, usize)> = Vec::new();
    let mut unquantified: Vec<(Span, usize)> = Vec::new();

    let hits = reader.scan(range, folded);
    let mut doc = Document::new(text, range, &hits);
    doc.mask(reader.masks.as_ref(), &hits);
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
        let lower = crate::lexicon::normalize_phrase(span.text(text));
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
            let restated = match (number, &negation) {
                (Some((p, start)), _) => {
                    let nearest = written(y, p);
                    Some((
                        start,
                        nearest,
                        format!(
                            "a number with a term word: {}% is {}",
                            crate::format::format_percent(p),
                            y.term_with_band(nearest)
                        ),
                    ))
                }
                (None, Some((start, (term, why)))) => Some((*start, *term, why.clone())),
                (None, None) => None,
            };
            if let Some((start, nearest, why)) = restated {
                let span = Span::new(start, span.end);
                let band = &y.terms[nearest];
                let negated = negation.is_some();
                likelihoods.push(Likelihood {
                    phrase: out.len(),
                    span,
                    form: Form::Restated { negated, why },
                    effective: Some(nearest),
                    band: (band.lo, band.hi),
                    sentence,
                    claim: None,
                    target: None,
                });
                out.push(phrase(
                    text,
                    span,
                    PhraseKind::Likelihood,
                    None,
                    None,
                    Some(if negated { "negated" } else { "number" }.to_string()),
                ));
                continue;
            }
        }
        let interpreted = match (own, foreign, non_term) {
            (Some(Meaning::Term { term, row, .. }), _, _) => {
                let t = &y.terms[*term];
                if let Some(row) = row {
                    let slot = &mut draft.rows_seen[usize::from((*row).min(1))];
                    if slot.is_none() {
                        *slot = Some(span);
                    }
                }
                Some((
                    Form::Term { row: *row },
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
                Some((
                    Form::Foreign {
                        yardstick: *yardstick,
                        term: *term,
                    },
                    Some(written(y, t.point)),
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
                    written(y, p)
                });
                let t = &y.terms[effective];
                Some((
                    Form::NonTerm { why },
                    Some(effective),
                    (t.lo, t.hi),
                    None,
                    Some("non-term".to_string()),
                ))
            }
            _ if is(|m| matches!(m, Meaning::Comparative)) => Some((
                Form::Comparative,
                None,
                (0.0, 1.0),
                None,
                Some("comparative".to_string()),
            )),
            _ => None,
        };
        if let Some((form, effective, band, named, reading)) = interpreted {
            likelihoods.push(Likelihood {
                phrase: out.len(),
                span,
                form,
                effective,
                band,
                sentence,
                claim: None,
                target: None,
            });
            let band_of_term = named.is_some().then_some([band.0, band.1]);
            out.push(phrase(
                text,
                span,
                PhraseKind::Likelihood,
                named,
                band_of_term,
                reading,
            ));
            continue;
        }
        if let Some(Meaning::Confidence { level }) = w
            .meanings
            .iter()
            .find(|m| matches!(m, Meaning::Confidence { .. }))
        {
            confidences.push((span, sentence));
            out.push(phrase(
                text,
                span,
                PhraseKind::Confidence,
                None,
                None,
                (!level.is_empty()).then(|| level.clone()),
            ));
            continue;
        }
        if is(|m| matches!(m, Meaning::Unquantified)) {
            if is_attribution_marker(text, r, span, &mut subjects, &doc, sentence) {
                unquantified.push((span, sentence));
                out.push(phrase(text, span, PhraseKind::Evidential, None, None, None));
            }
            continue;
        }
        if is(|m| matches!(m, Meaning::Hedge)) {
            hedges.push((span, sentence));
            continue;
        }
        if is(|m| matches!(m, Meaning::Vague)) {
            // under an assessment verb ("the agency assesses that the actors could
            // potentially retaliate") a modal is a judgment whatever else it could be
            let before: Vec<&language::Token> = r
                .tokens
                .iter()
                .take_while(|t| t.span.end <= span.start)
                .collect();
            // ... unless a noun of risk carries the estimate ("assess there is a significant
            // risk these TTPs could be employed")
            let assessed = before.iter().any(|t| t.is_in(text, &ASSESSING))
                && !before.iter().any(|t| {
                    t.is_any(
                        text,
                        &[
                            "risk",
                            "risks",
                            "threat",
                            "danger",
                            "chance",
                            "possibility",
                            "likelihood",
                        ],
                    )
                });
            let sense = if lower.contains(' ') || assessed {
                language::Sense::Epistemic
            } else {
                language::modal_sense(text, r, span)
            };
            let judgment = sense == language::Sense::Epistemic
                && !r.is_question(text)
                && !r.is_instruction(text);
            if judgment {
                modals.push(Modal {
                    span,
                    sentence,
                    stacked: false,
                    analytic: false,
                    target: None,
                });
                out.push(phrase(text, span, PhraseKind::Hedge, None, None, None));
            }
        }
    }

    let mut likelihood_in: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, l) in likelihoods.iter().enumerate() {
        likelihood_in.entry(l.sentence).or_default().push(i);
    }
    // evidential hedges: phrases where they govern a clause; stacked on a term in it
    let mut stacks = Vec::new();
    for (h, s) in &hedges {
        let Some(r) = readings.get(s) else { continue };
        let clause = r.clause_at(h.start);
        // the first term after the hedge, in its clause, with no comma or bracket between
        let term = next_after(&likelihood_in, &likelihoods, *s, h.end).filter(|(_, l)| {
            l.span.end <= clause.end && !text[h.end..l.span.start].contains([',', '('])
        });
        let governs = term.is_some() || {
            lower_after(text, h.end).starts_with("that ")
                || h.text(text).to_lowercase().ends_with(" to")
        };
        if !governs || is_literal_hedge(text, *h) {
            continue;
        }
        out.push(phrase(text, *h, PhraseKind::Hedge, None, None, None));
        if let Some((l, _)) = term {
            stacks.push(Stack {
                hedge: *h,
                modal: false,
                likelihood: l,
            });
        }
    }
    // a modal right before a term: "may have likely skipped", "might possibly"
    for m in &mut modals {
        let v = m.span;
        let Some((l, _)) =
            next_after(&likelihood_in, &likelihoods, m.sentence, v.end).filter(|(_, l)| {
                let between = &text[v.end..l.span.start];
                between.len() <= 8
                    && between.split_whitespace().count() <= 1
                    && between
                        .split_whitespace()
                        .all(|w| w.eq_ignore_ascii_case("have"))
            })
        else {
            continue;
        };
        m.stacked = true;
        stacks.push(Stack {
            hedge: v,
            modal: true,
            likelihood: l,
        });
    }
    // a hedge stacked on a term is no modal judgment of its own either
    let mut stacked: Vec<usize> = stacks.iter().map(|s| s.hedge.start).collect();
    stacked.sort_unstable();
    for m in &mut modals {
        m.stacked |= stacked.binary_search(&m.span.start).is_ok();
        if !m.stacked {
            m.analytic = readings
                .get(&m.sentence)
                .is_some_and(|r| r.is_analytic(text))
                || !subjects.of(&doc, m.sentence).is_empty();
        }
    }

    // propositions: who each term is said of, and what; what the case computes of it
    let years =
        proposition::Years::index(text, Span::new(range.start.saturating_sub(1024), range.end));
    for l in &mut likelihoods {
        if l.effective.is_none() {
            continue;
        }
        let mentions = subjects.of(&doc, l.sentence);
        let Some(r) = readings.get(&l.sentence) else {
            continue;
        };
        let mut p = proposition::read(text, r, l.span, &mentions, &years);
        // a proposition without a named subject that names an assumption is about it ("the
        // possibility that the loader was planted as a false flag")
        if p.subject.is_none()
            && let Some(m) = mentions.iter().find(|m| {
                matches!(m.key, SubjectKey::Assumption(_))
                    && p.span.start <= m.span.start
                    && m.span.end <= p.span.end
            })
        {
            p.subject = Some(m.clone());
        }
        // a proposition that restates most of an assumption's label is about the assumption
        if !matches!(
            p.subject.as_ref().map(|s| &s.key),
            Some(SubjectKey::Assumption(_))
        ) && let Some(a) = proposition::restated(text, p.span, &reader.assumption_words)
        {
            p.subject = Some(Mention {
                key: SubjectKey::Assumption(a as u32),
                span: p.span,
            });
        }
        l.target = reader
            .question
            .as_ref()
            .and_then(|q| super::compare::target(&p, q));
        if let Some(phrase) = draft.phrases.get_mut(l.phrase) {
            phrase.proposition = Some(Box::new(Said::of(text, &p)));
        }
        l.claim = Some(p);
    }
    // claims with a subject go on to the document-wide check of conflicting terms
    for l in &likelihoods {
        if let (Some(c), Some(effective)) = (&l.claim, l.effective)
            && c.subject.is_some()
        {
            let claim = draft.claim(c, &l.target);
            draft.claims.push(ClaimRecord {
                term: l.span,
                effective,
                sentence: doc.span(l.sentence).start,
                claim,
            });
        }
    }
    drop(subjects);
    Batch {
        sentences: doc.sentences,
        readings,
        likelihoods,
        likelihood_in,
        stacks,
        modals,
        unquantified,
        confidences,
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

/// Whether an unquantified marker ("suspected", "believed to be") attributes: it states who
/// is responsible or what an actor is. As an adjective ("the suspected Russian group", "the
/// alleged hackers") it must name an actor or a state, or stand in a definite description
/// of an actor ("an alleged leader was arrested", "suspected universities", "plans for
/// suspected actors" attribute nothing); as a verb phrase ("is believed to be", "reportedly",
/// "is thought to be the front company") it must say responsibility or identity: an actor,
/// a front, a link, "behind", "responsible", near it, or a named actor or state.
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
        "group", "groups", "actor", "actors", "hackers", "apt", "operators", "gang", "crew",
        "attacker", "attackers", "perpetrators", "operatives", "officers", "unit", "agency",
        "culprit", "culprits", "author", "authors", "persona", "front", "proxy", "contractor",
        "company", "affiliate", "affiliates", "cell", "team", "spies", "intelligence",
    ];
    #[rustfmt::skip]
    const ATTRIBUTING: &[&str] = &[
        "state", "government", "military", "nexus", "origin", "sponsor", "sponsors",
        "sponsored", "state-sponsored", "state-backed", "linked", "behind", "responsible",
        "affiliated", "tied", "connected", "associated", "involvement", "involved", "work",
        "carried", "conducted", "perpetrated", "orchestrated",
    ];
    let at = r.token_at(span.end);
    let mentions = subjects.of(doc, i);
    let lower = span.text(text).to_lowercase();
    if matches!(lower.as_str(), "suspected" | "alleged" | "presumed")
        && r.tokens
            .get(at)
            .is_some_and(|t| t.is_word && !t.is_any(text, &["of", "to", "that"]))
    {
        // an adjective: a named actor or state in the next words, or "the suspected hackers"
        let np_end = r.tokens[at..(at + 4).min(r.tokens.len())]
            .last()
            .map_or(span.end, |t| t.span.end);
        let named = mentions
            .iter()
            .any(|m| m.span.start >= span.end && m.span.start < np_end);
        let definite = r
            .token_at(span.start)
            .checked_sub(1)
            .and_then(|p| r.tokens.get(p))
            .is_some_and(|p| p.is_any(text, &["the", "this", "that", "these", "those"]));
        let actor = r.tokens[at..]
            .iter()
            .filter(|t| t.is_word)
            .take(3)
            .any(|t| t.is_any(text, ACTOR_NOUNS));
        return named || definite && actor;
    }
    let near: Vec<&language::Token> = r.tokens[at..]
        .iter()
        .filter(|t| t.is_word)
        .take(8)
        .collect();
    near.iter()
        .any(|t| t.is_any(text, ACTOR_NOUNS) || t.is_any(text, ATTRIBUTING))
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
fn negated_reading(y: &Yardstick, term: usize) -> (usize, String) {
    let t = &y.terms[term];
    let mid = (t.lo + t.hi) / 2.0;
    if mid < 0.5 {
        return (
            written(y, 0.5),
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
            written(y, 1.0 - mid),
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

#[cfg(test)]
mod joined {
    use super::*;
    use crate::lexicon::builtin_yardstick;

    /// Every phrase's text and claim, every claim statement's term and claim number, how
    /// many claims, and the first term of each ICD 203 row.
    type Seen = (Vec<String>, Vec<(Span, u32)>, usize, [Option<Span>; 2]);

    fn seen(text: &str, d: &Draft) -> Seen {
        (
            d.phrases
                .iter()
                .map(|p| format!("{} {:?}", p.span.text(text), p.proposition))
                .collect(),
            d.claims.iter().map(|c| (c.term, c.claim)).collect(),
            d.distinct.len(),
            d.rows_seen,
        )
    }

    #[test]
    fn drafts_read_apart_and_joined_equal_one_draft_read_in_order() {
        // one claim stated in every third (so in several drafts), another in the middle
        // third only
        let text = "APT31 was almost certainly behind the intrusion. We assess APT31 was highly likely responsible.\n\n\
                    Sandworm was likely behind the wiper attack.\n\n\
                    APT31 was very likely behind the intrusion, and a false flag is unlikely.\n\n\
                    It is highly probable that APT31 was behind the intrusion.\n";
        let thirds: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i + 2).collect();
        let ranges = [
            Span::new(0, thirds[0]),
            Span::new(thirds[0], thirds[1]),
            Span::new(thirds[1], text.len()),
        ];
        let scanner = crate::review::scan::Scanner::new(&[]);
        let y = builtin_yardstick("phia").unwrap();
        let reader = Reader::new(text, &scanner, &y, &[], None);
        let mut one = Draft::default();
        for r in ranges {
            read(&reader, &mut Folded::default(), r, &mut one);
        }
        let mut joined = Draft::default();
        for r in ranges {
            let mut apart = Draft::default();
            read(&reader, &mut Folded::default(), r, &mut apart);
            joined.append(apart);
        }
        let want = seen(text, &one);
        assert_eq!(seen(text, &joined), want);
        // it is a real check: claims stated in several parts, more than one claim
        assert!(
            want.1.len() >= 3 && want.2 >= 2 && want.2 < want.1.len(),
            "{want:?}"
        );
    }

    #[test]
    fn a_batch_sees_the_paragraph_before_it() {
        // "the group" in the first paragraph of a batch finds its actor in the paragraph
        // before, which the batch before holds: as when the draft is read as one batch
        let text = "Intrusion set APT28 sent the phishing emails in May.\n\n\
                    The group was almost certainly responsible for the intrusion.\n";
        let cut = text.find("The group").unwrap();
        let scanner = crate::review::scan::Scanner::new(&[]);
        let y = builtin_yardstick("phia").unwrap();
        let reader = Reader::new(text, &scanner, &y, &[], None);
        let subject = |ranges: &[Span]| {
            let mut d = Draft::default();
            for r in ranges {
                read(&reader, &mut Folded::default(), *r, &mut d);
            }
            let said: Vec<Option<SubjectKey>> = d
                .distinct
                .iter()
                .map(|c| c.prop.subject.as_ref().map(|m| m.key.clone()))
                .collect();
            (said, d.claims.len())
        };
        let whole = subject(&[Span::new(0, text.len())]);
        assert_eq!(whole.1, 1, "{whole:?}");
        let apt28 = Gazetteer::get().mentions(text, Span::new(0, cut));
        assert_eq!(whole.0, vec![Some(apt28[0].key.clone())]);
        assert_eq!(
            subject(&[Span::new(0, cut), Span::new(cut, text.len())]),
            whole
        );
    }

    #[test]
    fn the_look_back_starts_at_a_line_or_a_word() {
        let line = "word ".repeat(200) + "\n";
        let text = line.repeat(20);
        let at = text.len() - 10;
        let from = look_back_from(&text, at);
        assert!(at - from <= LOOK_BACK && from > 0, "{from}");
        assert_eq!(&text[from - 1..from], "\n");
        // one long line: after a space
        let text = "word ".repeat(2000);
        let from = look_back_from(&text, text.len() - 3);
        assert_eq!(&text[from - 1..from], " ");
        assert!(text.len() - 3 - from <= LOOK_BACK);
        // near the start: from the start
        assert_eq!(look_back_from(&text, 100), 0);
        // no space nor line in the window: nothing before
        let text = "x".repeat(10_000);
        assert_eq!(look_back_from(&text, 9_000), 9_000);
    }
}
