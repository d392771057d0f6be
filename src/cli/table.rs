//! CSV files read into [`Table`]s for the library: a header row, then records with their
//! line numbers (a quoted cell may span lines; the number is where the record starts).
//! A byte-order mark is skipped; rows may be ragged; cells are trimmed.

use super::{Exit, Term};
use acre::calibrate::table::{Record, Table};
use std::path::Path;

/// Reads a CSV file (or standard input) into a table, reporting why it cannot be.
pub fn read(t: &mut Term, path: &Path) -> Option<Table> {
    let file = t.read(path)?;
    if let Some(d) = &file.encoding_error {
        t.diagnostics(std::slice::from_ref(d), &file);
        t.raise(Exit::Findings);
        return None;
    }
    Some(parse(&file.name, &file.text))
}

/// Parses CSV text into a table.
///
/// CSV read from text cannot fail: the text is UTF-8 already, rows may be ragged
/// (`flexible`), and quotes are read leniently, so a record the reader still refuses is
/// left out rather than invented.
pub fn parse(name: &str, text: &str) -> Table {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let rows = reader
        .records()
        .filter_map(Result::ok)
        .map(|record| Record {
            line: record.position().map_or(0, csv::Position::line) as usize,
            cells: record.iter().map(str::to_string).collect(),
        })
        .collect();
    Table {
        name: name.to_string(),
        headers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_the_line_they_start_on() {
        let t = parse("x.csv", "\u{feff}a, b\n1,\"two\nlines\"\n3\n");
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].cells, ["1", "two\nlines"]);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[1].get(1), "");
    }
}
