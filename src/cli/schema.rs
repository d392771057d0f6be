//! `acre schema [NAME]`: the JSON Schema of a command's `--format json` output.

use super::{Exit, Term, UsageError};

/// Prints a schema, or the list of names.
pub fn run(t: &mut Term, name: Option<&str>) {
    let names = acre::report::schemas::NAMES;
    match name {
        None => t.out(&format!("{}\n", names.join("\n"))),
        Some(n) => match acre::report::schemas::schema(n) {
            Some(v) => t.json(&v),
            None => t.fail(
                &UsageError::Usage {
                    message: format!("no schema `{n}`"),
                    help: Some(format!("schemas: {}", names.join(", "))),
                },
                Exit::Usage,
            ),
        },
    }
}
