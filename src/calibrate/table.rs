//! Tables of values, as the command line reads them from CSV files: a header row and
//! records, each with its line number, so that every message can name the line.
//!
//! Invariant: the library never opens a CSV file; it reads a [`Table`] (or, with the
//! `formats` feature, CSV text: a header row, then records with their line numbers, a quoted
//! cell possibly spanning lines; a byte-order mark skipped; rows may be ragged; cells
//! trimmed). A table keeps every
//! cell's text in one buffer (a million-row forecast file is one allocation, not five
//! million): records are views into it.

/// A table: headers and records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Where it came from, for messages (a path as given).
    pub name: String,
    /// Column names, as written.
    pub headers: Vec<String>,
    /// Every cell's text, one after another.
    text: String,
    /// Where each cell ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
    /// Each record's line and its first cell's index in `ends`.
    records: Vec<(usize, usize)>,
}

/// One record of a table.
#[derive(Clone, Copy, Debug)]
pub struct Record<'t> {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    table: &'t Table,
    /// Its cells' indexes in `table.ends`.
    cells: (usize, usize),
}

impl<'t> Record<'t> {
    /// The cell in column `c` (trimmed as read), or an empty string.
    pub fn get(&self, c: usize) -> &'t str {
        let i = self.cells.0 + c;
        if i >= self.cells.1 {
            return "";
        }
        let start = if i == 0 { 0 } else { self.table.ends[i - 1] };
        &self.table.text[start..self.table.ends[i]]
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
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let line = record.position().map_or(0, csv::Position::line) as usize;
                    table.push(line, record.iter());
                }
                Ok(false) => break,
                // a record the lenient reader still refuses is left out
                Err(_) => {}
            }
        }
        table
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
            ..Table::default()
        }
    }

    /// Adds a record that starts on `line`.
    pub fn push<'c>(&mut self, line: usize, cells: impl IntoIterator<Item = &'c str>) {
        let first = self.ends.len();
        for c in cells {
            self.text.push_str(c);
            self.ends.push(self.text.len());
        }
        self.records.push((line, first));
    }

    /// The records in file order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Record<'_>> + '_ {
        (0..self.records.len()).map(move |r| {
            let (line, first) = self.records[r];
            let end = self.records.get(r + 1).map_or(self.ends.len(), |n| n.1);
            Record {
                line,
                table: self,
                cells: (first, end),
            }
        })
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the table has no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
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
