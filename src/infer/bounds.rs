//! Bounds: the least and greatest posterior of each hypothesis over all inputs within their bands.
//!
//! The posterior is a ratio of two functions that are each linear in any one
//! likelihood (every likelihood enters one factor of one product, linearly, also
//! through the prior-predictive rate q_e), so along any one likelihood it is
//! monotone and its extremes over the box lie at vertices. acre therefore searches
//! vertices: all of them while there are at most [`EXHAUSTIVE_LIMIT`] banded inputs
//! (exact; each echo tree's table computed once per combination of its own inputs and
//! shared between vertices, [`super::vertices`]), and otherwise a coordinate-wise vertex search from the best corner
//! suggested by each input's direction (and, up to [`LARGE`] inputs, from a few other
//! corners), repeated until no single flip improves. Each flip is tried on copies of the
//! one tree and group it touches and kept only when it improves, which then updates the
//! joint incrementally ([`super::incremental`]). Each hypothesis and direction searches on
//! its own copy of the joint with an equal share of the work budget, so the searches (and
//! the probes that suggest the first corner) run in parallel and give the same bounds on
//! any number of threads. The search can stop at a local optimum, so its
//! bounds may be slightly narrower than the true ones; the report says which
//! method was used.

use super::incremental::Incremental;
use super::joint::{Structure, joint};
use super::vertices::Vertices;
use crate::model::Case;
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Up to this many banded inputs, every vertex is enumerated.
pub const EXHAUSTIVE_LIMIT: usize = 14;

/// Pseudo-random starting corners of the vertex search, besides the suggested, all-low and all-high ones.
const RANDOM_STARTS: usize = 5;

/// Above this many banded inputs, the search starts from the suggested corner only (each
/// further start costs a sweep over every input per hypothesis and direction).
pub const LARGE: usize = 500;

/// Per hypothesis, then per group of the case, `(lower, upper)`.
pub type Bounds = Vec<(f64, f64)>;

/// What the bounds are searched for: each hypothesis, then each group (the sum of its
/// members). A group's posterior is a ratio of sums that are each linear in any one
/// likelihood, as a hypothesis's is, so the same vertex search finds its extremes.
pub struct Targets(Vec<Vec<usize>>);

impl Targets {
    /// The case's hypotheses, then its groups.
    pub fn of(case: &Case) -> Self {
        let singles = (0..case.hypotheses.len()).map(|h| vec![h]);
        let groups = case
            .groups
            .iter()
            .map(|g| g.hypotheses.iter().map(|h| h.idx()).collect());
        Targets(singles.chain(groups).collect())
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Target `t`'s probability in a posterior over the hypotheses.
    pub fn value(&self, t: usize, posterior: &[f64]) -> f64 {
        match self.0[t].as_slice() {
            [h] => posterior[*h],
            members => members.iter().map(|h| posterior[*h]).sum(),
        }
    }

    /// Every target's probability in a posterior over the hypotheses.
    pub fn values(&self, posterior: &[f64]) -> Vec<f64> {
        (0..self.len()).map(|t| self.value(t, posterior)).collect()
    }
}

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
    /// Vertices of the likelihood bands, then a search inside each banded hypothesis prior
    /// (graded items make the posterior non-monotone along a prior): not guaranteed exact.
    PriorSearch,
    /// No search (too many banded inputs times assumption states for [`BUDGET`]): the
    /// bounds are the extremes of the Monte Carlo draws, narrower than the true ones.
    Samples,
    /// No search and no draws: the bounds are the point.
    Unsearched,
}

/// The most work a bounds search may do, in units of one hypothesis in one assumption state
/// of one evaluation of the joint.
pub const BUDGET: f64 = 5e7;

/// Inputs at which each hypothesis's least and greatest posterior were found.
type Extremes = Vec<[Vec<f64>; 2]>;

/// Whether the vertex theorem can fail: a banded hypothesis prior enters every graded
/// item's rate `q_e = sum_g prior(g) l_e(g)` as well as the prior itself, so the posterior
/// is not monotone along it and its extreme can lie inside the band.
pub fn prior_sensitive(case: &Case, structure: &Structure) -> bool {
    let banded_prior = case.hypotheses.iter().any(|h| {
        h.prior
            .is_some_and(|p| case.params[p.idx()].value.is_banded())
    });
    let graded = structure
        .trees
        .iter()
        .any(|t| t.soundness < 1.0 || t.items.iter().any(|(_, c)| *c < 1.0));
    banded_prior && graded
}

/// Computes the bounds of every hypothesis and then every group ([`Targets`]); `point` is
/// the posterior of the hypotheses at point values (used where a vertex is impossible).
pub fn bounds(
    case: &Case,
    structure: &Structure,
    point: &[f64],
    force_search: bool,
) -> (Bounds, Method) {
    let targets = Targets::of(case);
    let point = targets.values(point);
    let (mut out, method, extremes) =
        vertex_bounds(case, structure, &targets, &point, force_search);
    if method == Method::Point || !prior_sensitive(case, structure) {
        return (out, method);
    }
    // search inside each banded prior, from the vertex where each extreme was found
    let priors: Vec<usize> = banded(case)
        .into_iter()
        .filter(|p| matches!(case.params[*p].role, crate::model::ParamRole::Prior(_)))
        .collect();
    for (h, ends) in extremes.iter().enumerate() {
        for (end, start) in ends.iter().enumerate() {
            let maximise = end == 1;
            let mut values = start.clone();
            let score = |values: &[f64]| {
                posterior(case, structure, values).map(|x| {
                    let v = targets.value(h, &x);
                    if maximise { v } else { -v }
                })
            };
            let Some(mut best) = score(&values) else {
                continue;
            };
            for _pass in 0..3 {
                for &p in &priors {
                    let v = &case.params[p].value;
                    let (x, y) = line_search(v.lo, v.hi, &mut |x| {
                        let mut trial = values.clone();
                        trial[p] = x;
                        score(&trial).unwrap_or(f64::NEG_INFINITY)
                    });
                    if y > best {
                        best = y;
                        values[p] = x;
                    }
                }
            }
            if maximise {
                out[h].1 = out[h].1.max(best);
            } else {
                out[h].0 = out[h].0.min(-best);
            }
        }
    }
    (out, Method::PriorSearch)
}

/// The greatest of `f` on `[lo, hi]`: a grid of 33 points, then a golden-section search in
/// the cells beside the best of them.
fn line_search(lo: f64, hi: f64, f: &mut dyn FnMut(f64) -> f64) -> (f64, f64) {
    const GRID: usize = 32;
    let at = |i: usize| lo + (hi - lo) * i as f64 / GRID as f64;
    let (mut bx, mut by) = (lo, f(lo));
    let mut bi = 0;
    for i in 1..=GRID {
        let y = f(at(i));
        if y > by {
            (bx, by, bi) = (at(i), y, i);
        }
    }
    let (mut a, mut b) = (at(bi.saturating_sub(1)), at((bi + 1).min(GRID)));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let (c, d) = (b - g * (b - a), a + g * (b - a));
        let (fc, fd) = (f(c), f(d));
        if fc > by {
            (bx, by) = (c, fc);
        }
        if fd > by {
            (bx, by) = (d, fd);
        }
        if fc >= fd {
            b = d;
        } else {
            a = c;
        }
        if (b - a).abs() < 1e-12 {
            break;
        }
    }
    (bx, by)
}

/// The bounds over the vertices of the bands, with the inputs at each extreme.
fn vertex_bounds(
    case: &Case,
    structure: &Structure,
    targets: &Targets,
    point: &[f64],
    force_search: bool,
) -> (Bounds, Method, Extremes) {
    let base = case.point_values();
    let vars = banded(case);
    let mut out: Bounds = point.iter().map(|p| (*p, *p)).collect();
    let mut extremes: Extremes = point.iter().map(|_| [base.clone(), base.clone()]).collect();
    if vars.is_empty() {
        return (out, Method::Point, extremes);
    }
    let k = targets.len();
    let per_eval = (case.hypotheses.len() as f64) * 2f64.powi(case.assumptions.len() as i32);
    let exhaustive = vars.len() <= EXHAUSTIVE_LIMIT && !force_search;
    let evals = if exhaustive {
        2f64.powi(vars.len() as i32)
    } else {
        // the probes, then one sweep per hypothesis and direction at least
        (2.0 + 2.0 * k as f64) * vars.len() as f64
    };
    if evals * per_eval > BUDGET {
        return (out, Method::Samples, extremes);
    }
    if exhaustive {
        let vertices = Vertices::new(case, structure, &vars);
        for (h, ends) in vertices
            .extremes(&|p| targets.values(p), point)
            .into_iter()
            .enumerate()
        {
            for (end, (p, at)) in ends.into_iter().enumerate() {
                if let Some(mask) = at {
                    extremes[h][end] = vertices.values(mask);
                    if end == 0 {
                        out[h].0 = p;
                    } else {
                        out[h].1 = p;
                    }
                }
            }
        }
        return (out, Method::Exhaustive, extremes);
    }
    let n_vars = vars.len();
    // the joint is kept up to date one flip at a time (infer::incremental)
    let inc = Incremental::new(case, structure, &base);
    // each input's end that raises each hypothesis, probed once from the point
    let raises = probe(&inc, case, &vars, targets);
    // each hypothesis and direction searches on its own copy of the joint, with an equal
    // share of what the budget leaves after the probes: the result does not depend on
    // the order the searches run in, nor on the number of threads
    let share = (BUDGET / per_eval - 2.0 * n_vars as f64) / (2 * k) as f64;
    let searches: Vec<(usize, bool)> = (0..k).flat_map(|h| [(h, false), (h, true)]).collect();
    let found: Vec<(usize, bool, f64, Option<Vec<f64>>)> = maybe_par_iter!(searches)
        .map(|(h, maximise)| {
            let search = Search {
                case,
                targets,
                vars: &vars,
                raises: &raises[h],
                share,
            };
            let (best, at) = search.run(inc.clone(), h, maximise, point[h]);
            let at = at.map(|corner| {
                let mut values = base.clone();
                for (&p, up) in vars.iter().zip(corner) {
                    let v = &case.params[p].value;
                    values[p] = if up { v.hi } else { v.lo };
                }
                values
            });
            (h, maximise, best, at)
        })
        .collect();
    for (h, maximise, best, at) in found {
        if let Some(values) = at {
            extremes[h][usize::from(maximise)] = values;
        }
        if maximise {
            out[h].1 = out[h].1.max(best);
        } else {
            out[h].0 = out[h].0.min(best);
        }
    }
    (out, Method::VertexSearch, extremes)
}

/// Per banded input (`vars`) and hypothesis: whether the input's upper end gives the
/// hypothesis a greater posterior than its lower end, other inputs at their points.
fn probe(inc: &Incremental, case: &Case, vars: &[usize], targets: &Targets) -> Vec<Vec<bool>> {
    let k = targets.len();
    #[cfg(feature = "parallel")]
    let parts = vars.par_chunks(vars.len().div_ceil(rayon::current_num_threads()).max(1));
    #[cfg(not(feature = "parallel"))]
    let parts = vars.chunks(vars.len().max(1));
    let per_part: Vec<Vec<Vec<bool>>> = parts
        .map(|part| {
            let mut inc = inc.clone();
            part.iter()
                .map(|&p| {
                    let v = &case.params[p].value;
                    let at_lo = inc.posterior_with(p, v.lo);
                    let at_hi = inc.posterior_with(p, v.hi);
                    (0..k)
                        .map(|h| {
                            let lo = at_lo.as_ref().map_or(f64::NAN, |x| targets.value(h, x));
                            let hi = at_hi.as_ref().map_or(f64::NAN, |x| targets.value(h, x));
                            hi > lo + 1e-15
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut raises: Vec<Vec<bool>> = (0..k).map(|_| Vec::with_capacity(vars.len())).collect();
    for up in per_part.into_iter().flatten() {
        for (r, u) in raises.iter_mut().zip(up) {
            r.push(u);
        }
    }
    raises
}

/// One hypothesis's search in one direction.
struct Search<'s> {
    case: &'s Case,
    targets: &'s Targets,
    vars: &'s [usize],
    /// Per banded input: whether its upper end raises the hypothesis.
    raises: &'s [bool],
    /// The work this search may do, in evaluations of the joint.
    share: f64,
}

impl Search<'_> {
    /// The most extreme posterior of `h` found, from `point`, and the corner where it was
    /// found (`None` if no corner beat the point).
    fn run(
        &self,
        mut inc: Incremental,
        h: usize,
        maximise: bool,
        point: f64,
    ) -> (f64, Option<Vec<bool>>) {
        let (case, vars) = (self.case, self.vars);
        let n_vars = vars.len();
        let better = |a: f64, b: f64| {
            if maximise {
                a > b + 1e-15
            } else {
                a < b - 1e-15
            }
        };
        // start 1: each input at the end that moves h the right way
        let suggested: Vec<bool> = self.raises.iter().map(|r| *r == maximise).collect();
        // further starts: all low, all high, and a few pseudo-random corners (fixed, so runs
        // repeat), while the search is cheap enough
        let mut starts = vec![suggested];
        if n_vars <= LARGE {
            starts.push(vec![false; n_vars]);
            starts.push(vec![true; n_vars]);
            let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ (h as u64) << 1 ^ u64::from(maximise);
            for _ in 0..RANDOM_STARTS {
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
        }
        let mut spent = 0.0;
        let (mut best_overall, mut at) = (point, None);
        for mut corner in starts {
            inc.set_many(vars.iter().zip(&corner).map(|(&p, &up)| {
                let v = &case.params[p].value;
                (p, if up { v.hi } else { v.lo })
            }));
            let Some(mut best) = inc.posterior().map(|x| self.targets.value(h, &x)) else {
                continue;
            };
            for _sweep in 0..50 {
                // sweeps stop when the share is spent (the search is approximate)
                if spent > self.share {
                    break;
                }
                spent += n_vars as f64;
                let mut improved = false;
                for j in 0..n_vars {
                    let p = vars[j];
                    let v = &case.params[p].value;
                    let flipped = if corner[j] { v.lo } else { v.hi };
                    if let Some(x) = inc
                        .posterior_with(p, flipped)
                        .map(|x| self.targets.value(h, &x))
                        && better(x, best)
                    {
                        inc.set(p, flipped);
                        best = x;
                        corner[j] = !corner[j];
                        improved = true;
                    }
                }
                if !improved {
                    break;
                }
            }
            if better(best, best_overall) {
                best_overall = best;
                at = Some(corner);
            }
        }
        (best_overall, at)
    }
}
