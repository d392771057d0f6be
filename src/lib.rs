//! acre
pub mod diagnostic;
pub mod lexicon;
pub mod span;
pub mod syntax;
