//! Bounds: the least and greatest posterior of each hypothesis over all inputs within their bands.
//!
//! The posterior is a ratio of two functions that are each linear in any one
//! likelihood (every likelihood enters one factor of one product, linearly, also
//! through the prior-predictive rate q_e), so along any one likelihood it is
//! monotone and its extremes over the box lie at vertices. acre therefore searches
//! vertices: all of them while there are at most [`EXHAUSTIVE_LIMIT`] banded inputs
//! (exact), and otherwise a coordinate-wise vertex search from the best corner
//! suggested by each input's direction, repeated until no single flip improves.

use super::joint::{Structure, joint};
use crate::model::Case;

/// Up to this many banded inputs, every vertex is enumerated.
pub const EXHAUSTIVE_LIMIT: usize = 14;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
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
    for h in 0..k {
        for maximise in [false, true] {
            let better = |a: f64, b: f64| {
                if maximise {
                    a > b + 1e-15
                } else {
                    a < b - 1e-15
                }
            };
            // starting corner: each input at the end that moves h the right way, others at their points
            let mut corner = vec![false; vars.len()];
            for (j, &p) in vars.iter().enumerate() {
                let v = &case.params[p].value;
                let mut probe = base.clone();
                probe[p] = v.lo;
                let at_lo = posterior(case, structure, &probe).map_or(f64::NAN, |x| x[h]);
                probe[p] = v.hi;
                let at_hi = posterior(case, structure, &probe).map_or(f64::NAN, |x| x[h]);
                corner[j] = better(at_hi, at_lo);
            }
            set(&mut values, &corner);
            let mut best = posterior(case, structure, &values).map_or(point[h], |x| x[h]);
            for _sweep in 0..50 {
                let mut improved = false;
                for j in 0..vars.len() {
                    corner[j] = !corner[j];
                    set(&mut values, &corner);
                    match posterior(case, structure, &values).map(|x| x[h]) {
                        Some(p) if better(p, best) => {
                            best = p;
                            improved = true;
                        }
                        _ => corner[j] = !corner[j],
                    }
                }
                if !improved {
                    break;
                }
            }
            if maximise {
                out[h].1 = out[h].1.max(best);
            } else {
                out[h].0 = out[h].0.min(best);
            }
        }
    }
    (out, Method::VertexSearch)
}
