//! What every score starts from: a binary forecast (a probability and whether it happened),
//! the clip of the log score, and how forecasts are grouped by question or case.

/// One forecast with its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// Stated probability.
    pub p: f64,
    /// Whether it happened.
    pub outcome: bool,
    /// The question or case it belongs to (forecasts of one group are not independent).
    pub group: Name,
}

/// A name shared by many forecasts (a question, a forecaster, an option): one allocation
/// per distinct name however many rows repeat it.
pub type Name = std::sync::Arc<str>;

/// Stated probabilities as columns, prepared once for every score: each row's group
/// (question or case) as an index among the groups in sorted name order, and each row's
/// value as an index among the distinct values in increasing order. Bins, bands and the
/// recalibration fit are functions of the value, so they are worked out once per value (a
/// million forecasts written to three decimals have a thousand values), not once per row.
#[derive(Clone, Debug, Default)]
pub struct Stated {
    /// Stated probabilities.
    pub(super) p: Vec<f64>,
    /// Whether each happened.
    pub(super) outcome: Vec<bool>,
    /// Each row's group index.
    pub(super) group: Vec<u32>,
    /// How many groups.
    pub(super) groups: usize,
    /// The distinct values, increasing.
    pub(super) values: Vec<f64>,
    /// Each row's value index.
    pub(super) value_of: Vec<u32>,
}

impl Stated {
    /// Rows from columns: `group[i]` is row i's group among `groups` (numbered in sorted
    /// name order, the order intervals resample and folds are dealt in).
    pub fn new(p: Vec<f64>, outcome: Vec<bool>, group: Vec<u32>, groups: usize) -> Stated {
        // one hash lookup per row; -0 and 0 are one value, as `==` has it
        let mut index: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
        let mut seen: Vec<f64> = Vec::new();
        let raw: Vec<u32> = p
            .iter()
            .map(|&x| {
                let x = x + 0.0;
                *index.entry(x.to_bits()).or_insert_with(|| {
                    seen.push(x);
                    (seen.len() - 1) as u32
                })
            })
            .collect();
        let mut order: Vec<u32> = (0..seen.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| seen[a as usize].total_cmp(&seen[b as usize]));
        let mut rank = vec![0u32; seen.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut value_of = raw;
        for v in &mut value_of {
            *v = rank[*v as usize];
        }
        Stated {
            values: order.iter().map(|&i| seen[i as usize]).collect(),
            value_of,
            p,
            outcome,
            group,
            groups,
        }
    }

    /// Rows from forecasts, grouped by their group names.
    pub fn of(forecasts: &[Forecast]) -> Stated {
        let names: Vec<&str> = forecasts.iter().map(|f| &*f.group).collect();
        let (distinct, idx) = index_names(&names);
        Stated::new(
            forecasts.iter().map(|f| f.p).collect(),
            forecasts.iter().map(|f| f.outcome).collect(),
            idx.into_iter().map(|g| g as u32).collect(),
            distinct.len(),
        )
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.p.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.p.is_empty()
    }

    /// Each row's class, given each value's.
    pub(super) fn classes<'s>(
        &'s self,
        of_value: &'s [Option<usize>],
    ) -> impl Iterator<Item = Option<usize>> + 's {
        self.value_of.iter().map(|&v| of_value[v as usize])
    }

    /// Per class: forecasts, how many happened and the sum of the probabilities, each
    /// summed in row order.
    pub(super) fn class_sums(
        &self,
        of_value: &[Option<usize>],
        classes: usize,
    ) -> Vec<(usize, usize, f64)> {
        let mut sums = vec![(0usize, 0usize, 0.0); classes];
        for ((c, p), o) in self.classes(of_value).zip(&self.p).zip(&self.outcome) {
            if let Some(c) = c {
                let s = &mut sums[c];
                s.0 += 1;
                s.1 += usize::from(*o);
                s.2 += p;
            }
        }
        sums
    }
}

/// Probabilities are clipped to this distance from 0 and 1 for the log score.
pub const LOG_CLIP: f64 = 0.001;

/// The distinct names in sorted order, and each name's index among them: how forecasts are
/// grouped by question or case everywhere in calibration.
pub fn index_names<'a>(names: &[&'a str]) -> (Vec<&'a str>, Vec<usize>) {
    // each name's index in order of first appearance (one hash lookup per name: a file
    // may have a million rows over a few thousand questions), renumbered in sorted order
    let mut first: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    let mut seen: Vec<&'a str> = Vec::new();
    let raw: Vec<usize> = names
        .iter()
        .map(|&n| {
            *first.entry(n).or_insert_with(|| {
                seen.push(n);
                seen.len() - 1
            })
        })
        .collect();
    let mut order: Vec<usize> = (0..seen.len()).collect();
    order.sort_unstable_by_key(|&i| seen[i]);
    let mut rank = vec![0; seen.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let distinct = order.iter().map(|&i| seen[i]).collect();
    (distinct, raw.into_iter().map(|i| rank[i]).collect())
}

/// Runs two independent computations, on two threads when the `parallel` feature is on.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    return (a(), b());
}
