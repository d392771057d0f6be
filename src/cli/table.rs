//! CSV files read into [`Table`]s for the library: a header row, then records with their
//! line numbers (a quoted cell may span lines; the number is where the record starts).
//! A byte-order mark is skipped; rows may be ragged; cells are trimmed.

use super::{Exit, Term};
use acre::calibrate::table::Table;
use std::path::Path;

/// Reads a CSV file (or standard input) into a table, reporting why it cannot be.
pub fn read(t: &mut Term, path: &Path) -> Option<Table> {
    read_with(t, path, None)
}

/// Reads a CSV file with a given field delimiter (detected from the header when `None`).
pub fn read_with(t: &mut Term, path: &Path, delimiter: Option<u8>) -> Option<Table> {
    let file = t.read(path)?;
    if let Some(d) = &file.encoding_error {
        t.diagnostics(std::slice::from_ref(d), &file);
        t.raise(Exit::Findings);
        return None;
    }
    Some(parse_with(&file.name, &file.text, delimiter))
}

/// The delimiter of a CSV file, from its header line: the most frequent of comma,
/// semicolon and tab outside quotes (comma when none occurs).
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

/// Parses CSV text into a table.
///
/// CSV read from text cannot fail: the text is UTF-8 already, rows may be ragged
/// (`flexible`), and quotes are read leniently, so a record the reader still refuses is
/// left out rather than invented.
pub fn parse_with(name: &str, text: &str, delimiter: Option<u8>) -> Table {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_the_line_they_start_on() {
        let t = parse_with("x.csv", "\u{feff}a, b\n1,\"two\nlines\"\n3\n", None);
        assert_eq!(t.headers, ["a", "b"]);
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[0].line, 2);
        assert_eq!((rows[0].get(0), rows[0].get(1)), ("1", "two\nlines"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].get(1), "");
    }

    #[test]
    fn semicolons_are_detected_from_the_header() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        let t = parse_with("x.csv", "p;outcome\n0,75;1\n", None);
        assert_eq!(t.headers, ["p", "outcome"]);
        let row = t.rows().next().unwrap();
        assert_eq!((row.get(0), row.get(1)), ("0,75", "1"));
    }
}
