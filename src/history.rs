//! Cases over time: the timeline of an assessment as evidence was reported
//! ([`timeline`]), and what changed between two versions of a case and how each change
//! moved the judgment ([`diff`]).

pub mod diff;

use crate::check::date_key;
use crate::infer::{self, InferError, Options};
use crate::model::Case;
use crate::vocab::Status;
use serde::Serialize;

/// One hypothesis at one step of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TimelinePoint {
    /// The hypothesis.
    pub id: String,
    /// Its posterior with every input at its point value.
    pub point: f64,
    /// The 5th percentile of the Monte Carlo distribution.
    pub p05: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The yardstick's words for the point posterior.
    pub term: String,
}

/// The assessment after the evidence reported up to one date.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TimelineStep {
    /// The date (`None` for the start: the prior and the undated items).
    pub date: Option<String>,
    /// The items that count from this step on.
    pub added: Vec<String>,
    /// Every hypothesis, in the case's order.
    pub hypotheses: Vec<TimelinePoint>,
    /// The leading hypothesis.
    pub leading: String,
}

/// The timeline of a case: one step before the dated evidence, then one per date on which
/// evidence was reported, in order.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Timeline {
    /// The steps.
    pub steps: Vec<TimelineStep>,
    /// Items without a `reported` date (they count from the start).
    pub undated: Vec<String>,
    /// Pending items (they never count).
    pub pending: Vec<String>,
}

/// The case as it stood on `date`: items reported after it are pending (left out).
pub fn as_of(case: &Case, date: Option<&str>) -> Case {
    let mut c = case.clone();
    for item in &mut c.items {
        let later = match (&item.reported, date) {
            (Some((d, _)), Some(on)) => date_key(d, false) > date_key(on, false),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if later {
            item.status = Status::Pending;
        }
    }
    c
}

/// The timeline: the start (the prior with the undated items), then the assessment after
/// each date on which an item was reported (items dated that day or earlier count). The last
/// step is the whole case, so its points are `acre assess`'s.
pub fn timeline(case: &Case, options: &Options) -> Result<Timeline, InferError> {
    let counted = |s: Status| s != Status::Pending;
    let mut dates: Vec<&str> = case
        .items
        .iter()
        .filter(|e| counted(e.status))
        .filter_map(|e| e.reported.as_ref().map(|(d, _)| d.as_str()))
        .collect();
    dates.sort_by_key(|d| (date_key(d, false), *d));
    dates.dedup_by_key(|d| date_key(d, false));
    let mut steps = Vec::with_capacity(dates.len() + 1);
    let mut points: Vec<Option<&str>> = vec![None];
    points.extend(dates.iter().map(|d| Some(*d)));
    for date in points {
        let c = as_of(case, date);
        // the steps show points and intervals, never bounds: no bounds search
        let a = infer::assess_unbounded(&c, options)?;
        let added = case
            .items
            .iter()
            .filter(|e| counted(e.status))
            .filter(|e| match (&e.reported, date) {
                (None, None) => true,
                (Some((d, _)), Some(on)) => date_key(d, false) == date_key(on, false),
                _ => false,
            })
            .map(|e| e.id.clone())
            .collect();
        steps.push(TimelineStep {
            date: date.map(str::to_string),
            added,
            hypotheses: a
                .hypotheses
                .iter()
                .map(|h| TimelinePoint {
                    id: h.id.clone(),
                    point: h.point,
                    p05: h.p05,
                    p95: h.p95,
                    term: h.placement.words.clone(),
                })
                .collect(),
            leading: a.hypotheses[a.leading].id.clone(),
        });
    }
    Ok(Timeline {
        steps,
        undated: case
            .items
            .iter()
            .filter(|e| counted(e.status) && e.reported.is_none())
            .map(|e| e.id.clone())
            .collect(),
        pending: case
            .items
            .iter()
            .filter(|e| !counted(e.status))
            .map(|e| e.id.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_source;

    const CASE: &str = "case \"t\" { assessed 2018-03-01 }\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nevidence e0 { given a: likely  otherwise: unlikely }\nevidence e1 { reported 2018-02-12  given a: highly likely  otherwise: unlikely }\nevidence e2 { reported 2018-01  given a: unlikely  otherwise: likely }\nevidence e3 { reported 2018-02-12  given a: likely  otherwise: likely }\n";

    #[test]
    fn steps_follow_the_dates_and_end_at_the_whole_case() {
        let case = check_source(CASE).case.unwrap();
        let options = Options {
            samples: 0,
            seed: 1,
        };
        let t = timeline(&case, &options).unwrap();
        let dates: Vec<Option<&str>> = t.steps.iter().map(|s| s.date.as_deref()).collect();
        assert_eq!(dates, [None, Some("2018-01"), Some("2018-02-12")]);
        assert_eq!(t.steps[0].added, ["e0"]);
        assert_eq!(t.steps[2].added, ["e1", "e3"]);
        // by hand, PHIA points (likely 0.65, unlikely 0.30, highly likely 0.85), prior 1:1:
        // start: e0 only, odds 0.65 / 0.30
        let p0 = 0.65 / (0.65 + 0.30);
        assert!((t.steps[0].hypotheses[0].point - p0).abs() < 1e-12);
        // then e2 (0.30 / 0.65), then e1 and e3 (0.85 / 0.30 and 1)
        let odds = (0.65 / 0.30) * (0.30 / 0.65) * (0.85 / 0.30);
        let p2 = odds / (1.0 + odds);
        assert!((t.steps[2].hypotheses[0].point - p2).abs() < 1e-12);
        let whole = infer::assess(&case, &options).unwrap();
        assert_eq!(t.steps[2].hypotheses[0].point, whole.hypotheses[0].point);
    }
}
