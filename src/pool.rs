//! Several analysts, one question: their case files side by side, pooled, and where they
//! disagree.
//!
//! Each analyst's file is a full case; the files must share their hypotheses (by id; priors
//! may differ). Pools of the point posteriors, with weights `w` summing to 1:
//! - linear: `p(h) = sum_i w_i p_i(h)`;
//! - logarithmic (geometric, renormalised): `p(h) ∝ prod_i p_i(h)^w_i`;
//! - extremised logarithmic: `p(h) ∝ (prod_i p_i(h)^w_i)^d` with `d > 1` pushing the pool
//!   away from the middle (Satopää et al. 2014, for forecasts that share information).
//!
//! Disagreement: items found in some files only, and for items in several files, each
//! analyst's leave-one-out weight of evidence (decibans) for the hypothesis that leads the
//! linear pool, ranked by how far apart the analysts are.

use crate::infer::{self, LeaveOneOut};
use crate::model::{Case, ItemId};
use serde::Serialize;

/// One analyst's judgment.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Analyst {
    /// The file.
    pub file: String,
    /// Its weight in the pools.
    pub weight: f64,
    /// Point posterior per hypothesis (in [`Pool::hypotheses`] order).
    pub posterior: Vec<f64>,
    /// The yardstick's words for each.
    pub terms: Vec<String>,
    /// The analytic confidence of the file's assessment.
    pub confidence: String,
}

/// One pooled judgment.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Pooled {
    /// `linear`, `logarithmic` or `extremized logarithmic (d = 1.5)`.
    pub method: String,
    /// Per hypothesis.
    pub posterior: Vec<f64>,
    /// The yardstick's words for each.
    pub terms: Vec<String>,
}

/// How far apart the analysts are on one hypothesis.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Spread {
    /// The hypothesis.
    pub id: String,
    /// The lowest posterior.
    pub min: f64,
    /// The highest.
    pub max: f64,
    /// The (population) standard deviation of the analysts' posteriors.
    pub sd: f64,
    /// Whether every analyst's words are the same.
    pub same_term: bool,
}

/// An item as each analyst has it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ItemView {
    /// The item.
    pub id: String,
    /// Per analyst: the item's weight of evidence for the focus hypothesis in decibans
    /// (`null` when the file lacks the item, the item is pending or the ratio is infinite).
    pub decibans: Vec<Option<f64>>,
    /// Per analyst: its grade and likelihood lines as written (`null` when absent).
    pub written: Vec<Option<String>>,
    /// The largest difference between two analysts' decibans.
    pub range: f64,
}

/// Several analysts' cases pooled.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Pool {
    /// The hypotheses, in the first file's order.
    pub hypotheses: Vec<String>,
    /// The analysts.
    pub analysts: Vec<Analyst>,
    /// Linear, logarithmic and (when asked) extremised pools.
    pub pooled: Vec<Pooled>,
    /// Per hypothesis.
    pub spread: Vec<Spread>,
    /// The hypothesis the items are weighed for: the one leading the linear pool.
    pub focus: String,
    /// Items in some files only (with who has them).
    pub only_in_some: Vec<ItemView>,
    /// Items in several files, the most disputed first.
    pub disagreements: Vec<ItemView>,
}

/// Why files cannot be pooled.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PoolError {
    /// Nothing to pool.
    #[error("nothing to pool")]
    #[diagnostic(code("acre::usage"), help("name at least one case file"))]
    Empty,
    /// A file's evidence is impossible.
    #[error("the evidence of {0} is impossible under every hypothesis")]
    #[diagnostic(code("acre::impossible-evidence"))]
    Impossible(String),
}

/// The linear pool.
pub fn linear(posteriors: &[Vec<f64>], weights: &[f64]) -> Vec<f64> {
    let k = posteriors.first().map_or(0, Vec::len);
    (0..k)
        .map(|h| posteriors.iter().zip(weights).map(|(p, w)| w * p[h]).sum())
        .collect()
}

/// The logarithmic pool raised to `d` (1 for the plain log pool), renormalised; a
/// hypothesis an analyst with weight rules out stays out. All zeros give the linear pool's
/// support as uniform.
pub fn logarithmic(posteriors: &[Vec<f64>], weights: &[f64], d: f64) -> Vec<f64> {
    let k = posteriors.first().map_or(0, Vec::len);
    let logs: Vec<f64> = (0..k)
        .map(|h| {
            posteriors
                .iter()
                .zip(weights)
                .map(|(p, w)| {
                    if *w == 0.0 {
                        0.0
                    } else if p[h] <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        w * p[h].ln()
                    }
                })
                .sum::<f64>()
                * d
        })
        .collect();
    let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return vec![1.0 / k as f64; k];
    }
    let un: Vec<f64> = logs.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = un.iter().sum();
    un.iter().map(|u| u / total).collect()
}

/// Each evidence item's words that say how it is weighed (grade and likelihoods), by id:
/// one parse of the file.
fn written(text: &str) -> std::collections::HashMap<String, String> {
    let parse = crate::syntax::tree::parse(text);
    parse
        .declarations()
        .filter(|d| d.keyword() == Some(crate::syntax::keyword::Keyword::Evidence))
        .filter_map(|d| {
            let id = d.name()?.text().to_string();
            let fields: Vec<String> = d
                .fields()
                .map(|f| crate::history::diff::normalise(f.syntax()))
                .filter(|f| {
                    let k = f.split([' ', ':']).next().unwrap_or("");
                    matches!(
                        k,
                        "from"
                            | "credibility"
                            | "grade"
                            | "given"
                            | "otherwise"
                            | "supports"
                            | "absent"
                            | "pending"
                            | "depends"
                    )
                })
                .collect();
            Some((id, fields.join("; ")))
        })
        .collect()
}

/// Pools checked cases (`files[i]` is the name of `cases[i]`, `texts[i]` its text) with
/// `weights` (equal when `None`; normalised to sum to 1), and the extremised log pool with
/// `extremize` when given. The cases must share their hypotheses (check with [`mismatches`]).
pub fn pool(
    files: &[String],
    texts: &[String],
    cases: &[Case],
    weights: Option<&[f64]>,
    extremize: Option<f64>,
) -> Result<Pool, PoolError> {
    let first = cases.first().ok_or(PoolError::Empty)?;
    let ids: Vec<String> = first.hypotheses.iter().map(|h| h.id.clone()).collect();
    let n = cases.len();
    let raw: Vec<f64> = weights.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    let total: f64 = raw.iter().sum();
    let w: Vec<f64> = raw.iter().map(|x| x / total).collect();
    let words = |case: &Case, p: f64| infer::words::place(&case.yardstick, p).words;
    let mut posteriors = Vec::with_capacity(n);
    let mut analysts = Vec::with_capacity(n);
    for (i, case) in cases.iter().enumerate() {
        let (post, _) = infer::point_posterior(case, &|_| true)
            .map_err(|_| PoolError::Impossible(files[i].clone()))?;
        // in the first file's order
        let ordered: Vec<f64> = ids
            .iter()
            .map(|id| {
                case.hypotheses
                    .iter()
                    .position(|h| &h.id == id)
                    .map_or(0.0, |j| post[j])
            })
            .collect();
        let options = infer::Options {
            samples: 0,
            seed: infer::DEFAULT_SEED,
        };
        let confidence = infer::assess(case, &options)
            .map(|a| a.confidence.level.word().to_string())
            .unwrap_or_default();
        analysts.push(Analyst {
            file: files[i].clone(),
            weight: w[i],
            posterior: ordered.clone(),
            terms: ordered.iter().map(|p| words(case, *p)).collect(),
            confidence,
        });
        posteriors.push(ordered);
    }
    let pooled_terms = |p: &[f64]| p.iter().map(|x| words(first, *x)).collect::<Vec<_>>();
    let lin = linear(&posteriors, &w);
    let log = logarithmic(&posteriors, &w, 1.0);
    let mut pooled = vec![
        Pooled {
            method: "linear".to_string(),
            terms: pooled_terms(&lin),
            posterior: lin.clone(),
        },
        Pooled {
            method: "logarithmic".to_string(),
            terms: pooled_terms(&log),
            posterior: log,
        },
    ];
    if let Some(d) = extremize {
        let ext = logarithmic(&posteriors, &w, d);
        pooled.push(Pooled {
            method: format!("extremized logarithmic (d = {d})"),
            terms: pooled_terms(&ext),
            posterior: ext,
        });
    }
    let spread = ids
        .iter()
        .enumerate()
        .map(|(h, id)| {
            let xs: Vec<f64> = posteriors.iter().map(|p| p[h]).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            Spread {
                id: id.clone(),
                min: xs.iter().copied().fold(f64::INFINITY, f64::min),
                max: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                sd,
                same_term: analysts.iter().all(|a| a.terms[h] == analysts[0].terms[h]),
            }
        })
        .collect();
    let focus = (0..ids.len())
        .max_by(|&a, &b| lin[a].total_cmp(&lin[b]))
        .unwrap_or(0);
    // each analyst's items with their weight for the focus hypothesis
    let mut item_ids: Vec<String> = Vec::new();
    for case in cases {
        for e in &case.items {
            if !item_ids.contains(&e.id) {
                item_ids.push(e.id.clone());
            }
        }
    }
    let weights_db: Vec<std::collections::HashMap<String, Option<f64>>> = cases
        .iter()
        .map(|case| {
            let h = case
                .hypotheses
                .iter()
                .position(|x| x.id == ids[focus])
                .unwrap_or(0);
            let loo = LeaveOneOut::new(case);
            case.items
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let db = loo
                        .index(ItemId(i as u32))
                        .and_then(|at| loo.log_ratio(at, h))
                        .map(crate::explain::to_decibans);
                    (e.id.clone(), db)
                })
                .collect()
        })
        .collect();
    let written_by_file: Vec<_> = texts.iter().map(|t| written(t)).collect();
    let mut only_in_some = Vec::new();
    let mut disagreements = Vec::new();
    for id in item_ids {
        let present: Vec<bool> = cases
            .iter()
            .map(|c| c.items.iter().any(|e| e.id == id))
            .collect();
        let decibans: Vec<Option<f64>> = weights_db
            .iter()
            .map(|m| m.get(&id).copied().flatten())
            .collect();
        let known: Vec<f64> = decibans.iter().flatten().copied().collect();
        let range = if known.len() >= 2 {
            known.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - known.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            0.0
        };
        let view = ItemView {
            written: written_by_file
                .iter()
                .zip(&present)
                .map(|(w, p)| if *p { w.get(&id).cloned() } else { None })
                .collect(),
            id,
            decibans,
            range,
        };
        if present.iter().all(|p| *p) {
            disagreements.push(view);
        } else {
            only_in_some.push(view);
        }
    }
    disagreements.sort_by(|a, b| b.range.total_cmp(&a.range).then(a.id.cmp(&b.id)));
    Ok(Pool {
        focus: ids[focus].clone(),
        hypotheses: ids,
        analysts,
        pooled,
        spread,
        only_in_some,
        disagreements,
    })
}

/// A mismatch between the files: a hypothesis missing from one (an error) or a question
/// worded differently (a warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The file with the problem.
    pub file: usize,
    /// Whether it stops the pooling.
    pub error: bool,
    /// What is wrong.
    pub message: String,
}

/// The mismatches between the files' hypotheses and questions, against the first file.
pub fn mismatches(files: &[String], cases: &[Case]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let Some(first) = cases.first() else {
        return out;
    };
    let ids = |c: &Case| {
        c.hypotheses
            .iter()
            .map(|h| h.id.clone())
            .collect::<Vec<_>>()
    };
    let base = ids(first);
    for (i, case) in cases.iter().enumerate().skip(1) {
        let mine = ids(case);
        for id in base.iter().filter(|id| !mine.contains(id)) {
            out.push(Mismatch {
                file: i,
                error: true,
                message: format!(
                    "{} has no hypothesis `{id}`, which {} has",
                    files[i], files[0]
                ),
            });
        }
        for id in mine.iter().filter(|id| !base.contains(id)) {
            out.push(Mismatch {
                file: i,
                error: true,
                message: format!(
                    "{} has a hypothesis `{id}` that {} does not",
                    files[i], files[0]
                ),
            });
        }
        if case.question != first.question {
            out.push(Mismatch {
                file: i,
                error: false,
                message: format!(
                    "{} asks {:?}, {} asks {:?}: make sure they are one question",
                    files[i],
                    case.question.as_deref().unwrap_or(""),
                    files[0],
                    first.question.as_deref().unwrap_or("")
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_by_hand() {
        let p = vec![vec![0.8, 0.2], vec![0.5, 0.5]];
        let w = [0.5, 0.5];
        let lin = linear(&p, &w);
        assert!((lin[0] - 0.65).abs() < 1e-15);
        // sqrt(0.8 * 0.5) / (sqrt(0.4) + sqrt(0.1)) = 2/3
        let log = logarithmic(&p, &w, 1.0);
        assert!((log[0] - 2.0 / 3.0).abs() < 1e-12);
        // extremised with d = 2: 0.4 / (0.4 + 0.1) = 0.8
        let ext = logarithmic(&p, &w, 2.0);
        assert!((ext[0] - 0.8).abs() < 1e-12);
        // one analyst ruling a hypothesis out keeps it out of the log pool
        let z = logarithmic(&[vec![1.0, 0.0], vec![0.5, 0.5]], &w, 1.0);
        assert_eq!(z, [1.0, 0.0]);
    }
}
