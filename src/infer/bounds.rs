//! Bounds: the least and greatest posterior of each hypothesis over all inputs within their bands.
//!
//! The posterior is a ratio of two functions that are each linear in any one
//! likelihood (every likelihood enters one factor of one product, linearly, also
//! through the prior-predictive rate q_e), so along any one likelihood it is
//! monotone and its extremes over the box lie at vertices. acre therefore searches
//! vertices: all of them while there are at most [`EXHAUSTIVE_LIMIT`] banded inputs
//! (exact), and otherwise a coordinate-wise vertex search from the best corner
//! suggested by each input's direction (and, up to [`LARGE`] inputs, from a few other
//! corners), repeated until no single flip improves. Each flip updates the joint
//! incrementally ([`super::incremental`]). The search can stop at a local optimum, so its
//! bounds may be slightly narrower than the true ones; the report says which
//! method was used.

use super::incremental::Incremental;
use super::joint::{Structure, joint};
use crate::model::Case;

/// Up to this many banded inputs, every vertex is enumerated.
pub const EXHAUSTIVE_LIMIT: usize = 14;

/// Pseudo-random starting corners of the vertex search, besides the suggested, all-low and all-high ones.
const RANDOM_STARTS: usize = 5;

/// Above this many banded inputs, the search starts from the suggested corner only (each
/// further start costs a sweep over every input per hypothesis and direction).
pub const LARGE: usize = 500;

/// Per hypothesis, `(lower, upper)`.
pub type Bounds = Vec<(f64, f64)>;

fn posterior(case: &Case, structure: &Structure, values: &[f64]) -> Option<Vec<f64>> {
    joint(case, structure, values).posterior()
}

/// The banded inputs: indices of parameters with `lo < hi`.
pub fn banded(case: &Case) -> Vec<usize> {
    case.params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.value.is_banded())
        .map(|(i, _)| i)
        .collect()
}

/// How the bounds were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// No banded input: bounds equal the point.
    Point,
    /// Every vertex enumerated: exact.
    Exhaustive,
    /// Coordinate-wise vertex search.
    VertexSearch,
}

/// Computes the bounds; `point` is the posterior at point values (used where a vertex is impossible).
pub fn bounds(
    case: &Case,
    structure: &Structure,
    point: &[f64],
    force_search: bool,
) -> (Bounds, Method) {
    let base = case.point_values();
    let vars = banded(case);
    let mut out: Bounds = point.iter().map(|p| (*p, *p)).collect();
    if vars.is_empty() {
        return (out, Method::Point);
    }
    let set = |values: &mut Vec<f64>, corner: &[bool]| {
        for (j, &p) in vars.iter().enumerate() {
            let v = &case.params[p].value;
            values[p] = if corner[j] { v.hi } else { v.lo };
        }
    };
    let mut values = base.clone();
    if vars.len() <= EXHAUSTIVE_LIMIT && !force_search {
        let mut corner = vec![false; vars.len()];
        for mask in 0u64..(1u64 << vars.len()) {
            for (j, c) in corner.iter_mut().enumerate() {
                *c = (mask >> j) & 1 == 1;
            }
            set(&mut values, &corner);
            if let Some(post) = posterior(case, structure, &values) {
                for (h, p) in post.iter().enumerate() {
                    out[h].0 = out[h].0.min(*p);
                    out[h].1 = out[h].1.max(*p);
                }
            }
        }
        return (out, Method::Exhaustive);
    }
    let k = case.hypotheses.len();
    let n_vars = vars.len();
    // the joint is kept up to date one flip at a time (infer::incremental)
    let mut inc = Incremental::new(case, structure, &base);
    let eval_at = |inc: &mut Incremental, p: usize, v: f64| -> Option<Vec<f64>> {
        inc.set(p, v);
        inc.posterior()
    };
    // each input's end that raises each hypothesis, probed once from the point
    let mut raises = vec![vec![false; n_vars]; k];
    for (j, &p) in vars.iter().enumerate() {
        let v = &case.params[p].value;
        let at_lo = eval_at(&mut inc, p, v.lo);
        let at_hi = eval_at(&mut inc, p, v.hi);
        inc.set(p, base[p]);
        for (h, r) in raises.iter_mut().enumerate() {
            let lo = at_lo.as_ref().map_or(f64::NAN, |x| x[h]);
            let hi = at_hi.as_ref().map_or(f64::NAN, |x| x[h]);
            r[j] = hi > lo + 1e-15;
        }
    }
    // more starts while the search is cheap enough
    let random_starts = if n_vars <= LARGE { RANDOM_STARTS } else { 0 };
    for h in 0..k {
        for maximise in [false, true] {
            let better = |a: f64, b: f64| {
                if maximise {
                    a > b + 1e-15
                } else {
                    a < b - 1e-15
                }
            };
            // start 1: each input at the end that moves h the right way
            let suggested: Vec<bool> = raises[h].iter().map(|r| *r == maximise).collect();
            // further starts: all low, all high, and a few pseudo-random corners (fixed, so runs repeat)
            let mut starts = vec![suggested];
            if n_vars <= LARGE {
                starts.push(vec![false; n_vars]);
                starts.push(vec![true; n_vars]);
            }
            let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ (h as u64) << 1 ^ u64::from(maximise);
            for _ in 0..random_starts {
                starts.push(
                    (0..n_vars)
                        .map(|_| {
                            state = state
                                .wrapping_mul(6_364_136_223_846_793_005)
                                .wrapping_add(1_442_695_040_888_963_407);
                            state >> 63 == 1
                        })
                        .collect(),
                );
            }
            let mut best_overall = point[h];
            for mut corner in starts {
                for (j, &p) in vars.iter().enumerate() {
                    let v = &case.params[p].value;
                    inc.set(p, if corner[j] { v.hi } else { v.lo });
                }
                let Some(mut best) = inc.posterior().map(|x| x[h]) else {
                    continue;
                };
                for _sweep in 0..50 {
                    let mut improved = false;
                    for j in 0..n_vars {
                        let p = vars[j];
                        let v = &case.params[p].value;
                        let flipped = if corner[j] { v.lo } else { v.hi };
                        match eval_at(&mut inc, p, flipped).map(|x| x[h]) {
                            Some(x) if better(x, best) => {
                                best = x;
                                corner[j] = !corner[j];
                                improved = true;
                            }
                            _ => inc.set(p, if corner[j] { v.hi } else { v.lo }),
                        }
                    }
                    if !improved {
                        break;
                    }
                }
                if better(best, best_overall) {
                    best_overall = best;
                }
            }
            if maximise {
                out[h].1 = out[h].1.max(best_overall);
            } else {
                out[h].0 = out[h].0.min(best_overall);
            }
        }
    }
    (out, Method::VertexSearch)
}
