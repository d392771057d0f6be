//! Finding estimative phrases in prose: one Aho-Corasick automaton over every
//! wording acre knows, run on a copy of the text whose whitespace runs are
//! collapsed (so phrases match across line breaks), with Markdown code, link
//! targets and quoted titles masked out.

use crate::lexicon::{self, Yardstick};
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// What a wording means.
#[derive(Clone, Debug, PartialEq)]
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
    /// An evidential hedge ("suggests").
    Hedge,
    /// A modal that asserts no probability ("may").
    Vague,
    /// A confidence level ("high confidence").
    Confidence,
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

const HEDGES: &[&str] = &[
    "suggests",
    "suggest",
    "suggested",
    "suggesting",
    "indicates",
    "indicate",
    "indicated",
    "indicating",
    "appears",
    "appear",
    "appeared",
    "seems",
    "seem",
    "seemed",
    "points to",
    "point to",
    "is consistent with",
    "are consistent with",
    "may",
];

const VAGUE: &[&str] = &[
    "may",
    "might",
    "could",
    "possibly",
    "perhaps",
    "cannot rule out",
    "can't rule out",
    "cannot be ruled out",
    "could not rule out",
    "cannot exclude",
];

const CONFIDENCE: &[&str] = &[
    "high confidence",
    "moderate confidence",
    "medium confidence",
    "low confidence",
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
];

/// Single words too common in other senses to scan for ("certain files", "remote access").
const TOO_COMMON: &[&str] = &["certain", "impossible", "remote", "we believe", "possible"];

impl Scanner {
    /// Builds the automaton over every built-in yardstick (and `extra`, e.g. a case's own).
    pub fn new(extra: &[Yardstick]) -> Scanner {
        let mut yardsticks = lexicon::builtin_yardsticks();
        for y in extra {
            if !yardsticks.iter().any(|b| b.name == y.name) {
                yardsticks.push(y.clone());
            }
        }
        let mut wordings: Vec<Wording> = Vec::new();
        let mut add = |text: &str, meaning: Meaning| {
            let text = text.to_lowercase();
            match wordings.iter_mut().find(|w| w.text == text) {
                Some(w) => {
                    if !w.meanings.contains(&meaning) {
                        w.meanings.push(meaning)
                    }
                }
                None => wordings.push(Wording {
                    text,
                    meanings: vec![meaning],
                }),
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
        for h in HEDGES {
            add(h, Meaning::Hedge);
        }
        for v in VAGUE {
            add(v, Meaning::Vague);
        }
        for c in CONFIDENCE {
            add(c, Meaning::Confidence);
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
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
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let prepared = Prepared::new(text);
        let bytes = prepared.norm.as_bytes();
        let mut hits = Vec::new();
        for m in self.automaton.find_iter(bytes) {
            let (s, e) = (m.start(), m.end());
            let before_ok = s == 0 || !is_word_byte(bytes[s - 1]);
            let after_ok = e == bytes.len() || !is_word_byte(bytes[e]);
            if !(before_ok && after_ok) {
                continue;
            }
            let span = Span::new(prepared.to_original(s), prepared.to_original(e - 1) + 1);
            if prepared.masked(span) {
                continue;
            }
            hits.push(Hit {
                wording: m.pattern().as_usize(),
                span,
            });
        }
        hits
    }
}

#[expect(
    clippy::panic,
    reason = "an automaton over one short literal always builds"
)]
fn unreachable_automaton() -> AhoCorasick {
    panic!("cannot build an automaton")
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

/// The text with whitespace runs collapsed, a map back to original offsets, and masked ranges.
struct Prepared {
    norm: String,
    /// `(norm_offset, shift)`: from `norm_offset` on, original = norm + shift.
    shifts: Vec<(usize, usize)>,
    masked: Vec<Span>,
}

impl Prepared {
    fn new(text: &str) -> Prepared {
        let mut norm = String::with_capacity(text.len());
        // (norm offset, original - norm) recorded wherever the difference changes
        let mut shifts: Vec<(usize, usize)> = Vec::new();
        let mut in_space = false;
        for (i, c) in text.char_indices() {
            let white = c.is_whitespace();
            if white && in_space {
                continue;
            }
            in_space = white;
            let p = norm.len();
            if shifts.last().map_or(0, |(_, d)| *d) != i - p {
                shifts.push((p, i - p));
            }
            norm.push(if white { ' ' } else { c });
        }
        Prepared {
            norm,
            shifts,
            masked: masked_ranges(text),
        }
    }

    fn to_original(&self, norm_offset: usize) -> usize {
        let idx = self.shifts.partition_point(|(n, _)| *n <= norm_offset);
        norm_offset + if idx == 0 { 0 } else { self.shifts[idx - 1].1 }
    }

    fn masked(&self, span: Span) -> bool {
        let idx = self.masked.partition_point(|m| m.end <= span.start);
        self.masked.get(idx).is_some_and(|m| m.start < span.end)
    }
}

/// Fenced code blocks, inline code, link targets and quoted titles, in order.
fn masked_ranges(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    // fenced code blocks
    let mut offset = 0;
    let mut fence_start: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            match fence_start {
                None => fence_start = Some(offset),
                Some(start) => {
                    out.push(Span::new(start, offset + line.len()));
                    fence_start = None;
                }
            }
        }
        offset += line.len();
    }
    if let Some(start) = fence_start {
        out.push(Span::new(start, text.len()));
    }
    // inline code, link targets and quoted titles, outside fences
    let bytes = text.as_bytes();
    let fences = out.clone();
    let mut fence_idx = 0;
    let mut i = 0;
    while i < bytes.len() {
        let Some(offset) = text[i..].find(['`', ']', '"']) else {
            break;
        };
        i += offset;
        while fence_idx < fences.len() && fences[fence_idx].end <= i {
            fence_idx += 1;
        }
        if let Some(f) = fences.get(fence_idx).filter(|f| f.start <= i) {
            i = f.end;
            continue;
        }
        match bytes[i] {
            b'`' => {
                if let Some(len) = text[i + 1..].find(['`', '\n'])
                    && bytes[i + 1 + len] == b'`'
                {
                    out.push(Span::new(i, i + len + 2));
                    i += len + 2;
                    continue;
                }
            }
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                if let Some(len) = text[i + 2..].find([')', '\n']) {
                    out.push(Span::new(i + 1, i + 3 + len));
                    i += len + 3;
                    continue;
                }
            }
            b'"' => {
                if let Some(len) = text[i + 1..].find(['"', '\n']) {
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
    out
}

/// Title Case text of at least two words: most words capitalised.
fn is_title(text: &str) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "by", "at", "from",
        "is",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 || text.contains(['.', '!', '?']) && !text.ends_with('?') {
        return false;
    }
    let significant: Vec<&&str> = words
        .iter()
        .filter(|w| {
            !SMALL.contains(&w.to_lowercase().as_str())
                && !w.starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    let capitalised = significant
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !significant.is_empty() && capitalised * 10 >= significant.len() * 8
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
    fn words_inside_other_words_do_not_match() {
        assert!(found("unlikelyhood mayhem").is_empty());
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
