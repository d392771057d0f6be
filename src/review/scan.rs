//! Finding estimative phrases in prose: one Aho-Corasick automaton over every
//! wording acre knows, run on a copy of the text whose whitespace runs are
//! collapsed (so phrases match across line breaks), with Markdown code, link
//! targets and quoted titles masked out.
//!
//! Invariant: the scanner finds wordings; what a wording means where it stands
//! (a month, a permission, a comparison) is the language layer's question
//! (`review::language`).

use crate::lexicon::{self, Yardstick};
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// What a wording means.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Meaning {
    /// A term of yardstick `yardstick` (index into the scanner's list), term `term`, row `row`.
    Term {
        /// Yardstick index.
        yardstick: usize,
        /// Term index.
        term: usize,
        /// Row (ICD 203).
        row: Option<u8>,
    },
    /// A likelihood phrase no yardstick defines, with the nearest term's canonical name.
    NonTerm {
        /// Nearest defined term (a PHIA / ICD wording).
        nearest: &'static str,
        /// Why it is not a term.
        why: &'static str,
    },
    /// A comparison of likelihoods ("more likely", "a higher chance"): a relative
    /// statement, never a band.
    Comparative,
    /// An evidential hedge ("suggests", "appears to").
    Hedge,
    /// A modal or possibility word ("may", "possibly"): its sense depends on context.
    Vague,
    /// A confidence level ("high confidence", "low to moderate confidence").
    Confidence {
        /// The level as written, normalised ("high", "low to moderate"); empty when unstated.
        level: String,
    },
    /// Attribution wording that states no probability ("suspected", "believed to be").
    Unquantified,
}

/// One wording in the automaton.
#[derive(Clone, Debug)]
pub struct Wording {
    /// As matched (lower case).
    pub text: String,
    /// Every meaning it has.
    pub meanings: Vec<Meaning>,
}

/// A match in the original text.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Index into [`Scanner::wordings`].
    pub wording: usize,
    /// Where, in the original text.
    pub span: Span,
}

/// The automaton and what its patterns mean.
pub struct Scanner {
    automaton: AhoCorasick,
    /// Wordings, in pattern order.
    pub wordings: Vec<Wording>,
    /// The yardsticks the term meanings refer to.
    pub yardsticks: Vec<Yardstick>,
}

/// Evidential verbs: they hedge the clause they govern.
#[rustfmt::skip]
const HEDGES: &[&str] = &[
    "suggests", "suggest", "suggested", "suggesting", "indicates", "indicate", "indicated",
    "indicating", "appears to", "appear to", "appeared to", "seems to", "seem to", "seemed to",
    "seems", "seem", "points to", "point to", "pointed to", "is consistent with",
    "are consistent with",
];

/// Modals and possibility words; the language layer decides their sense.
#[rustfmt::skip]
const VAGUE: &[&str] = &[
    "may", "might", "could", "possibly", "perhaps", "potentially", "possible that",
    "cannot rule out", "can't rule out", "cannot be ruled out", "could not rule out",
    "cannot exclude",
];

/// Attribution wording without a probability.
#[rustfmt::skip]
const UNQUANTIFIED: &[&str] = &[
    "suspected", "suspected of", "believed to be", "believed to have", "thought to be",
    "thought to have", "said to be", "understood to be", "assessed to be", "assessed to have",
    "reportedly", "allegedly", "alleged", "purportedly", "presumably", "presumed",
];

/// Comparisons of likelihood.
#[rustfmt::skip]
const COMPARATIVES: &[&str] = &[
    "more likely", "less likely", "likelier", "more probable", "less probable", "higher chance",
    "lower chance", "greater chance", "better chance", "higher likelihood", "lower likelihood",
    "greater likelihood", "increased likelihood", "reduced likelihood", "as likely as",
    "equally likely", "less than likely",
];

/// Extra non-terms seen in attribution prose, besides [`lexicon::known_non_terms`].
const MORE_NON_TERMS: &[(&str, &str, &str)] = &[
    (
        "strong likelihood",
        "highly likely",
        "`strong likelihood` is not a yardstick term",
    ),
    (
        "in all likelihood",
        "highly likely",
        "`in all likelihood` is not a yardstick term",
    ),
    (
        "most likely",
        "likely",
        "`most likely` ranks hypotheses but states no probability band",
    ),
    (
        "most probably",
        "likely",
        "`most probably` ranks hypotheses but states no probability band",
    ),
    (
        "more likely than not",
        "likely",
        "`more likely than not` is not a yardstick term (above 50%)",
    ),
    (
        "very probably",
        "highly likely",
        "`very probably` is not a yardstick term",
    ),
    (
        "highly probably",
        "highly likely",
        "`highly probably` is not a yardstick term",
    ),
    (
        "not likely",
        "unlikely",
        "`not likely` is not a yardstick term; the yardstick's word is `unlikely`",
    ),
    (
        "extraordinarily likely",
        "almost certain",
        "`extraordinarily likely` is not a yardstick term",
    ),
    (
        "extremely likely",
        "almost certain",
        "`extremely likely` is not a yardstick term",
    ),
    (
        "exceedingly likely",
        "almost certain",
        "`exceedingly likely` is not a yardstick term",
    ),
    (
        "overwhelmingly likely",
        "almost certain",
        "`overwhelmingly likely` is not a yardstick term",
    ),
    (
        "quite likely",
        "likely",
        "`quite likely` is not a yardstick term",
    ),
    (
        "fairly likely",
        "likely",
        "`fairly likely` is not a yardstick term",
    ),
    (
        "reasonably likely",
        "likely",
        "`reasonably likely` is not a yardstick term",
    ),
    (
        "high chance",
        "highly likely",
        "`high chance` is not a yardstick term",
    ),
    (
        "strong chance",
        "highly likely",
        "`strong chance` is not a yardstick term",
    ),
    (
        "low chance",
        "unlikely",
        "`low chance` is not a yardstick term",
    ),
    (
        "small chance",
        "highly unlikely",
        "`small chance` is not a yardstick term",
    ),
    (
        "slim chance",
        "highly unlikely",
        "`slim chance` is not a yardstick term",
    ),
    (
        "slight chance",
        "highly unlikely",
        "`slight chance` is not a yardstick term",
    ),
    (
        "the likelihood is",
        "likely",
        "`the likelihood is` states a probability without a yardstick term",
    ),
];

/// Confidence levels, and the words that join two of them into a range.
const LEVELS: &[&str] = &["high", "moderate", "medium", "low"];
const RANGE_JOINERS: &[&str] = &[" to ", "-to-", "-", "/", " "];

/// Single words too common in other senses to scan for ("certain files", "remote access").
const TOO_COMMON: &[&str] = &["certain", "impossible", "remote", "we believe", "possible"];

fn confidence_wordings() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for level in LEVELS {
        out.push((format!("{level} confidence"), level.to_string()));
        out.push((format!("{level}-confidence"), level.to_string()));
        for form in [
            "with a {} degree of confidence",
            "with {} degree of confidence",
            "a {} degree of confidence",
            "with a {} level of confidence",
            "a {} level of confidence",
        ] {
            out.push((form.replace("{}", level), level.to_string()));
        }
        for other in LEVELS {
            if other == level {
                continue;
            }
            for joiner in RANGE_JOINERS {
                let range = format!("{level}{joiner}{other}");
                let name = format!("{level} to {other}");
                out.push((format!("{range} confidence"), name.clone()));
                out.push((format!("{range}-confidence"), name));
            }
        }
    }
    for (words, level) in [
        ("highly confident", "high"),
        ("very confident", "high"),
        ("fairly confident", "moderate"),
        ("moderately confident", "moderate"),
        ("reasonably confident", "moderate"),
        ("is confident", ""),
        ("are confident", ""),
        ("was confident", ""),
        ("were confident", ""),
        ("remains confident", ""),
        ("remain confident", ""),
    ] {
        out.push((words.to_string(), level.to_string()));
    }
    out
}

/// Drafts at least this long are scanned with a DFA: it searches about 6% faster than the
/// contiguous NFA but takes about a millisecond more to build.
const DFA_FROM: usize = 4 << 20;

impl Scanner {
    /// Builds the automaton over every built-in yardstick (and `extra`, e.g. a case's own),
    /// for drafts of modest size.
    pub fn new(extra: &[Yardstick]) -> Scanner {
        Scanner::for_size(extra, 0)
    }

    /// Builds the automaton for a draft of about `bytes` bytes: the one that reviews it
    /// soonest, build included.
    pub fn for_size(extra: &[Yardstick], bytes: usize) -> Scanner {
        let mut yardsticks = lexicon::builtin_yardsticks();
        for y in extra {
            if !yardsticks.iter().any(|b| b.name == y.name) {
                yardsticks.push(y.clone());
            }
        }
        let mut wordings: Vec<Wording> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut add = |text: &str, meaning: Meaning| {
            let text = text.to_lowercase();
            match index.get(&text) {
                Some(&i) => {
                    let w: &mut Wording = &mut wordings[i];
                    if !w.meanings.contains(&meaning) {
                        w.meanings.push(meaning)
                    }
                }
                None => {
                    index.insert(text.clone(), wordings.len());
                    wordings.push(Wording {
                        text,
                        meanings: vec![meaning],
                    });
                }
            }
        };
        for (yi, y) in yardsticks.iter().enumerate() {
            for (ti, t) in y.terms.iter().enumerate() {
                let rows = std::iter::once((t.name.as_str(), t.row)).chain(
                    t.synonyms.iter().enumerate().map(|(i, s)| {
                        (
                            s.as_str(),
                            t.synonym_rows.get(i).copied().flatten().or(t.row),
                        )
                    }),
                );
                for (w, row) in rows {
                    if TOO_COMMON.contains(&w) {
                        continue;
                    }
                    add(
                        w,
                        Meaning::Term {
                            yardstick: yi,
                            term: ti,
                            row,
                        },
                    );
                }
            }
        }
        for (p, nearest, why) in lexicon::known_non_terms().iter().chain(MORE_NON_TERMS) {
            if !TOO_COMMON.contains(p) {
                add(p, Meaning::NonTerm { nearest, why });
            }
        }
        for c in COMPARATIVES {
            add(c, Meaning::Comparative);
        }
        for h in HEDGES {
            add(h, Meaning::Hedge);
        }
        for v in VAGUE {
            add(v, Meaning::Vague);
        }
        for (text, level) in confidence_wordings() {
            add(&text, Meaning::Confidence { level });
        }
        for u in UNQUANTIFIED {
            add(u, Meaning::Unquantified);
        }
        // a DFA, the fastest search, where the draft is long enough to repay its building
        let kind = if bytes >= DFA_FROM {
            aho_corasick::AhoCorasickKind::DFA
        } else {
            aho_corasick::AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .build(wordings.iter().map(|w| w.text.as_str()));
        // the patterns are plain strings of modest size: building cannot fail
        let automaton = match automaton {
            Ok(a) => a,
            Err(_) => AhoCorasick::new(["\u{0}"]).unwrap_or_else(|_| unreachable_automaton()),
        };
        Scanner {
            automaton,
            wordings,
            yardsticks,
        }
    }

    /// Every phrase in `text`, outside masked regions, at word boundaries.
    ///
    /// The text is searched in chunks of about 1 MiB whose whitespace runs are folded to
    /// one space (so "almost\n   certain" matches), in one reused buffer. A chunk reaches
    /// [`MAX_WORDS`] words into the next one, and keeps only the matches that start in
    /// its own part, so a phrase across a chunk edge is found exactly once.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        self.scan_with(text, &mut Folded::default())
    }

    /// [`Scanner::scan`] with a buffer kept by the caller across calls (a review of many
    /// batches folds each into the same memory).
    pub fn scan_with(&self, text: &str, folded: &mut Folded) -> Vec<Hit> {
        let masked = masked_ranges(text);
        let is_masked = |span: Span| {
            let idx = masked.partition_point(|m| m.end <= span.start);
            masked.get(idx).is_some_and(|m| m.start < span.end)
        };
        let mut hits: Vec<Hit> = Vec::new();
        let mut start = 0;
        // where the last hit ends: a wording that began in the chunk before and reaches into
        // this one was found there, whole ("almost certainly" across a chunk edge is not also
        // "certainly" here)
        let mut covered = 0;
        while start < text.len() {
            let own_end = chunk_end(text, start + CHUNK);
            let reach = words_after(text, own_end, MAX_WORDS);
            folded.fold(text, start, reach);
            let norm = folded.norm.as_str();
            for m in self.automaton.find_iter(norm) {
                let (s, e) = (m.start(), m.end());
                if !at_word_boundary(norm, s, e) {
                    continue;
                }
                let span = Span::new(folded.to_original(s), folded.to_original(e - 1) + 1);
                if span.start >= own_end {
                    break;
                }
                if span.start < covered || is_masked(span) {
                    continue;
                }
                covered = span.end;
                hits.push(Hit {
                    wording: m.pattern().as_usize(),
                    span,
                });
            }
            start = own_end;
        }
        hits
    }
}

/// Bytes per chunk of a scan.
const CHUNK: usize = 1 << 20;

/// The most words a wording holds ("with a high degree of confidence" has six); a chunk
/// reaches this many words past its end.
pub const MAX_WORDS: usize = 8;

/// A chunk edge at or after `at`: the start of the next word.
fn chunk_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let bytes = text.as_bytes();
    let mut i = at;
    // to the end of the current word, then past the whitespace after it
    while i < bytes.len() && !is_space_at(text, i) {
        i += 1;
    }
    while i < bytes.len() && is_space_at(text, i) {
        i += space_len(text, i);
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The offset `n` words after `at` (or the end of the text).
fn words_after(text: &str, at: usize, n: usize) -> usize {
    let mut i = at;
    for _ in 0..n {
        i = chunk_end(text, i + 1);
        if i >= text.len() {
            return text.len();
        }
    }
    i
}

/// Whether a whitespace character starts at byte `i` (ASCII or Unicode).
fn is_space_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes()[i];
    match b {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => true,
        0xc2 | 0xe1 | 0xe2 | 0xe3 => text
            .get(i..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_whitespace),
        _ => false,
    }
}

/// Byte length of the character at `i`.
fn space_len(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|r| r.chars().next())
        .map_or(1, char::len_utf8)
}

/// A chunk of text with whitespace runs folded to one space, and a map back to offsets in
/// the original: the scanner's working buffer.
#[derive(Default)]
pub struct Folded {
    norm: String,
    /// `(norm_offset, shift)`: from `norm_offset` on, original = norm + shift.
    shifts: Vec<(usize, usize)>,
}

/// The next byte at or after `from` (before `to`) that may start whitespace other than a
/// single space, found with SIMD searches: line breaks and tabs; the first bytes of
/// no-break and typographic spaces (C2, E2); and the rare rest (E1, E3, VT, FF).
fn next_special(bytes: &[u8], mut from: usize, to: usize) -> usize {
    // a window at a time: on one long line the search for a line break would otherwise run
    // to the end of the chunk from every dash and curly quote
    const WINDOW: usize = 4096;
    while from < to {
        let end = (from + WINDOW).min(to);
        let hay = &bytes[from..end];
        let a = memchr::memchr3(b'\n', b'\t', b'\r', hay).unwrap_or(hay.len());
        let b = memchr::memchr2(0xc2, 0xe2, &hay[..a]).unwrap_or(a);
        let c = memchr::memchr3(0xe1, 0xe3, 0x0b, &hay[..b]).unwrap_or(b);
        let d = memchr::memchr(0x0c, &hay[..c]).unwrap_or(c);
        if d < hay.len() {
            return from + d;
        }
        from = end;
    }
    to
}

impl Folded {
    /// Folds `text[from..to]` into the buffer (replacing what it held). Single spaces are
    /// passed over in a tight loop; only line breaks, tabs, Unicode spaces and double
    /// spaces start a run to fold.
    fn fold(&mut self, text: &str, from: usize, to: usize) {
        self.norm.clear();
        self.shifts.clear();
        self.shifts.push((0, from));
        let bytes = text.as_bytes();
        let doubles = memchr::memmem::Finder::new("  ");
        let find_double = |at: usize| doubles.find(&bytes[at..to]).map_or(to, |p| at + p);
        let mut next_double = find_double(from);
        let mut run_start = from;
        let mut i = from;
        loop {
            i = next_special(bytes, i, to);
            let at = i.min(next_double);
            if at >= to {
                break;
            }
            if at == i && !is_space_at(text, at) {
                // the first byte of a character that is not a space ("’", "—")
                i += 1;
                continue;
            }
            // a whitespace run, with the spaces just before it
            let mut start = at;
            while start > run_start && bytes[start - 1] == b' ' {
                start -= 1;
            }
            let mut end = at;
            while end < to && is_space_at(text, end) {
                end += space_len(text, end);
            }
            self.norm.push_str(&text[run_start..start]);
            self.norm.push(' ');
            let p = self.norm.len();
            self.shifts.push((p, end - p));
            run_start = end;
            i = end;
            if next_double < end {
                next_double = find_double(end);
            }
        }
        self.norm.push_str(&text[run_start..to.max(run_start)]);
    }

    fn to_original(&self, norm_offset: usize) -> usize {
        let idx = self.shifts.partition_point(|(n, _)| *n <= norm_offset);
        norm_offset + if idx == 0 { 0 } else { self.shifts[idx - 1].1 }
    }
}

#[expect(
    clippy::panic,
    reason = "an automaton over one short literal always builds"
)]
fn unreachable_automaton() -> AhoCorasick {
    panic!("cannot build an automaton")
}

/// A character that continues a word: letters, digits, `_` and `-` (so that
/// "unlikely" is not "likely", and "low-confidence" is one word).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `start..end` of `text` begins and ends at word boundaries (by characters, so
/// that curly quotes and dashes bound words and accented letters do not).
pub fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(|c| !is_word_char(c)) && after.is_none_or(|c| !is_word_char(c))
}

/// Fenced code blocks (``` or ~~~ at the start of a line, after spaces), in order; an
/// unclosed fence runs to the end. Fence marks are found with SIMD searches.
pub fn fenced_blocks(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut marks: Vec<usize> = memchr::memmem::find_iter(bytes, "```")
        .chain(memchr::memmem::find_iter(bytes, "~~~"))
        .filter_map(|at| {
            // only at the start of a line, after spaces (looked at back to the line's start
            // only over those spaces: a long line is not searched from every mark on it)
            let mut line = at;
            while line > 0 && matches!(bytes[line - 1], b' ' | b'\t') {
                line -= 1;
            }
            (line == 0 || bytes[line - 1] == b'\n').then_some(line)
        })
        .collect();
    marks.sort_unstable();
    marks.dedup();
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for line in marks {
        match open {
            None => open = Some(line),
            Some(start) => {
                let end =
                    memchr::memchr(b'\n', &bytes[line..]).map_or(text.len(), |p| line + p + 1);
                out.push(Span::new(start, end));
                open = None;
            }
        }
    }
    if let Some(start) = open {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// Fenced code blocks, inline code, link targets, HTML tags and quoted titles, in order.
pub fn masked_ranges(text: &str) -> Vec<Span> {
    let mut out = fenced_blocks(text);
    // inline code, link targets, HTML tags and quoted titles, outside fences: the bytes
    // that may open one are found with SIMD searches (`<` apart from the other three)
    let bytes = text.as_bytes();
    let fences = out.clone();
    let mut fence_idx = 0;
    let mut i = 0;
    let mut next_angle = memchr::memchr(b'<', bytes).unwrap_or(bytes.len());
    while i < bytes.len() {
        let other = memchr::memchr3(b'`', b']', b'"', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        if next_angle < i {
            next_angle = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        }
        i = other.min(next_angle);
        if i >= bytes.len() {
            break;
        }
        while fence_idx < fences.len() && fences[fence_idx].end <= i {
            fence_idx += 1;
        }
        if let Some(f) = fences.get(fence_idx).filter(|f| f.start <= i) {
            i = f.end;
            continue;
        }
        match bytes[i] {
            b'`' => {
                if let Some(len) = memchr::memchr2(b'`', b'\n', &bytes[i + 1..])
                    && bytes[i + 1 + len] == b'`'
                {
                    out.push(Span::new(i, i + len + 2));
                    i += len + 2;
                    continue;
                }
            }
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                if let Some(len) = memchr::memchr2(b')', b'\n', &bytes[i + 2..]) {
                    // a link whose text is a title (a cited report) is masked whole
                    let open =
                        memchr::memrchr2(b'[', b'\n', &bytes[..i]).filter(|o| bytes[*o] == b'[');
                    let start = match open {
                        Some(o) if is_title(&text[o + 1..i]) => o,
                        _ => i + 1,
                    };
                    out.push(Span::new(start, i + 3 + len));
                    i += len + 3;
                    continue;
                }
            }
            b'<' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') =>
            {
                // an HTML tag or an autolink: masked to its `>`
                if let Some(len) = memchr::memchr2(b'>', b'\n', &bytes[i + 1..])
                    && bytes[i + 1 + len] == b'>'
                {
                    out.push(Span::new(i, i + len + 2));
                    i += len + 2;
                    continue;
                }
            }
            b'"' => {
                if let Some(len) = memchr::memchr2(b'"', b'\n', &bytes[i + 1..]) {
                    let inner = &text[i + 1..i + 1 + len];
                    if bytes[i + 1 + len] == b'"' && is_title(inner) {
                        out.push(Span::new(i, i + len + 2));
                    }
                    i += len + 1;
                    continue;
                }
            }
            _ => {}
        }
        // every byte searched for is ASCII
        i += 1;
    }
    // bare URLs: from the scheme to the next space
    for at in memchr::memmem::find_iter(bytes, "://") {
        let start = after_last(&text[..at], |c| !c.is_ascii_alphanumeric());
        let len = text[at..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
            .unwrap_or(text.len() - at);
        if start < at {
            out.push(Span::new(start, at + len));
        }
    }
    // curly-quoted titles
    let mut rest = 0;
    while let Some(open) = text[rest..].find('\u{201c}') {
        let start = rest + open;
        let after = start + '\u{201c}'.len_utf8();
        match text[after..].find('\u{201d}') {
            Some(len) => {
                let end = after + len + '\u{201d}'.len_utf8();
                if is_title(&text[after..after + len]) {
                    out.push(Span::new(start, end));
                }
                rest = end;
            }
            None => break,
        }
    }
    out.sort_by_key(|s| s.start);
    // masks may now overlap (a titled link holds earlier masks): merge them
    let mut merged: Vec<Span> = Vec::with_capacity(out.len());
    for s in out {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Title Case text of at least two words: most words capitalised.
fn is_title(text: &str) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "by", "at", "from",
        "is",
    ];
    if text.contains(['.', '!']) || text.contains('?') && !text.ends_with('?') {
        return false;
    }
    let (mut words, mut significant, mut capitalised) = (0, 0, 0);
    for w in text.split_whitespace() {
        words += 1;
        if SMALL.iter().any(|s| s.eq_ignore_ascii_case(w))
            || w.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        significant += 1;
        capitalised += usize::from(w.starts_with(char::is_uppercase));
    }
    words >= 2 && significant > 0 && capitalised * 10 >= significant * 8
}

/// The byte just after the last character of `s` that matches `pred` (0 when none does):
/// where a run of non-matching characters at the end of `s` starts. Always a character
/// boundary, whatever the matching character's width.
pub(crate) fn after_last(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| pred(c))
        .map_or(0, |(p, c)| p + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let s = Scanner::new(&[]);
        s.scan(text)
            .iter()
            .map(|h| h.span.text(text).to_string())
            .collect()
    }

    #[test]
    fn the_next_special_byte_is_found_across_windows() {
        // a byte-by-byte scan is the reference: specials placed before, on and past the
        // 4 KiB window edges of one long line
        let specials = [b'\n', b'\t', b'\r', 0xc2, 0xe2, 0xe1, 0xe3, 0x0b, 0x0c];
        for (n, &sp) in specials.iter().enumerate() {
            for at in [0, 17, 4095, 4096, 4097, 8191, 12_000] {
                let mut bytes = vec![b'a'; 13_000];
                bytes[at] = sp;
                for from in [0, 1, 4000, 4096, 5000] {
                    for to in [6000, 13_000] {
                        let want = (from..to)
                            .find(|i| specials.contains(&bytes[*i]))
                            .unwrap_or(to);
                        assert_eq!(next_special(&bytes, from, to), want, "{n} {at} {from} {to}");
                    }
                }
            }
        }
        // a fence mark is one only at the start of a line, after spaces, on a long line too
        let long = "word ".repeat(2000);
        let text = format!("{long}```x\n   ```\ncode\n```\n{long}");
        let fences = fenced_blocks(&text);
        assert_eq!(fences.len(), 1);
        assert_eq!(fences[0].start, long.len() + 5);
    }

    #[test]
    fn both_automata_find_the_same_wordings() {
        let nfa = Scanner::for_size(&[], 0);
        let dfa = Scanner::for_size(&[], DFA_FROM);
        // every wording alone, in capitals, run together, and in a sentence of report prose
        let mut text: String = nfa
            .wordings
            .iter()
            .map(|w| format!("{}. {} {}, ", w.text, w.text.to_uppercase(), w.text))
            .collect();
        text.push_str(
            "We assess with moderate confidence that APT28 was almost certainly, or \
             highly likely, responsible; it is unlikely that another group could have.",
        );
        let hits = |s: &Scanner| -> Vec<(usize, usize, usize)> {
            s.scan(&text)
                .iter()
                .map(|h| (h.wording, h.span.start, h.span.end))
                .collect()
        };
        let found = hits(&nfa);
        assert!(found.len() > 3 * nfa.wordings.len(), "{}", found.len());
        assert_eq!(found, hits(&dfa));
    }

    #[test]
    fn a_wording_across_a_chunk_edge_is_found_once_and_whole() {
        // 40 bytes a sentence: chunk edges fall inside "almost certainly" somewhere
        let sentence = "APT28 was almost certainly responsible. ";
        let n = 2 * CHUNK / sentence.len() + 3;
        let text = sentence.repeat(n);
        let hits = found(&text);
        assert_eq!(hits.len(), n);
        assert!(hits.iter().all(|h| h == "almost certainly"), "{:?}", {
            let odd: Vec<&String> = hits.iter().filter(|h| *h != "almost certainly").collect();
            odd
        });
    }

    #[test]
    fn phrases_match_across_line_breaks_and_case() {
        assert_eq!(
            found("APT31 was Almost\n   Certainly responsible"),
            ["Almost\n   Certainly"]
        );
        assert_eq!(found("a high likelihood that"), ["high likelihood"]);
    }

    #[test]
    fn code_and_quoted_titles_are_skipped() {
        assert_eq!(
            found("```\nlikely\n```\nIt is `likely` here but likely there."),
            ["likely"]
        );
        assert_eq!(
            found("The report \"Highly Likely Threats of 2024\" was unlikely to help."),
            ["unlikely"]
        );
        assert_eq!(found("He said \"it was likely\" then."), ["likely"]);
    }

    #[test]
    fn terms_inside_curly_quotes_are_found() {
        assert_eq!(
            found(
                "Google attributed them to a \u{201c}likely Russian government-backed actor,\u{201d}"
            ),
            ["likely"]
        );
        assert_eq!(
            found("will \u{201c}almost certainly\u{201d} be replicated"),
            ["almost certainly"]
        );
    }

    #[test]
    fn words_inside_other_words_do_not_match() {
        assert!(found("unlikelyhood mayhem likely-looking").is_empty());
    }

    #[test]
    fn urls_and_html_are_masked() {
        assert!(found("see https://example.com/likely-may and <a href=\"may\">").is_empty());
    }

    #[test]
    fn confidence_in_all_its_forms() {
        assert_eq!(
            found(
                "with a high degree of confidence, low to moderate confidence, a low-confidence link, medium-high confidence"
            ),
            [
                "with a high degree of confidence",
                "low to moderate confidence",
                "low-confidence",
                "medium-high confidence"
            ]
        );
        assert_eq!(
            found("The IC is confident; we are highly confident"),
            ["is confident", "highly confident"]
        );
    }

    #[test]
    fn comparatives_and_modified_terms_are_their_own_wordings() {
        assert_eq!(
            found(
                "more likely than not, less likely, not likely, extraordinarily likely, a higher chance"
            ),
            [
                "more likely than not",
                "less likely",
                "not likely",
                "extraordinarily likely",
                "higher chance"
            ]
        );
    }

    #[test]
    fn phrases_across_chunk_edges_are_found_once() {
        // the filler puts a chunk edge inside each phrase at some repetition
        let filler = "x".repeat(4093);
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&filler[..1 + i * 13 % 4000]);
            text.push_str(" almost\n  certain ");
        }
        let s = Scanner::new(&[]);
        let hits = s.scan(&text);
        assert_eq!(hits.len(), 300);
        assert!(
            hits.iter()
                .all(|h| h.span.text(&text) == "almost\n  certain")
        );
    }

    #[test]
    fn offsets_map_back_through_collapsed_space() {
        let text = "a  \t b\n\n\nhighly   likely";
        let s = Scanner::new(&[]);
        let hits = s.scan(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].span.text(text), "highly   likely");
    }
}
