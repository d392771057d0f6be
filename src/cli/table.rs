//! CSV files read into [`Table`]s for the library ([`Table::from_csv`] reads the text).

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
    Some(Table::from_csv(&file.name, &file.text, delimiter))
}
