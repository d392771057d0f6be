//! Case-file syntax written by acre (the yardsticks that `lexicon fit -o` and
//! `calibrate --emit-yardstick` print): one writer, so that every text is quoted the same way
//! and what acre writes always parses back to the same values.

use crate::format::pct1;

/// `text` as a case-file string: in double quotes, with `\` and `"` escaped and line breaks
/// and tabs written as `\n` and `\t` (other control characters, which the language refuses,
/// become spaces).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `name` as an id: letters, digits, `_` and `-` kept, anything else `_`, and a leading `_`
/// when it would not start with a letter.
pub fn id(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic()) {
        out.insert(0, 'y');
    }
    if super::keyword::is_keyword(&out) {
        out.push('_');
    }
    out
}

/// One `term` line of a yardstick.
#[derive(Clone, Debug, PartialEq)]
pub struct TermLine {
    /// The term.
    pub name: String,
    /// Its band.
    pub lo: f64,
    /// Its band's top.
    pub hi: f64,
    /// Its point value.
    pub point: f64,
    /// A Beta distribution over it, when fitted.
    pub beta: Option<(f64, f64)>,
}

/// A `yardstick` declaration, preceded by `comment` lines (each written as `# …`).
pub fn yardstick(
    comment: &[String],
    name: &str,
    title: &str,
    terms: &[TermLine],
    source: &str,
) -> String {
    let mut out = String::new();
    for line in comment {
        out.push_str("# ");
        out.push_str(&line.replace(['\n', '\r'], " "));
        out.push('\n');
    }
    out.push_str(&format!("yardstick {} {} {{\n", id(name), string(title)));
    for t in terms {
        out.push_str(&format!(
            "  term {} {}..{} point {}",
            string(&t.name),
            pct1(t.lo),
            pct1(t.hi),
            pct1(t.point)
        ));
        if let Some((a, b)) = t.beta {
            out.push_str(&format!(" beta {a:.4} {b:.4}"));
        }
        out.push('\n');
    }
    out.push_str(&format!("  source {}\n}}\n", string(source)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Item;

    #[test]
    fn hostile_texts_parse_back_to_themselves() {
        let title = "Readers' \"odd\" scale \\ with\ttabs\nand lines";
        let terms = [TermLine {
            name: "a \"quoted\" term".into(),
            lo: 0.1,
            hi: 0.25,
            point: 0.2,
            beta: Some((2.0, 7.5)),
        }];
        let text = yardstick(
            &["fitted\nhere".into()],
            "9 lives",
            title,
            &terms,
            "survey \"x\"",
        );
        let (file, diags) = crate::syntax::parse(&text);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        let Some(Item::Yardstick(y)) = file.items.first() else {
            panic!("no yardstick in {text}")
        };
        assert_eq!(y.id.name, "y9_lives");
        assert_eq!(y.title.as_ref().unwrap().value, title);
        assert_eq!(y.terms[0].name.value, "a \"quoted\" term");
        assert_eq!(y.source.as_ref().unwrap().value, "survey \"x\"");
        assert_eq!(id("likely"), "likely");
        assert_eq!(id("case"), "case_");
    }
}
