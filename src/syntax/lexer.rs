//! The lexer: source text to tokens, written with nom 8 combinators.
//!
//! Invariant: the lexer never fails. Characters it cannot read become
//! [`SyntaxKind::ErrorToken`] tokens with a diagnostic, and lexing goes on.

use super::kind::SyntaxKind;
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_until, take_while, take_while1},
    character::complete::{char, digit1, one_of},
    combinator::{opt, recognize},
};

/// What the lexer found, before it is stored as a kind and a value.
enum Lexed {
    Kind(SyntaxKind),
    Number(f64),
    Percent(f64),
}

/// One token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Token {
    /// What it is: one of the token kinds of [`SyntaxKind`] (never trivia or a node).
    pub kind: SyntaxKind,
    /// The value of a number (a percentage as a fraction: `25%` is 0.25); 0 for other tokens.
    pub value: f64,
    /// Where it is.
    pub span: Span,
    /// Whether it is the first token on its line (used to resynchronise after errors).
    pub line_start: bool,
}

/// Stop reporting unreadable characters after this many, so binary junk gives a readable report.
const MAX_LEX_ERRORS: usize = 20;

type LexResult<'a, T> = IResult<&'a str, T>;

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn word(input: &str) -> LexResult<'_, &str> {
    recognize((take_while1(is_word_start), take_while(is_word_char))).parse(input)
}

fn date(input: &str) -> LexResult<'_, &str> {
    recognize((
        take_while_m_n_digits(4),
        char('-'),
        take_while_m_n_digits(2),
        opt((char('-'), take_while_m_n_digits(2))),
    ))
    .parse(input)
}

fn take_while_m_n_digits(n: usize) -> impl Fn(&str) -> LexResult<'_, &str> {
    move |input: &str| {
        nom::bytes::complete::take_while_m_n(n, n, |c: char| c.is_ascii_digit())(input)
    }
}

fn number(input: &str) -> LexResult<'_, &str> {
    recognize((
        opt(char('-')),
        digit1,
        opt((char('.'), digit1)),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(input)
}

fn text_block(input: &str) -> LexResult<'_, &str> {
    recognize((tag("\"\"\""), take_until("\"\"\""), tag("\"\"\""))).parse(input)
}

/// Where text may hold control characters: nowhere in a string; tabs in a comment; tabs
/// and line breaks in a text block.
#[derive(Clone, Copy, PartialEq)]
enum Within {
    String,
    Comment,
    TextBlock,
}

/// The name of a control character, for messages.
pub fn control_name(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "BEL, the bell",
        '\u{8}' => "BS, backspace",
        '\t' => "TAB",
        '\n' => "LF, a line break",
        '\u{b}' => "VT, vertical tab",
        '\u{c}' => "FF, form feed",
        '\r' => "CR, carriage return",
        '\u{1b}' => "ESC, which starts terminal escape sequences",
        '\u{7f}' => "DEL",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ => "a control character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

pub use crate::escape::is_bidi_control;

/// Reports control characters (an error) and bidirectional controls (a warning) in the
/// text of one string, comment or text block, once per kind, at the first one.
fn control_characters(
    text: &str,
    offset: usize,
    within: Within,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // bytes that may start one: C0 controls, DEL, C1 controls (0xC2 0x80..0x9F) and the
    // bidirectional controls (0xE2 0x80 0xAA..0xAE, 0xE2 0x81 0xA6..0xA9)
    if !text
        .bytes()
        .any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2)
    {
        return;
    }
    let allowed = |c: char, next: Option<char>| match (within, c) {
        (Within::Comment | Within::TextBlock, '\t') => true,
        (Within::TextBlock, '\n') => true,
        // a CRLF line break
        (Within::Comment | Within::TextBlock, '\r') => next.is_none_or(|n| n == '\n'),
        _ => false,
    };
    let what = match within {
        Within::String => "string",
        Within::Comment => "comment",
        Within::TextBlock => "text block",
    };
    let mut controls: Vec<(usize, char)> = Vec::new();
    let mut bidi: Vec<(usize, char)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_bidi_control(c) {
            bidi.push((i, c));
        } else if c.is_control() && !allowed(c, chars.peek().map(|(_, n)| *n)) {
            controls.push((i, c));
        }
    }
    let more = |n: usize, noun: &str| match n {
        1 => String::new(),
        n => format!(" ({n} {noun} in this {what})"),
    };
    if let Some(&(i, c)) = controls.first() {
        let at = offset + i;
        diagnostics.push(
            Diagnostic::error(
                Code::ControlCharacter,
                format!("control character {} in a {what}{}", control_name(c), more(controls.len(), "control characters")),
            )
            .with_label(Span::new(at, at + c.len_utf8()), "invisible, and unsafe to print")
            .with_help(match within {
                Within::String => "remove it; write a line break as `\\n` or use a `\"\"\"` text block, a tab as `\\t`",
                _ => "remove it; only tabs and line breaks belong here",
            }),
        );
    }
    if let Some(&(i, c)) = bidi.first() {
        let at = offset + i;
        diagnostics.push(
            Diagnostic::warning(
                Code::BidiControl,
                format!("bidirectional control {} in a {what}{}", control_name(c), more(bidi.len(), "bidirectional controls")),
            )
            .with_label(Span::new(at, at + c.len_utf8()), "changes the order in which the text after it is shown")
            .with_help("remove it unless the text really mixes right-to-left and left-to-right scripts; what a reader sees may differ from what acre reads"),
        );
    }
}

/// A one-line string: returns the whole lexeme, and whether it was terminated.
/// The length of a single-quoted text closed on the same line (`'DPRK'`), if `input` starts
/// with one.
fn single_quoted(input: &str) -> Option<usize> {
    let end = input[1..].find(['\'', '\n'])? + 1;
    (input[end..].starts_with('\'') && end > 1).then_some(end + 1)
}

fn string(input: &str) -> (usize, bool) {
    let bytes = input.as_bytes();
    let mut idx = 1;
    while idx < bytes.len() {
        match bytes[idx] {
            b'\\' => idx += 2,
            b'"' => return (idx + 1, true),
            b'\n' => return (idx, false),
            _ => idx += 1,
        }
    }
    (bytes.len().min(idx), false)
}

/// Splits `source` into tokens, reporting what cannot be read.
pub fn lex(source: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(source.len() / 5);
    let mut rest = source;
    let mut line_start = true;
    let mut n_errors = 0usize;
    // A byte-order mark is allowed at the start and ignored.
    if let Some(stripped) = rest.strip_prefix('\u{feff}') {
        rest = stripped;
    }
    loop {
        // whitespace and comments
        let before = rest;
        rest = rest.trim_start_matches(|c: char| {
            if c == '\n' {
                line_start = true;
            }
            c.is_whitespace()
        });
        if rest.starts_with('#') || rest.starts_with("//") {
            let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let at = source.len() - rest.len();
            control_characters(&rest[..end], at, Within::Comment, diagnostics);
            rest = &rest[end..];
            continue;
        }
        if rest.len() != before.len() {
            continue;
        }
        let Some(first) = rest.chars().next() else {
            break;
        };
        let start = source.len() - rest.len();
        let mut push = |kind: Lexed, len: usize, rest: &mut &str, line_start: &mut bool| {
            let (kind, value) = match kind {
                Lexed::Kind(k) => (k, 0.0),
                Lexed::Number(v) => (SyntaxKind::Number, v),
                Lexed::Percent(v) => (SyntaxKind::Percent, v),
            };
            tokens.push(Token {
                kind,
                value,
                span: Span::new(start, start + len),
                line_start: *line_start,
            });
            *line_start = false;
            *rest = &rest[len..];
        };
        match first {
            '{' => push(
                Lexed::Kind(SyntaxKind::LBrace),
                1,
                &mut rest,
                &mut line_start,
            ),
            '}' => push(
                Lexed::Kind(SyntaxKind::RBrace),
                1,
                &mut rest,
                &mut line_start,
            ),
            ':' => push(
                Lexed::Kind(SyntaxKind::Colon),
                1,
                &mut rest,
                &mut line_start,
            ),
            ',' => push(
                Lexed::Kind(SyntaxKind::Comma),
                1,
                &mut rest,
                &mut line_start,
            ),
            '.' if rest.starts_with("..") => push(
                Lexed::Kind(SyntaxKind::DotDot),
                2,
                &mut rest,
                &mut line_start,
            ),
            '"' if rest.starts_with("\"\"\"") => match text_block(rest) {
                Ok((_, lexeme)) => {
                    control_characters(lexeme, start, Within::TextBlock, diagnostics);
                    push(
                        Lexed::Kind(SyntaxKind::TextBlock),
                        lexeme.len(),
                        &mut rest,
                        &mut line_start,
                    )
                }
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::error(Code::UnterminatedString, "unterminated text block")
                            .with_label(
                                Span::new(start, start + 3),
                                "this text block is never closed",
                            )
                            .with_help("close the text with `\"\"\"`"),
                    );
                    let len = rest.len();
                    push(
                        Lexed::Kind(SyntaxKind::ErrorToken),
                        len,
                        &mut rest,
                        &mut line_start,
                    );
                }
            },
            '\'' if single_quoted(rest).is_some() => {
                // text in single quotes: one diagnostic, with the fix, and the text read as
                // a string so that the declaration around it is kept
                let len = single_quoted(rest).unwrap_or(1);
                let inner = &rest[1..len - 1];
                control_characters(inner, start + 1, Within::String, diagnostics);
                let double = format!("\"{}\"", inner.replace('\\', "\\\\").replace('"', "\\\""));
                diagnostics.push(
                    Diagnostic::error(Code::UnexpectedCharacter, "text goes in double quotes")
                        .with_label(Span::new(start, start + len), "single quotes")
                        .with_fix(Span::new(start, start + len), double.clone())
                        .with_help(format!("write {double}")),
                );
                push(
                    Lexed::Kind(SyntaxKind::String),
                    len,
                    &mut rest,
                    &mut line_start,
                );
            }
            '"' => {
                let (len, closed) = string(rest);
                control_characters(&rest[..len], start, Within::String, diagnostics);
                if !closed {
                    diagnostics.push(
                        Diagnostic::error(Code::UnterminatedString, "unterminated string")
                            .with_label(Span::new(start, start + len), "this string has no closing quote")
                            .with_help("end the string with `\"` on the same line, or use `\"\"\"` for text over several lines"),
                    );
                    push(
                        Lexed::Kind(SyntaxKind::ErrorToken),
                        len,
                        &mut rest,
                        &mut line_start,
                    );
                } else {
                    push(
                        Lexed::Kind(SyntaxKind::String),
                        len,
                        &mut rest,
                        &mut line_start,
                    );
                }
            }
            c if c.is_ascii_digit()
                || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) =>
            {
                if let Ok((_, lexeme)) = date(rest)
                    && !rest[lexeme.len()..].starts_with(|d: char| d.is_ascii_alphanumeric())
                {
                    push(
                        Lexed::Kind(SyntaxKind::Date),
                        lexeme.len(),
                        &mut rest,
                        &mut line_start,
                    );
                    continue;
                }
                let lexeme = match number(rest) {
                    Ok((_, lexeme)) => lexeme,
                    Err(_) => &rest[..1],
                };
                let len = lexeme.len();
                // `-0` is zero: adding 0.0 turns a negative zero into a positive one, so
                // that it never prints as "-0"
                let value: f64 = lexeme.parse::<f64>().unwrap_or(f64::INFINITY) + 0.0;
                if !value.is_finite() {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::NumberOutOfRange,
                            format!("number `{lexeme}` is out of range"),
                        )
                        .with_label(Span::new(start, start + len), "too large to represent")
                        .with_help(
                            "probabilities are numbers from 0 to 1, or percentages from 0% to 100%",
                        ),
                    );
                    push(
                        Lexed::Kind(SyntaxKind::ErrorToken),
                        len,
                        &mut rest,
                        &mut line_start,
                    );
                } else if rest[len..].starts_with('%') {
                    push(
                        Lexed::Percent(value / 100.0),
                        len + 1,
                        &mut rest,
                        &mut line_start,
                    );
                } else {
                    push(Lexed::Number(value), len, &mut rest, &mut line_start);
                }
            }
            c if is_word_start(c) => {
                let len = match word(rest) {
                    Ok((_, lexeme)) => lexeme.len(),
                    Err(_) => c.len_utf8(),
                };
                push(
                    Lexed::Kind(SyntaxKind::Word),
                    len,
                    &mut rest,
                    &mut line_start,
                );
            }
            _ => {
                // a run of characters that cannot start any token
                let len: usize = rest
                    .char_indices()
                    .find(|(_, c)| {
                        c.is_whitespace()
                            || is_word_start(*c)
                            || c.is_ascii_digit()
                            || "{}:,\"#".contains(*c)
                    })
                    .map_or(rest.len(), |(idx, _)| idx.max(first.len_utf8()));
                n_errors += 1;
                let comparison = match &rest[..len] {
                    ">" => Some("above"),
                    ">=" | "=>" => Some("at least"),
                    "<" => Some("below"),
                    "<=" | "=<" => Some("at most"),
                    "=" | "==" => Some("is"),
                    _ => None,
                };
                if let Some(word) = comparison {
                    let op = &rest[..len];
                    diagnostics.push(
                        Diagnostic::error(Code::UnexpectedCharacter, format!("unexpected `{op}`"))
                            .with_label(Span::new(start, start + len), "comparisons are written in words")
                            .with_fix(Span::new(start, start + len), word)
                            .with_help(format!(
                                "write `{word}`, e.g. `expect dprk {word} 90%` (`above`, `at least`, `below`, `at most`, `is`, `in`)"
                            )),
                    );
                } else if n_errors <= MAX_LEX_ERRORS {
                    let shown: String = rest[..len]
                        .chars()
                        .take(12)
                        .flat_map(char::escape_default)
                        .collect();
                    diagnostics.push(
                        Diagnostic::error(Code::UnexpectedCharacter, format!("unexpected `{shown}`"))
                            .with_label(Span::new(start, start + len), "not part of the case language")
                            .with_help("is this a case file? Text goes in double quotes; comments start with `#`"),
                    );
                } else if n_errors == MAX_LEX_ERRORS + 1 {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::TooManyErrors,
                            "too many unreadable characters; stopped reporting them",
                        )
                        .with_label(Span::new(start, start + len), "from here on")
                        .with_help("check that this is a case file written as UTF-8 text"),
                    );
                }
                push(
                    Lexed::Kind(SyntaxKind::ErrorToken),
                    len,
                    &mut rest,
                    &mut line_start,
                );
            }
        }
    }
    tokens
}

/// The value of a string or text-block token: quotes removed, escapes resolved,
/// text blocks dedented and trimmed.
pub fn unquote(lexeme: &str) -> String {
    if let Some(inner) = lexeme
        .strip_prefix("\"\"\"")
        .and_then(|s| s.strip_suffix("\"\"\""))
    {
        return dedent(inner);
    }
    let quote = if lexeme.starts_with('\'') { '\'' } else { '"' };
    let inner = lexeme.strip_prefix(quote).unwrap_or(lexeme);
    let inner = inner.strip_suffix(quote).unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()).trim_end())
        .collect();
    body.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(SyntaxKind, f64)> {
        let mut d = Vec::new();
        lex(src, &mut d)
            .into_iter()
            .map(|t| (t.kind, t.value))
            .collect()
    }

    #[test]
    fn lexes_numbers_percentages_dates_and_intervals() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("0.6..0.8 25% 2024-03-25 2021 B2 catch-all"),
            vec![
                (Number, 0.6),
                (DotDot, 0.0),
                (Number, 0.8),
                (Percent, 0.25),
                (Date, 0.0),
                (Number, 2021.0),
                (Word, 0.0),
                (Word, 0.0)
            ]
        );
    }

    #[test]
    fn comments_and_bom_are_skipped() {
        let mut d = Vec::new();
        let toks = lex("\u{feff}# note\r\nhypothesis a // more\n", &mut d);
        assert!(d.is_empty());
        assert_eq!(toks.len(), 2);
        // three bytes of BOM, six of comment, CR LF
        assert_eq!((toks[0].span.start, toks[0].span.end), (11, 21));
        assert!(toks[0].line_start);
    }

    #[test]
    fn huge_numbers_and_unterminated_strings_are_reported() {
        let mut d = Vec::new();
        lex("prior 1e999 \"open\n", &mut d);
        let codes: Vec<Code> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::NumberOutOfRange, Code::UnterminatedString]);
    }

    #[test]
    fn unquote_resolves_escapes_and_dedents() {
        assert_eq!(unquote(r#""a \"b\" c""#), "a \"b\" c");
        assert_eq!(
            unquote("\"\"\"\n    one\n      two\n    \"\"\""),
            "one\n  two"
        );
    }
}
