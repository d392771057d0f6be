//! Forecasts as forecasters define them: the probabilities one forecaster gave the options
//! of one question at one time. Scored over the options (the multi-option Brier score of
//! the Good Judgment Project, 0 perfect to 2 worst), per forecaster, per question, day by
//! day while a question is open, against reference forecasts (skill), and with intervals from
//! resampling questions.
//!
//! Invariant: every result is a function of the set of forecasts, not of their order: the
//! forecasts are put in one canonical order before anything is summed.

use super::binary::{Forecast, LOG_CLIP, Name, index_names};
use super::bootstrap::Bootstrap;
use serde::Serialize;
use std::collections::BTreeMap;

/// One forecast: option probabilities for one question by one forecaster at one time.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiForecast {
    /// Forecast id.
    pub id: ForecastId,
    /// Question (or case).
    pub question: Name,
    /// Forecaster (empty when not known).
    pub forecaster: Name,
    /// Day of the forecast (days since 1970-01-01), when known.
    pub date: Option<i64>,
    /// Options and their probabilities, sorted by option (two, the most common number, held
    /// inline: a million binary forecasts make no million small allocations).
    pub options: Options,
    /// Index in `options` of the option that happened.
    pub happened: usize,
}

/// A forecast's options and their probabilities.
pub type Options = smallvec::SmallVec<[(Name, f64); 2]>;

/// What tells forecasts apart: the file's forecast id, or the line of a row that is a
/// forecast by itself. Ordered (it breaks ties in the canonical order).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForecastId {
    /// A row's line.
    Line(usize),
    /// An id the source gives (a forecast id column, a case name, a judgment).
    Named(Name),
}

impl std::fmt::Display for ForecastId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ForecastId::Line(n) => write!(f, "line {n}"),
            ForecastId::Named(n) => f.write_str(n),
        }
    }
}

/// The two options of a binary forecast, `no` and `yes`, shared by every such forecast.
#[derive(Clone, Debug)]
pub struct BinaryOptions([Name; 2]);

impl Default for BinaryOptions {
    fn default() -> Self {
        BinaryOptions(["no".into(), "yes".into()])
    }
}

impl MultiForecast {
    /// A forecast of one binary event: `p` that it happens (option `yes`), and whether it did.
    pub fn binary(
        id: ForecastId,
        question: Name,
        forecaster: Name,
        date: Option<i64>,
        (p, happened): (f64, bool),
        names: &BinaryOptions,
    ) -> Self {
        MultiForecast {
            id,
            question,
            forecaster,
            date,
            options: smallvec::smallvec![(names.0[0].clone(), 1.0 - p), (names.0[1].clone(), p)],
            happened: usize::from(happened),
        }
    }

    /// Multi-option Brier score: the sum over options of (probability - outcome)^2.
    pub fn brier(&self) -> f64 {
        self.options
            .iter()
            .enumerate()
            .map(|(j, (_, p))| (p - f64::from(u8::from(j == self.happened))).powi(2))
            .sum()
    }

    /// The probability given to the option that happened.
    pub fn p_happened(&self) -> f64 {
        self.options[self.happened].1
    }

    /// Each option as a stated probability with whether it happened (for calibration
    /// tables), grouped by question.
    pub fn rows(&self) -> impl Iterator<Item = Forecast> + '_ {
        self.options.iter().enumerate().map(|(j, (_, p))| Forecast {
            p: *p,
            outcome: j == self.happened,
            group: self.question.clone(),
        })
    }
}

/// Puts forecasts in the one order every score is computed in: by question, forecaster,
/// date, id and probabilities. Names are compared once, as ranks, not once per comparison.
pub fn canonical_order(forecasts: &mut [MultiForecast]) {
    let rank = |name: fn(&MultiForecast) -> &str| {
        let names: Vec<&str> = forecasts.iter().map(name).collect();
        index_names(&names).1
    };
    let (q, w) = super::binary::both(|| rank(|f| &f.question), || rank(|f| &f.forecaster));
    let mut order: Vec<usize> = (0..forecasts.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (fa, fb) = (&forecasts[a], &forecasts[b]);
        (q[a], w[a], fa.date, &fa.id)
            .cmp(&(q[b], w[b], fb.date, &fb.id))
            .then_with(|| {
                fa.options
                    .iter()
                    .map(|o| o.1)
                    .zip(fb.options.iter().map(|o| o.1))
                    .map(|(x, y)| x.total_cmp(&y))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    });
    permute(forecasts, &order);
}

/// Reorders `items` in place so that item `i` is the one that was at `order[i]` (following
/// each cycle of the permutation with swaps: no second copy of a million forecasts).
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut i = start;
        while !done[i] {
            done[i] = true;
            let j = order[i];
            if j == start {
                break;
            }
            items.swap(i, j);
            i = j;
        }
    }
}

/// A question's open period, from a questions file.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionDates {
    /// First day forecasts count (days since 1970-01-01), when known.
    pub start: Option<i64>,
    /// The day the question closed.
    pub closed: i64,
}

/// One forecaster's scores.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ForecasterScore {
    /// Forecaster.
    pub forecaster: String,
    /// Forecasts.
    pub forecasts: usize,
    /// Questions forecast.
    pub questions: usize,
    /// Mean multi-option Brier score of the forecasts.
    pub brier: f64,
    /// Mean over questions of the daily standing-forecast Brier score, when dates are known.
    pub standing_brier: Option<f64>,
}

/// One question's scores.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QuestionScore {
    /// Question.
    pub question: String,
    /// The option that happened.
    pub happened: String,
    /// Options.
    pub options: usize,
    /// Forecasts.
    pub forecasts: usize,
    /// Forecasters (known ones).
    pub forecasters: usize,
    /// Mean multi-option Brier score.
    pub brier: f64,
}

/// The daily standing-forecast score (GJP's rule): a forecast stands from its day until
/// the forecaster's next forecast on the question or the day before the question closes;
/// each forecaster-question pair is the mean over its days, and the score is the mean over
/// pairs.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Standing {
    /// The score.
    pub brier: f64,
    /// Forecaster-question pairs scored.
    pub pairs: usize,
    /// Forecaster-days scored.
    pub days: usize,
    /// Forecasts left out: made on or after their question closed, on a question the
    /// questions file does not list, or by no known forecaster (nothing to carry forward).
    pub left_out: usize,
}

/// Headline scores of a set of forecasts.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Headline {
    /// Forecasts.
    pub forecasts: usize,
    /// Questions.
    pub questions: usize,
    /// Forecasters (known ones).
    pub forecasters: usize,
    /// Forecasts whose forecaster is not known (an empty cell, `NULL`, `NA`, `N/A` or
    /// `None`): scored, but in no forecaster's row and not in the daily standing score.
    pub no_forecaster: usize,
    /// Mean multi-option Brier score (sum over options; 0 perfect, 2 worst).
    pub brier: f64,
    /// 90% interval of the Brier score, resampling questions.
    pub brier_interval: Option<[f64; 2]>,
    /// When every forecast has two options: the binary Brier score (the probability of one
    /// option against its outcome, 0 to 1), which is half the multi-option score.
    pub binary_brier: Option<f64>,
    /// Mean negative natural log of the probability given to the option that happened
    /// (clipped at 0.001).
    pub log_score: f64,
    /// Forecasts clipped for the log score.
    pub log_clipped: usize,
    /// Brier skill score against the uniform forecast (1/K for each of K options).
    pub skill_uniform: f64,
    /// Its 90% interval, resampling questions.
    pub skill_uniform_interval: Option<[f64; 2]>,
    /// Brier skill score against the base rate: each option forecast at the share of
    /// forecasts (among questions with as many options) in which that option happened.
    pub skill_base_rate: f64,
    /// Its 90% interval, resampling questions.
    pub skill_base_rate_interval: Option<[f64; 2]>,
    /// Sharpness: mean squared distance of the forecasts from the uniform forecast
    /// (0 = never commits).
    pub sharpness: f64,
    /// Discrimination on two-option forecasts: the area under the ROC curve of the first
    /// option's probability against whether it happened (0.5 = none, 1 = perfect).
    pub auc: Option<f64>,
    /// The daily standing-forecast score, when dates and close dates are known.
    pub standing: Option<Standing>,
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { f64::NAN } else { s / n as f64 }
}

/// Distinct questions in canonical order, and each forecast's question index.
fn question_index(forecasts: &[MultiForecast]) -> (Vec<&str>, Vec<usize>) {
    let names: Vec<&str> = forecasts.iter().map(|f| &*f.question).collect();
    index_names(&names)
}

/// What the scores need of one question: its forecasts' count and Brier sum, and how
/// many of them had K options with the j-th happening (one entry when the forecasts are of
/// one question with one answer; several when a "question" groups binary events).
struct QuestionSums {
    n: f64,
    brier: f64,
    outcomes: Vec<(usize, usize, f64)>,
}

fn question_sums(
    forecasts: &[MultiForecast],
    q_of: &[usize],
    questions: usize,
) -> Vec<QuestionSums> {
    let mut sums: Vec<QuestionSums> = (0..questions)
        .map(|_| QuestionSums {
            n: 0.0,
            brier: 0.0,
            outcomes: Vec::new(),
        })
        .collect();
    for (f, q) in forecasts.iter().zip(q_of) {
        let s = &mut sums[*q];
        s.n += 1.0;
        s.brier += f.brier();
        let key = (f.options.len(), f.happened);
        match s.outcomes.iter_mut().find(|o| (o.0, o.1) == key) {
            Some(o) => o.2 += 1.0,
            None => s.outcomes.push((key.0, key.1, 1.0)),
        }
    }
    sums
}

fn reference_brier(probs: &[f64], happened: usize) -> f64 {
    probs
        .iter()
        .enumerate()
        .map(|(j, p)| (p - f64::from(u8::from(j == happened))).powi(2))
        .sum()
}

/// Brier, skill against the uniform forecast and against the base rate, with each
/// question's forecasts weighted by its multiplicity `m` (all ones for the sample itself).
/// The base rate for questions with K options is, for each option position, the share of
/// the (weighted) forecasts on such questions whose option in that position happened.
fn weighted_scores(sums: &[QuestionSums], m: &[u32]) -> Option<[f64; 3]> {
    let mut rates: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    let (mut total, mut b, mut u) = (0.0, 0.0, 0.0);
    for (s, w) in sums.iter().zip(m) {
        let w = f64::from(*w);
        if w == 0.0 || s.n == 0.0 {
            continue;
        }
        total += w * s.n;
        b += w * s.brier;
        for &(k, h, n) in &s.outcomes {
            // the uniform forecast's Brier: (1 - 1/K)^2 + (K - 1) / K^2 = (K - 1) / K
            u += w * n * (k as f64 - 1.0) / k as f64;
            rates.entry(k).or_insert_with(|| vec![0.0; k])[h] += w * n;
        }
    }
    if total <= 0.0 {
        return None;
    }
    for r in rates.values_mut() {
        let t: f64 = r.iter().sum();
        r.iter_mut().for_each(|x| *x /= t);
    }
    let r: f64 = sums
        .iter()
        .zip(m)
        .filter(|(_, w)| **w > 0)
        .flat_map(|(s, w)| s.outcomes.iter().map(move |o| (o, f64::from(*w))))
        .map(|(&(k, h, n), w)| w * n * reference_brier(&rates[&k], h))
        .sum();
    let skill = |reference: f64| {
        if reference > 0.0 {
            1.0 - b / reference
        } else {
            f64::NAN
        }
    };
    Some([b / total, skill(u), skill(r)])
}

/// Area under the ROC curve of scores against labels (Mann-Whitney, ties count one half).
pub fn auc(pairs: &[(f64, bool)]) -> Option<f64> {
    let pos = pairs.iter().filter(|p| p.1).count();
    let neg = pairs.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // average ranks (1-based) over ties
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += avg * sorted[i..=j].iter().filter(|p| p.1).count() as f64;
        i = j + 1;
    }
    let (pos, neg) = (pos as f64, neg as f64);
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// The daily standing-forecast score of forecasts in canonical order.
pub fn standing<F: std::borrow::Borrow<MultiForecast>>(
    forecasts: &[F],
    questions: &BTreeMap<String, QuestionDates>,
) -> Option<Standing> {
    let mut pairs: BTreeMap<(&str, &str), Vec<&MultiForecast>> = BTreeMap::new();
    for f in forecasts.iter().map(|f| f.borrow()) {
        pairs
            .entry((&*f.forecaster, &*f.question))
            .or_default()
            .push(f);
    }
    let (mut total, mut n_pairs, mut days, mut left_out) = (0.0, 0usize, 0usize, 0usize);
    for ((who, q), list) in &pairs {
        let Some(dates) = questions.get(*q).filter(|_| !who.is_empty()) else {
            left_out += list.len();
            continue;
        };
        // forecasts on one day: the last in canonical order stands
        let mut dated: Vec<(i64, f64)> = Vec::new();
        for f in list {
            match f.date {
                Some(d) if d < dates.closed => match dated.last_mut() {
                    Some(last) if last.0 == d => last.1 = f.brier(),
                    _ => dated.push((d, f.brier())),
                },
                _ => left_out += 1,
            }
        }
        if dated.is_empty() {
            continue;
        }
        let mut sum = 0.0;
        let mut n = 0i64;
        for (i, (day, b)) in dated.iter().enumerate() {
            let from = dates.start.map_or(*day, |s| (*day).max(s));
            let until = dated.get(i + 1).map_or(dates.closed, |next| next.0);
            let span = (until - from).max(0);
            sum += b * span as f64;
            n += span;
        }
        if n > 0 {
            total += sum / n as f64;
            n_pairs += 1;
            days += n as usize;
        }
    }
    (n_pairs > 0).then(|| Standing {
        brier: total / n_pairs as f64,
        pairs: n_pairs,
        days,
        left_out,
    })
}

/// Headline scores, per-forecaster and per-question tables of forecasts in canonical order.
pub fn headline(
    forecasts: &[MultiForecast],
    questions: Option<&BTreeMap<String, QuestionDates>>,
    boot: &Bootstrap,
) -> (Headline, Vec<ForecasterScore>, Vec<QuestionScore>) {
    let (qs, q_of) = question_index(forecasts);
    let sums = question_sums(forecasts, &q_of, qs.len());
    let ones = vec![1u32; qs.len()];
    let [brier, skill_uniform, skill_base_rate] =
        weighted_scores(&sums, &ones).unwrap_or([f64::NAN; 3]);
    let intervals = boot.intervals90(qs.len(), 3, &|m| match weighted_scores(&sums, m) {
        Some(s) => s.iter().map(|x| Some(*x)).collect(),
        None => vec![None; 3],
    });
    let component = |c: usize| intervals[c];
    let mut clipped = 0;
    let log_score = mean(forecasts.iter().map(|f| {
        let p = f.p_happened();
        if p < LOG_CLIP {
            clipped += 1;
        }
        -p.max(LOG_CLIP).ln()
    }));
    let binary = forecasts.iter().all(|f| f.options.len() == 2);
    let sharpness = mean(forecasts.iter().map(|f| {
        let u = 1.0 / f.options.len() as f64;
        f.options.iter().map(|(_, p)| (p - u).powi(2)).sum::<f64>()
    }));
    let two: Vec<(f64, bool)> = forecasts
        .iter()
        .filter(|f| f.options.len() == 2)
        .map(|f| (f.options[0].1, f.happened == 0))
        .collect();
    let standing = questions.and_then(|q| standing(forecasts, q));
    let head = Headline {
        forecasts: forecasts.len(),
        questions: qs.len(),
        forecasters: known_forecasters(forecasts.iter()),
        no_forecaster: forecasts.iter().filter(|f| f.forecaster.is_empty()).count(),
        brier,
        brier_interval: component(0),
        binary_brier: (binary && !forecasts.is_empty()).then_some(brier / 2.0),
        log_score,
        log_clipped: clipped,
        skill_uniform,
        skill_uniform_interval: component(1),
        skill_base_rate,
        skill_base_rate_interval: component(2),
        sharpness,
        auc: auc(&two),
        standing,
    };
    (
        head,
        by_forecaster(forecasts, questions),
        by_question(forecasts),
    )
}

fn by_forecaster(
    forecasts: &[MultiForecast],
    questions: Option<&BTreeMap<String, QuestionDates>>,
) -> Vec<ForecasterScore> {
    let names: Vec<&str> = forecasts.iter().map(|f| &*f.forecaster).collect();
    let (who, of) = index_names(&names);
    let mut by: Vec<Vec<&MultiForecast>> = vec![Vec::new(); who.len()];
    for (f, w) in forecasts.iter().zip(&of) {
        by[*w].push(f);
    }
    let mut out: Vec<ForecasterScore> = who
        .into_iter()
        .zip(by)
        .filter(|(who, _)| !who.is_empty())
        .map(|(who, list)| {
            let mut qs: Vec<&str> = list.iter().map(|f| &*f.question).collect();
            qs.sort_unstable();
            qs.dedup();
            ForecasterScore {
                forecaster: who.to_string(),
                forecasts: list.len(),
                questions: qs.len(),
                brier: mean(list.iter().map(|f| f.brier())),
                standing_brier: questions.and_then(|q| standing(&list, q)).map(|s| s.brier),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.brier
            .total_cmp(&b.brier)
            .then(b.questions.cmp(&a.questions))
            .then_with(|| a.forecaster.cmp(&b.forecaster))
    });
    out
}

/// How many different known forecasters made `forecasts`.
fn known_forecasters<'f>(forecasts: impl Iterator<Item = &'f MultiForecast>) -> usize {
    forecasts
        .map(|f| &*f.forecaster)
        .filter(|w| !w.is_empty())
        .collect::<rustc_hash::FxHashSet<&str>>()
        .len()
}

/// The forecaster a cell names: empty (not known) for an empty cell and for the markers
/// datasets write for a missing value.
pub fn forecaster_named(cell: &str) -> &str {
    let cell = cell.trim();
    const MISSING: [&str; 5] = ["null", "na", "n/a", "none", "-"];
    if MISSING.iter().any(|m| cell.eq_ignore_ascii_case(m)) {
        ""
    } else {
        cell
    }
}

fn by_question(forecasts: &[MultiForecast]) -> Vec<QuestionScore> {
    let (qs, of) = question_index(forecasts);
    let mut by: Vec<Vec<&MultiForecast>> = vec![Vec::new(); qs.len()];
    for (f, q) in forecasts.iter().zip(&of) {
        by[*q].push(f);
    }
    qs.into_iter()
        .zip(by)
        .filter_map(|(q, list)| {
            let first = list.first()?;
            Some(QuestionScore {
                question: q.to_string(),
                happened: first.options[first.happened].0.to_string(),
                options: first.options.len(),
                forecasts: list.len(),
                forecasters: known_forecasters(list.iter().copied()),
                brier: mean(list.iter().map(|f| f.brier())),
            })
        })
        .collect()
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads `2011-08-31`, `2011-08-31T12:00`, `9/1/11` or `9/1/2011` (month first, as the GJP
/// files write it); two-digit years are 20xx; years run from 1 to 9999.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    let valid = |y: i64, m: u32, d: u32| {
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days_in = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        ((1..=9999).contains(&y)
            && (1..=12).contains(&m)
            && d >= 1
            && d <= days_in[(m - 1) as usize])
            .then(|| days_from_civil(y, m, d))
    };
    if let Some((y, rest)) = text.split_once('-') {
        let mut parts = rest.splitn(2, '-');
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
        return valid(y.parse().ok()?, m, d);
    }
    let mut parts = text.split('/');
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let y: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    valid(if y < 100 { 2000 + y } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mf(q: &str, who: &str, date: Option<i64>, ps: &[f64], happened: usize) -> MultiForecast {
        MultiForecast {
            id: ForecastId::Named(format!("{q}{who}{date:?}").into()),
            question: q.into(),
            forecaster: who.into(),
            date,
            options: ps
                .iter()
                .enumerate()
                .map(|(j, p)| (((b'a' + j as u8) as char).to_string().into(), *p))
                .collect(),
            happened,
        }
    }

    #[test]
    fn a_permutation_applied_in_place_is_the_one_asked_for() {
        for order in [
            vec![2, 0, 1, 4, 3],
            vec![0, 1, 2, 3, 4],
            vec![4, 3, 2, 1, 0],
        ] {
            let mut items = vec!['a', 'b', 'c', 'd', 'e'];
            let want: Vec<char> = order.iter().map(|&i| items[i]).collect();
            permute(&mut items, &order);
            assert_eq!(items, want);
        }
    }

    #[test]
    fn dates_by_hand() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(parse_date("2011-08-31"), Some(days_from_civil(2011, 8, 31)));
        assert_eq!(parse_date("9/1/11"), Some(days_from_civil(2011, 9, 1)));
        assert_eq!(parse_date("1/2/2012"), Some(days_from_civil(2012, 1, 2)));
        assert_eq!(parse_date("2011-02-30"), None);
        assert_eq!(parse_date("2011-02-29"), None);
        assert_eq!(parse_date("2012-02-29"), Some(days_from_civil(2012, 2, 29)));
        // a year of 19 digits overflowed the day count (found by fuzzing)
        assert_eq!(parse_date("2012222222222222222-01-02"), None);
        assert_eq!(parse_date("1/2/92233720368547758"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn multi_option_brier_by_hand() {
        // (0.2 - 0)^2 + (0.7 - 1)^2 + (0.1 - 0)^2 = 0.04 + 0.09 + 0.01
        let f = mf("q", "x", None, &[0.2, 0.7, 0.1], 1);
        assert!((f.brier() - 0.14).abs() < 1e-15);
        // binary: twice the binary Brier
        let f = mf("q", "x", None, &[0.8, 0.2], 1);
        assert!((f.brier() - 2.0 * 0.64).abs() < 1e-15);
    }

    #[test]
    fn auc_by_hand() {
        // positives 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4) 1, (0.9>0.1) 1,
        // (0.4=0.4) 0.5, (0.4>0.1) 1 = 3.5 / 4
        let a = auc(&[(0.9, true), (0.4, true), (0.4, false), (0.1, false)]).unwrap();
        assert!((a - 0.875).abs() < 1e-15);
        assert_eq!(auc(&[(0.3, true)]), None);
    }

    #[test]
    fn base_rates_count_events_when_a_group_holds_several() {
        // one group of binary events, one happening and one not: the base rate is 1/2
        let fs = vec![
            mf("g", "x", None, &[0.1, 0.9], 1),
            mf("g", "x", Some(1), &[0.6, 0.4], 0),
        ];
        let (h, _, _) = headline(&fs, None, &Bootstrap::default());
        let brier = (2.0 * 0.01 + 2.0 * 0.16) / 2.0;
        assert!((h.skill_base_rate - (1.0 - brier / 0.5)).abs() < 1e-12);
    }

    #[test]
    fn standing_forecasts_by_hand() {
        // question open from day 0, closes day 10; x forecasts 0.6 on day 2 and 0.9 on
        // day 6 (option a happens): Briers 2 * 0.16 = 0.32 for days 2-5, 2 * 0.01 = 0.02
        // for days 6-9: (4 * 0.32 + 4 * 0.02) / 8
        let qs: BTreeMap<String, QuestionDates> = [(
            "q".to_string(),
            QuestionDates {
                start: Some(0),
                closed: 10,
            },
        )]
        .into();
        let fs = vec![
            mf("q", "x", Some(2), &[0.6, 0.4], 0),
            mf("q", "x", Some(6), &[0.9, 0.1], 0),
            mf("q", "x", Some(12), &[1.0, 0.0], 0),
        ];
        let s = standing(&fs, &qs).unwrap();
        assert!((s.brier - (4.0 * 0.32 + 4.0 * 0.02) / 8.0).abs() < 1e-12);
        assert_eq!((s.pairs, s.days, s.left_out), (1, 8, 1));
    }

    #[test]
    fn skill_against_uniform_and_base_rate_by_hand() {
        // two binary questions, a happens in q1, b in q2; one forecast each
        let fs = vec![
            mf("q1", "x", None, &[0.8, 0.2], 0),
            mf("q2", "x", None, &[0.3, 0.7], 1),
        ];
        let (h, _, _) = headline(&fs, None, &Bootstrap::default());
        let brier = (2.0 * 0.04 + 2.0 * 0.09) / 2.0;
        assert!((h.brier - brier).abs() < 1e-15);
        // uniform: (K - 1) / K = 0.5 per forecast
        assert!((h.skill_uniform - (1.0 - brier / 0.5)).abs() < 1e-12);
        // base rate: a happened in half the forecasts, so the reference is 0.5 / 0.5 too
        assert!((h.skill_base_rate - (1.0 - brier / 0.5)).abs() < 1e-12);
        assert_eq!(h.binary_brier, Some(brier / 2.0));
        assert_eq!(h.auc, Some(1.0));
    }
}
