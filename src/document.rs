//! Drafts as they arrive: the text of Word (`.docx`), OpenDocument (`.odt`) and HTML files,
//! with its structure, for `acre review`.
//!
//! The text is laid out as Markdown reads: one paragraph per block with a blank line between
//! (headings as `# …`, list items as `- …`, table cells as their own paragraphs), so that the
//! review finds sentences and headings as it does in Markdown. Word's tracked changes are
//! read as accepted (insertions kept, deletions and moved-away text left out); footnotes,
//! endnotes and comments are separate parts and are not read. PDF: the text of each page
//! (pdf-extract), blocks as paragraphs. Limits: at most
//! [`MAX_EXPANDED`] bytes (or 64 times `--max-input-size`, if less) are inflated from an
//! archive or from a PDF's Flate streams (a ZIP or flate bomb stops there with an error); a
//! PDF whose arrays or dictionaries nest deeper than [`MAX_PDF_NESTING`] is refused before
//! its recursive reader sees it; XML is read without resolving any entity but the five
//! predefined ones and character references.

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
    /// PDF (its text, page by page).
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
        Kind::Pdf => pdf(bytes, max_expanded),
    }
}

/// The text of a PDF's pages (pdf-extract): each page's blocks as paragraphs, lines within
/// a block joined. A PDF with no text (a scan) is refused; a reader failure is an error,
/// never a crash.
fn pdf(bytes: &[u8], max_expanded: u64) -> Result<String, String> {
    if bytes.windows(8).any(|w| w == b"/Encrypt") {
        return Err("the PDF is encrypted: save an unencrypted copy".to_string());
    }
    pdf_bounds(bytes, max_expanded)?;
    // the reader may panic on malformed files: caught, and its message kept off the terminal
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let pages = std::panic::catch_unwind(|| pdf_pages(bytes));
    std::panic::set_hook(hook);
    let pages = pages
        .map_err(|_| "the PDF could not be read (the PDF reader failed on it)".to_string())?
        .map_err(|e| format!("the PDF could not be read: {e}"))?;
    let mut out = Paragraphs::default();
    for page in &pages {
        for block in page.split("\n\n") {
            out.end();
            let joined: Vec<&str> = block.split_whitespace().collect();
            out.push(&joined.join(" "));
        }
        out.end();
    }
    let text = out.finish();
    if !text.chars().any(char::is_alphabetic) {
        return Err(
            "the PDF holds no text (a scanned document?): run OCR on it, or review the draft's source"
                .to_string(),
        );
    }
    Ok(text)
}

/// The text of each page of a PDF, read in one pass over its pages. (pdf-extract's
/// `extract_text_from_mem_by_pages` looks each page up in the whole page tree and starts
/// afresh, fonts included, per page: 5,000 pages took 11 s.)
fn pdf_pages(bytes: &[u8]) -> Result<Vec<String>, pdf_extract::OutputError> {
    let doc = pdf_extract::Document::load_mem(bytes)?;
    let buf = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let mut writer = SharedBuffer(buf.clone());
    let mut pages = PageText {
        inner: pdf_extract::PlainTextOutput::new(&mut writer as &mut dyn std::io::Write),
        buf,
        pages: Vec::new(),
    };
    pdf_extract::output_doc(&doc, &mut pages)?;
    Ok(pages.pages)
}

/// A writer into a buffer that its owner can also read.
struct SharedBuffer(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for SharedBuffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// pdf-extract's plain-text output, cut at each page's end.
struct PageText<'w> {
    inner: pdf_extract::PlainTextOutput<&'w mut dyn std::io::Write>,
    buf: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
    pages: Vec<String>,
}

impl pdf_extract::OutputDev for PageText<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.inner.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.inner.end_page()?;
        let text = std::mem::take(&mut *self.buf.borrow_mut());
        self.pages.push(String::from_utf8_lossy(&text).into_owned());
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.inner
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.inner.begin_word()
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.inner.end_word()
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.inner.end_line()
    }
}

/// The deepest nesting of arrays and dictionaries a PDF may have: the PDF reader parses them
/// recursively, and real documents stay under a few dozen.
pub const MAX_PDF_NESTING: usize = 256;

/// Checks a PDF before the reader sees it, since the reader inflates every stream whole and
/// parses nested objects recursively: the Flate streams together inflate to at most `max`
/// bytes (a flate bomb stops there), and no array or dictionary, in the file or in an
/// inflated stream, nests deeper than [`MAX_PDF_NESTING`] (the reader would overflow the
/// stack).
fn pdf_bounds(bytes: &[u8], max: u64) -> Result<(), String> {
    let deep = || {
        format!(
            "the PDF nests arrays or dictionaries more than {MAX_PDF_NESTING} deep: refused (a damaged or hostile file)"
        )
    };
    let mut nesting = Nesting::default();
    let mut inflated: u64 = 0;
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"stream") {
        let keyword = at + found;
        let ends_stream = keyword >= 3 && &bytes[keyword - 3..keyword] == b"end";
        nesting.scan(&bytes[at..keyword]);
        at = keyword + 6;
        if ends_stream {
            continue;
        }
        // the body starts after the end of the keyword's line, runs to `endstream`
        let body = match bytes[at..].iter().position(|&b| b == b'\n') {
            Some(nl) => at + nl + 1,
            None => break,
        };
        let end =
            memchr::memmem::find(&bytes[body..], b"endstream").map_or(bytes.len(), |e| body + e);
        let dict_from = keyword.saturating_sub(4096);
        let flate = memchr::memmem::rfind(&bytes[dict_from..keyword], b"obj").map_or(
            memchr::memmem::find(&bytes[dict_from..keyword], b"FlateDecode").is_some(),
            |o| memchr::memmem::find(&bytes[dict_from + o..keyword], b"FlateDecode").is_some(),
        );
        if flate {
            let mut stream_nesting = Nesting::default();
            let mut z = flate2::read::ZlibDecoder::new(&bytes[body..end]);
            let mut buf = [0u8; 64 * 1024];
            loop {
                match z.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        inflated += n as u64;
                        if inflated > max {
                            return Err(format!(
                                "the PDF's streams inflate to more than {max} bytes: refused (a flate bomb, or a document far larger than a draft; see --max-input-size)"
                            ));
                        }
                        stream_nesting.scan(&buf[..n]);
                        if stream_nesting.deepest > MAX_PDF_NESTING {
                            return Err(deep());
                        }
                    }
                }
            }
        }
        at = end;
        if nesting.deepest > MAX_PDF_NESTING {
            return Err(deep());
        }
    }
    nesting.scan(&bytes[at.min(bytes.len())..]);
    if nesting.deepest > MAX_PDF_NESTING {
        return Err(deep());
    }
    Ok(())
}

/// The nesting of PDF arrays and dictionaries over a run of bytes (strings, hex strings
/// and comments skipped), and the deepest seen.
#[derive(Default)]
struct Nesting {
    depth: usize,
    deepest: usize,
    /// Inside a literal string: its parenthesis depth.
    string: usize,
    escaped: bool,
    comment: bool,
    hex: bool,
    /// The byte before was `<` (or `>`), not yet paired.
    angle: Option<u8>,
}

impl Nesting {
    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.string > 0 {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'(') => self.string += 1,
                    (false, b')') => self.string -= 1,
                    _ => {}
                }
                continue;
            }
            if self.comment {
                self.comment = !matches!(b, b'\n' | b'\r');
                continue;
            }
            if self.hex {
                self.hex = b != b'>';
                continue;
            }
            match (self.angle.take(), b) {
                (Some(b'<'), b'<') => self.open(),
                (Some(b'>'), b'>') => self.close(),
                (Some(b'<'), other) => {
                    // a hex string began at the `<`
                    self.hex = other != b'>';
                }
                (_, b'<' | b'>') => self.angle = Some(b),
                (_, b'[') => self.open(),
                (_, b']') => self.close(),
                (_, b'(') => self.string = 1,
                (_, b'%') => self.comment = true,
                _ => {}
            }
        }
    }

    fn open(&mut self) {
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
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

/// A text node of `word/document.xml`: where it is in the XML and in the extracted text.
#[derive(Clone, Debug)]
struct TextNode {
    /// Its unescaped text.
    text: String,
    /// Where that text starts in the extracted text (before trimming, so it may be negative).
    start: i64,
    /// The enclosing `<w:r>…</w:r>` in the XML.
    run: std::ops::Range<usize>,
    /// The run's `<w:rPr>…</w:rPr>`, if any.
    rpr: Option<std::ops::Range<usize>>,
    /// Whether the run holds only this text (and its properties), so it can be split.
    single: bool,
}

/// A `<w:r>` being read: where it starts, its properties, its text nodes, and whether it
/// holds anything else.
type OpenRun = (usize, Option<std::ops::Range<usize>>, Vec<usize>, bool);

/// The part the package's relationships (`_rels/.rels`) name as the main document, as Word
/// and python-docx find it; `word/document.xml` when the package has no relationships.
fn main_part(bytes: &[u8], max: u64) -> Result<String, String> {
    let Ok(rels) = part(bytes, "_rels/.rels", max) else {
        return Ok("word/document.xml".to_string());
    };
    let mut reader = quick_xml::Reader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e))
                if local(e.name().as_ref()) == b"Relationship"
                    && attr(&e, b"Type").is_some_and(|t| t.ends_with("/officeDocument")) =>
            {
                let target =
                    attr(&e, b"Target").ok_or("the package's main relationship names no part")?;
                return Ok(target.trim_start_matches('/').to_string());
            }
            Ok(quick_xml::events::Event::Eof) => {
                return Err("the package's relationships name no main document".to_string());
            }
            Err(e) => return Err(format!("the package's relationships are not readable: {e}")),
            _ => {}
        }
    }
}

/// The text of the main document part.
fn docx(bytes: &[u8], max: u64) -> Result<String, String> {
    let xml = part(bytes, &main_part(bytes, max)?, max)?;
    docx_text(&xml).map(|(text, _, _)| text)
}

/// The extracted text, every text node with its place, and the namespace prefix of the
/// WordprocessingML elements.
fn docx_text(xml: &str) -> Result<(String, Vec<TextNode>, String), String> {
    let bad = |e: &dyn std::fmt::Display| format!("the document's XML is not well formed: {e}");
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Paragraphs::default();
    let mut nodes: Vec<TextNode> = Vec::new();
    // nodes of the paragraph being read, with their offset in its buffer
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut in_text = false;
    // inside deleted or moved-away text
    let mut skip = 0usize;
    let mut prefix = String::from("w");
    // the run being read: its start, properties, text nodes, other content
    let mut run: Option<OpenRun> = None;
    let mut rpr_start = None;
    let mut depth_in_rpr = 0usize;
    let close =
        |out: &mut Paragraphs, pending: &mut Vec<(usize, usize)>, nodes: &mut Vec<TextNode>| {
            let lead = out.current.len() - out.current.trim_start().len();
            let kept = !out.current.trim().is_empty();
            let base = out.out.len() + if out.out.is_empty() { 0 } else { 2 } + out.prefix.len();
            for (node, off) in pending.drain(..) {
                nodes[node].start = if kept {
                    base as i64 + off as i64 - lead as i64
                } else {
                    i64::MIN / 2
                };
            }
            out.end();
        };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| bad(&e))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name();
                let l = local(name.as_ref());
                if depth_in_rpr > 0 {
                    depth_in_rpr += 1;
                }
                match l {
                    b"t" => {
                        in_text = true;
                        if let Some(p) = name.as_ref().iter().position(|b| *b == b':') {
                            prefix = String::from_utf8_lossy(&name.as_ref()[..p]).into_owned();
                        }
                    }
                    b"del" | b"moveFrom" => skip += 1,
                    b"p" => close(&mut out, &mut pending, &mut nodes),
                    b"r" if run.is_none() => run = Some((before, None, Vec::new(), false)),
                    b"rPr" if run.is_some() && depth_in_rpr == 0 => {
                        rpr_start = Some(before);
                        depth_in_rpr = 1;
                    }
                    _ => {
                        if depth_in_rpr == 0
                            && let Some(r) = run.as_mut()
                        {
                            r.3 = true;
                        }
                    }
                }
            }
            Event::Empty(e) => {
                let name = e.name();
                let l = local(name.as_ref());
                if depth_in_rpr == 0
                    && l != b"rPr"
                    && let Some(r) = run.as_mut()
                {
                    r.3 = true;
                }
                match l {
                    b"tab" if skip == 0 => out.push("\t"),
                    b"br" | b"cr" if skip == 0 => out.push(" "),
                    b"pStyle"
                        if attr(&e, b"val").is_some_and(|v| {
                            v.to_lowercase().starts_with("heading")
                                || v.eq_ignore_ascii_case("title")
                        }) =>
                    {
                        out.prefix = "# ";
                    }
                    b"numPr" if out.prefix.is_empty() => out.prefix = "- ",
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = e.name();
                let l = local(name.as_ref());
                if depth_in_rpr > 0 {
                    depth_in_rpr -= 1;
                    if depth_in_rpr == 0
                        && let (Some(r), Some(start)) = (run.as_mut(), rpr_start.take())
                    {
                        r.1 = Some(start..after);
                    }
                    continue;
                }
                match l {
                    b"t" => in_text = false,
                    b"del" | b"moveFrom" => skip = skip.saturating_sub(1),
                    b"p" | b"tc" => close(&mut out, &mut pending, &mut nodes),
                    b"r" => {
                        if let Some((start, rpr, texts, other)) = run.take() {
                            let single = texts.len() == 1 && !other;
                            for n in texts {
                                nodes[n].run = start..after;
                                nodes[n].rpr = rpr.clone();
                                nodes[n].single = single;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip == 0 => {
                let s = t.unescape().map_err(|e| bad(&e))?;
                pending.push((nodes.len(), out.current.len()));
                if let Some(r) = run.as_mut() {
                    r.2.push(nodes.len());
                }
                nodes.push(TextNode {
                    text: s.to_string(),
                    start: 0,
                    run: 0..0,
                    rpr: None,
                    single: false,
                });
                out.push(&s);
            }
            _ => {}
        }
    }
    close(&mut out, &mut pending, &mut nodes);
    Ok((out.finish(), nodes, prefix))
}

/// A finding to anchor as a comment: a span of the extracted text and what to say.
pub struct Note {
    /// Where, in the extracted text.
    pub span: crate::span::Span,
    /// The comment's text.
    pub text: String,
}

/// A copy of a Word document with each note as a Word comment (author "acre") anchored on
/// its words; nothing else changes. Notes whose words are not in the document's runs (a
/// heading's `# `) are left out; the count of comments written comes back.
pub fn annotate(bytes: &[u8], notes: &[Note], max: u64) -> Result<(Vec<u8>, usize), String> {
    // the comments are anchored in the main part, which must be the one Word reads
    let main = main_part(bytes, max)?;
    if main != "word/document.xml" {
        return Err(format!(
            "its main part is `{main}`, not `word/document.xml`: save it from Word as a plain .docx first"
        ));
    }
    let xml = part(bytes, "word/document.xml", max)?;
    let (_, nodes, w) = docx_text(&xml)?;
    let existing = part(bytes, "word/comments.xml", max).ok();
    let first_id = existing.as_deref().map_or(0, |c| {
        c.match_indices("w:id=\"")
            .filter_map(|(i, _)| {
                let rest = &c[i + 6..];
                rest[..rest.find('"')?].parse::<u64>().ok()
            })
            .max()
            .map_or(0, |m| m + 1)
    });
    // cut points per text node: (byte offset in its text, marker)
    let mut cuts: Vec<Vec<(usize, String)>> = vec![Vec::new(); nodes.len()];
    let mut before_run: Vec<(usize, String)> = Vec::new();
    let mut after_run: Vec<(usize, String)> = Vec::new();
    let mut comments = String::new();
    let mut written = 0usize;
    let find = |at: i64, end: bool| {
        nodes.iter().position(|n| {
            let (a, b) = (n.start, n.start + n.text.len() as i64);
            if end {
                a < at && at <= b
            } else {
                a <= at && at < b
            }
        })
    };
    for note in notes {
        let (s, e) = (note.span.start as i64, note.span.end as i64);
        let (Some(first), Some(last)) = (find(s, false), find(e, true)) else {
            continue;
        };
        let id = first_id + written as u64;
        let start_mark = format!("<{w}:commentRangeStart {w}:id=\"{id}\"/>");
        let end_mark = format!(
            "<{w}:commentRangeEnd {w}:id=\"{id}\"/><{w}:r><{w}:commentReference {w}:id=\"{id}\"/></{w}:r>"
        );
        if nodes[first].single {
            cuts[first].push(((s - nodes[first].start) as usize, start_mark));
        } else {
            before_run.push((nodes[first].run.start, start_mark));
        }
        if nodes[last].single {
            cuts[last].push(((e - nodes[last].start) as usize, end_mark));
        } else {
            after_run.push((nodes[last].run.end, end_mark));
        }
        comments.push_str(&format!(
            "<{w}:comment {w}:id=\"{id}\" {w}:author=\"acre\" {w}:initials=\"acre\"><{w}:p><{w}:r><{w}:t xml:space=\"preserve\">{}</{w}:t></{w}:r></{w}:p></{w}:comment>",
            escape(&note.text)
        ));
        written += 1;
    }
    // edits, applied from the end: (start, end, replacement)
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (n, node_cuts) in cuts.iter_mut().enumerate() {
        if node_cuts.is_empty() {
            continue;
        }
        node_cuts.sort_by_key(|c| c.0);
        let node = &nodes[n];
        let rpr = node.rpr.clone().map_or("", |r| &xml[r]);
        let piece = |t: &str| {
            format!(
                "<{w}:r>{rpr}<{w}:t xml:space=\"preserve\">{}</{w}:t></{w}:r>",
                escape(t)
            )
        };
        let mut out = String::new();
        let mut at = 0usize;
        for (cut, mark) in node_cuts.iter() {
            let cut = (*cut).min(node.text.len());
            if cut > at && node.text.is_char_boundary(cut) {
                out.push_str(&piece(&node.text[at..cut]));
                at = cut;
            }
            out.push_str(mark);
        }
        if at < node.text.len() {
            out.push_str(&piece(&node.text[at..]));
        }
        edits.push((node.run.start, node.run.end, out));
    }
    for (at, mark) in before_run {
        edits.push((at, at, mark));
    }
    for (at, mark) in after_run {
        edits.push((at, at, mark));
    }
    // later positions first; at one position, insertions after replacements
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut doc = xml.clone();
    for (start, end, text) in edits {
        doc.replace_range(start..end, &text);
    }
    let comments_xml = match existing {
        Some(c) => {
            let close = format!("</{w}:comments>");
            let at = c
                .rfind(&close)
                .ok_or("the document's comments part is not readable")?;
            format!("{}{comments}{}", &c[..at], &c[at..])
        }
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<{w}:comments xmlns:{w}=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{comments}</{w}:comments>"
        ),
    };
    let rels_name = "word/_rels/document.xml.rels";
    let mut rels = part(bytes, rels_name, max).unwrap_or_else(|_| {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>".to_string()
    });
    if !rels.contains("relationships/comments\"") {
        let at = rels
            .rfind("</Relationships>")
            .ok_or("the document's relationships are not readable")?;
        rels.insert_str(at, "<Relationship Id=\"rIdAcreComments\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>");
    }
    let types_name = "[Content_Types].xml";
    let mut types = part(bytes, types_name, max)?;
    if !types.contains("/word/comments.xml") {
        let at = types
            .rfind("</Types>")
            .ok_or("the document's content types are not readable")?;
        types.insert_str(at, "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/>");
    }
    let replaced: [(&str, &str); 4] = [
        ("word/document.xml", &doc),
        ("word/comments.xml", &comments_xml),
        (rels_name, &rels),
        (types_name, &types),
    ];
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable ZIP archive ({e})"))?;
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let fail =
            |e: &dyn std::fmt::Display| format!("the annotated copy could not be written: {e}");
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(|e| fail(&e))?;
            if replaced.iter().any(|(n, _)| *n == entry.name()) {
                continue;
            }
            z.raw_copy_file(entry).map_err(|e| fail(&e))?;
        }
        for (name, body) in replaced {
            use std::io::Write as _;
            z.start_file(name, options).map_err(|e| fail(&e))?;
            z.write_all(body.as_bytes()).map_err(|e| fail(&e))?;
        }
        z.finish().map_err(|e| fail(&e))?;
    }
    Ok((buffer.into_inner(), written))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

/// Walks the elements in document order with a stack of its own, not the call stack: a page
/// nested 40,000 deep is read, not a stack overflow.
fn walk(root: scraper::ElementRef, out: &mut Paragraphs) {
    enum Step<N> {
        Enter(N),
        /// The end of a block element.
        Leave,
    }
    let mut stack: Vec<Step<_>> = root.children().rev().map(Step::Enter).collect();
    while let Some(step) = stack.pop() {
        let child = match step {
            Step::Leave => {
                out.end();
                continue;
            }
            Step::Enter(child) => child,
        };
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
                    stack.push(Step::Leave);
                }
                stack.extend(child.children().rev().map(Step::Enter));
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
