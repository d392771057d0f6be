//! `acre schema [NAME]`: the JSON Schema of a command's `--format json` output.

use super::{Exit, Term, UsageError};

/// `acre schema`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// check, assess, explain, review, calibrate or lexicon.
    pub name: Option<String>,
}

/// Prints a schema, or the list of names.
pub fn run(t: &mut Term, args: &Args) {
    let names = acre::report::schemas::NAMES;
    match args.name.as_deref() {
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
