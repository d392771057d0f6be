//! Forecasts as forecasters define them: the probabilities one forecaster gave the options
//! of one question at one time. Scored over the options (the multi-option Brier score of
//! the Good Judgment Project, 0 perfect to 2 worst), per forecaster, per question, day by
//! day while a question is open, against reference forecasts (skill), and with intervals from
//! resampling questions.
//!
//! Forecasts are gathered ([`Gather`]) into a [`ForecastSet`]: columns in one canonical
//! order, each question, forecaster and option name held once and a forecast a row of
//! indexes and probabilities (a million forecasts are a few dozen megabytes, not a million
//! structs of shared names).
//!
//! Invariant: every result is a function of the set of forecasts, not of their order: the
//! forecasts are put in one canonical order before anything is summed.

use super::binary::{LOG_CLIP, Name, Stated};
use super::bootstrap::Bootstrap;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Distinct names, each numbered in the order it was first met.
#[derive(Debug, Default)]
struct Interner {
    index: rustc_hash::FxHashMap<Name, u32>,
    names: Vec<Name>,
}

impl Interner {
    fn get(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let name: Name = text.into();
        // names are fewer than rows, and rows fewer than 2^32 within any input limit
        let i = self.names.len() as u32;
        self.index.insert(name.clone(), i);
        self.names.push(name);
        i
    }

    /// The names in sorted order, and each first-met number's rank among them.
    fn sorted(self) -> (Vec<Name>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut names: Vec<Option<Name>> = self.names.into_iter().map(Some).collect();
        let sorted = order
            .iter()
            .filter_map(|&i| names[i as usize].take())
            .collect();
        (sorted, rank)
    }
}

/// A forecast's date: days since 1970-01-01 (years 1 to 9999 are within ±3.7 million), or
/// this for none (it sorts first, as `None` does).
const NO_DATE: i32 = i32::MIN;

/// Ids in one order: lines by number, then named ids (by name, once ranked). A line past
/// 2^31 counts as 2^31 - 1: such lines keep the order they were gathered in (the order of
/// a pair's forecasts is sorted stably), which is the file's.
const NAMED: u32 = 1 << 31;

/// One gathered forecast, before its options: what the canonical order sorts (moved whole,
/// so that a million forecasts are put in order by a few passes over memory, not by
/// fetching each column's values one by one).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Head {
    question: u32,
    forecaster: u32,
    happened: u32,
    /// How many options it has, from `first` in the gathered options.
    options: u32,
    /// Days since 1970-01-01 ([`NO_DATE`] for none).
    date: i32,
    /// A line, or [`NAMED`] and a named id's number (its rank, once ranked).
    id: u32,
    first: usize,
}

/// Forecasts being gathered, in any order; [`Gather::finish`] puts them in canonical order.
#[derive(Debug, Default)]
pub struct Gather {
    questions: Interner,
    forecasters: Interner,
    options: Interner,
    ids: Interner,
    heads: Vec<Head>,
    option: Vec<u32>,
    probability: Vec<f64>,
    /// The options `no` and `yes` of binary forecasts, once met.
    no_yes: Option<[u32; 2]>,
}

impl Gather {
    /// Nothing gathered yet.
    pub fn new() -> Self {
        Gather::with_capacity(0, 0)
    }

    /// Nothing gathered yet, with room for `forecasts` forecasts of `options` options in all.
    pub fn with_capacity(forecasts: usize, options: usize) -> Self {
        Gather {
            heads: Vec::with_capacity(forecasts),
            option: Vec::with_capacity(options),
            probability: Vec::with_capacity(options),
            ..Gather::default()
        }
    }

    /// Forecasts gathered.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    fn push_head(
        &mut self,
        id: &ForecastId,
        (question, forecaster, date): (&str, &str, Option<i64>),
        happened: u32,
        first: usize,
    ) {
        let head = Head {
            question: self.questions.get(question),
            forecaster: self.forecasters.get(forecaster),
            happened,
            date: date.map_or(NO_DATE, |d| {
                i32::try_from(d).map_or(if d < 0 { NO_DATE + 1 } else { i32::MAX }, |d| {
                    d.max(NO_DATE + 1)
                })
            }),
            id: match id {
                ForecastId::Line(n) => u32::try_from(*n).unwrap_or(u32::MAX).min(NAMED - 1),
                // fewer names than rows, and rows fewer than 2^31 within any input limit
                ForecastId::Named(n) => NAMED | self.ids.get(n),
            },
            first,
            // a forecast has fewer than 2^32 options within any input limit
            options: (self.option.len() - first) as u32,
        };
        self.heads.push(head);
    }

    /// A forecast: its options (each name once) with their probabilities, and the index
    /// among them of the option that happened. An empty forecaster is one not known.
    pub fn push<'o>(
        &mut self,
        id: &ForecastId,
        question: &str,
        forecaster: &str,
        date: Option<i64>,
        options: impl IntoIterator<Item = (&'o str, f64)>,
        happened: usize,
    ) {
        let mut options: Vec<(usize, &str, f64)> = options
            .into_iter()
            .enumerate()
            .map(|(j, (o, p))| (j, o, p))
            .collect();
        // options in name order, the one that happened followed
        options.sort_by(|a, b| a.1.cmp(b.1));
        let h = options.iter().position(|o| o.0 == happened).unwrap_or(0);
        let first = self.option.len();
        for (_, o, p) in options {
            let o = self.options.get(o);
            self.option.push(o);
            self.probability.push(p);
        }
        self.push_head(id, (question, forecaster, date), h as u32, first);
    }

    /// A forecast of one binary event: `p` that it happens (option `yes`), and whether it
    /// did.
    pub fn push_binary(
        &mut self,
        id: &ForecastId,
        question: &str,
        forecaster: &str,
        date: Option<i64>,
        (p, happened): (f64, bool),
    ) {
        let [no, yes] = match self.no_yes {
            Some(o) => o,
            None => {
                let o = [self.options.get("no"), self.options.get("yes")];
                self.no_yes = Some(o);
                o
            }
        };
        let first = self.option.len();
        self.option.extend([no, yes]);
        self.probability.extend([1.0 - p, p]);
        self.push_head(id, (question, forecaster, date), u32::from(happened), first);
    }

    /// The forecasts in canonical order: by question, forecaster, date, id and
    /// probabilities (names compared as ranks, once each).
    pub fn finish(self) -> ForecastSet {
        let (questions, q_rank) = self.questions.sorted();
        let (forecasters, w_rank) = self.forecasters.sorted();
        let (_, id_rank) = self.ids.sorted();
        let mut heads = self.heads;
        for h in &mut heads {
            h.question = q_rank[h.question as usize];
            h.forecaster = w_rank[h.forecaster as usize];
            if h.id & NAMED != 0 {
                h.id = NAMED | id_rank[(h.id & !NAMED) as usize];
            }
        }
        drop((q_rank, w_rank, id_rank));
        // by question and forecaster (two stable counting sorts), then each pair's
        // forecasts by date, id and probabilities
        let mut by_w = vec![Head::default(); heads.len()];
        counting_sort(&heads, &mut by_w, forecasters.len(), |h| h.forecaster);
        counting_sort(&by_w, &mut heads, questions.len(), |h| h.question);
        drop(by_w);
        let probability = self.probability;
        let probs = |h: &Head| &probability[h.first..h.first + h.options as usize];
        for run in
            heads.chunk_by_mut(|a, b| (a.question, a.forecaster) == (b.question, b.forecaster))
        {
            if run.len() > 1 {
                run.sort_by(|a, b| {
                    (a.date, a.id).cmp(&(b.date, b.id)).then_with(|| {
                        probs(a)
                            .iter()
                            .zip(probs(b))
                            .map(|(x, y)| x.total_cmp(y))
                            .find(|o| o.is_ne())
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                });
            }
        }
        // the options in the same order, so that every score reads them in one pass
        let mut option = Vec::with_capacity(self.option.len());
        let mut ordered = Vec::with_capacity(probability.len());
        for h in &mut heads {
            let range = h.first..h.first + h.options as usize;
            h.first = option.len();
            option.extend_from_slice(&self.option[range.clone()]);
            ordered.extend_from_slice(&probability[range]);
        }
        ForecastSet {
            questions,
            forecasters,
            options: self.options.names,
            heads,
            option,
            probability: ordered,
        }
    }
}

/// `items` into `out` in the order of `key` (each below `size`), stably, by counting.
fn counting_sort(items: &[Head], out: &mut [Head], size: usize, key: impl Fn(&Head) -> u32) {
    let mut next = vec![0usize; size + 1];
    for h in items {
        next[key(h) as usize + 1] += 1;
    }
    for k in 0..size {
        next[k + 1] += next[k];
    }
    for h in items {
        let k = key(h) as usize;
        out[next[k]] = *h;
        next[k] += 1;
    }
}

/// Forecasts in canonical order: each one's head (question, forecaster, date, where its
/// options are), the options as they were gathered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForecastSet {
    /// Questions, sorted.
    questions: Vec<Name>,
    /// Forecasters, sorted (the empty name: not known).
    forecasters: Vec<Name>,
    /// Option names.
    options: Vec<Name>,
    /// The forecasts, in canonical order.
    heads: Vec<Head>,
    /// Each option of each forecast: its name and probability.
    option: Vec<u32>,
    probability: Vec<f64>,
}

/// One forecast of a [`ForecastSet`].
#[derive(Clone, Copy, Debug)]
pub struct ForecastRef<'s> {
    set: &'s ForecastSet,
    i: usize,
}

impl<'s> ForecastRef<'s> {
    /// Question (or case).
    pub fn question(&self) -> &'s str {
        &self.set.questions[self.set.heads[self.i].question as usize]
    }

    /// Forecaster (empty when not known).
    pub fn forecaster(&self) -> &'s str {
        &self.set.forecasters[self.set.heads[self.i].forecaster as usize]
    }

    /// Day of the forecast (days since 1970-01-01), when known.
    pub fn date(&self) -> Option<i64> {
        Some(self.set.heads[self.i].date)
            .filter(|d| *d != NO_DATE)
            .map(i64::from)
    }

    /// The options' probabilities, in option name order.
    pub fn probabilities(&self) -> &'s [f64] {
        self.set.probabilities(self.i)
    }

    /// The options with their probabilities, in name order.
    pub fn options(&self) -> impl Iterator<Item = (&'s str, f64)> + 's {
        let set = self.set;
        let range = set.range(self.i);
        set.option[range.clone()]
            .iter()
            .zip(&set.probability[range])
            .map(move |(o, p)| (&*set.options[*o as usize], *p))
    }

    /// Index among the options of the one that happened.
    pub fn happened(&self) -> usize {
        self.set.heads[self.i].happened as usize
    }

    /// Multi-option Brier score: the sum over options of (probability - outcome)^2.
    pub fn brier(&self) -> f64 {
        self.set.brier(self.i)
    }
}

impl ForecastSet {
    /// How many forecasts.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Where forecast `i`'s options are.
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let h = &self.heads[i];
        h.first..h.first + h.options as usize
    }

    /// Forecast `i` in canonical order.
    pub fn get(&self, i: usize) -> ForecastRef<'_> {
        ForecastRef { set: self, i }
    }

    /// The forecasts in canonical order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ForecastRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn probabilities(&self, i: usize) -> &[f64] {
        &self.probability[self.range(i)]
    }

    fn brier(&self, i: usize) -> f64 {
        let h = self.heads[i].happened as usize;
        self.probabilities(i)
            .iter()
            .enumerate()
            .map(|(j, p)| (p - f64::from(u8::from(j == h))).powi(2))
            .sum()
    }

    fn p_happened(&self, i: usize) -> f64 {
        self.probabilities(i)[self.heads[i].happened as usize]
    }

    /// Every option's probability as a stated probability with whether it happened (for
    /// calibration tables), grouped by question.
    pub fn stated(&self) -> Stated {
        let rows = self.probability.len();
        let (mut p, mut outcome, mut group) = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
        );
        for (i, h) in self.heads.iter().enumerate() {
            let probabilities = self.probabilities(i);
            p.extend_from_slice(probabilities);
            outcome.extend((0..probabilities.len()).map(|j| j == h.happened as usize));
            group.extend(std::iter::repeat_n(h.question, probabilities.len()));
        }
        Stated::new(p, outcome, group, self.questions.len())
    }

    /// Whether forecaster index `w` is the one not known.
    fn unknown(&self, w: u32) -> bool {
        self.forecasters[w as usize].is_empty()
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

/// What the scores need of one question: its forecasts' count and Brier sum, and how
/// many of them had K options with the j-th happening (one entry when the forecasts are of
/// one question with one answer; several when a "question" groups binary events).
struct QuestionSums {
    n: f64,
    brier: f64,
    outcomes: Vec<(usize, usize, f64)>,
}

fn question_sums(set: &ForecastSet) -> Vec<QuestionSums> {
    let mut sums: Vec<QuestionSums> = (0..set.questions.len())
        .map(|_| QuestionSums {
            n: 0.0,
            brier: 0.0,
            outcomes: Vec::new(),
        })
        .collect();
    for i in 0..set.len() {
        let s = &mut sums[set.heads[i].question as usize];
        s.n += 1.0;
        s.brier += set.brier(i);
        let key = (
            set.heads[i].options as usize,
            set.heads[i].happened as usize,
        );
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
    // per number of options K (few: a small list, not a map, for each of a thousand
    // replicates): how often each option position happened
    let mut rates: Vec<(usize, Vec<f64>)> = Vec::new();
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
            let at = match rates.iter().position(|r| r.0 == k) {
                Some(at) => at,
                None => {
                    rates.push((k, vec![0.0; k]));
                    rates.len() - 1
                }
            };
            rates[at].1[h] += w * n;
        }
    }
    if total <= 0.0 {
        return None;
    }
    // each (K, option that happened)'s reference Brier, once
    let references: Vec<(usize, Vec<f64>)> = rates
        .into_iter()
        .map(|(k, mut r)| {
            let t: f64 = r.iter().sum();
            r.iter_mut().for_each(|x| *x /= t);
            (k, (0..k).map(|h| reference_brier(&r, h)).collect())
        })
        .collect();
    let reference =
        |k: usize, h: usize| references.iter().find(|r| r.0 == k).map_or(0.0, |r| r.1[h]);
    let r: f64 = sums
        .iter()
        .zip(m)
        .filter(|(_, w)| **w > 0)
        .flat_map(|(s, w)| s.outcomes.iter().map(move |o| (o, f64::from(*w))))
        .map(|(&(k, h, n), w)| w * n * reference(k, h))
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
/// Each distinct score is counted once, its positives and negatives together.
pub fn auc(pairs: &[(f64, bool)]) -> Option<f64> {
    auc_of(pairs.iter().copied())
}

/// [`auc`] of pairs as they come (a million forecasts' pairs are not collected first).
fn auc_of(pairs: impl Iterator<Item = (f64, bool)>) -> Option<f64> {
    // per distinct score (-0 and 0 one): how many positives and how many in all
    let mut counts: rustc_hash::FxHashMap<u64, (f64, usize, usize)> =
        rustc_hash::FxHashMap::default();
    let (mut pos, mut all) = (0, 0);
    for (x, label) in pairs {
        let x = x + 0.0;
        let c = counts.entry(x.to_bits()).or_insert((x, 0, 0));
        c.1 += usize::from(label);
        c.2 += 1;
        pos += usize::from(label);
        all += 1;
    }
    let neg = all - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut distinct: Vec<(f64, usize, usize)> = counts.into_values().collect();
    distinct.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // average ranks (1-based) over ties
    let (mut rank_sum, mut i) = (0.0, 0usize);
    for (_, positives, all) in distinct {
        let j = i + all - 1;
        rank_sum += ((i + j) as f64 / 2.0 + 1.0) * positives as f64;
        i = j + 1;
    }
    let (pos, neg) = (pos as f64, neg as f64);
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Each known forecaster-question pair's daily standing score and days, with the pair's
/// forecaster, and how many forecasts were left out (see [`Standing`]).
fn standing_pairs(
    set: &ForecastSet,
    questions: &BTreeMap<String, QuestionDates>,
) -> (Vec<(u32, f64, usize)>, usize) {
    let dates: Vec<Option<&QuestionDates>> =
        set.questions.iter().map(|q| questions.get(&**q)).collect();
    let (mut pairs, mut left_out) = (Vec::new(), 0usize);
    let mut dated: Vec<(i64, f64)> = Vec::new();
    let mut start = 0;
    // a pair's forecasts are one run of the canonical order, by date
    while start < set.len() {
        let (q, w) = (set.heads[start].question, set.heads[start].forecaster);
        let mut end = start + 1;
        while end < set.len() && (set.heads[end].question, set.heads[end].forecaster) == (q, w) {
            end += 1;
        }
        let run = start..end;
        start = end;
        let Some(dates) = dates[q as usize].filter(|_| !set.unknown(w)) else {
            left_out += run.len();
            continue;
        };
        // forecasts on one day: the last in canonical order stands
        dated.clear();
        for i in run {
            match set.get(i).date() {
                Some(d) if d < dates.closed => match dated.last_mut() {
                    Some(last) if last.0 == d => last.1 = set.brier(i),
                    _ => dated.push((d, set.brier(i))),
                },
                _ => left_out += 1,
            }
        }
        let (mut sum, mut n) = (0.0, 0i64);
        for (i, (day, b)) in dated.iter().enumerate() {
            let from = dates.start.map_or(*day, |s| (*day).max(s));
            let until = dated.get(i + 1).map_or(dates.closed, |next| next.0);
            let span = (until - from).max(0);
            sum += b * span as f64;
            n += span;
        }
        if n > 0 {
            pairs.push((w, sum / n as f64, n as usize));
        }
    }
    (pairs, left_out)
}

/// The daily standing-forecast score of a set of forecasts.
pub fn standing(
    set: &ForecastSet,
    questions: &BTreeMap<String, QuestionDates>,
) -> Option<Standing> {
    let (pairs, left_out) = standing_pairs(set, questions);
    standing_of(&pairs, left_out)
}

/// The daily standing score of scored pairs: the mean of their scores.
fn standing_of(pairs: &[(u32, f64, usize)], left_out: usize) -> Option<Standing> {
    (!pairs.is_empty()).then(|| Standing {
        brier: mean(pairs.iter().map(|p| p.1)),
        pairs: pairs.len(),
        days: pairs.iter().map(|p| p.2).sum(),
        left_out,
    })
}

/// Headline scores, per-forecaster and per-question tables.
pub fn headline(
    set: &ForecastSet,
    questions: Option<&BTreeMap<String, QuestionDates>>,
    boot: &Bootstrap,
) -> (Headline, Vec<ForecasterScore>, Vec<QuestionScore>) {
    let sums = question_sums(set);
    let ones = vec![1u32; sums.len()];
    let [brier, skill_uniform, skill_base_rate] =
        weighted_scores(&sums, &ones).unwrap_or([f64::NAN; 3]);
    let intervals = boot.intervals90(sums.len(), 3, &|m| match weighted_scores(&sums, m) {
        Some(s) => s.iter().map(|x| Some(*x)).collect(),
        None => vec![None; 3],
    });
    let component = |c: usize| intervals[c];
    let n = set.len();
    let mut clipped = 0;
    let log_score = mean((0..n).map(|i| {
        let p = set.p_happened(i);
        if p < LOG_CLIP {
            clipped += 1;
        }
        -p.max(LOG_CLIP).ln()
    }));
    let options = |i: usize| set.heads[i].options as usize;
    let binary = (0..n).all(|i| options(i) == 2);
    let sharpness = mean((0..n).map(|i| {
        let u = 1.0 / options(i) as f64;
        set.probabilities(i)
            .iter()
            .map(|p| (p - u).powi(2))
            .sum::<f64>()
    }));
    let two = (0..n)
        .filter(|&i| options(i) == 2)
        .map(|i| (set.probabilities(i)[0], set.heads[i].happened == 0));
    let pairs = questions.map(|q| standing_pairs(set, q));
    let standing = pairs
        .as_ref()
        .and_then(|(pairs, left_out)| standing_of(pairs, *left_out));
    let head = Headline {
        forecasts: n,
        questions: set.questions.len(),
        forecasters: set.forecasters.iter().filter(|w| !w.is_empty()).count(),
        no_forecaster: set
            .heads
            .iter()
            .filter(|h| set.unknown(h.forecaster))
            .count(),
        brier,
        brier_interval: component(0),
        binary_brier: (binary && n > 0).then_some(brier / 2.0),
        log_score,
        log_clipped: clipped,
        skill_uniform,
        skill_uniform_interval: component(1),
        skill_base_rate,
        skill_base_rate_interval: component(2),
        sharpness,
        auc: auc_of(two),
        standing,
    };
    let by_forecaster = by_forecaster(set, pairs.as_ref().map(|p| &p.0[..]));
    (head, by_forecaster, by_question(set))
}

fn by_forecaster(set: &ForecastSet, pairs: Option<&[(u32, f64, usize)]>) -> Vec<ForecasterScore> {
    // per forecaster: forecasts, questions, Brier sum, the last question counted
    let mut acc = vec![(0usize, 0usize, 0.0, u32::MAX); set.forecasters.len()];
    for i in 0..set.len() {
        let (q, a) = (
            set.heads[i].question,
            &mut acc[set.heads[i].forecaster as usize],
        );
        a.0 += 1;
        // the canonical order is by question first: a forecaster's questions come in order
        if a.3 != q {
            a.1 += 1;
            a.3 = q;
        }
        a.2 += set.brier(i);
    }
    let mut standing = vec![(0.0, 0usize); set.forecasters.len()];
    for &(w, score, _) in pairs.unwrap_or_default() {
        standing[w as usize].0 += score;
        standing[w as usize].1 += 1;
    }
    let mut out: Vec<ForecasterScore> = set
        .forecasters
        .iter()
        .zip(acc)
        .zip(standing)
        .filter(|((who, a), _)| !who.is_empty() && a.0 > 0)
        .map(
            |((who, (n, questions, brier, _)), (standing, pairs))| ForecasterScore {
                forecaster: who.to_string(),
                forecasts: n,
                questions,
                brier: brier / n as f64,
                standing_brier: (pairs > 0).then(|| standing / pairs as f64),
            },
        )
        .collect();
    out.sort_by(|a, b| {
        a.brier
            .total_cmp(&b.brier)
            .then(b.questions.cmp(&a.questions))
            .then_with(|| a.forecaster.cmp(&b.forecaster))
    });
    out
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

fn by_question(set: &ForecastSet) -> Vec<QuestionScore> {
    let mut out = Vec::with_capacity(set.questions.len());
    let mut start = 0;
    // a question's forecasts are one run of the canonical order, by forecaster
    while start < set.len() {
        let q = set.heads[start].question;
        let mut end = start + 1;
        while end < set.len() && set.heads[end].question == q {
            end += 1;
        }
        let run = start..end;
        start = end;
        let first = set.get(run.start);
        let mut forecasters = 0;
        let mut last = None;
        for w in set.heads[run.clone()].iter().map(|h| h.forecaster) {
            if last != Some(w) && !set.unknown(w) {
                forecasters += 1;
            }
            last = Some(w);
        }
        out.push(QuestionScore {
            question: first.question().to_string(),
            happened: first
                .options()
                .nth(first.happened())
                .map_or_else(String::new, |o| o.0.to_string()),
            options: first.probabilities().len(),
            forecasts: run.len(),
            forecasters,
            brier: mean(run.map(|i| set.brier(i))),
        });
    }
    out
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

/// Days since 1970-01-01 of a valid date of years 1 to 9999.
fn civil(y: i64, m: u32, d: u32) -> Option<i64> {
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
    ((1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in[(m - 1) as usize])
        .then(|| days_from_civil(y, m, d))
}

/// Reads `2011-08-31`, `2011-08-31T12:00`, `9/1/11` or `9/1/2011` (month first, as the GJP
/// files write it); two-digit years are 20xx; years run from 1 to 9999.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    // `2011-08-31`, the common form, read without splitting
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
        };
        let (y, m, d) = (n(&[y0, y1, y2, y3]), n(&[m0, m1]), n(&[d0, d1]));
        return civil(i64::from(y), m, d);
    }
    if let Some((y, rest)) = text.split_once('-') {
        let mut parts = rest.splitn(2, '-');
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
        return civil(y.parse().ok()?, m, d);
    }
    let mut parts = text.split('/');
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let y: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    civil(if y < 100 { 2000 + y } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A forecast: question, forecaster, date, probabilities of options a, b, ..., index of
    /// the one that happened.
    type Row<'a> = (&'a str, &'a str, Option<i64>, &'a [f64], usize);

    fn set(forecasts: &[Row]) -> ForecastSet {
        let mut g = Gather::new();
        for (q, who, date, ps, happened) in forecasts {
            let names: Vec<String> = (0..ps.len())
                .map(|j| ((b'a' + j as u8) as char).to_string())
                .collect();
            g.push(
                &ForecastId::Named(format!("{q}{who}{date:?}").into()),
                q,
                who,
                *date,
                names.iter().map(String::as_str).zip(ps.iter().copied()),
                *happened,
            );
        }
        g.finish()
    }

    #[test]
    fn gathered_forecasts_come_out_in_canonical_order_whatever_the_order_in() {
        let rows: [Row; 5] = [
            ("q2", "x", Some(3), &[0.1, 0.9], 1),
            ("q1", "y", None, &[0.6, 0.4], 0),
            ("q1", "x", Some(2), &[0.5, 0.5], 0),
            ("q1", "x", None, &[0.3, 0.7], 1),
            ("q10", "x", Some(1), &[0.2, 0.8], 1),
        ];
        let want = [
            ("q1", "x", None),
            ("q1", "x", Some(2)),
            ("q1", "y", None),
            ("q10", "x", Some(1)),
            ("q2", "x", Some(3)),
        ];
        let mut shuffled = rows.to_vec();
        for turn in 0..rows.len() {
            shuffled.rotate_left(1);
            shuffled.swap(0, turn);
            let s = set(&shuffled);
            let got: Vec<(&str, &str, Option<i64>)> = s
                .iter()
                .map(|f| (f.question(), f.forecaster(), f.date()))
                .collect();
            assert_eq!(got, want);
            let second = s.get(1);
            assert_eq!(
                second.options().collect::<Vec<_>>(),
                [("a", 0.5), ("b", 0.5)]
            );
            assert_eq!(second.happened(), 0);
        }
    }

    #[test]
    fn options_are_put_in_name_order_with_the_one_that_happened() {
        let mut g = Gather::new();
        g.push(
            &ForecastId::Line(2),
            "q",
            "x",
            None,
            [("yes", 0.7), ("maybe", 0.1), ("no", 0.2)],
            0,
        );
        let s = g.finish();
        let f = s.get(0);
        assert_eq!(
            f.options().collect::<Vec<_>>(),
            [("maybe", 0.1), ("no", 0.2), ("yes", 0.7)]
        );
        assert_eq!(f.happened(), 2);
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
        // the common form's quick reading agrees with the month-first one, day by day
        for day in days_from_civil(1999, 12, 25)..days_from_civil(2001, 3, 5) {
            let (mut y, mut m, mut d) = (1999, 12, 25);
            while days_from_civil(y, m, d) < day {
                (y, m, d) = match (m, d) {
                    (12, 31) => (y + 1, 1, 1),
                    (_, 28..) if parse_date(&format!("{y}-{m:02}-{:02}", d + 1)).is_none() => {
                        (y, m + 1, 1)
                    }
                    _ => (y, m, d + 1),
                };
            }
            let iso = format!("{y}-{m:02}-{d:02}");
            assert_eq!(parse_date(&iso), Some(day), "{iso}");
            assert_eq!(parse_date(&format!("{m}/{d}/{y}")), Some(day), "{iso}");
        }
        assert_eq!(parse_date("2001-13-01"), None);
        assert_eq!(parse_date("0000-01-01"), None);
    }

    #[test]
    fn multi_option_brier_by_hand() {
        // (0.2 - 0)^2 + (0.7 - 1)^2 + (0.1 - 0)^2 = 0.04 + 0.09 + 0.01
        let s = set(&[("q", "x", None, &[0.2, 0.7, 0.1], 1)]);
        assert!((s.get(0).brier() - 0.14).abs() < 1e-15);
        // binary: twice the binary Brier
        let s = set(&[("q", "x", None, &[0.8, 0.2], 1)]);
        assert!((s.get(0).brier() - 2.0 * 0.64).abs() < 1e-15);
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
        let fs = set(&[
            ("g", "x", None, &[0.1, 0.9], 1),
            ("g", "x", Some(1), &[0.6, 0.4], 0),
        ]);
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
        let fs = set(&[
            ("q", "x", Some(2), &[0.6, 0.4], 0),
            ("q", "x", Some(6), &[0.9, 0.1], 0),
            ("q", "x", Some(12), &[1.0, 0.0], 0),
        ]);
        let s = standing(&fs, &qs).unwrap();
        assert!((s.brier - (4.0 * 0.32 + 4.0 * 0.02) / 8.0).abs() < 1e-12);
        assert_eq!((s.pairs, s.days, s.left_out), (1, 8, 1));
    }

    #[test]
    fn skill_against_uniform_and_base_rate_by_hand() {
        // two binary questions, a happens in q1, b in q2; one forecast each
        let fs = set(&[
            ("q1", "x", None, &[0.8, 0.2], 0),
            ("q2", "x", None, &[0.3, 0.7], 1),
        ]);
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
