//! The language layer of `acre review`: sentences, clauses and words with byte
//! offsets, and what a word means in its context — the sense of a modal
//! (epistemic, deontic, capability, habitual), month names, negation,
//! conditionals and counterfactuals, comparatives.
//!
//! Invariant: nothing here knows about rules, yardsticks or findings. Every function
//! takes the text and byte offsets into it and answers a question about the words;
//! the review rules decide what to do with the answer. Each cue has a unit test.
//!
//! Sentences are split by a small rule set rather than a general segmenter, because
//! drafts are Markdown: headings, list items, table cells and block quotes bound
//! sentences whatever their punctuation, and abbreviations ("U.S.", "e.g.", "Inc.")
//! must not. Words come from [`unicode_segmentation`]'s word boundaries (UAX #29),
//! which handle apostrophes, curly quotes and non-ASCII letters correctly.

use crate::span::Span;
use rustc_hash::FxHashSet;
use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

/// What kind of block a sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// Running prose.
    Prose,
    /// A Markdown heading (`# ...`) or a title line.
    Heading,
    /// A list item.
    ListItem,
    /// One cell of a table row.
    TableCell,
}

/// A sentence (or a heading, list item or table cell) as a byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Where.
    pub span: Span,
    /// Its block.
    pub block: Block,
}

/// Whether `word` is an abbreviation whose final dot does not end a sentence ("Inc",
/// "Dr", "etc", "Sept"), in any case: a `match` over at most six lower-case bytes.
fn is_abbreviation(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 6 {
        return false;
    }
    let mut lower = [0u8; 6];
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    matches!(
        &lower[..bytes.len()],
        b"mr"
            | b"mrs"
            | b"ms"
            | b"dr"
            | b"st"
            | b"jr"
            | b"sr"
            | b"inc"
            | b"ltd"
            | b"co"
            | b"corp"
            | b"vs"
            | b"etc"
            | b"fig"
            | b"no"
            | b"nos"
            | b"approx"
            | b"al"
            | b"gen"
            | b"col"
            | b"lt"
            | b"sgt"
            | b"sen"
            | b"rep"
            | b"gov"
            | b"prof"
            | b"dept"
            | b"est"
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"cf"
            | b"viz"
            | b"ca"
            | b"op"
            | b"cit"
            | b"ibid"
            | b"vol"
            | b"pp"
            | b"ed"
            | b"eds"
    )
}

/// The content of a line once block-quote markers (`>`) are stripped: its start offset
/// within the line.
fn quote_stripped(line: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &line[at..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        match trimmed.strip_prefix('>') {
            Some(_) => at = line.len() - trimmed.len() + 1,
            None => return line.len() - trimmed.len(),
        }
    }
}

/// Whether a line (without its block-quote markers) is a Markdown list item, and where
/// its content starts.
fn list_item(content: &str) -> Option<usize> {
    let t = content.trim_start_matches([' ', '\t']);
    let indent = content.len() - t.len();
    for bullet in ["- ", "* ", "+ ", "\u{2022} "] {
        if t.starts_with(bullet) {
            return Some(indent + bullet.len());
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
        && t.as_bytes().get(digits + 1) == Some(&b' ')
    {
        return Some(indent + digits + 2);
    }
    None
}

/// Whether a line is a table row: it starts with `|`, or holds two or more cell separators.
fn is_table_row(content: &str) -> bool {
    let t = content.trim();
    t.starts_with('|') || t.matches('|').count() >= 2 && !t.contains('`')
}

/// Splits prose into sentences: at `.`, `!`, `?` followed by a space and a capital, a
/// digit or an opening quote; at blank lines and empty block-quote lines; headings,
/// list items and each table cell stand alone.
#[cfg(test)]
pub fn sentences(text: &str) -> Vec<Sentence> {
    sentences_at(text, 0)
}

/// [`sentences`] of a text that starts at byte `origin` of the draft: runs longer than
/// [`MAX_SENTENCE`] are cut on the draft's grid ([`run_cut`]).
fn sentences_at(text: &str, origin: usize) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 80);
    // the open sentence: its start, and the block it belongs to
    let mut open: Option<(usize, Block)> = None;
    let mut offset = 0;
    let close = |out: &mut Vec<Sentence>, open: &mut Option<(usize, Block)>, end: usize| {
        if let Some((start, block)) = open.take() {
            push_trimmed(text, origin, out, Span::new(start, end), block);
        }
    };
    let mut breaks = memchr::memchr_iter(b'\n', bytes);
    while offset < text.len() {
        let line_start = offset;
        offset = breaks.next().map_or(text.len(), |p| p + 1);
        let line = &text[line_start..offset];
        let body_end = line_start + line.trim_end_matches(['\n', '\r']).len();
        let content_at = line_start + quote_stripped(&text[line_start..body_end]);
        let content = &text[content_at..body_end];
        if content.trim().is_empty() {
            close(&mut out, &mut open, line_start);
            continue;
        }
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') {
            close(&mut out, &mut open, line_start);
            push_trimmed(
                text,
                origin,
                &mut out,
                Span::new(content_at, body_end),
                Block::Heading,
            );
            continue;
        }
        if is_table_row(content) {
            close(&mut out, &mut open, line_start);
            let mut cell_start = content_at;
            for (i, c) in content.char_indices() {
                if c == '|' {
                    push_cell(
                        text,
                        origin,
                        &mut out,
                        Span::new(cell_start, content_at + i),
                    );
                    cell_start = content_at + i + 1;
                }
            }
            push_cell(text, origin, &mut out, Span::new(cell_start, body_end));
            continue;
        }
        let mut from = content_at;
        if let Some(item) = list_item(content) {
            close(&mut out, &mut open, line_start);
            from = content_at + item;
            open = Some((from, Block::ListItem));
        } else if open.is_none() {
            open = Some((content_at, Block::Prose));
        }
        // sentence ends inside the line
        let mut i = from;
        while i < body_end {
            // only `.`, `!`, `?` and `…` (E2 80 A6) can end a sentence
            let line = &bytes[i..body_end];
            let stop = memchr::memchr3(b'.', b'!', b'?', line).unwrap_or(line.len());
            let ellipsis = memchr::memchr(0xe2, &line[..stop]).and_then(|first| {
                // "…" is E2 80 A6; other characters start with E2 too (curly quotes)
                (first..stop).find(|p| line[*p..].starts_with("\u{2026}".as_bytes()))
            });
            let (at, c) = match (ellipsis, stop < line.len()) {
                (Some(p), _) => (i + p, '\u{2026}'),
                (None, true) => (i + stop, char::from(line[stop])),
                (None, false) => break,
            };
            i = at;
            let len = c.len_utf8();
            if let Some(end) = sentence_end(text, i, c, body_end) {
                let block = open.map_or(Block::Prose, |(_, b)| b);
                close(&mut out, &mut open, end);
                let next = skip_space(text, end, body_end);
                if next < body_end {
                    open = Some((next, block));
                }
                i = end.max(i + len);
                continue;
            }
            i += len;
        }
    }
    close(&mut out, &mut open, text.len());
    out
}

fn skip_space(text: &str, from: usize, to: usize) -> usize {
    from + (text[from..to].len() - text[from..to].trim_start().len())
}

/// The longest sentence read as one, in bytes: a longer run without a sentence end (a
/// heading line of a megabyte, a line of words without a stop) is read in pieces of 1-4 KiB,
/// so that reading it stays linear.
pub const MAX_SENTENCE: usize = 4096;

/// The grid a long run is cut on: every multiple of this many bytes of the draft.
const GRID: usize = MAX_SENTENCE / 2;

/// The first grid line at least [`GRID`] bytes after `at`, in offsets of a text that starts
/// at byte `origin` of the draft.
pub(crate) fn next_grid(origin: usize, at: usize) -> usize {
    (origin + at + GRID).div_ceil(GRID) * GRID - origin
}

/// Where a long run is cut near the grid line `g` (below `text.len()`): at the last space
/// in the half grid before it, else at the character boundary at or before it. A run's
/// pieces end at the cuts of successive grid lines, which depend on the draft's offsets
/// and not on where the run starts: a run cut at a grid line (a batch of a long line, see
/// `review::batches`) is read in the same pieces as the whole run.
pub(crate) fn run_cut(text: &str, g: usize) -> usize {
    let mut g = g.min(text.len());
    while !text.is_char_boundary(g) {
        g -= 1;
    }
    let from = g.saturating_sub(GRID / 2);
    memchr::memrchr(b' ', &text.as_bytes()[from..g]).map_or(g, |p| from + p)
}

fn push_trimmed(text: &str, origin: usize, out: &mut Vec<Sentence>, span: Span, block: Block) {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    let tail = s.len() - s.trim_end().len();
    if lead + tail >= s.len() {
        return;
    }
    let (mut start, end) = (span.start + lead, span.end - tail);
    if end - start > MAX_SENTENCE {
        // pieces up to the cut of the first grid line half a piece on: each is 1-4 KiB
        loop {
            let g = next_grid(origin, start);
            if g >= end {
                break;
            }
            let cut = run_cut(text, g);
            let piece_end = start + text[start..cut].trim_end().len();
            if piece_end > start {
                out.push(Sentence {
                    span: Span::new(start, piece_end),
                    block,
                });
            }
            start = skip_space(text, cut.max(start), end);
            if start >= end {
                return;
            }
        }
    }
    out.push(Sentence {
        span: Span::new(start, end),
        block,
    });
}

fn push_cell(text: &str, origin: usize, out: &mut Vec<Sentence>, span: Span) {
    let t = span.text(text).trim();
    // separator cells (`---`, `:---:`) hold no words
    if t.chars().all(|c| matches!(c, '-' | ':' | ' ')) {
        return;
    }
    push_trimmed(text, origin, out, span, Block::TableCell);
}

/// Whether the terminator `c` at `at` ends a sentence; the end offset (after closing
/// quotes and brackets) if so.
fn sentence_end(text: &str, at: usize, c: char, line_end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if c == '.' {
        // a dot inside a number, a file name or a URL
        if bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        // "U.S.", "e.g.", single initials, and listed abbreviations
        let word_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, ch)| ch.is_alphanumeric() || *ch == '.')
            .last()
            .map_or(at, |(i, _)| i);
        let word = &text[word_start..at];
        let letters = word.chars().filter(|ch| ch.is_alphabetic()).count();
        if !word.is_empty() && (letters == 1 && !word.chars().any(|ch| ch.is_ascii_digit())) {
            return None;
        }
        if word.contains('.') && letters <= 4 {
            return None;
        }
        if is_abbreviation(word) {
            return None;
        }
        // an ellipsis in the middle of a sentence
        if bytes.get(at + 1) == Some(&b'.') {
            return None;
        }
    }
    let after = at + c.len_utf8();
    let rest = &text[after..line_end];
    let closing = rest
        .char_indices()
        .find(|(_, ch)| {
            !matches!(
                ch,
                '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '*' | '_'
            )
        })
        .map_or(rest.len(), |(i, _)| i);
    let end = after + closing;
    let rest = &text[end..];
    if rest.is_empty() || end == line_end && rest.starts_with(['\n', '\r']) {
        // the end of a line: the sentence ends if the next line starts like a sentence
        let next = rest.trim_start();
        return (next.is_empty() || starts_sentence(next)).then_some(end);
    }
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let next = rest.trim_start();
    (next.is_empty() || starts_sentence(next)).then_some(end)
}

/// Whether text starting here can begin a sentence: a capital, a digit, an opening
/// quote or bracket, or Markdown markup.
fn starts_sentence(next: &str) -> bool {
    let mut chars = next.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        Some('"' | '\u{201c}' | '\u{2018}' | '\'' | '(' | '[' | '#' | '*' | '_' | '!' | '>') => {
            true
        }
        _ => false,
    }
}

/// The sentences of `text[range]` (which starts and ends at paragraph breaks), with
/// offsets into the whole text.
pub fn sentences_in(text: &str, range: Span) -> Vec<Sentence> {
    let mut out = sentences_at(range.text(text), range.start);
    for s in &mut out {
        s.span = Span::new(s.span.start + range.start, s.span.end + range.start);
    }
    out
}

/// The sentence holding byte `at`, by binary search over sorted sentences.
pub fn sentence_at(sentences: &[Sentence], at: usize) -> Option<usize> {
    let idx = sentences.partition_point(|s| s.span.end <= at);
    sentences
        .get(idx)
        .filter(|s| s.span.start <= at)
        .map(|_| idx)
}

/// A word or a mark of punctuation, with its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where.
    pub span: Span,
    /// A word (letters and digits), or punctuation.
    pub is_word: bool,
}

impl Token {
    /// The token's text.
    pub fn text(self, text: &str) -> &str {
        self.span.text(text)
    }

    /// Whether the token is `word`, ignoring ASCII case (a curly apostrophe reads as `'`).
    pub fn is(self, text: &str, word: &str) -> bool {
        self.is_any(text, &[word])
    }

    /// Whether the token is one of `words`, ignoring ASCII case (a curly apostrophe reads
    /// as `'`).
    pub fn is_any(self, text: &str, words: &[&str]) -> bool {
        let t = self.text(text);
        // (most tokens are ASCII: no search for the apostrophe in them)
        if !t.is_ascii() && t.contains('\u{2019}') {
            let t = t.replace('\u{2019}', "'");
            return words.iter().any(|w| t.eq_ignore_ascii_case(w));
        }
        words.iter().any(|w| t.eq_ignore_ascii_case(w))
    }

    /// Whether the token is in the word set `words`.
    pub fn is_in(self, text: &str, words: &Words) -> bool {
        words.contains(self.text(text))
    }
}

/// A list of lower-case words with a hash set built on first use, for lists too long to
/// scan word by word.
pub struct Words {
    list: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl Words {
    /// The set of `list` (lower case).
    pub const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            set: OnceLock::new(),
        }
    }

    /// Whether `word` is in the set, ignoring case (a curly apostrophe reads as `'`).
    pub fn contains(&self, word: &str) -> bool {
        let set = self.set.get_or_init(|| self.list.iter().copied().collect());
        if word.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
            set.contains(word)
        } else {
            set.contains(word.to_lowercase().replace('\u{2019}', "'").as_str())
        }
    }
}

/// The words and punctuation of `span` (whitespace dropped), by UAX #29 word boundaries.
/// ASCII text takes a fast path that applies the same rules (letters and digits join;
/// `'`, `.` and `:` join letters, `,`, `;`, `.` and `'` join digits; `_` joins both);
/// other text goes through [`unicode_segmentation`].
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let s = span.text(text);
    if !s.is_ascii() {
        return s
            .split_word_bound_indices()
            .filter(|(_, w)| !w.trim().is_empty())
            .map(|(i, w)| Token {
                span: Span::new(span.start + i, span.start + i + w.len()),
                is_word: w.chars().next().is_some_and(char::is_alphanumeric),
            })
            .collect();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 5);
    let mut i = 0;
    let letter = |c: u8| c.is_ascii_alphabetic();
    let digit = |c: u8| c.is_ascii_digit();
    let joins = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if !joins(c) {
            out.push(Token {
                span: Span::new(span.start + i, span.start + i + 1),
                is_word: false,
            });
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() {
            let (prev, cur) = (b[i - 1], b[i]);
            if joins(cur) {
                i += 1;
                continue;
            }
            let next = b.get(i + 1).copied().unwrap_or(b' ');
            let mid_letter = matches!(cur, b'\'' | b'.' | b':') && letter(prev) && letter(next);
            let mid_num = matches!(cur, b',' | b';' | b'.' | b'\'') && digit(prev) && digit(next);
            if mid_letter || mid_num {
                i += 2;
                continue;
            }
            break;
        }
        out.push(Token {
            span: Span::new(span.start + start, span.start + i),
            is_word: b[start].is_ascii_alphanumeric(),
        });
    }
    out
}

/// The index of the first token starting at or after `at`.
pub fn token_at(tokens: &[Token], at: usize) -> usize {
    tokens.partition_point(|t| t.span.start < at)
}

/// A sentence read once: its tokens and its clause boundaries. Every context question
/// about a phrase in it is answered from here; the questions about the whole sentence
/// (is it analytic, a question, an instruction) are asked only when a rule needs them.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The sentence.
    pub span: Span,
    /// Its words and punctuation.
    pub tokens: Vec<Token>,
    /// Clause boundaries: (where the delimiter starts, where the next clause starts).
    breaks: Vec<(usize, usize)>,
    /// Where the words that make a clause conditional stand ("if", "unless", "would").
    conditional_cues: Vec<usize>,
    /// Whole-sentence cues, found when first asked: analytic, instruction, to the
    /// reader, Title Case.
    cues: std::cell::OnceCell<[bool; 4]>,
}

impl Reading {
    /// Reads the sentence at `span`.
    pub fn new(text: &str, span: Span) -> Reading {
        let tokens = tokens(text, span);
        let mut conditional_cues: Vec<usize> = tokens
            .iter()
            .filter(|t| t.is_word && t.is_in(text, &CONDITIONAL))
            .map(|t| t.span.start)
            .collect();
        // "in the event (that)", "were it (not)"
        for w in tokens.windows(3) {
            if (w[0].is(text, "in") && w[1].is(text, "the") && w[2].is(text, "event"))
                || (w[0].is(text, "were") && w[1].is(text, "it"))
            {
                conditional_cues.push(w[0].span.start);
            }
        }
        conditional_cues.sort_unstable();
        Reading {
            span,
            breaks: clause_breaks(text, span),
            tokens,
            conditional_cues,
            cues: std::cell::OnceCell::new(),
        }
    }

    fn cues(&self, text: &str) -> [bool; 4] {
        *self.cues.get_or_init(|| {
            [
                self.find_analytic(text),
                self.find_instruction(text),
                self.find_reader(text),
                is_title_case(text, &self.tokens),
            ]
        })
    }

    fn words(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_word)
    }

    /// Whether it uses the vocabulary of analysis: actors, attribution, evidence, motives.
    pub fn is_analytic(&self, text: &str) -> bool {
        self.cues(text)[0]
    }

    /// Whether it instructs or advises the reader ("are advised to", "should be",
    /// "we recommend"): its modals are advice, not judgments.
    pub fn is_instruction(&self, text: &str) -> bool {
        self.cues(text)[1]
    }

    /// Whether it addresses the reader ("you would hope", "your EDR might").
    pub fn addresses_reader(&self, text: &str) -> bool {
        self.cues(text)[2]
    }

    /// Whether it is written in Title Case (a heading or a report title).
    pub fn is_title_case(&self, text: &str) -> bool {
        self.cues(text)[3]
    }

    fn find_analytic(&self, text: &str) -> bool {
        self.words().any(|t| t.is_in(text, &ANALYTIC))
    }

    fn find_reader(&self, text: &str) -> bool {
        self.words().any(|t| {
            let w = t.text(text);
            w.starts_with(['y', 'Y']) && {
                let lower = w.to_ascii_lowercase();
                lower == "you"
                    || lower == "your"
                    || lower == "yourself"
                    || lower.starts_with("you'")
                    || lower.starts_with("you\u{2019}")
            }
        })
    }

    /// Whether it is a question.
    pub fn is_question(&self, text: &str) -> bool {
        self.span
            .text(text)
            .trim_end_matches(['*', '_', '"', '\u{201d}', ')', ' '])
            .ends_with('?')
    }

    fn find_instruction(&self, text: &str) -> bool {
        let words: Vec<&Token> = self.words().collect();
        // an imperative: "Monitor for activity that may indicate ...", "Look for ..."
        if words.first().is_some_and(|t| {
            t.is_in(text, &IMPERATIVES) && t.text(text).starts_with(|c: char| c.is_uppercase())
        }) {
            return true;
        }
        words.iter().enumerate().any(|(i, t)| {
            if !t.is_in(text, &INSTRUCTING) {
                return false;
            }
            let next = words.get(i + 1);
            let w = t.text(text).to_ascii_lowercase();
            match w.as_str() {
                "recommend" | "recommends" | "recommended" => true,
                "should" | "must" => next.is_some_and(|n| {
                    n.is_any(
                        text,
                        &["be", "consider", "review", "patch", "apply", "update"],
                    )
                }),
                _ => next.is_some_and(|n| n.is(text, "to")),
            }
        })
    }

    /// The clause holding byte `at`: from the last break before it to the next.
    pub fn clause_at(&self, at: usize) -> Span {
        // breaks are in text order: the last whose clause starts at or before `at`
        let i = self.breaks.partition_point(|(_, next)| *next <= at);
        let start = i
            .checked_sub(1)
            .map_or(self.span.start, |j| self.breaks[j].1);
        let end = self.breaks[i..]
            .iter()
            .find(|(delim, _)| *delim >= at)
            .map_or(self.span.end, |(delim, _)| *delim);
        Span::new(start, end.max(start))
    }

    /// The index of the first token starting at or after `at`.
    pub fn token_at(&self, at: usize) -> usize {
        token_at(&self.tokens, at)
    }

    /// The tokens that lie within `span`.
    pub fn within(&self, span: Span) -> &[Token] {
        let from = token_at(&self.tokens, span.start);
        let to = self.tokens.partition_point(|t| t.span.end <= span.end);
        &self.tokens[from..to.max(from)]
    }
}

/// Verbs that start advice in detection and mitigation text, as imperatives.
#[rustfmt::skip]
static IMPERATIVES: Words = Words::new(&[
    "monitor", "look", "review", "check", "search", "hunt", "investigate", "consider",
    "ensure", "block", "disable", "apply", "patch", "update", "enable", "implement", "restrict",
    "audit", "inspect", "examine", "verify", "watch", "alert", "log", "configure", "deploy",
    "limit", "remove", "reset", "rotate", "isolate", "quarantine", "scan", "identify",
    "prioritize", "prioritise", "upgrade", "install", "segment", "require", "use", "avoid",
    "report", "contact", "note", "see", "refer", "treat", "assume", "be", "do", "keep",
    "maintain", "establish", "create", "collect", "retain", "filter", "detect",
]);

/// Words that start advice to the reader ("are advised to", "should be", "we recommend").
static INSTRUCTING: Words = Words::new(&[
    "advised",
    "adviced",
    "encouraged",
    "urged",
    "asked",
    "should",
    "must",
    "recommend",
    "recommends",
    "recommended",
]);

static DEONTIC: Words = Words::new(DEONTIC_SUBJECTS);

/// What a modal (or a possibility adverb) expresses where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// A judgment of probability about the world ("APT29 may have logged successes").
    Epistemic,
    /// Permission or obligation ("you may obtain a copy", "may be distributed").
    Deontic,
    /// What something can do or lead to ("could allow an attacker to run code").
    Capability,
    /// What an actor sometimes does ("Depending on the target, FIN6 may identify POS systems").
    Habitual,
    /// The month of May.
    Month,
    /// A fixed expression with no estimate in it ("we may presume", "at the cost of possibly").
    Idiom,
}

/// Words that read as a month when capitalised `May` stands next to them.
#[rustfmt::skip]
const BEFORE_MONTH: &[&str] = &[
    "in", "since", "from", "through", "until", "till", "between", "and", "to", "early", "late",
    "mid", "of", "by", "during", "last", "next", "this", "each", "every", "on", "before",
    "after", "or", "until", "throughout", "&",
];

/// Whether the word at `span` (written `May` or `MAY`) is the month.
pub fn is_month(text: &str, r: &Reading, span: Span) -> bool {
    let word = span.text(text);
    if !word.starts_with('M') {
        return false;
    }
    let toks = &r.tokens;
    let i = r.token_at(span.start);
    let next = toks.get(i + 1);
    let prev = i.checked_sub(1).and_then(|p| toks.get(p));
    let starts_digit = |t: &Token| t.text(text).starts_with(|c: char| c.is_ascii_digit());
    // "May 2017", "May 14", "May of this year", "May, 2019"
    if let Some(n) = next {
        if starts_digit(n) || n.is(text, "of") {
            return true;
        }
        if n.text(text) == "," && toks.get(i + 2).is_some_and(starts_digit) {
            return true;
        }
    }
    // "24 May", "in May", "March through May"
    if let Some(p) = prev
        && (starts_digit(p) || p.is_any(text, BEFORE_MONTH))
    {
        return true;
    }
    // a capitalised modal mid-sentence happens only in Title Case lines
    let at_start = prev.is_none_or(|p| {
        !p.is_word
            && matches!(
                p.text(text),
                "\"" | "\u{201c}" | "(" | "*" | "_" | "[" | "-" | "|"
            )
    });
    !at_start && !r.is_title_case(text)
}

/// Title Case: most of the longer words capitalised (a heading or a report title).
fn is_title_case(text: &str, tokens: &[Token]) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "by", "at", "from",
        "is", "as", "vs",
    ];
    let words = tokens
        .iter()
        .filter(|t| t.is_word && !t.is_any(text, SMALL))
        .filter(|t| !t.text(text).starts_with(|c: char| c.is_ascii_digit()));
    let (mut n, mut capitalised) = (0, 0);
    for w in words {
        n += 1;
        capitalised += usize::from(w.text(text).starts_with(char::is_uppercase));
    }
    n >= 2 && capitalised * 10 >= n * 8
}

/// Subjects that make a modal a permission or an instruction.
#[rustfmt::skip]
const DEONTIC_SUBJECTS: &[&str] = &[
    "you", "your", "users", "user", "recipients", "readers", "reader", "customers", "licensee",
    "licensees", "organisations", "organizations", "administrators", "defenders", "victims",
    "entities", "individuals", "companies", "owners", "vendors", "agencies", "one",
];

/// Verbs after a modal that grant or ask for something.
#[rustfmt::skip]
const DEONTIC_VERBS: &[&str] = &[
    "obtain", "request", "contact", "wish", "want", "choose", "apply", "qualify", "submit",
    "copy", "distribute", "reproduce", "redistribute", "modify", "share", "reach", "visit",
    "refer", "consult", "download", "find", "need", "opt", "elect", "continue", "proceed",
];

/// Verbs after a modal that say what something leads to or makes possible.
#[rustfmt::skip]
const CONSEQUENCE_VERBS: &[&str] = &[
    "allow", "allows", "enable", "permit", "let", "lead", "result", "cause", "help", "make",
    "give", "provide", "affect", "impact", "expose", "prevent", "reduce", "increase", "mitigate",
    "hinder", "hamper", "facilitate", "grant", "open", "render", "require", "trigger", "benefit",
    "harm", "complicate", "disrupt", "damage", "limit", "slow", "speed",
];
static CONSEQUENCE: Words = Words::new(CONSEQUENCE_VERBS);

/// Passive participles after `may be` / `could be` that describe handling or use, not a
/// judgment ("may be distributed", "could be used to", "may be rebranded").
#[rustfmt::skip]
const USE_PARTICIPLES: &[&str] = &[
    "used", "leveraged", "abused", "exploited", "deployed", "employed", "utilized", "utilised",
    "distributed", "reproduced", "shared", "copied", "obtained", "rebranded", "configured",
    "modified", "installed", "found", "downloaded", "accessed", "sent", "delivered", "reached",
    "contacted", "reported", "submitted", "applied", "combined", "adapted", "extended",
    "customised", "customized", "detected", "blocked", "mitigated", "prevented", "reduced",
    "identified", "leveraged", "executed", "run", "launched", "triggered", "bypassed",
    "disabled", "enabled", "compiled", "packed", "obfuscated", "encrypted", "renamed",
    "replaced", "removed", "deleted", "changed", "set", "placed", "stored", "hosted", "written",
];
static USE: Words = Words::new(USE_PARTICIPLES);

/// Participles that carry an analytic relation ("may be linked to", "might be related to").
#[rustfmt::skip]
const ANALYTIC_PARTICIPLES: &[&str] = &[
    "linked", "related", "tied", "connected", "associated", "affiliated", "attributed",
    "responsible", "sponsored", "backed", "directed", "controlled", "operated", "run",
    "involved", "based", "located", "behind", "aligned", "motivated", "tasked", "paid", "hired",
    "contracted", "supported", "funded", "state-sponsored",
];

/// Adjectives after `may be` that describe ability or exposure, not a judgment.
#[rustfmt::skip]
const CAPABILITY_ADJECTIVES: &[&str] = &[
    "able", "unable", "capable", "successful", "unsuccessful", "effective", "ineffective",
    "possible", "impossible", "vulnerable", "susceptible", "affected", "exploitable",
    "available", "compatible", "supported", "useful", "eligible", "required", "necessary",
    "needed", "subject", "liable", "exposed", "at",
];

/// Verbs after `may` that state a relation or a state of mind: a judgment, not a habit.
#[rustfmt::skip]
pub const STATIVE_VERBS: &[&str] = &[
    "mean", "explain", "reflect", "indicate", "suggest", "represent", "signal", "align",
    "belong", "relate", "correspond", "originate", "coincide", "overlap", "share", "want",
    "intend", "plan", "seek", "perceive", "believe", "know", "prefer", "expect", "hope",
    "include", "involve", "constitute", "point", "stem", "derive", "date", "account", "exist",
    "lie", "rest", "depend", "differ", "work", "operate", "act", "be", "have", "remain",
    "continue", "hold", "possess", "own", "control", "view", "see", "consider", "regard",
    "think", "feel", "lack", "need", "share", "tie", "link", "connect", "serve", "reside",
    "come", "emanate", "follow", "precede", "outnumber", "exceed", "total", "number", "amount",
    "cost", "matter", "signify", "imply", "foreshadow", "herald", "preview", "confirm", "prove",
    "demonstrate", "mark", "betray", "reveal", "evidence",
];
/// [`STATIVE_VERBS`] as a set.
pub static STATIVE: Words = Words::new(STATIVE_VERBS);

/// Verbs after `we may` / `one might` that make a fixed expression ("we may presume").
#[rustfmt::skip]
const IDIOM_VERBS: &[&str] = &[
    "presume", "assume", "note", "say", "add", "conclude", "recall", "mention", "argue", "ask",
    "wonder", "imagine", "recognise", "recognize", "observe", "remark",
];

/// Adverbs that may stand between a modal and its verb.
#[rustfmt::skip]
pub const MODAL_ADVERBS: &[&str] = &[
    "also", "well", "still", "even", "only", "just", "already", "further", "additionally",
    "never", "ever", "actually", "now", "then", "therefore", "thus", "instead", "sometimes",
    "often", "occasionally", "broadly", "partly", "partially", "largely", "legitimately",
    "simply", "indeed", "in", "fact", "yet", "alternatively", "potentially", "possibly",
    "perhaps", "similarly", "subsequently", "eventually", "ultimately",
];
/// [`MODAL_ADVERBS`] as a set.
pub static ADVERBS: Words = Words::new(MODAL_ADVERBS);

/// Whether a word looks like a past participle ("deployed", "taken", "run").
pub fn is_participle(word: &str) -> bool {
    const IRREGULAR: &[&str] = &[
        "been",
        "done",
        "seen",
        "known",
        "given",
        "taken",
        "written",
        "run",
        "shown",
        "made",
        "found",
        "sent",
        "built",
        "kept",
        "held",
        "set",
        "put",
        "begun",
        "gone",
        "stolen",
        "chosen",
        "spoken",
        "driven",
        "broken",
        "hidden",
        "bought",
        "brought",
        "thought",
        "caught",
        "taught",
        "sold",
        "told",
        "lost",
        "won",
        "hit",
        "cut",
        "led",
        "left",
        "met",
        "paid",
        "said",
        "spent",
        "struck",
        "sought",
        "understood",
        "withdrawn",
        "drawn",
        "grown",
        "thrown",
        "blown",
        "flown",
        "worn",
        "torn",
        "sworn",
        "born",
        "borne",
        "got",
        "gotten",
        "had",
        "heard",
        "laid",
        "lent",
        "meant",
        "read",
        "slid",
        "spun",
        "stood",
        "stuck",
        "swept",
        "undergone",
        "overseen",
        "overtaken",
        "rewritten",
        "mistaken",
    ];
    (word.len() > 3
        && word
            .get(word.len() - 2..)
            .is_some_and(|e| e.eq_ignore_ascii_case("ed")))
        || IRREGULAR.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The sense of the modal or possibility word at `modal` in the sentence `r`.
pub fn modal_sense(text: &str, r: &Reading, modal: Span) -> Sense {
    let word = modal.text(text);
    if (word == "May" || word == "MAY") && is_month(text, r, modal) {
        return Sense::Month;
    }
    let i = r.token_at(modal.start);
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "may" | "might" | "could" => verbal_modal_sense(text, &r.tokens, i, &lower),
        "possibly" | "perhaps" | "potentially" => adverb_sense(text, &r.tokens, i, &lower),
        _ => Sense::Epistemic,
    }
}

fn verbal_modal_sense(text: &str, toks: &[Token], i: usize, modal: &str) -> Sense {
    let prev_word = toks[..i].iter().rev().find(|t| t.is_word).copied();
    // "you may", "users may": permission or instruction
    if prev_word.is_some_and(|p| p.is_in(text, &DEONTIC)) {
        return Sense::Deontic;
    }
    // the verb after the modal, past adverbs and a negation
    let mut j = i + 1;
    let mut negated = false;
    while let Some(t) = toks.get(j) {
        if t.is_any(text, &["not", "n't"]) {
            negated = true;
        } else if !(t.is_word && t.is_in(text, &ADVERBS)) && t.text(text) != "," {
            break;
        }
        j += 1;
    }
    let Some(verb) = toks.get(j).filter(|t| t.is_word) else {
        return Sense::Idiom;
    };
    let after = toks.get(j + 1).copied();
    if verb.is(text, "have") {
        // "may have been deployed", "could have logged", "may have likely skipped":
        // a judgment about the past
        let participle = toks[j + 1..].iter().find(|t| {
            !t.is_in(text, &ADVERBS)
                && !t.is_any(text, &["likely", "probably", "almost", "certainly"])
        });
        return if participle.is_some_and(|a| is_participle(a.text(text))) {
            Sense::Epistemic
        } else {
            Sense::Capability
        };
    }
    if prev_word.is_some_and(|p| p.is_any(text, &["we", "i", "one"]))
        && verb.is_any(text, IDIOM_VERBS)
    {
        return Sense::Idiom;
    }
    if verb.is(text, "be") || verb.is(text, "well") {
        let Some(next) = after else {
            return Sense::Epistemic;
        };
        let n = next.text(text).to_ascii_lowercase();
        if n.ends_with("ing") && n.len() > 4 {
            return Sense::Epistemic;
        }
        // "could not be attributed", "could not be reached": what was not possible, a fact;
        // but "could not be ruled out" leaves a possibility open, a judgment
        if modal == "could" && negated && is_participle(&n) {
            return if matches!(
                n.as_str(),
                "ruled" | "excluded" | "dismissed" | "discounted" | "precluded"
            ) {
                Sense::Epistemic
            } else {
                Sense::Capability
            };
        }
        if ANALYTIC_PARTICIPLES.contains(&n.as_str()) {
            return Sense::Epistemic;
        }
        if USE.contains(&n) || CAPABILITY_ADJECTIVES.contains(&n.as_str()) {
            return if prev_word.is_some_and(|p| p.is_any(text, &["it", "this", "that"]))
                && n == "possible"
            {
                Sense::Epistemic
            } else {
                Sense::Capability
            };
        }
        // "may be rebranded", "could be inflated": a passive of procedure
        if is_participle(&n) {
            return Sense::Capability;
        }
        return Sense::Epistemic;
    }
    let v = verb.text(text).to_ascii_lowercase();
    if CONSEQUENCE.contains(&v) {
        return Sense::Capability;
    }
    if negated && (modal == "may" && DEONTIC_VERBS.contains(&v.as_str()) || v == "use") {
        return Sense::Deontic;
    }
    if DEONTIC_VERBS.contains(&v.as_str())
        && prev_word.is_none_or(|p| !p.is_word || p.is_in(text, &DEONTIC))
    {
        return Sense::Deontic;
    }
    // "we could not confirm", "the group could not access": what was not possible (past
    // inability), not a hedge
    if modal == "could" && negated {
        return Sense::Capability;
    }
    if STATIVE.contains(&v) {
        return Sense::Epistemic;
    }
    if modal == "could" {
        // "an attacker could execute code", "before they could take action": ability
        return Sense::Capability;
    }
    // "FIN6 may stage ransomware", "Depending on the target, FIN6 may identify": a habit
    Sense::Habitual
}

fn adverb_sense(text: &str, toks: &[Token], i: usize, adverb: &str) -> Sense {
    let prev_word = toks[..i].iter().rev().find(|t| t.is_word);
    let next_word = toks.get(i + 1).filter(|t| t.is_word);
    // "at the cost of possibly being", "without possibly"
    if prev_word.is_some_and(|p| p.is_any(text, &["of", "at", "without", "by", "for"])) {
        return Sense::Idiom;
    }
    if adverb == "potentially" {
        // "potentially malicious", "potentially unwanted": a risk descriptor, unless it
        // qualifies an analytic relation
        return if next_word.is_some_and(|n| {
            n.is_any(text, ANALYTIC_PARTICIPLES) || n.is_any(text, &["the", "a", "an"])
        }) {
            Sense::Epistemic
        } else {
            Sense::Capability
        };
    }
    Sense::Epistemic
}

/// Words that make a clause conditional or counterfactual.
pub(crate) static CONDITIONAL: Words = Words::new(CONDITIONAL_CUES);

const CONDITIONAL_CUES: &[&str] = &[
    "if",
    "unless",
    "whether",
    "would",
    "provided",
    "assuming",
    "suppose",
    "supposing",
    "otherwise",
    "lest",
];

/// Whether the words of `clause` before `at` (or the word right after it) make what is
/// said at `at` conditional or counterfactual: "if ...", "unless ...", "would ...",
/// "were it ...", "in the event".
pub fn is_conditional(text: &str, r: &Reading, clause: Span, at: usize) -> bool {
    // a cue in the clause before `at`
    let from = r.conditional_cues.partition_point(|c| *c < clause.start);
    if r.conditional_cues.get(from).is_some_and(|c| *c < at) {
        return true;
    }
    // "would lower our judgment to likely": the term after a counterfactual verb
    let toks = r.within(clause);
    toks[token_at(toks, at)..]
        .first()
        .is_some_and(|t| t.is_any(text, &["would", "if", "unless"]))
}

/// Words after which a wh-word opens an indirect question: what is asked, not known, or
/// being found out ("it is unclear who", "to determine what", "they asked which").
#[rustfmt::skip]
static ASKING: Words = Words::new(&[
    "unclear", "unknown", "uncertain", "unsure", "clear", "known", "certain", "sure",
    "undetermined", "ask", "asks", "asked", "asking", "determine", "determines", "determined",
    "determining", "know", "knows", "knew", "understand", "understood", "wonder", "wonders",
    "wondered", "wondering", "investigate", "investigates", "investigated", "investigating",
    "establish", "established", "establishing", "speculate", "speculated", "speculating",
    "speculation", "guess", "guessing", "debate", "debated", "debating", "tell", "say",
    "decide", "decided", "idea",
]);

/// Pairs of words after which a wh-word opens an indirect question ("as for which", "the
/// question of who", "doubts about what", "to find out who").
const ASKING_PAIRS: &[(&[&str], &str)] = &[
    (&["as"], "for"),
    (&["question", "questions", "issue", "matter", "idea"], "of"),
    (
        &[
            "question",
            "questions",
            "unsure",
            "uncertain",
            "unclear",
            "speculation",
            "doubt",
            "doubts",
        ],
        "about",
    ),
    (&["find", "finds", "found", "finding"], "out"),
    (&["debate", "debated", "debating"], "over"),
];

/// Whether the word at `at` (a modal) speaks inside an indirect question: "it is unclear
/// who may be behind it", "to determine what might have caused it", "as for which state may
/// be behind it", or a concession ("whatever the motive may be"). A wh-word stands at most five tokens before it, with no punctuation but
/// hyphens and apostrophes between, right after a word that asks or says what is not
/// known. Such a clause asks; it states no judgment. After other words the wh-word is a
/// relative pronoun ("the group, which may be linked to APT28") or opens what is found
/// ("researchers identified what may be a new variant"), and the modal judges.
pub fn in_indirect_question(text: &str, r: &Reading, at: usize) -> bool {
    let toks = &r.tokens;
    let i = r.token_at(at).min(toks.len());
    for j in (i.saturating_sub(6)..i).rev() {
        let t = toks[j];
        if !t.is_word {
            if matches!(t.text(text), "-" | "'" | "\u{2019}") {
                continue;
            }
            return false;
        }
        // "whatever the motive may be", "whoever may be behind it": a concession, asked of
        // every answer
        if t.is_any(
            text,
            &["whatever", "whoever", "whichever", "wherever", "whenever"],
        ) {
            return true;
        }
        if !t.is_any(
            text,
            &[
                "who", "whom", "whose", "what", "which", "where", "when", "why", "how",
            ],
        ) {
            continue;
        }
        let before = |k: usize| {
            j.checked_sub(k)
                .and_then(|b| toks.get(b))
                .filter(|t| t.is_word)
        };
        let Some(prev) = before(1) else {
            return false;
        };
        return prev.is_in(text, &ASKING)
            || ASKING_PAIRS.iter().any(|(firsts, second)| {
                prev.is(text, second) && before(2).is_some_and(|p| p.is_any(text, firsts))
            });
    }
    false
}

/// Where the word right before `at` that negates it starts ("not likely", "isn't
/// likely": the start of `not`, of `isn't`); `None` when nothing negates it ("not only
/// likely" is no negation).
pub fn negation(text: &str, r: &Reading, at: usize) -> Option<usize> {
    let i = r.token_at(at);
    let before: Vec<&Token> = r.tokens[..i]
        .iter()
        .rev()
        .take(2)
        .take_while(|t| t.is_word)
        .collect();
    if before
        .first()
        .is_some_and(|t| t.is_any(text, &["only", "just", "merely"]))
    {
        return None;
    }
    // "no longer likely"
    if let [longer, no] = before.as_slice()
        && longer.is_any(text, &["longer"])
        && no.is_any(text, &["no"])
    {
        return Some(no.span.start);
    }
    let word = before
        .iter()
        .find(|t| t.is_any(text, &["not", "n't", "never", "hardly", "isn't", "wasn't"]))?;
    // "n't" is part of a word ("isn't", "isn’t"): start at the word
    let start = word.span.start;
    let head = text[..start]
        .trim_end_matches(|c: char| c.is_alphanumeric())
        .len();
    Some(head)
}

/// Clause boundaries inside a sentence: `;`, `:`, dashes, and connectives after a comma.
const CLAUSE_CONNECTIVES: &[&str] = &[
    ", but ",
    ", and ",
    ", while ",
    ", whereas ",
    ", although ",
    ", though ",
    ", yet ",
    ", so ",
    " however",
    ", or ",
];

/// Whether `s[at..]` starts with `word`, ignoring ASCII case (never splitting a character).
fn starts_with_ignore_case(s: &str, at: usize, word: &str) -> bool {
    s.get(at..at + word.len())
        .is_some_and(|x| x.eq_ignore_ascii_case(word))
}

/// Clause boundaries of a sentence: `;`, `:`, dashes, and connectives after a comma, as
/// (where the delimiter starts, where the next clause starts).
fn clause_breaks(text: &str, sentence: Span) -> Vec<(usize, usize)> {
    let s = sentence.text(text);
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    // delimiters inside brackets do not end a clause: "likely (55-75%; computed 64.9%) that"
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        let next = match b {
            b';' => Some(i + 1),
            // em and en dashes: E2 80 94, E2 80 93
            0xe2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x93 | 0x94])) => Some(i + 3),
            b':' if bytes.get(i + 1) != Some(&b'/')
                && !(i > 0 && bytes[i - 1].is_ascii_digit()) =>
            {
                Some(i + 1)
            }
            b',' => CLAUSE_CONNECTIVES
                .iter()
                .filter(|w| w.starts_with(','))
                .any(|w| starts_with_ignore_case(s, i, w))
                .then_some(i + 1),
            b' ' if matches!(bytes.get(i + 1), Some(b'h' | b'H'))
                && starts_with_ignore_case(s, i, " however") =>
            {
                Some(i)
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') && !(i > 0 && bytes[i - 1] == b'-') => {
                Some(i + 2)
            }
            _ => None,
        };
        if let Some(n) = next {
            out.push((sentence.start + i, sentence.start + n));
        }
    }
    out
}

/// Asides inside a clause: relative clauses after a comma (", which ...,", ", who ...,",
/// ", in which ...,") and parentheses. Mentions inside them are not the clause's subject.
pub fn asides(text: &str, clause: Span) -> Vec<Span> {
    const OPENERS: &[&str] = &[
        ", which ",
        ", who ",
        ", whom ",
        ", whose ",
        ", where ",
        ", when ",
        ", in which ",
        ", of which ",
        ", by which ",
        ", through which ",
        ", according to ",
        ", including ",
        ", such as ",
        ", like ",
    ];
    let s = clause.text(text);
    let mut out = Vec::new();
    let mut depth_start = None;
    for (i, c) in s.char_indices() {
        match c {
            ',' => {
                if let Some(o) = OPENERS.iter().find(|o| starts_with_ignore_case(s, i, o)) {
                    let at = i + 2;
                    let end = s[i + o.len() - 1..]
                        .find(',')
                        .map_or(s.len(), |e| i + o.len() - 1 + e);
                    out.push(Span::new(clause.start + at, clause.start + end));
                }
            }
            '(' => depth_start = Some(i),
            ')' => {
                if let Some(st) = depth_start.take() {
                    out.push(Span::new(clause.start + st, clause.start + i + 1));
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Whether `span` lies inside one of `asides`.
pub fn in_aside(asides: &[Span], span: Span) -> bool {
    asides
        .iter()
        .any(|a| a.start <= span.start && span.end <= a.end)
}

/// Verbs of analysis and attribution: a sentence with one is an analytic judgment.
#[rustfmt::skip]
pub const ANALYTIC_WORDS: &[&str] = &[
    "assess", "assesses", "assessed", "judge", "judges", "judged", "believe", "believes",
    "believed", "attribute", "attributes", "attributed", "attribution", "responsible", "behind",
    "conducted", "linked", "tied", "connected", "associated", "affiliated", "sponsored",
    "backed", "suspect", "suspects", "suspected", "conclude", "concluded", "estimate",
    "estimates", "think", "thinks", "analysts", "researchers", "evidence", "indicates",
    "suggests", "likely", "probably", "campaign", "campaigns", "attack", "attacks", "attackers",
    "actor", "actors", "group", "groups", "operators", "operation", "operations", "malware",
    "backdoor", "ransomware", "intrusion", "intrusions", "espionage", "compromise",
    "compromised", "exfiltration", "exfiltrated", "targeting", "targeted", "hackers", "threat",
    "victims", "payload", "infrastructure", "implant", "tooling", "exploit", "exploited",
    "exploitation", "breach", "wiper", "apt", "spyware", "rat", "trojan", "phishing", "figure",
    "motive", "motivation", "objectives", "purpose", "deployed", "used", "infected", "activity",
    "state", "government", "intelligence", "catalyst", "cause", "caused", "causes", "reason",
    "reasons", "driver", "drivers", "driven", "explain", "explains", "explanation",
    "consequence", "because", "due", "motive", "motives", "intent", "intention", "aim", "goal",
    "goals", "objective", "strategy", "strategic", "tactic", "tactics", "tradecraft",
    "capability", "capabilities", "operational", "adversary", "adversaries", "criminals",
    "cybercriminal", "cybercriminals", "nation-state", "apt", "espionage", "extortion", "ransom",
    "victim",
];
static ANALYTIC: Words = Words::new(ANALYTIC_WORDS);

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.span.text(text)).collect()
    }

    fn sense(sentence: &str, modal: &str) -> Sense {
        let at = sentence.find(modal).unwrap();
        let r = Reading::new(sentence, Span::new(0, sentence.len()));
        modal_sense(sentence, &r, Span::new(at, at + modal.len()))
    }

    #[test]
    fn a_run_without_a_sentence_end_is_read_in_pieces() {
        // a heading of 20,000 bytes and a line of words with no stop
        for text in [
            format!("# {}\n", "word ".repeat(4_000)),
            "word ".repeat(4_000),
        ] {
            let got = sentences(&text);
            assert!(got.len() >= 5, "{}", got.len());
            for s in &got {
                assert!(s.span.end - s.span.start <= MAX_SENTENCE);
                assert!(!s.span.text(&text).starts_with(' ') && !s.span.text(&text).ends_with(' '));
            }
            // the pieces cover every word, in order
            let words: usize = got
                .iter()
                .map(|s| s.span.text(&text).split_whitespace().count())
                .sum();
            assert_eq!(words, text.split_whitespace().count());
        }
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
    fn sentences_end_before_curly_quotes() {
        assert_eq!(
            split("may exist,\u{201d} the alert added. \u{201c}However, it is unlikely.\u{201d}"),
            [
                "may exist,\u{201d} the alert added.",
                "\u{201c}However, it is unlikely.\u{201d}"
            ]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Acme Inc. said so. Dr. Smith agreed, cf. the report. Done"),
            [
                "Acme Inc. said so.",
                "Dr. Smith agreed, cf. the report.",
                "Done"
            ]
        );
        assert_eq!(split("See x.co and v1.2 now."), ["See x.co and v1.2 now."]);
    }

    #[test]
    fn list_items_table_cells_and_quote_breaks_stand_alone() {
        assert_eq!(
            split("- first item\n- second item\nText"),
            ["first item", "second item\nText"]
        );
        assert_eq!(
            split("| FireEye | May 2017 |\n|---|---|\n| Kaspersky | May 2019 |"),
            ["FireEye", "May 2017", "Kaspersky", "May 2019"]
        );
        assert_eq!(
            split("> may also purchase access\n>\n> While it can likely"),
            ["may also purchase access", "While it can likely"]
        );
    }

    #[test]
    fn sentences_continue_across_line_breaks() {
        assert_eq!(
            split("It is almost\ncertain that X did it.\nNext one."),
            ["It is almost\ncertain that X did it.", "Next one."]
        );
    }

    #[test]
    fn the_month_is_not_a_modal() {
        assert_eq!(
            sense("Active since at least May 2020, the group", "May"),
            Sense::Month
        );
        assert_eq!(sense("FireEye May 2017", "May"), Sense::Month);
        assert_eq!(
            sense("In May, Microsoft researchers revealed", "May"),
            Sense::Month
        );
        assert_eq!(
            sense("from March through May of this year", "May"),
            Sense::Month
        );
        assert_eq!(sense("on 24 May 2023 to highlight", "May"), Sense::Month);
        assert_eq!(sense("May 14, 2019", "May"), Sense::Month);
        assert_eq!(sense("The report of 2 May said so", "May"), Sense::Month);
        // a modal at the start of a sentence, and in a Title Case headline
        assert_eq!(
            sense("May have been deployed by APT28.", "May"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("Russia May Be Behind The Attack", "May"),
            Sense::Epistemic
        );
    }

    #[test]
    fn permission_is_not_a_probability() {
        assert_eq!(
            sense("You may be eligible for a reward.", "may"),
            Sense::Deontic
        );
        assert_eq!(
            sense("This report may be distributed without restriction.", "may"),
            Sense::Capability
        );
        assert_eq!(
            sense("you may not use this file except in compliance", "may"),
            Sense::Deontic
        );
        assert_eq!(
            sense("You may obtain a copy of the License here.", "may"),
            Sense::Deontic
        );
    }

    #[test]
    fn capability_is_not_a_probability() {
        assert_eq!(
            sense(
                "successful exploitation could allow an attacker to run code",
                "could"
            ),
            Sense::Capability
        );
        assert_eq!(
            sense("these credentials may provide elevated access", "may"),
            Sense::Capability
        );
        assert_eq!(
            sense(
                "An attacker chaining these could execute arbitrary code",
                "could"
            ),
            Sense::Capability
        );
        assert_eq!(
            sense(
                "information that could be used to inform decisions",
                "could"
            ),
            Sense::Capability
        );
        assert_eq!(
            sense(
                "The PLCs may be rebranded and appear as other makes.",
                "may"
            ),
            Sense::Capability
        );
        assert_eq!(
            sense("this executable may not be successful on GPT disks", "may"),
            Sense::Capability
        );
    }

    #[test]
    fn habits_are_not_probabilities() {
        assert_eq!(
            sense(
                "Depending on the target, FIN6 may identify POS systems",
                "may"
            ),
            Sense::Habitual
        );
        assert_eq!(
            sense("Carbanak may use netsh to add rules.", "may"),
            Sense::Habitual
        );
        assert_eq!(
            sense("FIN6 may stage ransomware on servers", "may"),
            Sense::Habitual
        );
    }

    #[test]
    fn judgments_are_epistemic() {
        assert_eq!(
            sense("APT29 may have logged operational successes", "may"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("FIN6 may have been purchasing access", "may"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("a group that might be related to Gaza Cybergang", "might"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("the true figure may be much higher", "may"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("It could be that the group has a large staff", "could"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("menuPass targeting may broadly align with China", "may"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("this might not explain the targeting", "might"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("which is possibly a modified version", "possibly"),
            Sense::Epistemic
        );
        assert_eq!(
            sense("the group may also have worked with others", "may"),
            Sense::Epistemic
        );
    }

    #[test]
    fn idioms_carry_no_estimate() {
        assert_eq!(
            sense("We may presume that the host is infected", "may"),
            Sense::Idiom
        );
        assert_eq!(
            sense(
                "At the cost of possibly being verbose, here is the output",
                "possibly"
            ),
            Sense::Idiom
        );
        assert_eq!(
            sense("potentially malicious files", "potentially"),
            Sense::Capability
        );
        assert_eq!(
            sense("potentially linked to APT28", "potentially"),
            Sense::Epistemic
        );
    }

    fn read(s: &str) -> Reading {
        Reading::new(s, Span::new(0, s.len()))
    }

    #[test]
    fn conditionals_and_counterfactuals() {
        for (s, conditional) in [
            (
                "a single reliable item showing insider involvement would lower our judgment to likely",
                true,
            ),
            (
                "If the sample is genuine, APT31 is likely responsible",
                true,
            ),
            (
                "Unless the logs are forged, APT31 is likely responsible",
                true,
            ),
            ("APT31 is likely responsible", false),
        ] {
            let r = read(s);
            let at = s.find("likely").unwrap();
            assert_eq!(is_conditional(s, &r, r.span, at), conditional, "{s}");
        }
    }

    #[test]
    fn negation_before_a_term() {
        for (s, expected) in [
            ("an attack is not likely because", Some("not likely")),
            ("an attack isn't likely because", Some("isn't likely")),
            (
                "an attack isn\u{2019}t unlikely because",
                Some("isn\u{2019}t unlikely"),
            ),
            ("an attack is never likely because", Some("never likely")),
            (
                "an attack is no longer likely because",
                Some("no longer likely"),
            ),
            ("an attack is longer likely because", None),
            ("an attack is likely because", None),
            ("it not only likely results in", None),
        ] {
            let end = s.find("likely").unwrap() + "likely".len();
            let at = s.find("likely").unwrap();
            let at = s[..at].strip_suffix("un").map_or(at, str::len);
            assert_eq!(
                negation(s, &read(s), at).map(|start| &s[start..end]),
                expected,
                "{s}"
            );
        }
    }

    #[test]
    fn clauses_break_at_semicolons_dashes_and_contrasts() {
        let s = "APT31 did it; it is likely";
        let c = Reading::new(s, Span::new(0, s.len())).clause_at(s.find("likely").unwrap());
        assert_eq!(c.text(s), " it is likely");
        let s = "the actor chose, and it is unlikely";
        let c = Reading::new(s, Span::new(0, s.len())).clause_at(s.find("unlikely").unwrap());
        assert_eq!(c.text(s), " and it is unlikely");
        let s = "suggests the group was almost certainly";
        let c = Reading::new(s, Span::new(0, s.len())).clause_at(s.find("almost").unwrap());
        assert_eq!(c, Span::new(0, s.len()));
        let s = "see https://x.co/a: then";
        let c = Reading::new(s, Span::new(0, s.len())).clause_at(5);
        assert_eq!(c.start, 0);
    }

    #[test]
    fn relative_clauses_are_asides() {
        let s = "A false flag, in which another actor planted North Korean indicators, is very unlikely";
        let a = asides(s, Span::new(0, s.len()));
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].text(s),
            "in which another actor planted North Korean indicators"
        );
    }

    #[test]
    fn ascii_words_break_as_uax29_says() {
        for s in [
            "APT31's U.S. v1.2 3,000 state-sponsored e.g. x:y 10:30 snake_case can't \"q\" (a)",
            "ISN'T it 1.5.6 a.b.c. end.",
            "--- ...  ,;: a1b2 _x_ 9_9",
        ] {
            let fast: Vec<&str> = tokens(s, Span::new(0, s.len()))
                .iter()
                .map(|t| t.text(s))
                .collect();
            let uax: Vec<&str> = s
                .split_word_bounds()
                .filter(|w| !w.trim().is_empty())
                .collect();
            assert_eq!(fast, uax, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_break_as_uax29_says_on_any_text(s in "[a-zA-Z0-9 .,;:'_\\-()\"?!%]{0,60}") {
            let fast: Vec<&str> = tokens(&s, Span::new(0, s.len())).iter().map(|t| t.text(&s)).collect();
            let uax: Vec<&str> = s.split_word_bounds().filter(|w| !w.trim().is_empty()).collect();
            proptest::prop_assert_eq!(fast, uax);
        }
    }

    #[test]
    fn participles() {
        for w in ["deployed", "been", "taken", "Written"] {
            assert!(is_participle(w), "{w}");
        }
        for w in ["red", "deploy", "the"] {
            assert!(!is_participle(w), "{w}");
        }
    }
}
