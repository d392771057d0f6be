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

/// Interns names: the same text gives the same shared [`Name`].
#[derive(Debug, Default)]
pub struct Names(rustc_hash::FxHashMap<Name, ()>);

impl Names {
    /// The shared name for `text`.
    pub fn get(&mut self, text: &str) -> Name {
        match self.0.get_key_value(text) {
            Some((k, _)) => k.clone(),
            None => {
                let n: Name = text.into();
                self.0.insert(n.clone(), ());
                n
            }
        }
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
