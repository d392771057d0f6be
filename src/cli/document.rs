//! Drafts as they arrive: the text of Word (`.docx`), OpenDocument (`.odt`) and HTML files,
//! with its structure, for `acre review`.
//!
//! The text is laid out as Markdown reads: one paragraph per block with a blank line between
//! (headings as `# …`, list items as `- …`, table cells as their own paragraphs), so that the
//! review finds sentences and headings as it does in Markdown. Word's tracked changes are
//! read as accepted (insertions kept, deletions and moved-away text left out); footnotes,
//! endnotes and comments are separate parts and are not read. Limits: at most
//! [`MAX_EXPANDED`] bytes (or 64 times `--max-input-size`, if less) are inflated from an
//! archive (a ZIP bomb stops there with an error); XML is read without resolving any
//! entity but the five predefined ones and character references.

use quick_xml::events::Event;
use std::io::Read;

/// The most bytes inflated from one archive.
pub const MAX_EXPANDED: u64 = 256 * 1024 * 1024;

/// The kinds of document read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Word 2007+ (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// HTML.
    Html,
    /// PDF (not read yet).
    Pdf,
}

/// The kind of a path, by its extension (none for text and Markdown).
pub fn kind_of(path: &std::path::Path) -> Option<Kind> {
    let ext = path.extension()?.to_string_lossy().to_lowercase();
    match ext.as_str() {
        "docx" => Some(Kind::Docx),
        "odt" => Some(Kind::Odt),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "pdf" => Some(Kind::Pdf),
        _ => None,
    }
}

/// The text of a document, or why it cannot be read; at most `max_expanded` bytes are
/// inflated from an archive.
pub fn text(kind: Kind, bytes: &[u8], max_expanded: u64) -> Result<String, String> {
    match kind {
        Kind::Docx => docx(bytes, max_expanded),
        Kind::Odt => odt(bytes, max_expanded),
        Kind::Html => Ok(html(&String::from_utf8_lossy(bytes))),
        Kind::Pdf => Err(
            "PDF drafts are not read yet: export the draft as Word, OpenDocument, HTML or text"
                .to_string(),
        ),
    }
}

/// One part of a ZIP archive, inflated up to `max` bytes.
fn part(bytes: &[u8], name: &str, max: u64) -> Result<String, String> {
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Err(
            "this is an encrypted (password-protected) or old-format Office file: save it unencrypted as .docx"
                .to_string(),
        );
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        format!("not a readable ZIP archive ({e}): the file is damaged or not this format")
    })?;
    let file = archive
        .by_name(name)
        .map_err(|_| format!("the archive has no `{name}`: not a document of this kind"))?;
    let mut out = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("`{name}` could not be inflated: {e}"))?;
    if out.len() as u64 > max {
        return Err(format!(
            "`{name}` inflates to more than {max} bytes: refused (a ZIP bomb, or a document far larger than a draft; see --max-input-size)"
        ));
    }
    String::from_utf8(out).map_err(|_| format!("`{name}` is not UTF-8 XML"))
}

/// Paragraphs joined the Markdown way.
#[derive(Default)]
struct Paragraphs {
    out: String,
    current: String,
    prefix: &'static str,
}

impl Paragraphs {
    fn push(&mut self, s: &str) {
        self.current.push_str(s);
    }

    fn end(&mut self) {
        let text = self.current.trim();
        if !text.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(self.prefix);
            self.out.push_str(text);
        }
        self.current.clear();
        self.prefix = "";
    }

    fn finish(mut self) -> String {
        self.end();
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The text of `word/document.xml`.
fn docx(bytes: &[u8], max: u64) -> Result<String, String> {
    let xml = part(bytes, "word/document.xml", max)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Paragraphs::default();
    let mut in_text = false;
    // inside deleted or moved-away text
    let mut skip = 0usize;
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("the document's XML is not well formed: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => match local(e.name().as_ref()) {
                b"t" => in_text = true,
                b"del" | b"moveFrom" => skip += 1,
                b"p" => out.end(),
                _ => {}
            },
            Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                b"tab" if skip == 0 => out.push("\t"),
                b"br" | b"cr" if skip == 0 => out.push(" "),
                b"pStyle"
                    if attr(&e, b"val").is_some_and(|v| {
                        v.to_lowercase().starts_with("heading") || v.eq_ignore_ascii_case("title")
                    }) =>
                {
                    out.prefix = "# ";
                }
                b"numPr" if out.prefix.is_empty() => out.prefix = "- ",
                _ => {}
            },
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                b"t" => in_text = false,
                b"del" | b"moveFrom" => skip = skip.saturating_sub(1),
                b"p" | b"tc" => out.end(),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text && skip == 0 => {
                let s = t
                    .unescape()
                    .map_err(|e| format!("the document's XML is not well formed: {e}"))?;
                out.push(&s);
            }
            Ok(_) => {}
        }
    }
    Ok(out.finish())
}

/// The text of an OpenDocument's `content.xml`.
fn odt(bytes: &[u8], max: u64) -> Result<String, String> {
    let xml = part(bytes, "content.xml", max)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Paragraphs::default();
    // inside notes, deleted text kept for tracked changes, and other non-body parts
    let mut skip = 0usize;
    let mut list_depth = 0usize;
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("the document's XML is not well formed: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => match local(e.name().as_ref()) {
                b"note" | b"tracked-changes" | b"annotation" => skip += 1,
                b"h" if skip == 0 => {
                    out.end();
                    out.prefix = "# ";
                }
                b"p" if skip == 0 => {
                    out.end();
                    if list_depth > 0 {
                        out.prefix = "- ";
                    }
                }
                b"list-item" => list_depth += 1,
                _ => {}
            },
            Ok(Event::Empty(e)) if skip == 0 => match local(e.name().as_ref()) {
                b"s" => {
                    let n = attr(&e, b"c")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(1usize);
                    out.push(&" ".repeat(n.min(64)));
                }
                b"tab" => out.push("\t"),
                b"line-break" => out.push(" "),
                _ => {}
            },
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                b"note" | b"tracked-changes" | b"annotation" => skip = skip.saturating_sub(1),
                b"h" | b"p" if skip == 0 => out.end(),
                b"list-item" => list_depth = list_depth.saturating_sub(1),
                _ => {}
            },
            Ok(Event::Text(t)) if skip == 0 => {
                let s = t
                    .unescape()
                    .map_err(|e| format!("the document's XML is not well formed: {e}"))?;
                out.push(&s);
            }
            Ok(_) => {}
        }
    }
    Ok(out.finish())
}

/// The text of an HTML page's body: block elements as paragraphs; scripts, styles and the
/// head left out.
fn html(source: &str) -> String {
    let doc = scraper::Html::parse_document(source);
    let mut out = Paragraphs::default();
    walk(doc.root_element(), &mut out);
    out.finish()
}

fn walk(node: scraper::ElementRef, out: &mut Paragraphs) {
    for child in node.children() {
        match child.value() {
            scraper::node::Node::Text(t) => {
                let collapsed: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !collapsed.is_empty() {
                    if t.starts_with(char::is_whitespace) && !out.current.is_empty() {
                        out.push(" ");
                    }
                    out.push(&collapsed);
                    if t.ends_with(char::is_whitespace) {
                        out.push(" ");
                    }
                }
            }
            scraper::node::Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "head" | "noscript" | "template") {
                    continue;
                }
                let Some(el) = scraper::ElementRef::wrap(child) else {
                    continue;
                };
                let block = matches!(
                    name,
                    "p" | "div"
                        | "li"
                        | "td"
                        | "th"
                        | "blockquote"
                        | "pre"
                        | "dt"
                        | "dd"
                        | "section"
                        | "article"
                        | "figcaption"
                        | "caption"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "tr"
                        | "ul"
                        | "ol"
                        | "table"
                        | "br"
                );
                if block {
                    out.end();
                    if name.starts_with('h') && name.len() == 2 {
                        out.prefix = "# ";
                    } else if name == "li" {
                        out.prefix = "- ";
                    }
                }
                walk(el, out);
                if block {
                    out.end();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_become_paragraphs() {
        let page = "<html><head><title>x</title><style>p{}</style></head><body><h1>Key judgments</h1><p>APT31 was <b>almost certainly</b>\n responsible.</p><ul><li>It is likely.</li></ul><script>var x = 'likely';</script></body></html>";
        assert_eq!(
            html(page),
            "# Key judgments\n\nAPT31 was almost certainly responsible.\n\n- It is likely.\n"
        );
    }
}
