//! Stage 1: source text to syntax tree.
//!
//! Two views of one parse: [`parse`] gives the lowered [`ast`] that `check` reads (values
//! unquoted, comments gone), and [`tree::parse`] the lossless tree that keeps every byte.
//!
//! Invariants: `syntax` knows nothing about yardsticks or inference; the parser
//! never fails: it returns the tree (with [`ast::Item::Error`] holes where a
//! declaration could not be read) and a list of diagnostics.

pub mod ast;
pub mod fmt;
pub mod keyword;
pub(crate) mod kind;
pub(crate) mod lexer;
pub(crate) mod parser;
pub mod tree;
pub(crate) mod write;

use crate::diagnostic::Diagnostic;

/// Parses a case file.
pub fn parse(source: &str) -> (ast::CaseFile, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let tokens = lexer::lex(source, &mut diagnostics);
    let (file, mut parse_diags) = parser::parse_tokens(source, &tokens);
    diagnostics.append(&mut parse_diags);
    (file, diagnostics)
}
