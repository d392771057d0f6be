//! How calibration depends on acre's default numbers (`acre calibrate --sweep`).
//!
//! Three knobs, each a family that keeps the order of the grades and terms:
//! - **reliability**: every default soundness of a source graded A-E is raised to a power
//!   `m` (`m < 1` trusts sources more, `m > 1` less; F, "cannot be judged", stays);
//! - **credibility**: the same for items graded 1-5 (6 stays);
//! - **term position**: where in its band a built-in yardstick term's point sits, from 0
//!   (the edge nearest 50%) to 1 (the edge farthest from 50%); the default is the middle.
//!
//! Every setting of the grid re-runs each resolved case at point values and scores its
//! posterior as one multi-option forecast (Brier summed over the hypotheses). Which setting
//! is best is estimated honestly by leave-one-case-out cross-validation: for each case, the
//! setting best on the other cases is chosen and scored on it. The sweep reports; it changes
//! no default.

use super::bootstrap::Bootstrap;
use crate::infer::point_posterior;
use crate::lexicon::{Grading, admiralty as builtin_admiralty, builtin_yardstick};
use crate::model::{Case, Origin, ParamRole};
use serde::Serialize;

/// One setting of the three knobs (as `--sweep`'s JSON writes it and `--setting FILE`
/// reads it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// Power applied to the default reliability numbers (1: the defaults).
    pub reliability: f64,
    /// Power applied to the default credibility numbers (1: the defaults).
    pub credibility: f64,
    /// Term points' position in their bands, 0 (nearest 50%) to 1 (farthest); 0.5: the
    /// defaults.
    pub term_position: f64,
}

impl Setting {
    /// acre's defaults.
    pub const DEFAULT: Setting = Setting {
        reliability: 1.0,
        credibility: 1.0,
        term_position: 0.5,
    };

    /// Whether this is the default setting.
    pub fn is_default(&self) -> bool {
        *self == Setting::DEFAULT
    }

    /// Reads a setting from JSON (`{"reliability": 0.75, "credibility": 1.0,
    /// "term_position": 0.7}`, the `setting` objects of `--sweep`'s JSON), or says what is
    /// wrong with it: powers must be above 0, the term position from 0 to 1.
    pub fn from_json(text: &str) -> Result<Setting, String> {
        let s: Setting = serde_json::from_str(text).map_err(|e| {
            format!(
                "{e}: a setting is {{\"reliability\": POWER, \"credibility\": POWER, \"term_position\": 0..1}}"
            )
        })?;
        for (name, power) in [
            ("reliability", s.reliability),
            ("credibility", s.credibility),
        ] {
            if !(power.is_finite() && power > 0.0) {
                return Err(format!(
                    "`{name}` is {power}: a power above 0 (1 keeps the default numbers)"
                ));
            }
        }
        if !(0.0..=1.0).contains(&s.term_position) {
            return Err(format!(
                "`term_position` is {}: from 0 (the band edge nearest 50%) to 1 (the farthest; 0.5 keeps the default points)",
                s.term_position
            ));
        }
        Ok(s)
    }
}

/// The powers swept for reliability and credibility.
pub const POWERS: [f64; 6] = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0];
/// The term positions swept.
pub const POSITIONS: [f64; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];

/// The full grid (6 x 6 x 5 settings), the default among them.
pub fn grid() -> Vec<Setting> {
    let mut out = Vec::new();
    for &reliability in &POWERS {
        for &credibility in &POWERS {
            for &term_position in &POSITIONS {
                out.push(Setting {
                    reliability,
                    credibility,
                    term_position,
                });
            }
        }
    }
    out
}

/// The knobs of `s` at the edge of the grid, in words.
pub fn at_edges(s: &Setting) -> Vec<&'static str> {
    let first_or_last = |x: f64, xs: &[f64]| xs.first() == Some(&x) || xs.last() == Some(&x);
    let mut out = Vec::new();
    if first_or_last(s.reliability, &POWERS) {
        out.push("reliability");
    }
    if first_or_last(s.credibility, &POWERS) {
        out.push("credibility");
    }
    if first_or_last(s.term_position, &POSITIONS) {
        out.push("term points");
    }
    out
}

/// The numbers a setting gives the Admiralty grades (A-F, 1-6).
pub fn grading(s: &Setting) -> Grading {
    let base = builtin_admiralty();
    let power = |v: [f64; 6], m: f64| {
        let mut out = v;
        for x in out.iter_mut().take(5) {
            *x = x.powf(m);
        }
        out
    };
    Grading {
        reliability: power(base.reliability, s.reliability),
        credibility: power(base.credibility, s.credibility),
    }
}

/// The point of a band `[lo, hi]` at `position` (0: nearest 50%, 1: farthest).
pub fn term_point(lo: f64, hi: f64, position: f64) -> f64 {
    if (lo + hi) / 2.0 >= 0.5 {
        lo + position * (hi - lo)
    } else {
        hi - position * (hi - lo)
    }
}

/// `case` with a setting's numbers in place of the defaults. A case with its own grading
/// table keeps its grade numbers; terms of yardsticks the case declares itself keep their
/// points.
pub fn apply(case: &Case, s: &Setting) -> Case {
    let mut c = case.clone();
    if case.grading == builtin_admiralty() {
        let g = grading(s);
        for src in &mut c.sources {
            if let Some((letter, v)) = &mut src.reliability
                && let Some(x) = g.reliability_of(*letter)
            {
                *v = x;
            }
        }
        for item in &mut c.items {
            if let Some(d) = item.credibility_grade
                && let Some(x) = g.credibility_of(d)
            {
                item.credibility = x;
            }
        }
    }
    for p in &mut c.params {
        let swept_role = matches!(
            p.role,
            ParamRole::Likelihood(_) | ParamRole::AssumptionPrior(_)
        );
        if let (true, Origin::Term { yardstick, .. }) = (swept_role, &p.value.origin) {
            let builtin = builtin_yardstick(yardstick).is_some()
                && !case.custom_yardsticks.iter().any(|y| y.name == **yardstick);
            // at the default position the yardstick's own point stays (bit for bit)
            if builtin && p.value.is_banded() && s.term_position != Setting::DEFAULT.term_position {
                p.value.point = term_point(p.value.lo, p.value.hi, s.term_position);
            }
        }
    }
    c
}

/// The multi-option Brier score of a case's point posterior (sum over its hypotheses), or
/// `None` when the case has no outcome or its evidence is impossible at these numbers.
pub fn case_brier(case: &Case) -> Option<f64> {
    scored(case).map(|(brier, _)| brier)
}

/// [`case_brier`] and whether the eventual outcome has the highest point posterior (ties
/// count), from one posterior; at the finest level the outcome reaches (the hypotheses, or
/// the level of the group it names).
fn scored(case: &Case) -> Option<(f64, bool)> {
    let outcome = case.outcome.as_ref()?.proposition;
    let (post, _) = point_posterior(case, &|_| true).ok()?;
    let level = case.resolution_level(outcome);
    let probs: Vec<f64> = level
        .iter()
        .map(|p| case.members(p).iter().map(|h| post[h.idx()]).sum())
        .collect();
    let happened = level.iter().position(|p| *p == outcome)?;
    let brier = probs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let o = if i == happened { 1.0 } else { 0.0 };
            (p - o) * (p - o)
        })
        .sum();
    let top = probs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((brier, probs[happened] >= top))
}

/// One setting's result over the cases.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SweepRow {
    /// The setting.
    pub setting: Setting,
    /// Mean multi-option Brier score over the cases (0-2, lower is better).
    pub brier: f64,
    /// Cases whose eventual outcome led.
    pub led: usize,
}

/// The cross-validated estimate of tuning the defaults.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CrossValidation {
    /// Mean Brier score of the defaults (nothing fitted, so already out of sample).
    pub default_brier: f64,
    /// Mean Brier score when each case is scored at the setting best on the other cases.
    pub tuned_brier: f64,
    /// 90% interval of `tuned_brier - default_brier` (cases resampled).
    pub difference_interval: [f64; 2],
    /// How often each setting was chosen over the folds, most often first.
    pub chosen: Vec<(Setting, usize)>,
}

/// What the sweep found.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Sweep {
    /// Cases scored (resolved cases that every setting could assess).
    pub cases: usize,
    /// Cases left out, with why.
    pub left_out: Vec<(String, String)>,
    /// Cases with their own grading table (their grade numbers were not swept).
    pub own_grading: Vec<String>,
    /// Each knob varied alone, the others at their defaults: reliability, credibility,
    /// term position.
    pub one_at_a_time: [Vec<SweepRow>; 3],
    /// The defaults.
    pub default: SweepRow,
    /// The best setting of the whole grid on all cases (in-sample).
    pub best: SweepRow,
    /// The best settings of the grid, best first (ten).
    pub top: Vec<SweepRow>,
    /// Every setting of the grid, in grid order (reliability, then credibility, then term
    /// position, each ascending), so that any of them can be scored on other cases with
    /// `--setting`.
    pub all: Vec<SweepRow>,
    /// Leave-one-case-out cross-validation.
    pub cross_validation: CrossValidation,
}

/// Sweeps the grid over named resolved cases. `None` when no case could be scored.
pub fn sweep(cases: &[(String, Case)], boot: &Bootstrap) -> Option<Sweep> {
    let settings = grid();
    let default_at = settings.iter().position(Setting::is_default)?;
    // brier[setting][case]; a case is kept only if every setting scores it
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    let mut table: Vec<Vec<f64>> = vec![Vec::new(); settings.len()];
    let mut led: Vec<Vec<bool>> = vec![Vec::new(); settings.len()];
    for (name, case) in cases {
        let scored: Option<Vec<(f64, bool)>> =
            settings.iter().map(|s| scored(&apply(case, s))).collect();
        match scored {
            Some(row) => {
                kept.push(name.clone());
                for (i, (b, l)) in row.into_iter().enumerate() {
                    table[i].push(b);
                    led[i].push(l);
                }
            }
            None => left_out.push((
                name.clone(),
                if case.outcome.is_none() {
                    "no outcome".to_string()
                } else {
                    "its evidence is impossible under some setting".to_string()
                },
            )),
        }
    }
    let n = kept.len();
    if n == 0 {
        return None;
    }
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let row = |i: usize| SweepRow {
        setting: settings[i],
        brier: mean(&table[i]),
        led: led[i].iter().filter(|l| **l).count(),
    };
    let mut order: Vec<usize> = (0..settings.len()).collect();
    order.sort_by(|a, b| mean(&table[*a]).total_cmp(&mean(&table[*b])).then(a.cmp(b)));
    let alone = |pick: &dyn Fn(&Setting) -> bool| -> Vec<SweepRow> {
        (0..settings.len())
            .filter(|i| pick(&settings[*i]))
            .map(row)
            .collect()
    };
    let d = Setting::DEFAULT;
    let one_at_a_time = [
        alone(&|s| s.credibility == d.credibility && s.term_position == d.term_position),
        alone(&|s| s.reliability == d.reliability && s.term_position == d.term_position),
        alone(&|s| s.reliability == d.reliability && s.credibility == d.credibility),
    ];
    // leave one case out: choose on the others, score on it
    let totals: Vec<f64> = table.iter().map(|t| t.iter().sum()).collect();
    let mut chosen_count = vec![0usize; settings.len()];
    let tuned: Vec<f64> = (0..n)
        .map(|c| {
            let best = (0..settings.len())
                .min_by(|a, b| {
                    (totals[*a] - table[*a][c])
                        .total_cmp(&(totals[*b] - table[*b][c]))
                        .then(a.cmp(b))
                })
                .unwrap_or(default_at);
            chosen_count[best] += 1;
            table[best][c]
        })
        .collect();
    let diffs: Vec<f64> = tuned
        .iter()
        .zip(&table[default_at])
        .map(|(t, d)| t - d)
        .collect();
    let mut chosen: Vec<(Setting, usize)> = chosen_count
        .iter()
        .enumerate()
        .filter(|(_, k)| **k > 0)
        .map(|(i, k)| (settings[i], *k))
        .collect();
    chosen.sort_by_key(|c| std::cmp::Reverse(c.1));
    let own_grading = cases
        .iter()
        .filter(|(_, c)| c.grading != builtin_admiralty())
        .map(|(name, _)| name.clone())
        .collect();
    Some(Sweep {
        cases: n,
        left_out,
        own_grading,
        one_at_a_time,
        default: row(default_at),
        best: row(order[0]),
        top: order.iter().take(10).map(|i| row(*i)).collect(),
        all: (0..settings.len()).map(row).collect(),
        cross_validation: CrossValidation {
            default_brier: mean(&table[default_at]),
            tuned_brier: mean(&tuned),
            difference_interval: mean_interval(&diffs, boot),
            chosen,
        },
    })
}

/// A 90% bootstrap interval of the mean of `xs` (cases resampled).
fn mean_interval(xs: &[f64], boot: &Bootstrap) -> [f64; 2] {
    let n = xs.len();
    let interval = boot.intervals90(n, 1, &|m: &[u32]| {
        let (sum, k) = m
            .iter()
            .zip(xs)
            .fold((0.0, 0u32), |(s, k), (m, x)| (s + f64::from(*m) * x, k + m));
        vec![(k > 0).then(|| sum / f64::from(k))]
    });
    interval.first().copied().flatten().unwrap_or([f64::NAN; 2])
}
