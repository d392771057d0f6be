//! Partial results: the model of every declaration that checks, in a file with errors.
//!
//! An editor shows numbers while the user types, so a file with an error in one item must
//! still give the rest. A declaration with an error is left out, then every declaration that
//! names one left out (an item that `depends on` it, a `given` line naming a hypothesis that
//! is gone, …), and the rest is checked again, until what remains checks. The command line
//! never assesses a partial case: it refuses files with errors.

use super::names::Names;
use crate::diagnostic::Diagnostic;
use crate::model::Case;
use crate::span::Span;
use crate::syntax::ast::{CaseFile, Item};

/// How many rounds of leaving out are tried before giving up (each round removes at least
/// one declaration, and errors rarely come in more than a few layers).
const MAX_ROUNDS: usize = 16;

/// Why a declaration was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftOutBecause {
    /// It has an error.
    Error,
    /// It names a declaration that was left out (its name).
    Names(String),
}

/// A declaration left out of a partial case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// Where its name (or its keyword) is.
    pub span: Span,
    /// Why.
    pub because: LeftOutBecause,
}

/// The case built from the declarations that check.
#[derive(Debug)]
pub struct Partial {
    /// The case without the declarations left out.
    pub case: Case,
    /// What was left out, in source order.
    pub left_out: Vec<LeftOut>,
}

/// The model of every declaration of `source` that checks, or `None` when not even the
/// remaining declarations make a case (for example when every hypothesis has an error).
pub fn check_partial(source: &str) -> Option<Partial> {
    let (file, parse_diags) = crate::syntax::parse(source);
    let starts: Vec<usize> = file.items.iter().map(|i| i.span().start).collect();
    let names = Names::of(&file);
    // the declaration each reference sits in
    let owner = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut reasons: Vec<Option<LeftOutBecause>> = file
        .items
        .iter()
        .map(|i| matches!(i, Item::Error(_)).then_some(LeftOutBecause::Error))
        .collect();
    let mut errors: Vec<Diagnostic> = parse_diags
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    for round in 0..MAX_ROUNDS {
        let before = reasons.iter().filter(|r| r.is_some()).count();
        // spans in the reduced file are still positions in `source`
        for d in &errors {
            let at = owner(d.primary().map_or(0, |s| s.start));
            if let Some(r) = reasons.get_mut(at)
                && r.is_none()
            {
                *r = Some(LeftOutBecause::Error);
            }
        }
        // dependants, to a fixpoint
        loop {
            let mut changed = false;
            for r in &names.references {
                let at = owner(r.span.start);
                if reasons.get(at).is_none_or(Option::is_some) {
                    continue;
                }
                let gone = r.target.and_then(|t| names.symbols.get(t)).and_then(|s| {
                    reasons
                        .get(owner(s.span.start))?
                        .as_ref()
                        .map(|_| s.name.clone())
                });
                if let Some(name) = gone {
                    reasons[at] = Some(LeftOutBecause::Names(name));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if round > 0 && reasons.iter().filter(|r| r.is_some()).count() == before {
            // the errors left are about no declaration that can be left out
            return None;
        }
        let kept = CaseFile {
            items: file
                .items
                .iter()
                .zip(&reasons)
                .filter(|(_, r)| r.is_none())
                .map(|(i, _)| i.clone())
                .collect(),
        };
        let checked = super::check(&kept);
        if let Some(mut case) = checked.case {
            super::expectation_texts(&mut case, source);
            let left_out = file
                .items
                .iter()
                .zip(reasons)
                .filter_map(|(item, r)| {
                    r.map(|because| LeftOut {
                        span: item.span(),
                        because,
                    })
                })
                .collect();
            return Some(Partial { case, left_out });
        }
        errors = checked
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
    }
    None
}
