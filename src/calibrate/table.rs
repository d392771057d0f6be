//! Tables of values, as the command line reads them from CSV files: a header row and
//! records, each with its line number, so that every message can name the line.
//!
//! Invariant: the library never opens a CSV file; it reads a [`Table`].

/// A table: headers and records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Where it came from, for messages (a path as given).
    pub name: String,
    /// Column names, as written.
    pub headers: Vec<String>,
    /// Records in file order.
    pub rows: Vec<Record>,
}

/// One record of a table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    /// Cells, trimmed.
    pub cells: Vec<String>,
}

impl Record {
    /// The cell in column `c`, or an empty string.
    pub fn get(&self, c: usize) -> &str {
        self.cells.get(c).map_or("", String::as_str)
    }
}

impl Table {
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
