//! acre
pub mod check;
pub mod commands;
pub mod diagnostic;
pub mod infer;
pub mod lexicon;
pub mod model;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax;
