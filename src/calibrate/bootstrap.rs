//! Intervals by resampling questions (or cases): forecasts of one question share its
//! outcome, so they are not independent draws, and the question is the unit resampled.
//!
//! Reproducible on any machine: replicate `b` draws its questions from a ChaCha8 stream
//! (`seed`, stream `b`), whose output and integer sampling do not depend on the platform.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::infer::monte_carlo::quantile;

/// Replicates drawn by default.
pub const REPLICATES: usize = 1000;

/// How to resample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bootstrap {
    /// Replicates.
    pub replicates: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            replicates: REPLICATES,
            seed: 1,
        }
    }
}

impl Bootstrap {
    /// How many times each of `groups` questions is drawn in replicate `b`.
    pub fn multiplicities(&self, b: usize, groups: usize) -> Vec<u32> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(b as u64);
        let mut m = vec![0u32; groups];
        if groups == 0 {
            return m;
        }
        let bound = u32::try_from(groups).unwrap_or(u32::MAX);
        for _ in 0..groups {
            m[rng.random_range(0..bound) as usize] += 1;
        }
        m
    }

    /// The 90% percentile intervals of `k` statistics computed together on each replicate:
    /// the statistics get each question's multiplicity and may return `None` (undefined on
    /// that replicate, e.g. a band no drawn question reaches), which is left out; an interval
    /// is `None` when every replicate is.
    pub fn intervals90(
        &self,
        groups: usize,
        k: usize,
        statistics: &(dyn Fn(&[u32]) -> Vec<Option<f64>> + Sync),
    ) -> Vec<Option<[f64; 2]>> {
        let replicate = |b: usize| statistics(&self.multiplicities(b, groups));
        // replicates are independent: on every core, gathered in replicate order
        #[cfg(feature = "parallel")]
        let replicates: Vec<Vec<Option<f64>>> = {
            use rayon::prelude::*;
            (0..self.replicates)
                .into_par_iter()
                .map(replicate)
                .collect()
        };
        #[cfg(not(feature = "parallel"))]
        let replicates: Vec<Vec<Option<f64>>> = (0..self.replicates).map(replicate).collect();
        let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(self.replicates); k];
        for stats in replicates {
            for (v, s) in values.iter_mut().zip(stats) {
                if let Some(s) = s.filter(|s| s.is_finite()) {
                    v.push(s);
                }
            }
        }
        values
            .into_iter()
            .map(|mut v| {
                if v.is_empty() {
                    return None;
                }
                v.sort_by(f64::total_cmp);
                Some([quantile(&v, 0.05), quantile(&v, 0.95)])
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicates_draw_as_many_questions_as_there_are_and_repeat() {
        let b = Bootstrap::default();
        for r in 0..20 {
            let m = b.multiplicities(r, 7);
            assert_eq!(m.iter().sum::<u32>(), 7);
            assert_eq!(m, b.multiplicities(r, 7));
        }
        assert_ne!(b.multiplicities(0, 50), b.multiplicities(1, 50));
    }
}
