//! JSON Schemas of every `--format json` output, generated from the Rust types with schemars.
//! Published copies live in `tests/schemas/acre/`; a test keeps them equal to these.

use serde_json::Value;

/// The outputs that have a schema.
pub const NAMES: &[&str] = &[
    "check",
    "assess",
    "explain",
    "review",
    "calibrate",
    "lexicon",
    "timeline",
    "diff",
    "pool",
];

/// The schema of output `name`.
pub fn schema(name: &str) -> Option<Value> {
    let schema = match name {
        "check" => schemars::schema_for!(crate::report::check::CheckJson),
        "timeline" => schemars::schema_for!(crate::history::Timeline),
        "diff" => schemars::schema_for!(crate::history::diff::Diff),
        "pool" => schemars::schema_for!(crate::pool::Pool),
        "assess" => schemars::schema_for!(crate::report::assess::AssessJson),
        "explain" => schemars::schema_for!(crate::explain::Explanation),
        "review" => schemars::schema_for!(crate::report::review::ReviewJson),
        "calibrate" => schemars::schema_for!(crate::report::calibrate::CalibrateJson),
        "lexicon" => schemars::schema_for!(crate::report::calibrate::LexiconJson),
        _ => return None,
    };
    serde_json::to_value(schema).ok()
}
