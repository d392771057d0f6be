//! Comparing what a draft says with what a case computes (semantics section 9): a term
//! said of a hypothesis or an assumption against its posterior and 90% interval.

use super::subjects::SubjectKey;
use crate::infer::{Assessment, band_verdict};
use crate::model::Case;
use crate::vocab::Verdict;

/// The case a draft is checked against.
#[derive(Clone, Copy)]
pub struct CaseContext<'a> {
    /// The case.
    pub case: &'a Case,
    /// Its assessment.
    pub assessment: &'a Assessment,
}

/// A term compared with the numbers of the hypothesis or assumption it is said of.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison<'a> {
    /// The hypothesis's or assumption's id.
    pub id: &'a str,
    /// Its point posterior.
    pub point: f64,
    /// Its 5th percentile.
    pub p05: f64,
    /// Its 95th percentile.
    pub p95: f64,
    /// What the numbers make of the term's band.
    pub verdict: Verdict,
}

/// Compares band `band`, said of `subject`, with the case's numbers; `None` when the
/// subject is neither a hypothesis nor an assumption of the case.
pub fn compare<'a>(
    case: CaseContext<'a>,
    subject: &SubjectKey,
    band: (f64, f64),
) -> Option<Comparison<'a>> {
    let (id, point, p05, p95) = match subject {
        SubjectKey::Hypothesis(h) => {
            let r = case.assessment.hypotheses.get(*h as usize)?;
            (r.id.as_str(), r.point, r.p05, r.p95)
        }
        SubjectKey::Assumption(a) => {
            let r = case.assessment.assumptions.get(*a as usize)?;
            (r.id.as_str(), r.posterior, r.p05, r.p95)
        }
        _ => return None,
    };
    Some(Comparison {
        id,
        point,
        p05,
        p95,
        verdict: band_verdict(band, point, p05, p95),
    })
}
