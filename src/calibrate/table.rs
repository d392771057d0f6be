//! Tables of values, as the command line reads them from CSV files: a header row and
//! records, each with its line number, so that every message can name the line.
//!
//! Invariant: the library never opens a CSV file; it reads a [`Table`] (or, with the
//! `formats` feature, CSV text: a header row, then records with their line numbers, a quoted
//! cell possibly spanning lines; a byte-order mark skipped; rows may be ragged; cells
//! trimmed). A table keeps every
//! cell's text in one buffer (a million-row forecast file is one allocation, not five
//! million): records are views into it. Text without quotes (most forecast files) is split
//! into lines and cells directly, as the CSV reader would split it; a test holds the two
//! readers to the same tables.

/// A table: headers and records.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Where it came from, for messages (a path as given).
    pub name: String,
    /// Column names, as written.
    pub headers: Vec<String>,
    /// The records, in one part or in several read side by side (one after another).
    parts: Vec<Part>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new("", Vec::new())
    }
}

/// Records of a table, their cells' text in one buffer.
#[derive(Clone, Debug, Default, PartialEq)]
struct Part {
    /// Every cell's text, one after another.
    text: String,
    /// Where each cell ends in `text`, from its record's start (a cell starts where the one
    /// before ends).
    ends: Vec<u32>,
    /// Each record's line, where its text starts, and its first cell's index in `ends`
    /// (a part holds less than 4 GiB of text and 2^32 cells: a table that would hold more
    /// goes on in a new part).
    records: Vec<(usize, u32, u32)>,
}

impl Part {
    /// Whether a record can start here (its text and first cell are within 2^32).
    fn has_room(&self) -> bool {
        u32::try_from(self.text.len()).is_ok() && u32::try_from(self.ends.len()).is_ok()
    }

    /// Adds a record that starts on `line`. A record of 4 GiB or more is left out.
    fn push<'c>(&mut self, line: usize, cells: impl IntoIterator<Item = &'c str>) {
        let (start, first) = (self.text.len(), self.ends.len());
        let (Ok(at), Ok(index)) = (u32::try_from(start), u32::try_from(first)) else {
            return;
        };
        for c in cells {
            self.text.push_str(c);
            match u32::try_from(self.text.len() - start) {
                Ok(end) => self.ends.push(end),
                Err(_) => {
                    self.text.truncate(start);
                    self.ends.truncate(first);
                    return;
                }
            }
        }
        self.records.push((line, at, index));
    }

    /// Record `r` (below the count of records).
    fn record(&self, r: usize) -> Record<'_> {
        let (line, start, first) = self.records[r];
        let (start, first) = (start as usize, first as usize);
        let end = self
            .records
            .get(r + 1)
            .map_or(self.ends.len(), |next| next.2 as usize);
        Record {
            line,
            part: self,
            start,
            cells: (first, end),
        }
    }
}

/// One record of a table.
#[derive(Clone, Copy, Debug)]
pub struct Record<'t> {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    part: &'t Part,
    /// Where its text starts.
    start: usize,
    /// Its cells' indexes in `part.ends`.
    cells: (usize, usize),
}

impl<'t> Record<'t> {
    /// The cell in column `c` (trimmed as read), or an empty string.
    pub fn get(&self, c: usize) -> &'t str {
        let i = self.cells.0 + c;
        if i >= self.cells.1 {
            return "";
        }
        let from = if i == self.cells.0 {
            0
        } else {
            self.part.ends[i - 1] as usize
        };
        self.part
            .text
            .get(self.start + from..self.start + self.part.ends[i] as usize)
            .unwrap_or("")
    }

    /// How many cells the record has (rows may be ragged).
    pub fn len(&self) -> usize {
        self.cells.1 - self.cells.0
    }

    /// Whether the record has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(feature = "formats")]
impl Table {
    /// Parses CSV text into a table.
    ///
    /// CSV read from text cannot fail: the text is UTF-8 already, rows may be ragged
    /// (`flexible`), and quotes are read leniently, so a record the reader still refuses is
    /// left out rather than invented.
    pub fn from_csv(name: &str, text: &str, delimiter: Option<u8>) -> Table {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(text));
        match Table::from_plain(name, text, delimiter) {
            Some(table) => table,
            None => Table::from_quoted(name, text, delimiter),
        }
    }

    /// CSV text read by the CSV reader (quotes, lone carriage returns).
    fn from_quoted(name: &str, text: &str, delimiter: u8) -> Table {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map(|h| h.iter().map(str::to_string).collect())
            .unwrap_or_default();
        let mut table = Table::new(name, headers);
        let mut record = csv::StringRecord::new();
        // the reader's own line count is off after a blank line or a CRLF: a record's line
        // is counted from its first byte, past the line ends before it
        let bytes = text.as_bytes();
        let (mut counted, mut line) = (0usize, 1usize);
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let mut at = record.position().map_or(0, |p| p.byte() as usize);
                    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
                        at += 1;
                    }
                    let at = at.min(bytes.len()).max(counted);
                    line += memchr::memchr_iter(b'\n', &bytes[counted..at]).count();
                    counted = at;
                    table.push(line, record.iter());
                }
                Ok(false) => break,
                // a record the lenient reader still refuses is left out
                Err(_) => {}
            }
        }
        table
    }

    /// CSV text without quotes and without a carriage return that ends no line, read by
    /// splitting: records are the lines that are not empty, cells what the delimiter
    /// separates, each trimmed; the first record holds the column names. `None` for any
    /// other text (the CSV reader reads it).
    fn from_plain(name: &str, text: &str, delimiter: u8) -> Option<Table> {
        let bytes = text.as_bytes();
        if memchr::memchr(b'"', bytes).is_some()
            || memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
            || !delimiter.is_ascii()
        {
            return None;
        }
        let delimiter = char::from(delimiter);
        // the column names: the first line that is not empty
        let (mut at, mut line) = (0, 1);
        let mut headers = Vec::new();
        while at < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |e| at + e);
            let l = &text[at..end];
            let l = l.strip_suffix('\r').unwrap_or(l);
            at = end + 1;
            line += 1;
            if !l.is_empty() {
                headers = l.split(delimiter).map(|c| c.trim().to_string()).collect();
                break;
            }
        }
        let columns = headers.len().max(1);
        let body = text.get(at..).unwrap_or("");
        // the records in two halves split at a line end, read side by side (on two cores
        // with the `parallel` feature) into two parts
        let middle = body.len() / 2;
        let split = memchr::memchr(b'\n', &body.as_bytes()[middle..])
            .map_or(body.len(), |e| middle + e + 1);
        let (first, second) = body.split_at(split);
        let second_line = line + memchr::memchr_iter(b'\n', first.as_bytes()).count();
        let piece = |text: &str, line: usize| {
            let mut t = Table::new(name, Vec::new());
            let count = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
            if let Some(part) = t.parts.last_mut() {
                part.text.reserve(text.len());
                part.records.reserve(count);
                part.ends
                    .reserve(count.saturating_mul(columns).min(text.len() + count));
            }
            for (i, l) in text.split('\n').enumerate() {
                let l = l.strip_suffix('\r').unwrap_or(l);
                if !l.is_empty() {
                    t.push(line + i, l.split(delimiter).map(str::trim));
                }
            }
            t.parts
        };
        let (a, b) = super::binary::both(|| piece(first, line), || piece(second, second_line));
        let mut table = Table::new(name, headers);
        table.parts = a.into_iter().chain(b).collect();
        Some(table)
    }
}

/// The delimiter of a CSV file, from its header line: the most frequent of comma,
/// semicolon and tab outside quotes (comma when none occurs).
#[cfg(feature = "formats")]
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|c| c.1)
        .filter(|c| c.1 > 0)
        .map_or(b',', |c| c.0)
}

impl Table {
    /// An empty table with its name and column names.
    pub fn new(name: impl Into<String>, headers: Vec<String>) -> Self {
        Table {
            name: name.into(),
            headers,
            parts: vec![Part::default()],
        }
    }

    /// Adds a record that starts on `line`. A record of 4 GiB or more is left out.
    pub fn push<'c>(&mut self, line: usize, cells: impl IntoIterator<Item = &'c str>) {
        if !self.parts.last().is_some_and(Part::has_room) {
            self.parts.push(Part::default());
        }
        if let Some(part) = self.parts.last_mut() {
            part.push(line, cells);
        }
    }

    /// The records in file order.
    pub fn rows(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        self.parts
            .iter()
            .flat_map(|p| (0..p.records.len()).map(move |r| p.record(r)))
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.records.len()).sum()
    }

    /// Whether the table has no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first column named any of `names`, ignoring case.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }

    /// The column names, joined for messages: the first 20, each cut to 40 characters,
    /// and how many more (a header of a million columns is not listed whole).
    pub fn header_list(&self) -> String {
        let shown: Vec<String> = self
            .headers
            .iter()
            .take(20)
            .map(|h| crate::format::clip(h, 40).into_owned())
            .collect();
        match self.headers.len().saturating_sub(20) {
            0 => shown.join(", "),
            more => format!("{} and {more} more", shown.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_views_of_their_own_cells() {
        let mut t = Table::new("x.csv", vec!["a".into(), "b".into()]);
        t.push(2, ["1", "two"]);
        t.push(3, []);
        t.push(5, ["", "x", "extra"]);
        let rows: Vec<Record> = t.rows().collect();
        assert_eq!(t.len(), 3);
        assert_eq!(
            (rows[0].line, rows[0].get(0), rows[0].get(1)),
            (2, "1", "two")
        );
        assert_eq!((rows[1].len(), rows[1].get(0)), (0, ""));
        assert_eq!(
            (rows[2].get(0), rows[2].get(1), rows[2].get(2)),
            ("", "x", "extra")
        );
        assert_eq!(rows[2].get(3), "");
        assert_eq!(rows[0].get(2), "");
    }

    #[cfg(feature = "formats")]
    #[test]
    fn records_keep_the_line_they_start_on() {
        let t = Table::from_csv("x.csv", "\u{feff}a, b\n1,\"two\nlines\"\n3\n", None);
        assert_eq!(t.headers, ["a", "b"]);
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[0].line, 2);
        assert_eq!((rows[0].get(0), rows[0].get(1)), ("1", "two\nlines"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].get(1), "");
    }

    /// Every record's line and cells.
    #[cfg(feature = "formats")]
    fn records(t: &Table) -> Vec<(usize, Vec<&str>)> {
        t.rows()
            .map(|r| (r.line, (0..r.len()).map(|c| r.get(c)).collect()))
            .collect()
    }

    #[cfg(feature = "formats")]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Text without quotes is split as the CSV reader reads it: the same names, records,
        /// lines and cells (blank lines, CRLF, ragged rows, spaces, empty cells, a lone CR).
        #[test]
        fn plain_text_is_read_as_the_csv_reader_reads_it(
            text in "(\\PC|[,; \t\r\n]|\r\n|\u{a0}){0,80}",
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            let quoted = Table::from_quoted("x.csv", &text, delimiter);
            if let Some(plain) = Table::from_plain("x.csv", &text, delimiter) {
                proptest::prop_assert_eq!(&plain.headers, &quoted.headers);
                proptest::prop_assert_eq!(records(&plain), records(&quoted));
            }
        }
    }

    #[cfg(feature = "formats")]
    #[test]
    fn plain_and_quoted_text_are_told_apart() {
        let text = "a, b\r\n\r\n1,2\n\n 3 \n4,5,6\n";
        let plain = Table::from_plain("x.csv", text, b',').unwrap();
        assert_eq!(plain.headers, ["a", "b"]);
        assert_eq!(
            records(&plain),
            [
                (3, vec!["1", "2"]),
                (5, vec!["3"]),
                (6, vec!["4", "5", "6"])
            ]
        );
        assert_eq!(
            records(&plain),
            records(&Table::from_quoted("x.csv", text, b','))
        );
        assert!(Table::from_plain("x.csv", "a\n\"1\"\n", b',').is_none());
        // quoted text after blank lines and CRLFs: each record on the line it starts on
        // (the CSV reader's own count said lines 1 and 3)
        let quoted = Table::from_csv("x.csv", "a\r\n\r\n\"1\",2\r\n\n3\r\n", None);
        assert_eq!(records(&quoted), [(3, vec!["1", "2"]), (5, vec!["3"])]);
        assert!(Table::from_plain("x.csv", "a\r1\n", b',').is_none());
    }

    #[cfg(feature = "formats")]
    #[test]
    fn semicolons_are_detected_from_the_header() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        let t = Table::from_csv("x.csv", "p;outcome\n0,75;1\n", None);
        assert_eq!(t.headers, ["p", "outcome"]);
        let row = t.rows().next().unwrap();
        assert_eq!((row.get(0), row.get(1)), ("0,75", "1"));
    }
}
