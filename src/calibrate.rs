//! Stage 3d: calibration — scoring track records and fitting words to data
//! (semantics section 10).
//!
//! Invariants: pure functions of forecasts `(probability, outcome)`; no I/O except
//! in [`sources`], which reads case files and CSV; nothing is printed here.

mod binary;
pub mod bootstrap;
pub mod forecast;
pub mod lexicon_fit;
pub mod sources;
pub mod sweep;
pub mod table;

use crate::infer::words::written;
use crate::lexicon::Yardstick;
use crate::syntax::write::{self, TermLine};
pub use binary::{Forecast, LOG_CLIP, index_names};
use serde::Serialize;

/// Forecasts of one bin.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Bin {
    /// Lower edge (or the value, for one bin per distinct forecast).
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Count.
    pub n: usize,
    /// Mean forecast.
    pub mean_forecast: f64,
    /// Observed frequency.
    pub observed: f64,
    /// 90% interval of the frequency, resampling groups (questions or cases); set by
    /// [`score`].
    pub interval: Option<[f64; 2]>,
}

/// The Brier score and its decomposition:
/// `brier = reliability - resolution + uncertainty + within_bin_variance - within_bin_covariance`
/// (Murphy 1973; the last two terms from Stephenson, Coelho & Jolliffe 2008, zero when each
/// bin holds one distinct forecast).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Decomposition {
    /// Mean squared error.
    pub brier: f64,
    /// Reliability (lower is better).
    pub reliability: f64,
    /// Resolution (higher is better).
    pub resolution: f64,
    /// Uncertainty of the outcomes.
    pub uncertainty: f64,
    /// Within-bin variance of the forecasts.
    pub within_bin_variance: f64,
    /// Within-bin covariance of forecasts and outcomes (counted twice, as in SCJ 2008).
    pub within_bin_covariance: f64,
    /// `distinct` (a bin per forecast value) or `ten-bins`.
    pub binning: &'static str,
    /// The bins.
    pub bins: Vec<Bin>,
}

/// Up to this many distinct forecast values, each value is its own bin.
pub const MAX_DISTINCT_BINS: usize = 20;

/// The equal-width bin (of ten) of probability `p`; 1 falls in the last.
fn ten_bin(p: f64) -> usize {
    ((p * 10.0).floor() as usize).min(9)
}

fn bins_of(forecasts: &[Forecast], distinct: bool) -> Vec<Vec<&Forecast>> {
    if distinct {
        let mut values: Vec<f64> = forecasts.iter().map(|f| f.p).collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        values
            .iter()
            .map(|v| forecasts.iter().filter(|f| f.p == *v).collect())
            .collect()
    } else {
        let mut bins: Vec<Vec<&Forecast>> = vec![Vec::new(); 10];
        for f in forecasts {
            bins[ten_bin(f.p)].push(f);
        }
        bins
    }
}

/// Computes the Brier score with its decomposition.
pub fn decompose(forecasts: &[Forecast]) -> Decomposition {
    let n = forecasts.len() as f64;
    let mut distinct: Vec<f64> = forecasts.iter().map(|f| f.p).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let by_value = distinct.len() <= MAX_DISTINCT_BINS;
    let o_bar = forecasts.iter().filter(|f| f.outcome).count() as f64 / n.max(1.0);
    let brier = forecasts
        .iter()
        .map(|f| (f.p - f64::from(u8::from(f.outcome))).powi(2))
        .sum::<f64>()
        / n.max(1.0);
    let (mut rel, mut res, mut wbv, mut wbc) = (0.0, 0.0, 0.0, 0.0);
    let mut bins = Vec::new();
    for (i, members) in bins_of(forecasts, by_value).iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let nk = members.len() as f64;
        let f_bar = members.iter().map(|f| f.p).sum::<f64>() / nk;
        let o_k = members.iter().filter(|f| f.outcome).count() as f64 / nk;
        rel += nk * (f_bar - o_k).powi(2);
        res += nk * (o_k - o_bar).powi(2);
        for f in members {
            let o = f64::from(u8::from(f.outcome));
            wbv += (f.p - f_bar).powi(2);
            wbc += 2.0 * (o - o_k) * (f.p - f_bar);
        }
        let (lo, hi) = if by_value {
            (distinct[i], distinct[i])
        } else {
            (i as f64 / 10.0, (i + 1) as f64 / 10.0)
        };
        bins.push(Bin {
            lo,
            hi,
            n: members.len(),
            mean_forecast: f_bar,
            observed: o_k,
            interval: None,
        });
    }
    let d = n.max(1.0);
    Decomposition {
        brier,
        reliability: rel / d,
        resolution: res / d,
        uncertainty: o_bar * (1.0 - o_bar),
        within_bin_variance: wbv / d,
        within_bin_covariance: wbc / d,
        binning: if by_value { "distinct" } else { "ten-bins" },
        bins,
    }
}

/// Mean negative log-likelihood (natural log; lower is better), and how many forecasts were clipped.
pub fn log_score(forecasts: &[Forecast]) -> (f64, usize) {
    let mut clipped = 0;
    let total: f64 = forecasts
        .iter()
        .map(|f| {
            let p = if f.outcome { f.p } else { 1.0 - f.p };
            if p < LOG_CLIP {
                clipped += 1;
            }
            -p.max(LOG_CLIP).ln()
        })
        .sum();
    (total / forecasts.len().max(1) as f64, clipped)
}

/// Expected calibration error over ten equal-width bins.
pub fn ece(forecasts: &[Forecast]) -> f64 {
    let n = forecasts.len().max(1) as f64;
    bins_of(forecasts, false)
        .iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            let nk = b.len() as f64;
            let f_bar = b.iter().map(|f| f.p).sum::<f64>() / nk;
            let o_k = b.iter().filter(|f| f.outcome).count() as f64 / nk;
            nk / n * (f_bar - o_k).abs()
        })
        .sum()
}

/// One row of the per-band table.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BandRow {
    /// Yardstick.
    pub yardstick: String,
    /// Term.
    pub term: String,
    /// Band.
    pub band: [f64; 2],
    /// Whether the row is a gap between two terms' bands (the values that no term's band
    /// holds, such as PHIA's 75-80%), not a term.
    pub gap: bool,
    /// Stated probabilities placed in this band (or gap).
    pub n: usize,
    /// Questions (or cases) they come from.
    pub questions: usize,
    /// Mean forecast.
    pub mean_forecast: Option<f64>,
    /// Observed frequency.
    pub observed: Option<f64>,
    /// 90% interval on the frequency, resampling questions (their forecasts share an outcome).
    pub interval: Option<[f64; 2]>,
    /// Whether the band holds the observed frequency.
    pub band_contains_observed: Option<bool>,
}

/// Groups (questions or cases) of `forecasts`, and each forecast's group index.
fn group_index(forecasts: &[Forecast]) -> (usize, Vec<usize>) {
    let names: Vec<&str> = forecasts.iter().map(|f| &*f.group).collect();
    let (distinct, idx) = index_names(&names);
    (distinct.len(), idx)
}

/// The observed frequency of each class (a band, a bin) of forecasts with its 90% interval
/// from resampling groups: `class[i]` is forecast i's class, `None` for none.
fn frequency_intervals(
    forecasts: &[Forecast],
    group_of: &[usize],
    groups: usize,
    class: &[Option<usize>],
    classes: usize,
    boot: &bootstrap::Bootstrap,
) -> Vec<Option<[f64; 2]>> {
    // per class and group: (forecasts, outcomes that happened)
    let mut counts = vec![vec![(0u64, 0u64); groups]; classes];
    for ((f, c), g) in forecasts.iter().zip(class).zip(group_of) {
        if let Some(c) = c {
            let cell = &mut counts[*c][*g];
            cell.0 += 1;
            cell.1 += u64::from(f.outcome);
        }
    }
    boot.intervals90(groups, classes, &|m| {
        counts
            .iter()
            .map(|per_group| {
                let (n, k) = per_group
                    .iter()
                    .zip(m)
                    .fold((0u64, 0u64), |(n, k), (c, w)| {
                        (n + c.0 * u64::from(*w), k + c.1 * u64::from(*w))
                    });
                (n > 0).then(|| k as f64 / n as f64)
            })
            .collect()
    })
}

/// The per-band table of `forecasts` on yardstick `y`, with intervals from resampling the
/// forecasts' groups (questions or cases).
pub fn band_table(
    y: &Yardstick,
    forecasts: &[Forecast],
    boot: &bootstrap::Bootstrap,
) -> Vec<BandRow> {
    let rows = band_rows(y);
    let class: Vec<Option<usize>> = forecasts
        .iter()
        .map(|f| Some(band_row_of(y, &rows, f.p)))
        .collect();
    let (groups, group_of) = group_index(forecasts);
    let intervals = frequency_intervals(forecasts, &group_of, groups, &class, rows.len(), boot);
    let mut n = vec![0usize; rows.len()];
    let mut k = vec![0usize; rows.len()];
    let mut sum = vec![0.0; rows.len()];
    let mut seen: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for ((f, c), g) in forecasts.iter().zip(&class).zip(&group_of) {
        if let Some(c) = c {
            n[*c] += 1;
            k[*c] += usize::from(f.outcome);
            sum[*c] += f.p;
            seen[*c].push(*g);
        }
    }
    rows.iter()
        .enumerate()
        // a gap's row only when a value fell in it
        .filter(|(i, r)| !r.gap || n[*i] > 0)
        .map(|(i, r)| {
            let (n, k) = (n[i], k[i]);
            seen[i].sort_unstable();
            seen[i].dedup();
            let observed = (n > 0).then(|| k as f64 / n as f64);
            BandRow {
                yardstick: y.name.clone(),
                term: r.term.clone(),
                band: r.band,
                gap: r.gap,
                n,
                questions: seen[i].len(),
                mean_forecast: (n > 0).then(|| sum[i] / n as f64),
                observed,
                interval: intervals[i],
                band_contains_observed: observed
                    .map(|o| o >= r.band[0] - 1e-12 && o <= r.band[1] + 1e-12),
            }
        })
        .collect()
}

/// A row of the band table before counting: a term's band, or a gap between two terms.
struct RowKind {
    term: String,
    band: [f64; 2],
    gap: bool,
}

/// The yardstick's terms in order, with a row after each term whose band ends below the
/// next one's start: the gap between them ("between likely and highly likely").
fn band_rows(y: &Yardstick) -> Vec<RowKind> {
    let mut out = Vec::new();
    for (i, t) in y.terms.iter().enumerate() {
        out.push(RowKind {
            term: t.name.clone(),
            band: [t.lo, t.hi],
            gap: false,
        });
        if let Some(next) = y.terms.get(i + 1)
            && t.hi < next.lo
        {
            out.push(RowKind {
                term: format!("between {} and {}", t.name, next.name),
                band: [t.hi, next.lo],
                gap: true,
            });
        }
    }
    out
}

/// The row of `rows` a stated probability belongs to: the gap it lies strictly inside, else
/// the written term's band (semantics section 7).
fn band_row_of(y: &Yardstick, rows: &[RowKind], p: f64) -> usize {
    if let Some(g) = rows
        .iter()
        .position(|r| r.gap && p > r.band[0] && p < r.band[1])
    {
        return g;
    }
    let term = &y.terms[written(y, p)].name;
    rows.iter()
        .position(|r| !r.gap && r.term == *term)
        .unwrap_or(0)
}

/// The fewest cases (or questions) behind a band's forecasts for a verdict on it: with
/// fewer, "came true 100% of the time (n=1)" says nothing about the band.
pub const MIN_VERDICT_CASES: usize = 10;

/// The one-line reading of a band row for a team lead, or `None` when the row is empty. A
/// verdict (overconfident, underconfident, consistent) needs [`MIN_VERDICT_CASES`] and an
/// interval that excludes the band (or one inside it).
pub fn band_line(row: &BandRow) -> Option<String> {
    if row.gap {
        return None;
    }
    let (o, [lo, hi]) = (row.observed?, row.interval?);
    let mut line = format!(
        "your '{}' came true {:.0}% of the time (n={}, 90% interval {}): it should mean {}",
        row.term,
        o * 100.0,
        row.n,
        crate::format::interval_percent(lo, hi),
        crate::format::format_band(row.band[0], row.band[1])
    );
    let mid = (row.band[0] + row.band[1]) / 2.0;
    if row.questions < MIN_VERDICT_CASES {
        line.push_str(&format!(
            " — no verdict: only {} {} (a verdict needs {MIN_VERDICT_CASES})",
            row.questions,
            if row.questions == 1 {
                "case or question"
            } else {
                "cases or questions"
            }
        ));
    } else if hi < row.band[0] {
        line.push_str(if mid > 0.5 {
            " — overconfident"
        } else {
            " — too high"
        });
    } else if lo > row.band[1] {
        line.push_str(if mid < 0.5 {
            " — overconfident"
        } else {
            " — underconfident"
        });
    } else {
        line.push_str(" — consistent");
    }
    Some(line)
}

/// A block of the pool-adjacent-violators fit.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Block {
    /// Smallest forecast in the block.
    pub from: f64,
    /// Largest forecast in the block.
    pub to: f64,
    /// Mean forecast of the block.
    pub mean_forecast: f64,
    /// Fitted (observed) probability.
    pub fitted: f64,
    /// Forecasts in the block.
    pub n: usize,
}

/// Isotonic regression of outcomes on forecasts by pool-adjacent-violators: the
/// least-squares non-decreasing fit. Tied forecasts are pooled into one weighted point
/// first (a fit must give one value per forecast value), so the result does not depend on
/// the order of the rows.
pub fn pav(forecasts: &[Forecast]) -> Vec<Block> {
    pav_points(
        forecasts
            .iter()
            .map(|f| (f.p, f64::from(u8::from(f.outcome))))
            .collect(),
    )
}

/// PAV on `(forecast, outcome)` pairs.
fn pav_points(mut points: Vec<(f64, f64)>) -> Vec<Block> {
    points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pav_sorted(points.into_iter())
}

/// PAV on `(forecast, outcome)` pairs sorted by forecast, then outcome.
fn pav_sorted(sorted: impl Iterator<Item = (f64, f64)>) -> Vec<Block> {
    // one point per distinct forecast: (value, sum forecast, sum outcome, n)
    let mut points: Vec<(f64, f64, f64, usize)> = Vec::new();
    for (p, o) in sorted {
        match points.last_mut() {
            Some(last) if last.0 == p => {
                last.1 += p;
                last.2 += o;
                last.3 += 1;
            }
            _ => points.push((p, p, o, 1)),
        }
    }
    // blocks: (from, to, sum forecast, sum outcome, n)
    let mut blocks: Vec<(f64, f64, f64, f64, usize)> = Vec::new();
    for (p, sp, so, n) in points {
        blocks.push((p, p, sp, so, n));
        while blocks.len() >= 2 {
            let b = blocks[blocks.len() - 1];
            let a = blocks[blocks.len() - 2];
            // mean(a) <= mean(b), cross-multiplied so that equal means are not split by rounding
            if a.3 * b.4 as f64 <= b.3 * a.4 as f64 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (a.0, b.1, a.2 + b.2, a.3 + b.3, a.4 + b.4);
            }
        }
    }
    blocks
        .into_iter()
        .map(|(from, to, sp, so, n)| Block {
            from,
            to,
            mean_forecast: sp / n as f64,
            fitted: so / n as f64,
            n,
        })
        .collect()
}

/// Applies a PAV fit: linear between block means, flat beyond the ends.
pub fn apply(blocks: &[Block], p: f64) -> f64 {
    let Some(first) = blocks.first() else {
        return p;
    };
    if p <= first.mean_forecast {
        return first.fitted;
    }
    // the first block whose mean is at least p; its predecessor is below p
    let i = blocks.partition_point(|b| b.mean_forecast < p);
    match (blocks.get(i.wrapping_sub(1)), blocks.get(i)) {
        (Some(a), Some(b)) => {
            let t = (p - a.mean_forecast) / (b.mean_forecast - a.mean_forecast).max(1e-15);
            a.fitted + t * (b.fitted - a.fitted)
        }
        _ => blocks.last().map_or(p, |b| b.fitted),
    }
}

/// Recalibration with an honest before/after: k-fold cross-validation by group.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Recalibration {
    /// The fit on all forecasts.
    pub blocks: Vec<Block>,
    /// Folds.
    pub folds: usize,
    /// Brier of the held-out forecasts as stated.
    pub cv_brier_before: f64,
    /// Brier of the held-out forecasts after the map fitted on the other folds.
    pub cv_brier_after: f64,
}

/// Fits PAV and cross-validates it: groups are dealt to `folds` folds in sorted order.
/// The points are sorted once; each fold's training set is that order with the fold left
/// out, which is the order a sort of it would give (so every fit is the same as sorting).
pub fn recalibrate(forecasts: &[Forecast], folds: usize) -> Recalibration {
    let (groups, group_of) = group_index(forecasts);
    let folds = folds.min(groups).max(1);
    let mut sorted: Vec<(f64, f64, usize)> = forecasts
        .iter()
        .zip(&group_of)
        .map(|(f, g)| (f.p, f64::from(u8::from(f.outcome)), g % folds))
        .collect();
    sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let fit_without = |k: Option<usize>| {
        pav_sorted(
            sorted
                .iter()
                .filter(|x| Some(x.2) != k)
                .map(|&(p, o, _)| (p, o)),
        )
    };
    let (mut before, mut after, mut n) = (0.0, 0.0, 0usize);
    if folds >= 2 {
        for k in 0..folds {
            let fit = fit_without(Some(k));
            for &(p, o, _) in sorted.iter().filter(|x| x.2 == k) {
                before += (p - o).powi(2);
                after += (apply(&fit, p) - o).powi(2);
                n += 1;
            }
        }
    }
    let n = n.max(1) as f64;
    Recalibration {
        blocks: fit_without(None),
        folds,
        cv_brier_before: before / n,
        cv_brier_after: after / n,
    }
}

/// The scores of one forecaster.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Scores {
    /// Who.
    pub name: String,
    /// Forecasts.
    pub n: usize,
    /// Distinct groups (cases or questions).
    pub n_groups: usize,
    /// The Brier score and its decomposition (flattened into the same JSON object).
    #[serde(flatten)]
    pub decomposition: Decomposition,
    /// Log score (natural log, clipped at 0.001).
    pub log_score: f64,
    /// Forecasts clipped for the log score.
    pub log_clipped: usize,
    /// Expected calibration error (ten bins).
    pub ece: f64,
    /// The per-band table.
    pub bands: Vec<BandRow>,
    /// Readings for a team lead.
    pub lines: Vec<String>,
    /// The recalibration fit.
    pub recalibration: Recalibration,
    /// Whether the sample is large enough to judge (at least 30 forecasts from 10
    /// questions or cases).
    pub enough: bool,
}

/// Everything `acre calibrate` says about one forecaster (or one file of forecasters).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Scoring {
    /// Who: `engine`, `analysts`, or the file's forecasters together (`forecasts`).
    pub name: String,
    /// Scores of whole forecasts (options of a question scored together).
    #[serde(flatten)]
    pub headline: forecast::Headline,
    /// Each forecaster, best Brier score first.
    pub by_forecaster: Vec<forecast::ForecasterScore>,
    /// Each question.
    pub by_question: Vec<forecast::QuestionScore>,
    /// Calibration of the stated probabilities: every option's probability against whether
    /// it happened (so a two-option forecast gives two mirror-image rows).
    pub calibration: Scores,
}

/// Scores forecasts (in canonical order) on yardstick `y`.
pub fn score_forecasts(
    name: &str,
    forecasts: &[forecast::MultiForecast],
    questions: Option<&std::collections::BTreeMap<String, forecast::QuestionDates>>,
    y: &Yardstick,
    boot: &bootstrap::Bootstrap,
) -> Scoring {
    // whole forecasts and stated probabilities are scored apart: on two cores at once
    let ((headline, by_forecaster, by_question), calibration) = binary::both(
        || forecast::headline(forecasts, questions, boot),
        || {
            let rows: Vec<Forecast> = forecasts
                .iter()
                .flat_map(forecast::MultiForecast::rows)
                .collect();
            score(name, &rows, y, boot)
        },
    );
    Scoring {
        name: name.to_string(),
        headline,
        by_forecaster,
        by_question,
        calibration,
    }
}

/// Scores a forecaster's stated probabilities on a yardstick.
pub fn score(
    name: &str,
    forecasts: &[Forecast],
    y: &Yardstick,
    boot: &bootstrap::Bootstrap,
) -> Scores {
    let mut d = decompose(forecasts);
    // each forecast's bin, as decompose made them
    let class: Vec<Option<usize>> = forecasts
        .iter()
        .map(|f| {
            if d.binning == "distinct" {
                d.bins.binary_search_by(|b| b.lo.total_cmp(&f.p)).ok()
            } else {
                // empty bins are left out of `d.bins`: find the one starting at the edge
                let i = ten_bin(f.p);
                d.bins.iter().position(|b| ten_bin(b.lo + 0.05) == i)
            }
        })
        .collect();
    let (groups, group_of) = group_index(forecasts);
    let intervals = frequency_intervals(forecasts, &group_of, groups, &class, d.bins.len(), boot);
    for (b, i) in d.bins.iter_mut().zip(intervals) {
        b.interval = i;
    }
    let (log_score, log_clipped) = log_score(forecasts);
    let bands = band_table(y, forecasts, boot);
    Scores {
        name: name.to_string(),
        n: forecasts.len(),
        n_groups: groups,
        decomposition: d,
        log_score,
        log_clipped,
        ece: ece(forecasts),
        lines: bands.iter().filter_map(band_line).collect(),
        bands,
        recalibration: recalibrate(forecasts, 5),
        enough: forecasts.len() >= 30 && groups >= 10,
    }
}

/// The yardstick `y` with its bands mapped through a recalibration fit, in case-file syntax.
pub fn recalibrated_yardstick(y: &Yardstick, fit: &[Block], n: usize) -> String {
    let terms: Vec<TermLine> = y
        .terms
        .iter()
        .map(|t| {
            let (lo, hi, point) = (apply(fit, t.lo), apply(fit, t.hi), apply(fit, t.point));
            TermLine {
                name: t.name.clone(),
                lo: lo.min(hi),
                hi: hi.max(lo),
                point: point.clamp(lo.min(hi), hi.max(lo)),
                beta: None,
            }
        })
        .collect();
    write::yardstick(
        &[
            format!(
                "Recalibrated by `acre calibrate` from {n} resolved forecasts (pool-adjacent-violators)."
            ),
            "Each term keeps its name; its band is what the term turned out to mean.".to_string(),
        ],
        &format!("{}_recalibrated", y.name),
        &format!("{} (recalibrated)", y.title),
        &terms,
        &format!("acre calibrate: PAV fit on {n} forecasts"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_indexed_in_sorted_order() {
        let (distinct, idx) = index_names(&["q2", "q10", "q2", "a", "q10", "q1"]);
        // byte order: "a" < "q1" < "q10" < "q2"
        assert_eq!(distinct, ["a", "q1", "q10", "q2"]);
        assert_eq!(idx, [3, 2, 3, 0, 2, 1]);
        let (distinct, idx) = index_names(&[]);
        assert!(distinct.is_empty() && idx.is_empty());
    }

    #[test]
    fn values_in_a_gap_get_the_gaps_row_not_a_terms() {
        // PHIA: likely 55-75%, highly likely 80-90%; 77.6% lies between them
        let y = crate::lexicon::builtin_yardstick("phia").unwrap();
        let mut fs = vec![
            f(0.776, true),
            f(0.776, false),
            f(0.85, true),
            f(0.75, true),
        ];
        for (i, x) in fs.iter_mut().enumerate() {
            x.group = format!("q{i}").into();
        }
        let rows = band_table(&y, &fs, &bootstrap::Bootstrap::default());
        let row = |term: &str| rows.iter().find(|r| r.term == term).unwrap();
        let gap = row("between likely and highly likely");
        assert!(gap.gap);
        assert_eq!(gap.band, [0.75, 0.8]);
        assert_eq!((gap.n, gap.observed), (2, Some(0.5)));
        assert_eq!(row("highly likely").n, 1);
        // 75% is likely's own upper edge, not the gap
        assert_eq!(row("likely").n, 1);
        // gaps nothing fell in get no row, and a gap row gets no verdict line
        assert!(
            !rows
                .iter()
                .any(|r| r.term == "between unlikely and realistic possibility")
        );
        assert_eq!(band_line(gap), None);
    }

    fn f(p: f64, o: bool) -> Forecast {
        Forecast {
            p,
            outcome: o,
            group: format!("{p}{o}").into(),
        }
    }

    #[test]
    fn pav_on_a_known_sequence() {
        // outcomes in forecast order 1 0 0 1 1: the first three pool to 1/3; 1 and 1 tie, not a violation
        let fs = [
            f(0.1, true),
            f(0.2, false),
            f(0.3, false),
            f(0.4, true),
            f(0.5, true),
        ];
        let blocks = pav(&fs);
        let fitted: Vec<f64> = blocks.iter().map(|b| b.fitted).collect();
        assert_eq!(blocks.len(), 3);
        assert!((fitted[0] - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(&fitted[1..], [1.0, 1.0]);
        assert_eq!((blocks[0].from, blocks[0].to, blocks[0].n), (0.1, 0.3, 3));
        assert!((blocks[0].mean_forecast - 0.2).abs() < 1e-15);
        // linear between block means 0.2 -> 1/3 and 0.4 -> 1
        assert!((apply(&blocks, 0.3) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(apply(&blocks, 0.05), 1.0 / 3.0);
        assert_eq!(apply(&blocks, 0.9), 1.0);
        // a decreasing sequence pools into one block at the mean outcome
        let fs = [f(0.1, true), f(0.5, true), f(0.9, false), f(0.95, false)];
        let blocks = pav(&fs);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].fitted, 0.5);
    }
}
