//! Monte Carlo over the bands (semantics section 6).
//!
//! Each banded input is drawn independently: uniform over its band by default,
//! from its Beta distribution when the yardstick carries one, and log-uniform for
//! likelihood ratios (whose bands span powers of ten). Samples are drawn in
//! fixed-size chunks, each with its own ChaCha stream derived from the seed and
//! the chunk's index, so results are identical on any machine and any number of
//! threads.

use super::joint::Structure;
use super::linear::Plan;
use crate::lexicon::TERM_EDGE;
use crate::model::{Case, ParamRole};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use statrs::distribution::Beta;

/// Draws per chunk: each chunk has its own random stream.
pub const CHUNK: usize = 256;

/// Posterior samples: `samples[i * k + h]`, and assumption posteriors `assumption_samples[i * m + j]`.
#[derive(Clone, Debug)]
pub struct Samples {
    /// Number of hypotheses.
    pub k: usize,
    /// Number of assumptions.
    pub m: usize,
    /// Hypothesis posteriors, sample-major.
    pub hypotheses: Vec<f64>,
    /// Assumption posteriors, sample-major.
    pub assumptions: Vec<f64>,
    /// Samples whose evidence was impossible (skipped).
    pub n_impossible: usize,
}

impl Samples {
    /// Number of usable samples.
    pub fn len(&self) -> usize {
        self.hypotheses.len() / self.k.max(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The samples of hypothesis `h`.
    pub fn of_hypothesis(&self, h: usize) -> Vec<f64> {
        self.hypotheses
            .iter()
            .skip(h)
            .step_by(self.k)
            .copied()
            .collect()
    }

    /// The samples of the sum of some hypotheses (a group's).
    pub fn of_hypotheses(&self, members: &[usize]) -> Vec<f64> {
        self.hypotheses
            .chunks(self.k.max(1))
            .map(|draw| members.iter().map(|h| draw[*h]).sum())
            .collect()
    }

    /// The samples of assumption `j`.
    pub fn of_assumption(&self, j: usize) -> Vec<f64> {
        self.assumptions
            .iter()
            .skip(j)
            .step_by(self.m.max(1))
            .copied()
            .collect()
    }

    /// Whether every hypothesis's and assumption's draws have [`settled`].
    fn settled(&self) -> bool {
        (0..self.k).all(|h| settled(&sorted(self.of_hypothesis(h))))
            && (0..self.m).all(|j| settled(&sorted(self.of_assumption(j))))
    }
}

/// `xs` in increasing order.
pub fn sorted(mut xs: Vec<f64>) -> Vec<f64> {
    xs.sort_by(f64::total_cmp);
    xs
}

/// How one banded input is drawn.
#[derive(Clone, Debug)]
enum Band {
    /// From the yardstick's Beta distribution, kept off 0 and 1.
    Beta(Beta),
    /// Log-uniform between two logs (likelihood ratios).
    LogUniform(f64, f64),
    /// Uniform between two values.
    Uniform(f64, f64),
}

/// The banded inputs of a case, in order, with how each is drawn.
fn bands(case: &Case) -> Vec<(usize, Band)> {
    case.params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.value.is_banded())
        .map(|(i, p)| {
            let v = &p.value;
            let band = match v.beta.and_then(|(a, b)| Beta::new(a, b).ok()) {
                Some(beta) => Band::Beta(beta),
                None if matches!(p.role, ParamRole::Ratio(_)) => {
                    Band::LogUniform(v.lo.ln(), v.hi.ln())
                }
                None => Band::Uniform(v.lo, v.hi),
            };
            (i, band)
        })
        .collect()
}

fn draw(bands: &[(usize, Band)], rng: &mut ChaCha8Rng, out: &mut [f64]) {
    for (i, band) in bands {
        out[*i] = match band {
            Band::Beta(beta) => rng.sample(beta).clamp(TERM_EDGE, 1.0 - TERM_EDGE),
            Band::LogUniform(lo, hi) => {
                let u: f64 = rng.random();
                (lo + u * (hi - lo)).exp()
            }
            Band::Uniform(lo, hi) => {
                let u: f64 = rng.random();
                lo + u * (hi - lo)
            }
        };
    }
}

/// The draws `acre assess` makes by default (at most: drawing stops once the percentiles
/// settle).
pub const DEFAULT_DRAWS: usize = 10_000;

/// The work the default draws may cost, in the units of [`draw_cost`] (about 4 seconds of
/// one core's work, 2 on two cores, on a machine of 2026, since draws are computed from
/// products ([`super::linear`])).
pub const DRAW_BUDGET: f64 = 5e9;

/// Fewer default draws than this are not worth making: the 5th and 95th percentiles of so
/// few draws move by more than a point from one seed to the next.
pub const MIN_DRAWS: usize = 1_000;

/// The default draws for a case, and why they were lowered.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// The most draws to make (0: none).
    pub draws: usize,
    /// Why fewer than [`DEFAULT_DRAWS`], in words.
    pub why: Option<String>,
}

/// The cost of one draw of `case`, from its structure alone (so the same on every
/// machine): each varying echo tree's table over its group's assumption states (once per
/// set of item assumptions in the tree, plus the mixture), each item's terms, and the
/// joint: one sum per component (groups joined by shared assumptions) over its states,
/// through the priors and each of its groups' tables.
pub fn draw_cost(case: &Case, structure: &Structure) -> f64 {
    let k = case.hypotheses.len() as f64;
    let varying = super::joint::varying_trees(case, structure);
    let mut cost = 0.0;
    for (conds, members) in &structure.groups {
        let states = (conds.len() as f64).exp2();
        for &t in members.iter().filter(|t| varying[**t]) {
            let tree = &structure.trees[t];
            let mut sets: Vec<&[crate::model::AssumptionId]> = tree
                .items
                .iter()
                .map(|(item, _)| case.items[item.idx()].likelihood.conds.as_slice())
                .filter(|c| !c.is_empty())
                .collect();
            sets.sort_unstable();
            sets.dedup();
            cost += states * k * (1.0 + sets.len() as f64);
            cost += tree.items.len() as f64 * (k + 1.0) * 8.0;
        }
    }
    for (members, groups) in super::linear::component_sizes(structure) {
        let states = (members as f64).exp2();
        cost += states * k * (members as f64 + groups as f64 + 2.0);
    }
    cost
}

/// How many draws the default allows for `case`: [`DEFAULT_DRAWS`], fewer when they would
/// cost more than [`DRAW_BUDGET`], none when fewer than [`MIN_DRAWS`] would be left.
pub fn draw_budget(case: &Case, structure: &Structure) -> Budget {
    let cost = draw_cost(case, structure);
    let affordable = if cost > 0.0 {
        (DRAW_BUDGET / cost).floor()
    } else {
        f64::INFINITY
    };
    if affordable >= DEFAULT_DRAWS as f64 {
        return Budget {
            draws: DEFAULT_DRAWS,
            why: None,
        };
    }
    // the joint's largest sum: the most assumptions joined in one component
    let states = super::linear::component_sizes(structure)
        .iter()
        .map(|(members, _)| *members)
        .max()
        .unwrap_or(0);
    let size = if states == 0 {
        format!("{} items", case.items.len())
    } else {
        format!(
            "{} items over 2^{states} assumption states",
            case.items.len()
        )
    };
    if affordable < MIN_DRAWS as f64 {
        Budget {
            draws: 0,
            why: Some(format!(
                "no draws by default: with {size}, even {MIN_DRAWS} draws would cost more than the default allows, so the 90% intervals show the point only: ask for draws with --samples N"
            )),
        }
    } else {
        let draws = affordable as usize;
        Budget {
            draws,
            why: Some(format!(
                "at most {draws} draws by default for {size}: ask for more with --samples N"
            )),
        }
    }
}

/// Chunks drawn between two checks of whether the percentiles have settled.
pub const ROUND: usize = 2;

/// The draws have settled when every reported figure is known to within this, either
/// side, with 95% confidence: half a point, as intervals and percentiles are shown to whole
/// points (semantics section 6).
pub const SETTLED: f64 = 0.005;

/// The normal quantile of a two-sided 95% confidence interval.
const Z95: f64 = 1.959_963_984_540_054;

/// How well the figures the draws are shown by are known: the larger half-width of the 95%
/// confidence intervals of the 5th and 95th percentiles of the draws `xs` (sorted), the ends
/// of the 90% interval every output shows. Each comes from the order statistics (the number
/// of draws below the true p-quantile is binomial(n, p), whatever the distribution): half
/// the distance between the quantiles at p -+ 1.96 sqrt(p (1 - p) / n), interpolated as the
/// quantiles themselves are. Infinite for fewer than two draws.
pub fn uncertainty(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n < 2 {
        return f64::INFINITY;
    }
    let nf = n as f64;
    [0.05, 0.95]
        .iter()
        .map(|&p| {
            let d = Z95 * (p * (1.0 - p) / nf).sqrt();
            (quantile(xs, p + d) - quantile(xs, p - d)) / 2.0
        })
        .fold(0.0, f64::max)
}

/// Whether each reported figure of the draws `xs` (sorted) is known to within
/// [`SETTLED`] ([`uncertainty`]).
pub fn settled(xs: &[f64]) -> bool {
    uncertainty(xs) < SETTLED
}

fn chunk(
    case: &Case,
    structure: &Structure,
    plan: &Plan,
    bands: &[(usize, Band)],
    seed: u64,
    c: usize,
    len: usize,
) -> (Vec<f64>, Vec<f64>, usize) {
    let k = case.hypotheses.len();
    let m = case.assumptions.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(c as u64);
    let mut values = case.point_values();
    let mut hyps = Vec::with_capacity(len * k);
    let mut assumptions = Vec::with_capacity(len * m);
    let mut impossible = 0;
    for _ in 0..len {
        draw(bands, &mut rng, &mut values);
        match plan.posteriors(case, structure, &values) {
            Some((post, a)) => {
                hyps.extend(post);
                assumptions.extend(a);
            }
            None => impossible += 1,
        }
    }
    (hyps, assumptions, impossible)
}

/// Draws up to `max` samples with `seed`. Nothing is drawn when no input is banded (every
/// draw would be the point). Otherwise samples are drawn in rounds of [`ROUND`] chunks of
/// [`CHUNK`], and drawing stops once every reported figure has [`settled`] (is known to within
/// [`SETTLED`] with 95% confidence). Each chunk's stream depends only on the seed and the
/// chunk's index, and the stopping rule only on the samples, so the result is the same on
/// any machine and any number of threads.
pub fn sample(case: &Case, structure: &Structure, max: usize, seed: u64) -> Samples {
    draws(case, structure, max, seed, true)
}

/// Draws exactly `n` samples with `seed`, never stopping early: a reference to check the
/// stopping rule's stated precision against.
pub fn sample_all(case: &Case, structure: &Structure, n: usize, seed: u64) -> Samples {
    draws(case, structure, n, seed, false)
}

fn draws(case: &Case, structure: &Structure, max: usize, seed: u64, stop: bool) -> Samples {
    let k = case.hypotheses.len();
    let m = case.assumptions.len();
    let mut out = Samples {
        k,
        m,
        hypotheses: Vec::new(),
        assumptions: Vec::new(),
        n_impossible: 0,
    };
    if max == 0 || !case.params.iter().any(|p| p.value.is_banded()) {
        return out;
    }
    let plan = Plan::new(case, structure);
    let bands = bands(case);
    let n_chunks = max.div_ceil(CHUNK);
    let mut next = 0;
    while next < n_chunks {
        let round = next..(next + ROUND).min(n_chunks);
        next = round.end;
        let chunks: Vec<(Vec<f64>, Vec<f64>, usize)> = maybe_par_iter!(round)
            .map(|c| {
                let len = CHUNK.min(max - c * CHUNK);
                chunk(case, structure, &plan, &bands, seed, c, len)
            })
            .collect();
        for (h, a, i) in chunks {
            out.hypotheses.extend(h);
            out.assumptions.extend(a);
            out.n_impossible += i;
        }
        if out.is_empty() || next >= n_chunks {
            continue;
        }
        if stop && out.settled() {
            break;
        }
    }
    out
}

/// The `q`-quantile of sorted values, by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_by_the_order_statistics() {
        // 1,000 draws evenly over [0.5, 0.5 + w]: the p-quantile (interpolated) is 0.5 + w p,
        // so the half-width for p = 0.05 or 0.95 is w d with d = 1.96 sqrt(0.05 * 0.95 /
        // 1000) = 0.0135081: settled (below 0.005) for w under 0.3701
        let even = |w: f64| -> Vec<f64> { (0..1000).map(|i| 0.5 + w * i as f64 / 999.0).collect() };
        let d = Z95 * (0.05f64 * 0.95 / 1000.0).sqrt();
        assert!((d - 0.013_508_1).abs() < 1e-7, "{d}");
        let u = uncertainty(&even(0.2));
        assert!((u - 0.2 * d).abs() < 1e-12, "{u}");
        assert!(settled(&even(0.36))); // 0.004863
        assert!(!settled(&even(0.38))); // 0.005133
        assert_eq!(uncertainty(&[0.3]), f64::INFINITY);
        // identical draws are settled; one draw is not
        assert!(settled(&[0.3; 100]));
        assert!(!settled(&[0.3]));
        // the figures shown are the interval's ends: a lone outlier beyond the 95th
        // percentile moves neither; with 10 of 100 at 1 the 95th percentile's interval runs
        // from the quantile at 0.95 - 0.0427 = 0.9073 (position 89.82 of 0..99, so 0.821) to
        // 1, a half-width of 0.0895
        let mut xs = vec![0.0; 999];
        xs.push(1.0);
        assert!(settled(&xs));
        let mut xs = vec![0.0; 90];
        xs.extend([1.0; 10]);
        assert!(
            (uncertainty(&xs) - 0.0895).abs() < 0.001,
            "{}",
            uncertainty(&xs)
        );
    }

    #[test]
    fn type_7_quantiles_by_hand() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&xs, 0.5), 3.0);
        assert_eq!(quantile(&xs, 0.05), 1.2);
        assert!((quantile(&xs, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.3), 7.0);
    }
}
