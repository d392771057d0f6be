//! Rewriting the draft's own words: a term in the grammatical form its place needs,
//! non-terms replaced in context ("there was a high likelihood that" becomes "it was
//! highly likely that"), a vague modal restated with a term, and the numbers printed
//! beside terms.
//!
//! Invariant: every rewrite here either yields grammatical text or nothing; the rules
//! decide when to offer one.

use super::english;
use super::language;
use crate::diagnostic::Fix;
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

/// How readers take a modal of possibility ("may", "might", "could", "possibly"): about
/// 40%, the median of 5,174 readers' readings of "May Happen", "Might Happen" and "Could
/// Happen" (CAPphrase: Kucharski, 2026, doi:10.5281/zenodo.18750055; CC-BY 4.0). A vague
/// modal is restated with the term this reading falls in, unless a case says otherwise.
pub(super) const MODAL_READING: f64 = 0.40;

/// A vague modal's clause restated with the yardstick term `term` in its place: "FIN6 may
/// have been purchasing access" with "realistic possibility" -> "there is a realistic
/// possibility that FIN6 was purchasing access"; "the domains could be used" with "likely"
/// -> "it is likely that the domains are used". The clause as written and its restatement;
/// `None` where no grammatical restatement is known (a question, "there may be", a modal
/// before another estimative word).
pub(super) fn vague_rewrite(
    text: &str,
    r: &language::Reading,
    span: Span,
    term: &str,
) -> Option<(String, String)> {
    let word = span.text(text).to_lowercase();
    let clause = r.clause_at(span.start);
    let toks = r.within(clause);
    if toks.is_empty() {
        return None;
    }
    let at = toks.partition_point(|t| t.span.start < span.start);
    // the subject: the clause's words before the modal, past a leading conjunction (never
    // past the modal: in "It is:possible that ...", one token, the clause starts inside it)
    let mut from = 0;
    while from < at
        && toks.get(from).is_some_and(|t| {
            t.is_any(text, &["and", "but", "so", "yet", "or", "that"]) || !t.is_word
        })
    {
        from += 1;
    }
    // what frames the modal's clause stays in front: a fronted adverbial ("Most recently,
    // FIN6 may ..."), a verb of saying or thinking and its "that" ("researchers cautioned
    // that the group may ...", "some analysts said the indicators might ...")
    let head = &toks[from..at.min(toks.len())];
    let framing = head.iter().rposition(|t| {
        t.text(text) == ","
            || t.is(text, "that") && head.iter().any(|v| v.is_in(text, &SAYING))
            || t.is_in(text, &SAYING)
    });
    let start = toks[from.min(toks.len().saturating_sub(1))].span.start;
    if let Some(f) = framing {
        from += f + 1;
    }
    let lead = framing.map(|_| text[start..toks[from - 1].span.end].to_string());
    let subject_toks = &toks[from..at.min(toks.len())];
    let rest_toks = &toks[at.min(toks.len())..];
    let words_from = |ts: &[language::Token]| -> Option<String> {
        let (first, last) = (ts.first()?, ts.last()?);
        Some(text[first.span.start..last.span.end].to_string())
    };
    let w = |i: usize| {
        rest_toks
            .get(i)
            .filter(|t| t.is_word)
            .map(|t| t.text(text).to_lowercase())
    };
    let clause_text = text[start..toks.last()?.span.end].to_string();
    let frame = |s: &str| {
        let noun = term.contains("chance") || term.contains("possibility");
        let s = lower_first(&one_line(s));
        let framed = if noun {
            format!("there is {} {term} that {s}", english::article(term))
        } else {
            format!("it is {term} that {s}")
        };
        match &lead {
            Some(l) => format!("{} {framed}", one_line(l)),
            None => framed,
        }
    };
    // "it is possible that S", "possibly", "perhaps": the term takes the hedge's place
    if word == "possible that" || word == "it is possible that" {
        // the words after the phrase (a token the phrase starts inside is not counted)
        let past = rest_toks.partition_point(|t| t.span.start < span.end);
        let s = words_from(&rest_toks[past..])?;
        return Some((clause_text, frame(&s)));
    }
    if matches!(
        word.as_str(),
        "possibly" | "perhaps" | "potentially" | "conceivably"
    ) {
        // a hedge right before another estimative word is stacked, not vague
        if w(1).is_some_and(|n| is_estimative(&n)) {
            return None;
        }
        // the clause without the hedge
        let (start, end) = (
            toks[from].span.start,
            toks.last().map_or(span.end, |t| t.span.end),
        );
        let without = format!("{}{}", &text[start..span.start], &text[span.end..end]);
        let s: String = without.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = s.replace(" ,", ",");
        return (!s.is_empty()).then(|| (clause_text, frame(&s)));
    }
    if !matches!(word.as_str(), "may" | "might" | "could") || subject_toks.is_empty() {
        return None;
    }
    if subject_toks
        .first()
        .is_some_and(|t| t.is_any(text, &["there", "it", "this", "that", "which", "who"]))
        && subject_toks.len() == 1
    {
        return None;
    }
    // a modal inside a relative clause ("the group that X suspects might be ...") has no
    // subject of its own to restate
    if subject_toks
        .iter()
        .any(|t| t.is_any(text, &["that", "which", "who", "whom", "whose"]))
    {
        return None;
    }
    let subject = words_from(subject_toks)?;
    let plural = head_is_plural(text, subject_toks);
    // adverbs after the modal stay with the verb: "may also have" -> "also"
    let n_adverbs = rest_toks[1..]
        .iter()
        .take_while(|t| t.is_word && t.is_in(text, &language::ADVERBS))
        .count();
    let adverbs: String = rest_toks[1..1 + n_adverbs]
        .iter()
        .map(|t| format!("{} ", t.text(text)))
        .collect();
    let verb_at = 1 + n_adverbs;
    let v = |i: usize| w(verb_at + i);
    let after =
        |i: usize| words_from(rest_toks.get(verb_at + i..).unwrap_or(&[])).unwrap_or_default();
    let (is, was) = if plural {
        ("are", "were")
    } else {
        ("is", "was")
    };
    let one = v(0)?;
    let restated = if one == "have" && v(1).as_deref() == Some("been") {
        let next = v(2)?;
        if is_estimative(&next) {
            return None;
        }
        format!("{subject} {adverbs}{was} {}", after(2))
    } else if one == "have" {
        let participle = v(1)?;
        if !english::is_past_form(&participle) {
            return None;
        }
        let past = english::Verb::of(&participle).past();
        format!("{subject} {adverbs}{past} {}", after(2))
    } else if one == "be" {
        let next = v(1)?;
        // "could be follow-on": no restatement of a bare verb after "be"; "may be more
        // likely": a comparison stays as it is
        if is_estimative(&next) || is_bare_verb(&next) {
            return None;
        }
        format!("{subject} {adverbs}{is} {}", after(1))
    } else if is_bare_verb(&one) || language::STATIVE.contains(&one) {
        let verb = if plural {
            one.clone()
        } else {
            english::Verb::of(&one).third_person()
        };
        format!("{subject} {adverbs}{verb} {}", after(1))
    } else {
        return None;
    };
    Some((clause_text, frame(restated.trim_end())))
}

/// `s` on one line: runs of whitespace (line breaks of the draft included) as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Verbs of saying and thinking: what follows them is their content.
#[rustfmt::skip]
static SAYING: language::Words = language::Words::new(&[
    "said", "say", "says", "told", "argue", "argued", "argues", "believe", "believed",
    "believes", "think", "thinks", "thought", "suggest", "suggested", "suggests", "claim",
    "claimed", "claims", "warned", "warn", "warns", "cautioned", "noted", "added", "reported",
    "assessed", "assess", "concluded", "judge", "judged", "judges", "wrote", "stated",
    "indicated", "fear", "feared", "fears", "suspect", "suspected", "suspects", "expect",
    "expected", "expects",
]);

/// Whether `word` is an estimative word or a comparison of likelihoods.
fn is_estimative(word: &str) -> bool {
    matches!(
        word,
        "likely"
            | "unlikely"
            | "probably"
            | "probable"
            | "possible"
            | "possibly"
            | "certain"
            | "certainly"
            | "more"
            | "less"
            | "most"
            | "least"
            | "highly"
            | "very"
            | "almost"
    )
}

/// Whether `word` is a verb's base form (a known verb not in another form).
fn is_bare_verb(word: &str) -> bool {
    let base = english::lemma(word);
    base == word
        && !word.ends_with("ed")
        && !word.ends_with("ing")
        && (language::STATIVE.contains(word)
            || matches!(
                word,
                "follow"
                    | "use"
                    | "target"
                    | "deploy"
                    | "steal"
                    | "access"
                    | "exploit"
                    | "compromise"
                    | "operate"
                    | "develop"
                    | "reflect"
                    | "explain"
                    | "affect"
                    | "represent"
                    | "mean"
                    | "show"
                    | "suggest"
                    | "link"
                    | "lead"
                    | "allow"
                    | "enable"
                    | "help"
                    | "come"
                    | "belong"
                    | "relate"
                    | "stem"
                    | "originate"
                    | "continue"
                    | "attempt"
                    | "try"
                    | "seek"
                    | "return"
                    | "expand"
                    | "spread"
                    | "share"
                    | "work"
                    | "act"
                    | "run"
                    | "control"
                    | "hold"
                    | "maintain"
                    | "obtain"
                    | "gain"
                    | "reach"
                    | "include"
                    | "involve"
            ))
}

/// Whether the head of the subject noun phrase is plural: the last word of its first noun
/// phrase ("the domains registered by the actor" -> "domains"), or a plural pronoun, or
/// two phrases joined by "and".
fn head_is_plural(text: &str, subject: &[language::Token]) -> bool {
    let words: Vec<&language::Token> = subject.iter().filter(|t| t.is_word).collect();
    if words.iter().any(|t| t.is(text, "and")) {
        return true;
    }
    let end = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, t)| {
            t.is_any(
                text,
                &[
                    "of",
                    "in",
                    "from",
                    "by",
                    "with",
                    "for",
                    "on",
                    "at",
                    "that",
                    "which",
                    "who",
                    "whose",
                    "used",
                    "registered",
                    "linked",
                    "seen",
                    "found",
                    "observed",
                ],
            ) || {
                let w = t.text(text).to_lowercase();
                w.ends_with("ed") && w.len() > 4
            }
        })
        .map_or(words.len(), |(i, _)| i);
    let Some(head) = words[..end].last() else {
        return false;
    };
    let w = head.text(text).to_lowercase();
    if matches!(
        w.as_str(),
        "they" | "we" | "these" | "those" | "both" | "many" | "several" | "some"
    ) {
        return true;
    }
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
        && !head.text(text).starts_with(|c: char| c.is_uppercase())
}

/// `s` with its first letter lower-cased when it is a common word ("The domains" ->
/// "the domains"; "FIN6" and "Sandworm" stay).
fn lower_first(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    if matches!(
        first,
        "The"
            | "A"
            | "An"
            | "This"
            | "These"
            | "Those"
            | "That"
            | "It"
            | "Its"
            | "They"
            | "Their"
            | "Some"
            | "Many"
            | "Several"
            | "Such"
            | "Our"
            | "We"
    ) {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_lowercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        s.to_string()
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
