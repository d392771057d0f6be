//! acre's integration tests, one crate (one link of the library) with a module per area.
//! Each module runs the built binary (`support::cli`) or calls the library directly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod calibrate;
mod case_library;
mod check_snapshots;
mod cli_assess;
mod cli_check;
mod codes;
mod documents;
mod engine_reference;
mod explain;
mod export;
mod fixes;
mod fmt;
mod grammar;
mod groups;
mod history;
mod hostile;
mod import;
mod include;
mod json_schemas;
mod layers;
mod lsp;
mod names;
mod partial;
mod pool;
mod prose;
mod review;
mod review_patterns;
mod serve;
mod tree;
