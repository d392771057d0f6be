//! Rewriting the draft's own words: a term in the grammatical form its place needs,
//! non-terms replaced in context ("there was a high likelihood that" becomes "it was
//! highly likely that"), a vague modal restated with a term, and the numbers printed
//! beside terms.
//!
//! Invariant: every rewrite here either yields grammatical text or nothing; the rules
//! decide when to offer one.

use super::language;
use crate::diagnostic::Fix;
use crate::infer::words::place;
use crate::lexicon::Yardstick;
use crate::span::Span;

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
pub(super) fn likelihood_is(text: &str, span: Span) -> Option<&'static str> {
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

/// A percentage written right before a term ("95% likely", "70 percent likely", "70 per
/// cent likely"): its value, and where the number starts.
pub(super) fn number_before(text: &str, at: usize) -> Option<(f64, usize)> {
    // only the few words before the term are read (never the draft's whole prefix)
    let end = text.get(..at)?.trim_end().len();
    let mut from = end.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..end];
    let unit = ["%", "percent", "per cent"].iter().find(|u| {
        before.len() >= u.len()
            && before.is_char_boundary(before.len() - u.len())
            && before[before.len() - u.len()..].eq_ignore_ascii_case(u)
    })?;
    let before = before[..before.len() - unit.len()].trim_end();
    let start = before
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
        .len();
    // a word that ends in digits is no number ("APT28 percent")
    if before[..start].ends_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    before[start..]
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=100.0).contains(v))
        .map(|v| (v / 100.0, from + start))
}

/// How far before a term [`number_before`] reads, in bytes: "100 per cent" with room.
const WINDOW: usize = 32;

/// The term of `y` whose band holds `p`, or the nearest.
pub(super) fn nearest_term(y: &Yardstick, p: f64) -> usize {
    let v = place(y, p);
    v.term_idx.unwrap_or(v.recommended)
}

/// A term's wording as an adjective (`adverb == false`) or an adverb, when it has one:
/// "almost certain" / "almost certainly"; "likely" both; noun terms ("remote chance",
/// "realistic possibility") have neither.
pub(super) fn term_form(name: &str, adverb: bool) -> Option<String> {
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
pub(super) fn used_as_adverb(text: &str, span: Span) -> bool {
    let after = text[span.end..].trim_start();
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    !(next.is_empty() || next == "that" || next == "to" || next == "than")
}

/// Keeps the capital of the text being replaced: "Most likely" becomes "Likely".
pub(super) fn match_case(original: &str, replacement: &str) -> String {
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
pub(super) fn non_term_fix(text: &str, span: Span, term: &str) -> Option<Fix> {
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
pub(super) const HEDGE_REPLACEMENTS: &[(&str, &str)] = &[
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
pub(super) fn vague_rewrite(
    text: &str,
    r: &language::Reading,
    span: Span,
) -> Option<(String, String)> {
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
pub(super) fn third_person(verb: &str) -> String {
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

/// Up to 80 bytes of text after `at`, leading space trimmed, in lower case: enough for
/// the few words a context cue looks at, and never the whole rest of a large file.
pub(super) fn lower_after(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("").trim_start();
    let mut end = rest.len().min(80);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    rest[..end].to_lowercase()
}

/// Up to 80 bytes of text before `at`, in lower case.
pub(super) fn lower_before(text: &str, at: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let mut start = head.len().saturating_sub(80);
    while !head.is_char_boundary(start) {
        start += 1;
    }
    head[start..].to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::number_before;

    #[test]
    fn percentages_before_a_term() {
        for (text, expected) in [
            ("it is 95% likely", Some((0.95, 6))),
            ("it is 95 % likely", Some((0.95, 6))),
            ("it is 70 percent likely", Some((0.70, 6))),
            ("it is 70 Per Cent likely", Some((0.70, 6))),
            ("it is 12.5% likely", Some((0.125, 6))),
            ("it is APT28 percent likely", None),
            ("it is 150% likely", None),
            ("it is likely", None),
        ] {
            let at = text.find("likely").unwrap();
            assert_eq!(number_before(text, at), expected, "{text}");
        }
    }
}
