//! Byte ranges into a source text.

/// A byte range `start..end` into one source text.
///
/// Every syntax node carries one. Spans compare by position: two nodes with the same
/// text at different places are different nodes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Number of bytes covered.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The text the span covers, or an empty string when it lies outside `source`.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let mut line = 1;
    let mut line_start = 0;
    for (idx, byte) in source.as_bytes()[..offset].iter().enumerate() {
        if *byte == b'\n' {
            line += 1;
            line_start = idx + 1;
        }
    }
    let column = source
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    (line, column)
}

/// Bytes per block of the character-count table of a [`LineIndex`].
const BLOCK: usize = 4096;

/// Line starts and character counts of a text, for many [`line_column`] look-ups in one
/// text: each look-up costs a binary search and a count over at most 4 KiB, however long
/// the line (a 10 MB one-line file included).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before each 4 KiB block (counted when a column is first asked of a long
    /// line: most texts have none).
    chars_before_block: std::sync::OnceLock<Vec<usize>>,
}

/// Characters in a byte slice: every byte that is not a UTF-8 continuation byte
/// (`10xxxxxx`), counted eight bytes at a time.
fn count_chars(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut continuation = 0;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let w = u64::from_le_bytes(w);
        // a continuation byte has its top bit set and the next bit clear
        continuation += (w & !(w << 1) & HIGH).count_ones() as usize;
    }
    let rest = chunks.remainder();
    continuation += rest.iter().filter(|b| (**b as i8) < -0x40).count();
    bytes.len() - continuation
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        // (room for lines of 48 bytes on average, as prose has: the vector grows less)
        let mut starts = Vec::with_capacity(text.len() / 48 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            starts,
            chars_before_block: std::sync::OnceLock::new(),
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        let blocks = self.chars_before_block.get_or_init(|| {
            let mut counts = Vec::with_capacity(self.text.len() / BLOCK + 1);
            let mut n = 0;
            for block in self.text.as_bytes().chunks(BLOCK) {
                counts.push(n);
                n += count_chars(block);
            }
            counts
        });
        let block = offset / BLOCK;
        let base = blocks.get(block).copied().unwrap_or(0);
        base + count_chars(&self.text.as_bytes()[block * BLOCK..offset])
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|s| *s <= offset.min(self.text.len()))
            .max(1)
            - 1
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// Byte offset where 0-based line `line` ends (before its line break).
    pub fn line_end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len() + 1);
        let end = next.saturating_sub(1).min(self.text.len());
        if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\r') && next <= self.text.len() {
            end - 1
        } else {
            end
        }
    }

    /// The 1-based paragraph (blocks of text separated by blank lines) of each line, in one
    /// pass: a line's number is that of the paragraph a text on it would belong to (a blank
    /// line after a paragraph counts with the next one).
    pub fn paragraphs(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.starts.len());
        let (mut n, mut blank_run, mut seen_text) = (1u32, false, false);
        let bytes = self.text.as_bytes();
        for line in 0..self.starts.len() {
            out.push(n + u32::from(blank_run));
            // most lines start with a letter: not blank, whatever follows
            let start = self.starts[line];
            let blank = match bytes.get(start) {
                Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => false,
                _ => self.text[start..self.line_end(line)].trim().is_empty(),
            };
            if blank {
                blank_run = seen_text;
            } else {
                n += u32::from(blank_run);
                blank_run = false;
                seen_text = true;
            }
        }
        out
    }

    /// Number of lines.
    pub fn n_lines(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line and UTF-16 column (the unit editors count in) of byte `offset`.
    pub fn line_utf16(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let before = self.text.get(self.starts[line]..offset).unwrap_or_default();
        (line, before.encode_utf16().count())
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        // a short way into the line: count it; a long way: use the block counts
        let column = if offset - start <= 2 * BLOCK {
            count_chars(&self.text.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_counted_eight_bytes_at_a_time() {
        for text in [
            "",
            "a",
            "é",
            "aé€😀b\n".repeat(5).as_str(),
            "x😀😀😀😀😀😀😀😀y",
        ] {
            for start in 0..text.len().min(9) {
                assert_eq!(
                    count_chars(&text.as_bytes()[start..]),
                    text.as_bytes()[start..]
                        .iter()
                        .filter(|b| (**b as i8) >= -0x40)
                        .count()
                );
            }
        }
    }

    #[test]
    fn lines_and_utf16_columns() {
        // é is one UTF-16 unit and two bytes; the G clef is two units and four bytes
        let text = "ab\n\u{e9}\u{1d11e} x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_utf16(x), (1, 4));
        assert_eq!(index.line_utf16(0), (0, 0));
        assert_eq!(index.line_utf16(text.len()), (2, 0));
    }

    #[test]
    fn line_index_agrees_with_counting_on_long_lines() {
        // one line of many blocks, with multi-byte characters across block edges
        let text: String = "aé€😀b\n".repeat(3) + &"xé€".repeat(5000) + "\nend";
        let index = LineIndex::new(&text);
        for offset in (0..text.len())
            .filter(|o| text.is_char_boundary(*o))
            .step_by(7)
        {
            assert_eq!(
                index.line_column(offset),
                line_column(&text, offset),
                "{offset}"
            );
        }
        assert_eq!(index.line_of(text.len()), 4);
        assert_eq!(&text[index.line_start(4)..index.line_end(4)], "end");
        assert_eq!(&text[index.line_start(0)..index.line_end(0)], "aé€😀b");
    }

    #[test]
    fn line_column_counts_lines_and_characters() {
        let src = "ab\ncé d\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        // 'é' is two bytes; 'd' is the fourth character of line 2
        assert_eq!(line_column(src, 7), (2, 4));
        assert_eq!(line_column(src, 999), (3, 1));
        let index = LineIndex::new(src);
        for offset in [0, 1, 2, 3, 4, 5, 7, 8, 999] {
            assert_eq!(
                index.line_column(offset),
                line_column(src, offset),
                "{offset}"
            );
        }
    }
}
