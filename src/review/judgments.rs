//! A case's own judgments (`judgment kj1 "..." { claims apt31 almost certain }`) compared
//! with its numbers (semantics section 9).

use super::scan::{Meaning, Scanner};
use crate::infer::{Assessment, band_verdict};
use crate::model::Case;
use crate::span::Span;
use crate::vocab::Verdict;
use serde::Serialize;

/// How a case's judgment compares with the numbers.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct JudgmentCheck {
    /// Judgment id.
    pub id: String,
    /// `consistent`, `defensible`, `overclaim` or `underclaim`.
    pub verdict: Verdict,
    /// The claimed term with its band.
    pub claimed: String,
    /// The term the numbers support.
    pub supported: String,
    /// Point posterior.
    pub point: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Where the term is written (in the judgment's text when found there).
    #[serde(skip)]
    pub span: Span,
}

/// Checks every judgment of a case (semantics sections 7 and 9): consistent if the claimed
/// term is the written term of the point (its band holds the point, or the point is in a gap
/// nearer that term); defensible if not, but the 5-95% interval overlaps it; otherwise an
/// overclaim or underclaim.
pub fn judgment_checks(
    case: &Case,
    a: &Assessment,
    source: &str,
    scanner: &Scanner,
) -> Vec<JudgmentCheck> {
    let y = &case.yardstick;
    case.judgments
        .iter()
        .map(|j| {
            let r = a.result(j.proposition);
            let t = &y.terms[j.term_idx];
            let verdict = band_verdict(y, (t.lo, t.hi), r.point, r.p05, r.p95);
            // label the term where the judgment's own text says it, when it does
            let text_span = j.text_span.filter(|s| !s.is_empty());
            let says_term = |m: &Meaning| {
                matches!(m, Meaning::Term { yardstick, term, .. }
                    if scanner.yardsticks[*yardstick].name == y.name && *term == j.term_idx)
            };
            let span = text_span
                .and_then(|ts| {
                    scanner
                        .scan(ts.text(source))
                        .into_iter()
                        .find(|h| scanner.wordings[h.wording].meanings.iter().any(says_term))
                        .map(|h| Span::new(ts.start + h.span.start, ts.start + h.span.end))
                })
                .unwrap_or(j.span);
            JudgmentCheck {
                id: j.id.clone(),
                verdict,
                claimed: y.term_with_band(j.term_idx),
                supported: match r.placement.band {
                    Some(t) => y.term_with_band(t),
                    None => crate::infer::words::stated(y, r.point),
                },
                point: r.point,
                p05: r.p05,
                p95: r.p95,
                span,
            }
        })
        .collect()
}
