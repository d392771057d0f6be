//! `acre yardstick [NAME]`: a yardstick, scale or grading table with its source.

use super::{Exit, Term, unknown_yardstick};

/// `acre yardstick`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// phia, icd203, kent, ipcc, enfsi, admiralty or stix.
    pub name: Option<String>,
}

/// Prints one table, or all of them.
pub fn run(t: &mut Term, args: &Args) {
    let names = acre::report::tables::table_names();
    match args.name.as_deref() {
        Some(name) => match acre::report::yardstick_table(name) {
            Some(table) => t.out(&table),
            None => t.fail(
                &unknown_yardstick(name, names.iter().map(String::as_str)),
                Exit::Usage,
            ),
        },
        None => {
            for name in &names {
                if let Some(table) = acre::report::yardstick_table(name) {
                    t.out(&table);
                    t.out("\n");
                }
            }
        }
    }
}
