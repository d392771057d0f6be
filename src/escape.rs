//! Text a user wrote, made safe for each output format: one function per format, used by
//! every renderer of that format.
//!
//! Invariant: control characters and bidirectional controls never reach an output as they
//! are. [`visible`] shows them as visible stand-ins (`␛` for ESC, `⟨U+202E⟩` for a
//! right-to-left override); the format functions apply it, then the format's own escapes.
//! JSON needs nothing here: serde escapes control characters, and a bidirectional control
//! in a JSON string is data, not layout.

use std::borrow::Cow;

/// A bidirectional embedding, override or isolate: it reorders how text after it is shown.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character must not be printed as it is: a control character other than tab
/// and line feed, or a bidirectional embedding, override or isolate.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The stand-in for an unsafe character: the Unicode control picture for C0 controls and
/// DEL (`␀`, `␛`, `␍`), `⟨U+XXXX⟩` for the others.
pub fn stand_in(c: char) -> Cow<'static, str> {
    match c as u32 {
        n @ 0..=0x1f => Cow::Owned(char::from_u32(0x2400 + n).unwrap_or('\u{fffd}').to_string()),
        0x7f => Cow::Borrowed("\u{2421}"),
        n => Cow::Owned(format!("\u{27e8}U+{n:04X}\u{27e9}")),
    }
}

/// Text with every unsafe character replaced by its stand-in (borrowed when there is none).
/// A carriage return right before a line feed is a line break and is kept.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !needs_care(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe(c) {
            out.push_str(&stand_in(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A quick test on bytes: whether `s` may hold an unsafe character at all.
pub fn needs_care(s: &str) -> bool {
    // C0 controls, DEL, the lead byte of C1 controls (0xC2 0x80..0x9F) and of the
    // bidirectional controls (0xE2 0x80 / 0xE2 0x81)
    s.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2 || b == 0xe2)
        && s.chars().any(is_unsafe)
}

/// Text for HTML and SVG, in element content or a quoted attribute.
pub fn html(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown, inline (in a paragraph, a list item or a table cell): every
/// character CommonMark could read as markup is backslash-escaped, and line breaks become
/// spaces, so nothing a user wrote becomes a link, an HTML tag, emphasis, a heading, a new
/// table row or (on forges such as GitHub) an `@mention`.
pub fn markdown(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '{'
            | '}' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a double-quoted Graphviz DOT string.
pub fn dot(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible() {
        assert_eq!(visible("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(visible("x\0y\u{7f}"), "x\u{2400}y\u{2421}");
        assert_eq!(visible("evil\u{202e}txt"), "evil\u{27e8}U+202E\u{27e9}txt");
        assert_eq!(visible("line\r\nnext\rlone"), "line\r\nnext\u{240d}lone");
        assert!(matches!(visible("plain, tab\tand é"), Cow::Borrowed(_)));
        assert_eq!(visible("c1\u{85}"), "c1\u{27e8}U+0085\u{27e9}");
    }

    #[test]
    fn each_format_escapes_its_markup() {
        assert_eq!(html("<b a=\"1\">&'"), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
        assert_eq!(
            markdown("<script>|*x*\n# h [l](u)"),
            "\\<script\\>\\|\\*x\\* \\# h \\[l\\](u)"
        );
        assert_eq!(dot("a \"b\"\\\nc\0"), "a \\\"b\\\"\\\\\\nc\u{2400}");
    }
}
