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
pub use binary::{Forecast, LOG_CLIP, Stated, index_names};
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

/// Computes the Brier score with its decomposition.
pub fn decompose(forecasts: &[Forecast]) -> Decomposition {
    decompose_stated(&Stated::of(forecasts)).0
}

/// The decomposition, and each value's bin (its index in the decomposition's bins).
fn decompose_stated(s: &Stated) -> (Decomposition, Vec<Option<usize>>) {
    let n = s.len() as f64;
    let by_value = s.values.len() <= MAX_DISTINCT_BINS;
    let raw_bins = if by_value { s.values.len() } else { 10 };
    let raw_of_value: Vec<Option<usize>> = s
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| Some(if by_value { i } else { ten_bin(*v) }))
        .collect();
    let o_bar = s.outcome.iter().filter(|o| **o).count() as f64 / n.max(1.0);
    let brier =
        s.p.iter()
            .zip(&s.outcome)
            .map(|(p, o)| (p - f64::from(u8::from(*o))).powi(2))
            .sum::<f64>()
            / n.max(1.0);
    let sums = s.class_sums(&raw_of_value, raw_bins);
    let means: Vec<(f64, f64)> = sums
        .iter()
        .map(|&(nk, k, sp)| (sp / nk.max(1) as f64, k as f64 / nk.max(1) as f64))
        .collect();
    // within-bin variance and covariance, each bin's terms in row order
    let mut within = vec![(0.0, 0.0); raw_bins];
    for ((c, p), o) in s.classes(&raw_of_value).zip(&s.p).zip(&s.outcome) {
        if let Some(c) = c {
            let (f_bar, o_k) = means[c];
            let o = f64::from(u8::from(*o));
            within[c].0 += (p - f_bar).powi(2);
            within[c].1 += 2.0 * (o - o_k) * (p - f_bar);
        }
    }
    let (mut rel, mut res, mut wbv, mut wbc) = (0.0, 0.0, 0.0, 0.0);
    let mut bins = Vec::new();
    let mut position = vec![None; raw_bins];
    for (i, &(count, _, _)) in sums.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let nk = count as f64;
        let (f_bar, o_k) = means[i];
        rel += nk * (f_bar - o_k).powi(2);
        res += nk * (o_k - o_bar).powi(2);
        wbv += within[i].0;
        wbc += within[i].1;
        let (lo, hi) = if by_value {
            (s.values[i], s.values[i])
        } else {
            (i as f64 / 10.0, (i + 1) as f64 / 10.0)
        };
        position[i] = Some(bins.len());
        bins.push(Bin {
            lo,
            hi,
            n: count,
            mean_forecast: f_bar,
            observed: o_k,
            interval: None,
        });
    }
    let d = n.max(1.0);
    let decomposition = Decomposition {
        brier,
        reliability: rel / d,
        resolution: res / d,
        uncertainty: o_bar * (1.0 - o_bar),
        within_bin_variance: wbv / d,
        within_bin_covariance: wbc / d,
        binning: if by_value { "distinct" } else { "ten-bins" },
        bins,
    };
    let of_value = raw_of_value
        .into_iter()
        .map(|r| r.and_then(|r| position[r]))
        .collect();
    (decomposition, of_value)
}

/// Mean negative log-likelihood (natural log; lower is better), and how many forecasts were clipped.
pub fn log_score(forecasts: &[Forecast]) -> (f64, usize) {
    log_score_stated(&Stated::of(forecasts))
}

fn log_score_stated(s: &Stated) -> (f64, usize) {
    let mut clipped = 0;
    let total: f64 =
        s.p.iter()
            .zip(&s.outcome)
            .map(|(&p, &o)| {
                let p = if o { p } else { 1.0 - p };
                if p < LOG_CLIP {
                    clipped += 1;
                }
                -p.max(LOG_CLIP).ln()
            })
            .sum();
    (total / s.len().max(1) as f64, clipped)
}

/// Expected calibration error over ten equal-width bins.
pub fn ece(forecasts: &[Forecast]) -> f64 {
    ece_stated(&Stated::of(forecasts))
}

fn ece_stated(s: &Stated) -> f64 {
    let n = s.len().max(1) as f64;
    let of_value: Vec<Option<usize>> = s.values.iter().map(|v| Some(ten_bin(*v))).collect();
    s.class_sums(&of_value, 10)
        .iter()
        .filter(|b| b.0 > 0)
        .map(|&(nk, k, sp)| {
            let nk = nk as f64;
            nk / n * (sp / nk - k as f64 / nk).abs()
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

/// Per class, the groups that have forecasts in it, in group order, each with its
/// forecasts and how many of them happened: what the intervals resample (a group's
/// forecasts share an outcome) and how many questions a band holds.
fn cells(s: &Stated, of_value: &[Option<usize>], classes: usize) -> Vec<Vec<(u32, u32, u32)>> {
    // the rows in group order: as they are when they come from forecasts in canonical
    // order, else by a counting sort
    let order: Vec<u32> = if s.group.is_sorted() {
        (0..s.len() as u32).collect()
    } else {
        let mut next = vec![0u32; s.groups + 1];
        for &g in &s.group {
            next[g as usize + 1] += 1;
        }
        for i in 0..s.groups {
            next[i + 1] += next[i];
        }
        let mut order = vec![0u32; s.len()];
        for (i, &g) in s.group.iter().enumerate() {
            order[next[g as usize] as usize] = i as u32;
            next[g as usize] += 1;
        }
        order
    };
    let mut out: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); classes];
    for i in order {
        let i = i as usize;
        let Some(c) = of_value[s.value_of[i] as usize] else {
            continue;
        };
        let (g, o) = (s.group[i], u32::from(s.outcome[i]));
        match out[c].last_mut() {
            Some(cell) if cell.0 == g => {
                cell.1 += 1;
                cell.2 += o;
            }
            _ => out[c].push((g, 1, o)),
        }
    }
    out
}

/// The observed frequency of each class (a band, a bin) with its 90% interval from
/// resampling groups.
fn frequency_intervals(
    cells: &[Vec<(u32, u32, u32)>],
    groups: usize,
    boot: &bootstrap::Bootstrap,
) -> Vec<Option<[f64; 2]>> {
    boot.intervals90(groups, cells.len(), &|m| {
        cells
            .iter()
            .map(|class| {
                let (n, k) = class.iter().fold((0u64, 0u64), |(n, k), &(g, c, h)| {
                    let w = u64::from(m[g as usize]);
                    (n + u64::from(c) * w, k + u64::from(h) * w)
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
    band_table_stated(y, &Stated::of(forecasts), boot)
}

fn band_table_stated(y: &Yardstick, s: &Stated, boot: &bootstrap::Bootstrap) -> Vec<BandRow> {
    let rows = band_rows(y);
    let of_value: Vec<Option<usize>> = s
        .values
        .iter()
        .map(|&p| Some(band_row_of(y, &rows, p)))
        .collect();
    let sums = s.class_sums(&of_value, rows.len());
    let cells = cells(s, &of_value, rows.len());
    let intervals = frequency_intervals(&cells, s.groups, boot);
    rows.iter()
        .enumerate()
        // a gap's row only when a value fell in it
        .filter(|(i, r)| !r.gap || sums[*i].0 > 0)
        .map(|(i, r)| {
            let (n, k, sum) = sums[i];
            let observed = (n > 0).then(|| k as f64 / n as f64);
            BandRow {
                yardstick: y.name.clone(),
                term: r.term.clone(),
                band: r.band,
                gap: r.gap,
                n,
                questions: cells[i].len(),
                mean_forecast: (n > 0).then(|| sum / n as f64),
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
    let s = Stated::of(forecasts);
    let mut counts = vec![(0usize, 0usize); s.values.len()];
    for (v, o) in s.value_of.iter().zip(&s.outcome) {
        let c = &mut counts[*v as usize];
        c.0 += 1;
        c.1 += usize::from(*o);
    }
    pav_sorted(s.values.iter().zip(counts).map(|(&p, (n, k))| (p, n, k)))
}

/// PAV on distinct forecasts in increasing order, each with how many times it was given and
/// how many of those happened (a forecast given no times is passed over).
fn pav_sorted(points: impl Iterator<Item = (f64, usize, usize)>) -> Vec<Block> {
    // blocks: (from, to, sum forecast, sum outcome, n)
    let mut blocks: Vec<(f64, f64, f64, f64, usize)> = Vec::new();
    for (p, n, k) in points.filter(|point| point.1 > 0) {
        blocks.push((p, p, p * n as f64, k as f64, n));
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
/// Forecasts are counted once per distinct value and fold; each fold's training set is
/// every value's counts with that fold's left out.
pub fn recalibrate(forecasts: &[Forecast], folds: usize) -> Recalibration {
    recalibrate_stated(&Stated::of(forecasts), folds)
}

fn recalibrate_stated(s: &Stated, folds: usize) -> Recalibration {
    let folds = folds.min(s.groups).max(1);
    // per value and fold: forecasts, and how many happened
    let mut counts = vec![(0usize, 0usize); s.values.len() * folds];
    for ((v, g), o) in s.value_of.iter().zip(&s.group).zip(&s.outcome) {
        let c = &mut counts[*v as usize * folds + *g as usize % folds];
        c.0 += 1;
        c.1 += usize::from(*o);
    }
    let fit_without = |k: Option<usize>| {
        pav_sorted(s.values.iter().enumerate().map(|(v, &p)| {
            let (n, h) = (0..folds)
                .filter(|f| Some(*f) != k)
                .map(|f| counts[v * folds + f])
                .fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
            (p, n, h)
        }))
    };
    let (mut before, mut after, mut n) = (0.0, 0.0, 0usize);
    if folds >= 2 {
        for k in 0..folds {
            let fit = fit_without(Some(k));
            for (v, &p) in s.values.iter().enumerate() {
                let (m, h) = counts[v * folds + k];
                if m == 0 {
                    continue;
                }
                // the squared error of x: (x - 1)^2 for each that happened, x^2 for the rest
                let error = |x: f64| h as f64 * (x - 1.0).powi(2) + (m - h) as f64 * x * x;
                before += error(p);
                after += error(apply(&fit, p));
                n += m;
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
    forecasts: &forecast::ForecastSet,
    questions: Option<&std::collections::BTreeMap<String, forecast::QuestionDates>>,
    y: &Yardstick,
    boot: &bootstrap::Bootstrap,
) -> Scoring {
    // whole forecasts and stated probabilities are scored apart: on two cores at once
    let ((headline, by_forecaster, by_question), calibration) = binary::both(
        || forecast::headline(forecasts, questions, boot),
        || score_stated(name, &forecasts.stated(), y, boot),
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
    score_stated(name, &Stated::of(forecasts), y, boot)
}

/// [`score`] of stated probabilities prepared as columns.
pub fn score_stated(name: &str, s: &Stated, y: &Yardstick, boot: &bootstrap::Bootstrap) -> Scores {
    // the bins with their intervals, and the bands with theirs: on two cores at once
    let ((mut d, intervals), (bands, recalibration)) = binary::both(
        || {
            let (d, of_value) = decompose_stated(s);
            let intervals = frequency_intervals(&cells(s, &of_value, d.bins.len()), s.groups, boot);
            (d, intervals)
        },
        || (band_table_stated(y, s, boot), recalibrate_stated(s, 5)),
    );
    for (b, i) in d.bins.iter_mut().zip(intervals) {
        b.interval = i;
    }
    let (log_score, log_clipped) = log_score_stated(s);
    Scores {
        name: name.to_string(),
        n: s.len(),
        n_groups: s.groups,
        decomposition: d,
        log_score,
        log_clipped,
        ece: ece_stated(s),
        lines: bands.iter().filter_map(band_line).collect(),
        bands,
        recalibration,
        enough: s.len() >= 30 && s.groups >= 10,
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
