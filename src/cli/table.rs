//! CSV files read into [`Table`]s for the library: a header row, then records with their
//! line numbers (a quoted cell may span lines; the number is where the record starts).
//! A byte-order mark is skipped; rows may be ragged; cells are trimmed.

use super::{Exit, Term};
use acre::calibrate::table::{Record, Table};
use std::path::Path;

/// A CSV file that cannot be read as a table.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot read `{path}` as CSV{}: {message}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
#[diagnostic(
    code("acre::csv"),
    help("the file must be UTF-8 CSV with a header row, e.g. exported from a spreadsheet")
)]
pub struct CsvError {
    /// The path as given.
    pub path: String,
    /// Where, when known.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
}

/// Reads a CSV file (or standard input) into a table, reporting why it cannot be.
pub fn read(t: &mut Term, path: &Path) -> Option<Table> {
    let file = t.read(path)?;
    if let Some(d) = &file.encoding_error {
        t.diagnostics(std::slice::from_ref(d), &file);
        t.raise(Exit::Findings);
        return None;
    }
    match parse(&file.name, &file.text) {
        Ok(table) => Some(table),
        Err(e) => {
            t.fail(&e, Exit::Findings);
            None
        }
    }
}

/// Parses CSV text into a table.
pub fn parse(name: &str, text: &str) -> Result<Table, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let error = |e: csv::Error| CsvError {
        path: name.to_string(),
        line: e.position().map(csv::Position::line),
        message: match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "a cell is not valid UTF-8".to_string(),
            _ => e.to_string(),
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(error)?;
        let line = record.position().map_or(0, csv::Position::line) as usize;
        rows.push(Record {
            line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Table {
        name: name.to_string(),
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_the_line_they_start_on() {
        let t = parse("x.csv", "\u{feff}a, b\n1,\"two\nlines\"\n3\n").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].cells, ["1", "two\nlines"]);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[1].get(1), "");
    }
}
