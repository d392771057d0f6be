//! Stage 3: from a checked case to an assessment — posteriors, bounds, Monte
//! Carlo, words, confidence and expectations (semantics sections 1-7).
//!
//! Invariants: `infer` reads only the resolved [`Case`]; the point posterior, the bounds
//! and every what-if are computed in log space, the Monte Carlo draws from products
//! scaled against underflow ([`linear`], which falls back to logs where that could lose
//! a digit); nothing here formats output. An assessment is a pure function of
//! the case, the number of samples and the seed.

pub mod bounds;
pub mod incremental;
pub mod joint;
pub mod linear;
pub mod monte_carlo;
pub mod vertices;
pub mod words;

use crate::lexicon::Yardstick;
use crate::model::{
    AssumptionId, Case, ConfidenceLevel, ExpectCheck, ExpectSubject, ItemId, Proposition,
};
use joint::{Structure, hypothesis_priors, joint, log_sum};
use serde::Serialize;
use words::{Placement, place, stated, written};

/// How to run the engine.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Monte Carlo samples.
    pub samples: usize,
    /// Seed for the Monte Carlo.
    pub seed: u64,
}

/// The default seed: fixed, so that every run of a case prints the same numbers.
pub const DEFAULT_SEED: u64 = 20_240_325;

/// `samples` meaning acre's default: [`monte_carlo::DEFAULT_DRAWS`] draws, fewer when one
/// draw of the case is very costly (see [`monte_carlo::draw_budget`]).
pub const AUTO_SAMPLES: usize = usize::MAX;

impl Default for Options {
    fn default() -> Self {
        Options {
            samples: AUTO_SAMPLES,
            seed: DEFAULT_SEED,
        }
    }
}

/// Why a case cannot be assessed.
#[derive(Clone, Debug, PartialEq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum InferError {
    /// The evidence has probability 0 under every hypothesis.
    #[error("the evidence taken together is impossible under every hypothesis")]
    #[diagnostic(
        code("acre::impossible-evidence"),
        help(
            "items with a likelihood of 0 rule hypotheses out; together they rule all of them out: grade those items or use yardstick terms"
        )
    )]
    ImpossibleEvidence,
}

/// The numbers for one hypothesis.
#[derive(Clone, Debug, Serialize)]
pub struct HypothesisResult {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Prior (point).
    pub prior: f64,
    /// Posterior with every input at its point value.
    pub point: f64,
    /// Least posterior over the bands.
    pub lower: f64,
    /// Greatest posterior over the bands.
    pub upper: f64,
    /// Monte Carlo mean.
    pub mean: f64,
    /// Monte Carlo 5th percentile.
    pub p05: f64,
    /// Monte Carlo median.
    pub p50: f64,
    /// Monte Carlo 95th percentile.
    pub p95: f64,
    /// Where the point falls on the yardstick.
    #[serde(skip)]
    pub placement: Placement,
    /// Note on the words (gaps, intervals spanning bands).
    pub term_note: Option<String>,
    /// Probability of each term's band, in yardstick order, then the gaps (`"(gap)"`).
    pub band_probabilities: Vec<(String, f64)>,
}

/// The numbers for one assumption.
#[derive(Clone, Debug, Serialize)]
pub struct AssumptionResult {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `P(a)` before the evidence: the prior-weighted average over hypotheses.
    pub prior: f64,
    /// `P(a | E)` at point values.
    pub posterior: f64,
    /// Monte Carlo 5th percentile of `P(a | E)`.
    pub p05: f64,
    /// Monte Carlo 95th percentile.
    pub p95: f64,
}

/// Analytic confidence with its reasons.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Confidence {
    /// Low, moderate or high.
    pub level: ConfidenceLevel,
    /// Why, one finding per rule (the `reason` of each check, in order).
    pub reasons: Vec<String>,
    /// Each rule's finding: the level it caps confidence at, if any.
    pub checks: Vec<ConfidenceCheck>,
}

impl Confidence {
    /// The checks that set the level: those whose cap is the level (none when every rule
    /// passes and confidence is high).
    pub fn binding(&self) -> impl Iterator<Item = &ConfidenceCheck> {
        self.checks
            .iter()
            .filter(move |c| c.cap == Some(self.level))
    }
}

/// A rule of analytic confidence (README, "Analytic confidence").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConfidenceRule {
    /// 1. The width of the hypothesis's 90% interval.
    IntervalWidth,
    /// 2. Whether removing one item changes the written term.
    SingleItem,
    /// 3. Whether forcing an assumption changes the written term.
    Assumption,
    /// 4. The share of evidential weight from well-graded reports.
    WellGraded,
    /// 5. How many independent sources carry a likelihood ratio of 2 or more.
    IndependentSources,
}

/// One rule's finding.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ConfidenceCheck {
    /// The rule.
    pub rule: ConfidenceRule,
    /// The level it caps confidence at; none when the rule passes.
    pub cap: Option<ConfidenceLevel>,
    /// What was found.
    pub reason: String,
}

/// An expectation and whether the assessment meets it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ExpectationResult {
    /// As written.
    pub text: String,
    /// Whether it holds.
    pub met: bool,
    /// What was found.
    pub actual: String,
}

/// Everything `acre assess` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    /// Hypotheses in case order.
    pub hypotheses: Vec<HypothesisResult>,
    /// Groups of hypotheses in case order: the sums of their members.
    pub groups: Vec<HypothesisResult>,
    /// Assumptions in case order.
    pub assumptions: Vec<AssumptionResult>,
    /// Index of the hypothesis with the highest point posterior.
    pub leading: usize,
    /// `ln P(E)`.
    pub log_evidence: f64,
    /// How the bounds were found.
    pub bounds_method: bounds::Method,
    /// Confidence.
    pub confidence: Confidence,
    /// Expectations.
    pub expectations: Vec<ExpectationResult>,
    /// Monte Carlo samples drawn (0 when no input is banded).
    pub samples: usize,
    /// The most samples that were allowed (`--samples`); drawing stops earlier once the
    /// percentiles have settled.
    pub samples_requested: usize,
    /// Samples whose evidence was impossible (skipped).
    pub impossible_samples: usize,
    /// Seed.
    pub seed: u64,
    /// Why the default number of draws was lowered (or no draws made) for this case.
    pub draws_limited: Option<String>,
    /// How well the draws know the figures they give: the largest 95% confidence
    /// half-width of any percentile or mean, and the hypothesis or assumption it belongs to
    /// (`None` without draws).
    pub least_settled: Option<(f64, String)>,
}

/// The posterior at point values over the items `included` selects, with its joint.
pub fn point_posterior(
    case: &Case,
    included: &dyn Fn(ItemId) -> bool,
) -> Result<(Vec<f64>, joint::Joint), InferError> {
    let structure = Structure::new(case, included);
    let j = joint(case, &structure, &case.point_values());
    let post = j.posterior().ok_or(InferError::ImpossibleEvidence)?;
    Ok((post, j))
}

/// The posterior at point values with values overridden.
pub fn posterior_with(
    case: &Case,
    values: &[f64],
    included: &dyn Fn(ItemId) -> bool,
) -> Option<Vec<f64>> {
    let structure = Structure::new(case, included);
    joint(case, &structure, values).posterior()
}

fn argmax(xs: &[f64]) -> usize {
    xs.iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |(bi, bv), (i, v)| {
            if *v > bv { (i, *v) } else { (bi, bv) }
        })
        .0
}

/// Runs the engine.
pub fn assess(case: &Case, options: &Options) -> Result<Assessment, InferError> {
    assess_with(case, options, true)
}

/// [`assess`] without the search for the bounds: the bounds are the extremes of the draws
/// (`bounds_method` says so). The point, the draws and everything drawn from them are
/// [`assess`]'s. For callers that show no bounds (the timeline's steps).
pub fn assess_unbounded(case: &Case, options: &Options) -> Result<Assessment, InferError> {
    assess_with(case, options, false)
}

fn assess_with(case: &Case, options: &Options, search: bool) -> Result<Assessment, InferError> {
    let all = |_: ItemId| true;
    let structure = Structure::new(case, &all);
    let values = case.point_values();
    let j = joint(case, &structure, &values);
    let point = j.posterior().ok_or(InferError::ImpossibleEvidence)?;
    let assumption_post = j.assumption_posteriors();
    let targets = bounds::Targets::of(case);
    let (bounds, bounds_method) = if search {
        bounds::bounds(case, &structure, &point, false)
    } else {
        (
            targets.values(&point).iter().map(|p| (*p, *p)).collect(),
            bounds::Method::Samples,
        )
    };
    let (max_draws, draws_limited) = if options.samples == AUTO_SAMPLES {
        let budget = monte_carlo::draw_budget(case, &structure);
        (budget.draws, budget.why)
    } else {
        (options.samples, None)
    };
    let samples = monte_carlo::sample(case, &structure, max_draws, options.seed);
    let priors = hypothesis_priors(case, &values);
    let y = &case.yardstick;

    // the figure the draws know least well: its uncertainty, and whose
    let mut least_settled: Option<(f64, String)> = None;
    let mut note = |s: &[f64], id: &str| {
        if s.is_empty() {
            return;
        }
        let u = monte_carlo::uncertainty(s);
        if least_settled.as_ref().is_none_or(|(v, _)| u > *v) {
            least_settled = Some((u, id.to_string()));
        }
    };
    let mut results = Vec::with_capacity(targets.len());
    for (t, &bounds) in bounds.iter().enumerate() {
        let (id, label, s) = match t.checked_sub(case.hypotheses.len()) {
            None => (
                &case.hypotheses[t].id,
                &case.hypotheses[t].label,
                samples.of_hypothesis(t),
            ),
            Some(g) => {
                let group = &case.groups[g];
                let members: Vec<usize> = group.hypotheses.iter().map(|h| h.idx()).collect();
                (&group.id, &group.label, samples.of_hypotheses(&members))
            }
        };
        let s = monte_carlo::sorted(s);
        note(&s, id);
        results.push(result(
            y,
            (id, label),
            targets.value(t, &priors),
            targets.value(t, &point),
            bounds,
            &s,
        ));
    }
    let groups = results.split_off(case.hypotheses.len());
    let hypotheses = results;

    let assumptions = case
        .assumptions
        .iter()
        .enumerate()
        .map(|(j, a)| {
            let prior: f64 = a
                .prior
                .iter()
                .zip(&priors)
                .map(|(p, w)| values[p.idx()] * w)
                .sum();
            let s = monte_carlo::sorted(samples.of_assumption(j));
            note(&s, &a.id);
            AssumptionResult {
                id: a.id.clone(),
                label: a.label.clone(),
                prior,
                posterior: assumption_post[j],
                // without samples the interval is the point, as for hypotheses
                p05: if s.is_empty() {
                    assumption_post[j]
                } else {
                    monte_carlo::quantile(&s, 0.05)
                },
                p95: if s.is_empty() {
                    assumption_post[j]
                } else {
                    monte_carlo::quantile(&s, 0.95)
                },
            }
        })
        .collect::<Vec<_>>();

    let leading = argmax(&point);
    // bounds that were to come from draws, when none were made, are the point
    let bounds_method = if bounds_method == bounds::Method::Samples && samples.is_empty() {
        bounds::Method::Unsearched
    } else {
        bounds_method
    };
    let confidence = confidence(case, &j, &hypotheses, leading)?;
    let mut assessment = Assessment {
        hypotheses,
        groups,
        assumptions,
        leading,
        log_evidence: j.log_evidence(),
        bounds_method,
        confidence,
        expectations: Vec::new(),
        samples: samples.len() + samples.n_impossible,
        samples_requested: max_draws,
        draws_limited,
        impossible_samples: samples.n_impossible,
        seed: options.seed,
        least_settled,
    };
    assessment.expectations = expectations(case, &assessment);
    Ok(assessment)
}

impl Assessment {
    /// The numbers of a hypothesis or a group.
    pub fn result(&self, p: Proposition) -> &HypothesisResult {
        match p {
            Proposition::Hypothesis(h) => &self.hypotheses[h.idx()],
            Proposition::Group(g) => &self.groups[g.idx()],
        }
    }
}

/// The numbers of one hypothesis or group: `point` and its `bounds`, `s` its draws sorted.
fn result(
    y: &Yardstick,
    (id, label): (&str, &str),
    prior: f64,
    point: f64,
    bounds: (f64, f64),
    s: &[f64],
) -> HypothesisResult {
    let n = s.len().max(1) as f64;
    let (mean, p05, p50, p95) = if s.is_empty() {
        (point, point, point, point)
    } else {
        (
            s.iter().sum::<f64>() / n,
            monte_carlo::quantile(s, 0.05),
            monte_carlo::quantile(s, 0.5),
            monte_carlo::quantile(s, 0.95),
        )
    };
    let v = place(y, point);
    let mut band_probabilities: Vec<(String, f64)> = y
        .terms
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                s.iter().filter(|p| t.contains(**p)).count() as f64 / n,
            )
        })
        .collect();
    let in_gap = s
        .iter()
        .filter(|p| !y.terms.iter().any(|t| t.contains(**p)))
        .count() as f64
        / n;
    band_probabilities.push(("(gap)".to_string(), in_gap));
    HypothesisResult {
        id: id.to_string(),
        label: label.to_string(),
        prior,
        // every sample is a point of the box, so it also bounds the extremes
        // (this matters only when the vertex search stopped at a local optimum)
        lower: bounds.0.min(point).min(s.first().copied().unwrap_or(point)),
        upper: bounds.1.max(point).max(s.last().copied().unwrap_or(point)),
        point,
        mean,
        p05,
        p50,
        p95,
        term_note: words::term_note(y, &v, p05, p95),
        placement: v,
        band_probabilities,
    }
}

/// Well graded: credibility 1 or 2, from a source graded A or B whose relays and root are
/// graded A or B too (`chain_reliable` is [`Case::chain_reliable`]).
pub fn well_graded(case: &Case, chain_reliable: &[bool], item: ItemId) -> bool {
    let e = &case.items[item.idx()];
    chain_reliable[e.source.idx()] && matches!(e.credibility_grade, Some(1 | 2))
}

/// Natural-log odds of hypothesis `h` against the rest, from unnormalised log
/// probabilities per hypothesis.
pub fn log_odds_against_rest(per_h: &[f64], h: usize) -> f64 {
    let others: Vec<f64> = per_h
        .iter()
        .enumerate()
        .filter(|(g, _)| *g != h)
        .map(|(_, x)| *x)
        .collect();
    per_h[h] - log_sum(&others)
}

/// The one likelihood ratio every output uses for an item (README, "Analytic confidence"):
/// the posterior odds of a hypothesis against the rest with every counted item, over the
/// same odds with that one item left out — graded, dependencies and assumptions applied.
pub struct LeaveOneOut {
    /// Unnormalised log probability per hypothesis with every counted item.
    pub full: Vec<f64>,
    /// The same with each counted item left out, in item order.
    pub without: Vec<(ItemId, Vec<f64>)>,
}

impl LeaveOneOut {
    /// Computes the joint once and each item's leave-one-out joint from it.
    pub fn new(case: &Case) -> Self {
        let structure = Structure::new(case, &|_| true);
        let inc = incremental::Incremental::new(case, &structure, &case.point_values());
        let full = inc.joint().log_per_hypothesis();
        let without = inc.without_each();
        LeaveOneOut { full, without }
    }

    /// The position of `item` in [`Self::without`] (which is in item order), if it counts.
    pub fn index(&self, item: ItemId) -> Option<usize> {
        self.without.binary_search_by_key(&item, |(id, _)| *id).ok()
    }

    /// The posterior without each item (`None` when the rest of the evidence is impossible).
    pub fn posteriors(&self) -> Vec<(ItemId, Option<Vec<f64>>)> {
        self.without
            .iter()
            .map(|(id, per_h)| {
                let total = log_sum(per_h);
                let p = total
                    .is_finite()
                    .then(|| per_h.iter().map(|x| (x - total).exp()).collect());
                (*id, p)
            })
            .collect()
    }

    /// Each item's leave-one-out weight for hypothesis `h`, in natural-log odds (infinite
    /// ratios count as 0, as the confidence table's shares need finite weights).
    pub fn weights(&self, h: usize) -> Vec<(ItemId, f64)> {
        (0..self.without.len())
            .map(|i| (self.without[i].0, self.log_ratio(i, h).unwrap_or(0.0)))
            .collect()
    }

    /// The natural log of the ratio for the `i`-th left-out item and hypothesis `h`:
    /// `Some(0)` when the odds are the same infinity with and without it, `None` when the
    /// item alone rules the hypothesis in or out (an infinite ratio) or the evidence without
    /// it is impossible.
    pub fn log_ratio(&self, i: usize, h: usize) -> Option<f64> {
        let without = &self.without[i].1;
        if !log_sum(without).is_finite() {
            return None;
        }
        let now = log_odds_against_rest(&self.full, h);
        let before = log_odds_against_rest(without, h);
        if now.is_finite() && before.is_finite() {
            Some(now - before)
        } else if now == before {
            Some(0.0)
        } else {
            None
        }
    }
}

/// Confidence by documented rules (README, "Analytic confidence"), for hypothesis `h`
/// (the leading one in an assessment): the lowest cap wins. Every comparison of words
/// compares written terms (semantics section 7).
fn confidence(
    case: &Case,
    j: &joint::Joint,
    hyps: &[HypothesisResult],
    leading: usize,
) -> Result<Confidence, InferError> {
    let lead = &hyps[leading];
    let y = &case.yardstick;
    let mut level = ConfidenceLevel::High;
    let mut checks: Vec<ConfidenceCheck> = Vec::new();
    let mut rule = ConfidenceRule::IntervalWidth;
    let mut cap = |rule: ConfidenceRule,
                   to: ConfidenceLevel,
                   reason: String,
                   checks: &mut Vec<ConfidenceCheck>| {
        level = level.min(to);
        checks.push(ConfidenceCheck {
            rule,
            cap: Some(to),
            reason,
        });
    };
    let pass = |rule: ConfidenceRule, reason: String, checks: &mut Vec<ConfidenceCheck>| {
        checks.push(ConfidenceCheck {
            rule,
            cap: None,
            reason,
        });
    };
    let label = &words::label_as_subject(&lead.label);
    // 1. width of the 5-95% interval
    let width = lead.p95 - lead.p05;
    let interval = crate::format::whole_interval(lead.p05, lead.p95);
    if width > 0.40 {
        cap(
            rule,
            ConfidenceLevel::Low,
            format!("the 90% interval for {label} is wide ({interval})"),
            &mut checks,
        );
    } else if width > 0.20 {
        cap(
            rule,
            ConfidenceLevel::Moderate,
            format!("the 90% interval for {label} is moderately wide ({interval})"),
            &mut checks,
        );
    } else {
        pass(
            rule,
            format!("the 90% interval for {label} is narrow ({interval})"),
            &mut checks,
        );
    }
    // 2. linchpin items
    rule = ConfidenceRule::SingleItem;
    let loo = LeaveOneOut::new(case);
    let removals = loo.posteriors();
    let mut linchpins = Vec::new();
    for (id, without) in &removals {
        if let Some(p) = without {
            let v = place(y, p[leading]);
            if v.written != lead.placement.written {
                // the direction comes from the sign: an item supports the judgment when
                // the posterior is lower without it
                let side = if p[leading] < lead.point {
                    "which supports it"
                } else {
                    "which counts against it"
                };
                linchpins.push(format!(
                    "\"{}\" ({}), {side} (without it: {})",
                    case.items[id.idx()].description,
                    case.items[id.idx()].id,
                    words::stated(y, p[leading])
                ));
            }
        }
    }
    if linchpins.is_empty() {
        pass(
            rule,
            format!("no single item changes the written term for {label} when removed"),
            &mut checks,
        );
    } else {
        cap(
            rule,
            ConfidenceLevel::Moderate,
            format!(
                "removing one item changes the written term for {label}: {}",
                words::capped_list(&linchpins, 3)
            ),
            &mut checks,
        );
    }
    // 3. assumptions that flip the judgment
    rule = ConfidenceRule::Assumption;
    let mut flips = Vec::new();
    let forced_all = if case.assumptions.is_empty() {
        Vec::new()
    } else {
        forced_from(case, j)?
    };
    for (a, both) in case.assumptions.iter().zip(&forced_all) {
        for (forced, p) in [true, false].into_iter().zip(both) {
            // an assumption held certain (prior 0% or 100%) cannot be forced the other
            // way: there is no such world to weigh, so nothing flips there
            let Some(p) = p else {
                continue;
            };
            let v = place(y, p[leading]);
            if v.written != lead.placement.written {
                flips.push(format!(
                    "\"{}\" ({}) forced {}: {}",
                    a.label,
                    a.id,
                    if forced { "true" } else { "false" },
                    words::stated(y, p[leading])
                ));
            }
        }
    }
    if !case.assumptions.is_empty() {
        if flips.is_empty() {
            pass(
                rule,
                format!(
                    "no assumption changes the written term for {label} when forced true or false"
                ),
                &mut checks,
            );
        } else {
            cap(
                rule,
                ConfidenceLevel::Moderate,
                format!(
                    "an assumption changes the written term for {label}: {}",
                    words::capped_list(&flips, 3)
                ),
                &mut checks,
            );
        }
    }
    // 4. weight from well-graded sources, 5. independent sources
    rule = ConfidenceRule::WellGraded;
    let weights = loo.weights(leading);
    let total: f64 = weights.iter().map(|(_, w)| w.abs()).sum();
    let chain_reliable = case.chain_reliable();
    let graded: f64 = weights
        .iter()
        .filter(|(i, _)| well_graded(case, &chain_reliable, *i))
        .map(|(_, w)| w.abs())
        .sum();
    if total <= 1e-12 {
        cap(
            rule,
            ConfidenceLevel::Low,
            "no evidence carries weight: the judgment is the prior".to_string(),
            &mut checks,
        );
    } else {
        let share = graded / total;
        let text = format!(
            "{}% of the evidential weight comes from well-graded reports (A-B, 1-2)",
            (share * 100.0).round() + 0.0 // never "-0%"
        );
        if share < 0.25 {
            cap(rule, ConfidenceLevel::Low, text, &mut checks);
        } else if share < 0.5 {
            cap(rule, ConfidenceLevel::Moderate, text, &mut checks);
        } else {
            pass(rule, text, &mut checks);
        }
    }
    rule = ConfidenceRule::IndependentSources;
    // the leave-one-out ratio: how much the posterior odds of the leading hypothesis
    // against the rest change without the item (graded, dependencies applied)
    let mut roots: Vec<u32> = weights
        .iter()
        .filter(|(_, w)| w.abs() >= 2f64.ln())
        .map(|(i, _)| case.sources[case.items[i.idx()].source.idx()].root.0)
        .collect();
    roots.sort_unstable();
    roots.dedup();
    match roots.len() {
        0 => cap(
            rule,
            ConfidenceLevel::Low,
            format!(
                "no independent source carries an item whose removal changes the odds of {label} against the rest by a factor of 2 or more"
            ),
            &mut checks,
        ),
        1 => cap(
            rule,
            ConfidenceLevel::Moderate,
            format!(
                "one independent source carries every item whose removal changes the odds of {label} against the rest by a factor of 2 or more"
            ),
            &mut checks,
        ),
        n => pass(
            rule,
            format!(
                "{n} independent sources carry items whose removal changes the odds of {label} against the rest by a factor of 2 or more"
            ),
            &mut checks,
        ),
    }
    let reasons = checks.iter().map(|c| c.reason.clone()).collect();
    Ok(Confidence {
        level,
        reasons,
        checks,
    })
}

/// Analytic confidence in the written term of hypothesis `h` (any hypothesis, not only the
/// leading one), by the same rules as [`Assessment::confidence`], with the reasons about
/// `h`.
pub fn confidence_for(case: &Case, a: &Assessment, h: usize) -> Result<Confidence, InferError> {
    if h == a.leading {
        return Ok(a.confidence.clone());
    }
    let (_, j) = point_posterior(case, &|_| true)?;
    confidence(case, &j, &a.hypotheses, h)
}

/// The posterior at point values with assumption `a` forced true or false.
pub fn forced_assumption(
    case: &Case,
    a: AssumptionId,
    value: bool,
) -> Result<Vec<f64>, InferError> {
    let mut all = forced_assumptions(case)?;
    let [yes, no] = all.swap_remove(a.idx());
    (if value { yes } else { no }).ok_or(InferError::ImpossibleEvidence)
}

/// The posterior at point values with each assumption forced true, then false: per
/// assumption `[true, false]`, `None` where forcing it makes the evidence impossible. One
/// joint for all of them: each state's `P(h, state, E)` is added to the bucket of every
/// assumption's value in that state (shifted by the largest term per hypothesis), then
/// `P(a = value | h)` is divided out.
pub fn forced_assumptions(case: &Case) -> Result<Vec<[Option<Vec<f64>>; 2]>, InferError> {
    let structure = Structure::new(case, &|_| true);
    forced_from(case, &joint(case, &structure, &case.point_values()))
}

/// [`forced_assumptions`] from the case's joint at point values.
fn forced_from(case: &Case, j: &joint::Joint) -> Result<Vec<[Option<Vec<f64>>; 2]>, InferError> {
    let k = j.k;
    let m = case.assumptions.len();
    let mut shift = vec![f64::NEG_INFINITY; k];
    for (i, x) in j.log_joint.iter().enumerate() {
        shift[i % k] = shift[i % k].max(*x);
    }
    if shift.iter().all(|x| *x == f64::NEG_INFINITY) {
        return Err(InferError::ImpossibleEvidence);
    }
    // sums[(a * 2 + value) * k + h]
    let mut sums = vec![0.0; m * 2 * k];
    for (state, row) in j.log_joint.chunks(k).enumerate() {
        for (h, x) in row.iter().enumerate() {
            if shift[h] == f64::NEG_INFINITY {
                continue;
            }
            let e = (x - shift[h]).exp();
            if e == 0.0 {
                continue;
            }
            for a in 0..m {
                let bit = (state >> a) & 1;
                // value true is bucket 0, false bucket 1
                sums[(a * 2 + (1 - bit)) * k + h] += e;
            }
        }
    }
    Ok((0..m)
        .map(|a| {
            [true, false].map(|value| {
                let at = (a * 2 + usize::from(!value)) * k;
                let per_h: Vec<f64> = (0..k)
                    .map(|h| {
                        let x = sums[at + h];
                        if x > 0.0 {
                            x.ln() + shift[h]
                                - forced_prior_log(case, AssumptionId(a as u32), h, value)
                        } else {
                            f64::NEG_INFINITY
                        }
                    })
                    .collect();
                let total = joint::log_sum(&per_h);
                total
                    .is_finite()
                    .then(|| per_h.iter().map(|x| (x - total).exp()).collect())
            })
        })
        .collect())
}

/// `ln P(a = value | h)`, divided out when an assumption is forced.
fn forced_prior_log(case: &Case, a: AssumptionId, h: usize, value: bool) -> f64 {
    let p = case.params[case.assumptions[a.idx()].prior[h].idx()]
        .value
        .point;
    let x = if value { p } else { 1.0 - p };
    if x <= 0.0 { 0.0 } else { x.ln() }
}

/// How a band said of a hypothesis or assumption compares with its posterior (semantics
/// sections 7 and 9): `consistent` if the point lies in the band, or the band is the band of
/// the point's written term (90.2% in PHIA's gap is consistent with "highly likely");
/// `defensible` if not, but the 5-95% interval overlaps the band; otherwise `overclaim`
/// (the band lies above the interval) or `underclaim`.
pub fn band_verdict(
    y: &Yardstick,
    band: (f64, f64),
    point: f64,
    p05: f64,
    p95: f64,
) -> crate::vocab::Verdict {
    let written = &y.terms[words::written(y, point)];
    let of_written = (band.0 - written.lo).abs() < 1e-9 && (band.1 - written.hi).abs() < 1e-9;
    if of_written || (point >= band.0 - 1e-12 && point <= band.1 + 1e-12) {
        crate::vocab::Verdict::Consistent
    } else if p95 >= band.0 && p05 <= band.1 {
        crate::vocab::Verdict::Defensible
    } else if band.0 > p95 {
        crate::vocab::Verdict::Overclaim
    } else {
        crate::vocab::Verdict::Underclaim
    }
}

/// The verdict on judgment `j` of the case.
pub fn judgment_verdict(case: &Case, a: &Assessment, j: usize) -> crate::vocab::Verdict {
    let judgment = &case.judgments[j];
    let r = a.result(judgment.proposition);
    let t = &case.yardstick.terms[judgment.term_idx];
    band_verdict(&case.yardstick, (t.lo, t.hi), r.point, r.p05, r.p95)
}

fn expectations(case: &Case, a: &Assessment) -> Vec<ExpectationResult> {
    let y = &case.yardstick;
    case.expectations
        .iter()
        .map(|e| {
            let (value, name) = match e.subject {
                ExpectSubject::Hypothesis(h) => (
                    Some(a.hypotheses[h.idx()].point),
                    case.hypotheses[h.idx()].id.clone(),
                ),
                ExpectSubject::Group(g) => (
                    Some(a.groups[g.idx()].point),
                    case.groups[g.idx()].id.clone(),
                ),
                ExpectSubject::Assumption(j) => (
                    Some(a.assumptions[j.idx()].posterior),
                    case.assumptions[j.idx()].id.clone(),
                ),
                ExpectSubject::Confidence => (None, "confidence".to_string()),
                ExpectSubject::Judgment(j) => (None, case.judgments[j].id.clone()),
            };
            let pct = |p: f64| {
                format!(
                    "{}%",
                    crate::format::format_percent((p * 1000.0).round() / 1000.0)
                )
            };
            let (met, actual) = match (&e.check, value) {
                (ExpectCheck::IsTerm(t), Some(p)) => {
                    (written(y, p) == *t, format!("{name} is {}", stated(y, p)))
                }
                (ExpectCheck::Within(lo, hi), Some(p)) => {
                    (p >= *lo && p <= *hi, format!("{name} is {}", pct(p)))
                }
                (ExpectCheck::AtLeast(x), Some(p)) => (
                    p >= *x,
                    format!("{name} is {} ({})", place(y, p).words, pct(p)),
                ),
                (ExpectCheck::AtMost(x), Some(p)) => (
                    p <= *x,
                    format!("{name} is {} ({})", place(y, p).words, pct(p)),
                ),
                (ExpectCheck::TermAtLeast(t), Some(p)) => {
                    (written(y, p) >= *t, format!("{name} is {}", stated(y, p)))
                }
                (ExpectCheck::TermAtMost(t), Some(p)) => {
                    (written(y, p) <= *t, format!("{name} is {}", stated(y, p)))
                }
                (ExpectCheck::TermAbove(t), Some(p)) => {
                    (written(y, p) > *t, format!("{name} is {}", stated(y, p)))
                }
                (ExpectCheck::TermBelow(t), Some(p)) => {
                    (written(y, p) < *t, format!("{name} is {}", stated(y, p)))
                }
                (ExpectCheck::Above(x), Some(p)) => (p > *x, format!("{name} is {}", pct(p))),
                (ExpectCheck::Below(x), Some(p)) => (p < *x, format!("{name} is {}", pct(p))),
                (ExpectCheck::Leads, _) => {
                    let (lead, point) = match e.subject {
                        // a group leads its level: the partition at its depth
                        ExpectSubject::Group(g) => {
                            let level = case.level(case.groups[g.idx()].depth);
                            let values: Vec<f64> =
                                level.iter().map(|p| a.result(*p).point).collect();
                            let best = argmax(&values);
                            (case.proposition_id(level[best]).to_string(), values[best])
                        }
                        _ => {
                            let lead = &a.hypotheses[a.leading];
                            (lead.id.clone(), lead.point)
                        }
                    };
                    (lead == name, format!("{lead} leads ({})", pct(point)))
                }
                (ExpectCheck::ConfidenceIs(l), _) => (
                    a.confidence.level == *l,
                    format!("confidence is {}", a.confidence.level.word()),
                ),
                (ExpectCheck::ConfidenceAtLeast(l), _) => (
                    a.confidence.level >= *l,
                    format!("confidence is {}", a.confidence.level.word()),
                ),
                (ExpectCheck::ConfidenceAtMost(l), _) => (
                    a.confidence.level <= *l,
                    format!("confidence is {}", a.confidence.level.word()),
                ),
                (ExpectCheck::Verdict(want), _) => match e.subject {
                    ExpectSubject::Judgment(j) => {
                        let v = judgment_verdict(case, a, j);
                        (want.matches(v), format!("judgment {name} is {}", v))
                    }
                    _ => (false, "not comparable".to_string()),
                },
                (_, None) => (false, "not comparable".to_string()),
            };
            ExpectationResult {
                text: e.text.clone(),
                met,
                actual,
            }
        })
        .collect()
}
