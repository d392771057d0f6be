//! Stage 3b: explanations a reviewer can audit (semantics section 8): the weight of
//! evidence as a waterfall, sensitivity and linchpins, flip thresholds, the ACH
//! view, value of information for pending items, and a narrative.
//!
//! Invariant: every number here is recomputed by the engine in [`crate::infer`];
//! nothing is estimated a second way. Nothing here formats output except the
//! narrative, which is words generated from the numbers.

use crate::format::format_percent;
use crate::infer::incremental::Incremental;
use crate::infer::joint::{Structure, graded_likelihoods, hypothesis_priors, log_sum};
pub use crate::infer::words::label_as_subject;
use crate::infer::words::{self, Placement, place, written};
use crate::infer::{
    Assessment, InferError, LeaveOneOut, forced_assumptions, log_odds_against_rest,
};
use crate::lexicon;
use crate::model::*;
use crate::vocab::Status;
use petgraph::graph::DiGraph;
use serde::Serialize;

/// One step of the waterfall.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Contribution {
    /// The item.
    pub item: String,
    /// The item's leave-one-out ratio as a change in natural-log odds of the hypothesis
    /// against the rest (the odds with every item over the odds without this one); `None`
    /// when infinite.
    pub log_odds: Option<f64>,
    /// The same in decibans (10 log10 of the likelihood ratio).
    pub decibans: Option<f64>,
    /// ENFSI words for the likelihood ratio.
    pub words: String,
    /// Items this one was conditioned on (its contribution is conditional on them).
    pub given: Vec<String>,
    /// The item's grade (`B2`, `ungraded`).
    pub grade: String,
}

/// The waterfall for one hypothesis.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Waterfall {
    /// Hypothesis id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Natural-log prior odds against the rest.
    pub prior_log_odds: Option<f64>,
    /// Natural-log posterior odds against the rest.
    pub posterior_log_odds: Option<f64>,
    /// Each counted item's leave-one-out ratio, in the evidence graph's topological order.
    pub contributions: Vec<Contribution>,
    /// What no single item carries: posterior minus prior minus the steps, in natural-log
    /// odds (items that explain the same thing, dependencies, several alternatives); null
    /// when a step or an end is infinite.
    pub shared_log_odds: Option<f64>,
}

/// One item's effect on the focus hypothesis, as every renderer states it: the sign says
/// whether it supports the judgment, the size is the leave-one-out change.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ItemEffect {
    /// The item.
    pub item: String,
    /// The hypothesis (the focus).
    pub hypothesis: String,
    /// Whether removing it lowers the hypothesis's posterior (it supports the judgment).
    pub supports: bool,
    /// The change in the hypothesis's log-odds against the rest that the item makes
    /// (with it minus without it); null when removing it makes the evidence impossible.
    pub log_odds: Option<f64>,
    /// The same in decibans.
    pub decibans: Option<f64>,
    /// The term with every item.
    pub term_with: String,
    /// The term without this item.
    pub term_without: String,
    /// The hypothesis's posterior without it (null when the evidence is then impossible).
    pub posterior_without: Option<f64>,
    /// Whether the written term changes without it.
    pub changes_term: bool,
}

/// Each item's effect on hypothesis `h` (whose posterior is `point`): the direction and the
/// term without it from the leave-one-out what-ifs, the size from the same leave-one-out
/// ratio the waterfall, the ACH matrix and the confidence rules use.
pub fn item_effects(
    case: &Case,
    h: usize,
    point: f64,
    sensitivity: &[WhatIf],
    loo: &LeaveOneOut,
) -> Vec<ItemEffect> {
    let y = &case.yardstick;
    let with = place(y, point).words;
    // the item what-ifs come in the order of `loo.without` (sensitivity reads them from it)
    sensitivity
        .iter()
        .filter(|w| w.kind == WhatIfKind::ItemRemoved)
        .enumerate()
        .filter_map(|(i, w)| {
            let item = w.subject.clone()?;
            let without = w.posterior;
            let log_odds = loo.log_ratio(i, h);
            Some(ItemEffect {
                item,
                hypothesis: case.hypotheses[h].id.clone(),
                supports: without.is_none_or(|p| p < point),
                log_odds,
                decibans: log_odds.map(to_decibans),
                term_with: with.clone(),
                term_without: w.words.clone(),
                posterior_without: without,
                changes_term: w.flips,
            })
        })
        .collect()
}

/// What a what-if changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WhatIfKind {
    /// One item left out.
    ItemRemoved,
    /// An assumption forced true.
    AssumptionTrue,
    /// An assumption forced false.
    AssumptionFalse,
    /// A banded value at the low edge of its band.
    TermLow,
    /// A banded value at the high edge of its band.
    TermHigh,
    /// A source graded one letter better.
    SourceUp,
    /// A source graded one letter worse.
    SourceDown,
}

impl WhatIfKind {
    /// Whether it changes what the case contains or assumes (an item, an assumption),
    /// rather than one value: these make linchpins.
    pub fn is_structural(self) -> bool {
        matches!(
            self,
            WhatIfKind::ItemRemoved | WhatIfKind::AssumptionTrue | WhatIfKind::AssumptionFalse
        )
    }
}

/// Which way a flip threshold moves the term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// One band down.
    Down,
    /// One band up.
    Up,
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Direction::Down => "down",
            Direction::Up => "up",
        })
    }
}

/// A single change that moves the focus hypothesis's term: a structural what-if (an item
/// left out, an assumption forced) whose term differs from the assessed one.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Linchpin {
    /// What was changed (`without tracking_links`, `assume false_flag is true`).
    pub change: String,
    /// What kind of change.
    pub kind: WhatIfKind,
    /// The item removed, or the assumption forced, by id.
    pub subject: Option<String>,
    /// The focus hypothesis's posterior after the change.
    pub posterior: f64,
    /// Its term after the change.
    pub term: String,
    /// Which way the posterior moves: `down` when the change lowers it.
    pub direction: Direction,
}

impl Linchpin {
    /// The sentence every renderer prints: the direction word comes from the sign.
    pub fn sentence(&self, focus: &str, y: &crate::lexicon::Yardstick) -> String {
        let moves = match self.direction {
            Direction::Down => "falls",
            Direction::Up => "rises",
        };
        format!(
            "{}: {focus} {moves} to {} ({})",
            self.change,
            self.term,
            crate::infer::words::pct(y, self.posterior)
        )
    }
}

/// A what-if: the focus hypothesis's posterior and term under a change.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WhatIf {
    /// What was changed.
    pub change: String,
    /// What kind of change.
    pub kind: WhatIfKind,
    /// The item removed, or the assumption forced, by id.
    pub subject: Option<String>,
    /// Posterior of the focus hypothesis.
    pub posterior: Option<f64>,
    /// Words for it.
    pub words: String,
    /// Whether the term differs from the assessed one.
    pub flips: bool,
}

/// The weakest new item that moves the focus hypothesis one band.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FlipThreshold {
    /// Which way.
    pub direction: Direction,
    /// The band it would move into.
    pub target: String,
    /// Likelihood ratio of the new item for the hypothesis against the rest.
    pub likelihood_ratio: f64,
    /// The same in decibans.
    pub decibans: f64,
    /// ENFSI words.
    pub words: String,
    /// The posterior with that item added, re-run through the engine.
    pub posterior_with_item: f64,
    /// Words for it.
    pub verdict_with_item: String,
}

/// One row of the ACH matrix.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AchRow {
    /// Item.
    pub item: String,
    /// Per hypothesis: `CC`, `C`, `N`, `I`, `II`.
    pub cells: Vec<String>,
    /// Per hypothesis: the item's leave-one-out ratio against the rest (graded,
    /// dependencies and assumptions applied); null when infinite.
    pub ratios: Vec<Option<f64>>,
    /// Diagnosticity: 10 log10 of the largest over the smallest likelihood, in decibans.
    pub diagnosticity: f64,
}

/// The ACH view.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Ach {
    /// Hypothesis ids, in column order.
    pub hypotheses: Vec<String>,
    /// Rows, one per counted item.
    pub rows: Vec<AchRow>,
    /// Heuer's weighted inconsistency score per hypothesis (I = 1, II = 2).
    pub inconsistency: Vec<f64>,
    /// Rank by inconsistency (1 = fewest), per hypothesis.
    pub ach_rank: Vec<usize>,
    /// Rank by posterior (1 = highest), per hypothesis.
    pub bayes_rank: Vec<usize>,
}

/// Value of information of a pending item.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Voi {
    /// Item.
    pub item: String,
    /// Probability it is observed, given the evidence so far.
    pub p_observed: f64,
    /// Posterior of the focus hypothesis if it is observed.
    pub posterior_if_observed: f64,
    /// Posterior if it is looked for and not found.
    pub posterior_if_absent: f64,
    /// Expected posterior after collecting it (equals the current one: no free lunch).
    pub expected_posterior: f64,
    /// Probability that collecting it changes the term.
    pub p_term_changes: f64,
    /// Words for each outcome.
    pub verdict_if_observed: String,
    /// Words if absent.
    pub verdict_if_absent: String,
}

/// Everything `acre explain` reports.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Explanation {
    /// The hypothesis explained (the leading one unless chosen).
    pub focus: String,
    /// Its point posterior.
    pub focus_posterior: f64,
    /// Its words.
    pub focus_words: String,
    /// Waterfalls for every hypothesis.
    pub hypotheses: Vec<Waterfall>,
    /// Sensitivity of the focus hypothesis.
    pub sensitivity: Vec<WhatIf>,
    /// Items or assumptions whose change flips the focus hypothesis's term.
    pub linchpins: Vec<Linchpin>,
    /// Weakest new items that move the term one band down and up.
    pub flip_thresholds: Vec<FlipThreshold>,
    /// ACH view.
    pub ach: Ach,
    /// Pending items ranked by the probability they change the term.
    pub value_of_information: Vec<Voi>,
    /// Each item's effect on the focus hypothesis (direction, size, term without it).
    pub effects: Vec<ItemEffect>,
    /// A paragraph a reviewer could paste.
    pub narrative: String,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Items in the dependency graph's topological order (source order among equals).
pub fn topological_items(case: &Case) -> Vec<ItemId> {
    let mut graph: DiGraph<ItemId, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..case.items.len())
        .map(|i| graph.add_node(ItemId(i as u32)))
        .collect();
    for (i, e) in case.items.iter().enumerate() {
        for d in &e.depends_on {
            graph.add_edge(nodes[d.idx()], nodes[i], ());
        }
    }
    // Kahn's algorithm, taking the earliest ready item each time, so the order is stable
    let mut indegree: Vec<usize> = nodes
        .iter()
        .map(|n| {
            graph
                .neighbors_directed(*n, petgraph::Direction::Incoming)
                .count()
        })
        .collect();
    let mut ready: std::collections::BTreeSet<usize> =
        (0..nodes.len()).filter(|i| indegree[*i] == 0).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        order.push(ItemId(i as u32));
        for next in graph.neighbors_directed(nodes[i], petgraph::Direction::Outgoing) {
            let j = next.index();
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.insert(j);
            }
        }
    }
    order
}

fn grade_text(case: &Case, item: ItemId) -> String {
    case.items[item.idx()].grade_text(case)
}

/// The waterfalls of every hypothesis: each counted item's leave-one-out ratio (the one
/// ratio every output uses, [`LeaveOneOut`]), in the evidence graph's topological order,
/// and what no single item carries (`shared`), so that prior, steps and shared part add up
/// exactly to the posterior.
pub fn waterfalls(case: &Case, loo: &LeaveOneOut) -> Result<Vec<Waterfall>, InferError> {
    let k = case.hypotheses.len();
    if !log_sum(&loo.full).is_finite() {
        return Err(InferError::ImpossibleEvidence);
    }
    let order: Vec<(ItemId, usize)> = topological_items(case)
        .into_iter()
        .filter_map(|id| loo.index(id).map(|i| (id, i)))
        .collect();
    let priors = hypothesis_priors(case, &case.point_values());
    let log_priors: Vec<f64> = priors
        .iter()
        .map(|p| if *p > 0.0 { p.ln() } else { f64::NEG_INFINITY })
        .collect();
    let scale = enfsi();
    let mut out = Vec::with_capacity(k);
    for (h, hyp) in case.hypotheses.iter().enumerate() {
        let prior = log_odds_against_rest(&log_priors, h);
        let posterior = log_odds_against_rest(&loo.full, h);
        let contributions: Vec<Contribution> = order
            .iter()
            .map(|(item, i)| {
                let e = &case.items[item.idx()];
                let delta = loo.log_ratio(*i, h);
                let words = match delta {
                    Some(d) => scale.describe(d.exp(), &hyp.id, "the alternatives"),
                    None if posterior == f64::INFINITY => {
                        format!("conclusive support for {}", hyp.id)
                    }
                    None => format!("rules {} out", hyp.id),
                };
                Contribution {
                    item: e.id.clone(),
                    log_odds: delta,
                    decibans: delta.map(to_decibans),
                    words,
                    given: e
                        .depends_on
                        .iter()
                        .map(|d| case.items[d.idx()].id.clone())
                        .collect(),
                    grade: grade_text(case, *item),
                }
            })
            .collect();
        let shared = (prior.is_finite() && posterior.is_finite())
            .then(|| {
                let steps: Option<f64> = contributions.iter().map(|c| c.log_odds).sum();
                steps.map(|s| posterior - prior - s)
            })
            .flatten();
        out.push(Waterfall {
            id: hyp.id.clone(),
            label: hyp.label.clone(),
            prior_log_odds: finite(prior),
            posterior_log_odds: finite(posterior),
            contributions,
            shared_log_odds: shared,
        });
    }
    Ok(out)
}

/// Natural-log odds in decibans (10 log10 of the likelihood ratio).
pub fn to_decibans(log_odds: f64) -> f64 {
    log_odds * 10.0 / std::f64::consts::LN_10
}

fn enfsi() -> lexicon::RatioScale {
    lexicon::enfsi()
}

fn words_of(case: &Case, p: Option<f64>) -> String {
    p.map_or_else(
        || "impossible evidence".to_string(),
        |p| place(&case.yardstick, p).words,
    )
}

/// Sensitivity of hypothesis `h`: every what-if the semantics names.
pub fn sensitivity(
    case: &Case,
    h: usize,
    base: &Placement,
    loo: &LeaveOneOut,
) -> Result<Vec<WhatIf>, InferError> {
    let y = &case.yardstick;
    let mut out = Vec::new();
    let mut push = |change: String, kind: WhatIfKind, subject: Option<&str>, p: Option<f64>| {
        let words = words_of(case, p);
        let flips = p.is_some_and(|p| written(y, p) != base.written);
        out.push(WhatIf {
            change,
            kind,
            subject: subject.map(str::to_string),
            posterior: p,
            words,
            flips,
        });
    };
    for (id, without) in loo.posteriors() {
        push(
            format!("without {}", case.items[id.idx()].id),
            WhatIfKind::ItemRemoved,
            Some(&case.items[id.idx()].id),
            without.map(|p| p[h]),
        );
    }
    let forced_all = if case.assumptions.is_empty() {
        Vec::new()
    } else {
        forced_assumptions(case).unwrap_or_default()
    };
    for (j, a) in case.assumptions.iter().enumerate() {
        for value in [true, false] {
            let p = forced_all
                .get(j)
                .and_then(|both| both[usize::from(!value)].as_ref())
                .map(|p| p[h]);
            push(
                format!("{} forced {}", a.id, if value { "true" } else { "false" }),
                if value {
                    WhatIfKind::AssumptionTrue
                } else {
                    WhatIfKind::AssumptionFalse
                },
                Some(&a.id),
                p,
            );
        }
    }
    let all = Structure::new(case, &|_| true);
    // each input at an edge of its band, the others at their points: the joint kept up to
    // date one input at a time (a chain of thousands of items is not summed again per input)
    let mut inc = Incremental::new(case, &all, &case.point_values());
    for (i, param) in case.params.iter().enumerate() {
        if !param.value.is_banded() {
            continue;
        }
        let what = describe_param(case, i);
        for (edge, kind, label) in [
            (param.value.lo, WhatIfKind::TermLow, "low"),
            (param.value.hi, WhatIfKind::TermHigh, "high"),
        ] {
            let p = inc.posterior_with(i, edge).map(|p| p[h]);
            push(
                format!("{what} at its {label} edge ({})", pct_or_ratio(param, edge)),
                kind,
                None,
                p,
            );
        }
    }
    // a source's grade moves only the items reported through it (it, or a source echoing
    // it); for the rest the answer is the case's own posterior
    let mut carries = vec![false; case.sources.len()];
    for item in &case.items {
        let mut s = Some(item.source);
        while let Some(id) = s.filter(|id| !carries[id.idx()]) {
            carries[id.idx()] = true;
            s = case.sources[id.idx()].echoes;
        }
    }
    let as_is = crate::infer::point_posterior(case, &|_| true)
        .ok()
        .map(|(p, _)| p[h]);
    let mut changed = case.clone();
    for (s, source) in case.sources.iter().enumerate() {
        let Some((letter, _)) = source.reliability else {
            continue;
        };
        if letter == 'F' {
            continue;
        }
        for (step, kind) in [(-1i32, WhatIfKind::SourceUp), (1, WhatIfKind::SourceDown)] {
            let next = (letter as u8 as i32 + step) as u8 as char;
            if !('A'..='E').contains(&next) {
                continue;
            }
            let Some(r) = case.grading.reliability_of(next) else {
                continue;
            };
            let p = if carries[s] {
                changed.sources[s].reliability = Some((next, r));
                let p = crate::infer::point_posterior(&changed, &|_| true)
                    .ok()
                    .map(|(p, _)| p[h]);
                changed.sources[s].reliability = source.reliability;
                p
            } else {
                as_is
            };
            push(
                format!("source {} graded {next} instead of {letter}", source.id),
                kind,
                Some(&source.id),
                p,
            );
        }
    }
    Ok(out)
}

fn pct_or_ratio(param: &Param, x: f64) -> String {
    match param.role {
        ParamRole::Ratio(_) => format!("LR {}", crate::format::trim_float(x)),
        _ => format!("{}%", format_percent(x)),
    }
}

/// Where a parameter is used, for people: "tracking_links | apt31: highly likely (80-90%)".
pub fn describe_param(case: &Case, idx: usize) -> String {
    let p = &case.params[idx];
    let k = case.hypotheses.len();
    let users = |entries: &[Entry]| -> String {
        let mut hs: Vec<&str> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| **e == Entry::Param(ParamId(idx as u32)))
            .map(|(i, _)| case.hypotheses[i % k].id.as_str())
            .collect();
        hs.dedup();
        hs.join(", ")
    };
    match p.role {
        ParamRole::Prior(h) => format!(
            "prior of {}: {}",
            case.hypotheses[h.idx()].id,
            p.value.describe()
        ),
        ParamRole::AssumptionPrior(a) => format!(
            "prior of {}: {}",
            case.assumptions[a.idx()].id,
            p.value.describe()
        ),
        ParamRole::Likelihood(e) | ParamRole::Ratio(e) => {
            let item = &case.items[e.idx()];
            format!(
                "{} | {}: {}",
                item.id,
                users(&item.likelihood.entries),
                p.value.describe()
            )
        }
    }
}

/// A copy of `case` with one more ungraded observed item whose likelihood ratio for
/// `h` against every other hypothesis is `lr`.
pub fn with_new_item(case: &Case, h: usize, lr: f64) -> Case {
    let mut c = case.clone();
    let k = c.hypotheses.len();
    let pid = ParamId(c.params.len() as u32);
    let item = ItemId(c.items.len() as u32);
    c.params.push(Param {
        value: Value::exact(lr, Origin::Number, Default::default()),
        role: ParamRole::Ratio(item),
    });
    let sid = SourceId(c.sources.len() as u32);
    c.sources.push(Source {
        id: "new".into(),
        label: "a new item".into(),
        reliability: None,
        echoes: None,
        root: sid,
        declared: false,
        cite: None,
        url: None,
        span: Default::default(),
    });
    let mut entries = vec![Entry::One; k];
    entries[h] = Entry::Param(pid);
    c.items.push(Item {
        id: "new_item".into(),
        description: String::new(),
        source: sid,
        credibility_grade: None,
        credibility: 1.0,
        status: Status::Observed,
        depends_on: Vec::new(),
        likelihood: Likelihood {
            conds: Vec::new(),
            entries,
            ratio: true,
        },
        cite: None,
        url: None,
        reported: None,
        span: Default::default(),
    });
    c
}

fn posterior_with_new_item(case: &Case, h: usize, lr: f64) -> Option<f64> {
    crate::infer::point_posterior(&with_new_item(case, h, lr), &|_| true)
        .ok()
        .map(|(p, _)| p[h])
}

/// The weakest new item that moves the written term of `h` one term down and one term up
/// (semantics section 7: to the next written term, never to the one it already has), found
/// by bisection on the log likelihood ratio and checked by re-running the engine.
pub fn flip_thresholds(case: &Case, h: usize, point: f64) -> Vec<FlipThreshold> {
    let y = &case.yardstick;
    let now = written(y, point);
    let n = y.terms.len();
    let below = now.checked_sub(1);
    let above = (now + 1 < n).then_some(now + 1);
    let mut out = Vec::new();
    for (direction, target) in [(Direction::Down, below), (Direction::Up, above)] {
        let Some(target) = target else { continue };
        // reached when the written term of the posterior is the target (or beyond it)
        // (and so is the posterior as shown, to one decimal, so that the figure printed
        // beside it reads as the target too)
        let reached = |p: f64| {
            let shown = (p * 1000.0).round() / 1000.0;
            if direction == Direction::Down {
                written(y, p) <= target && written(y, shown) <= target
            } else {
                written(y, p) >= target && written(y, shown) >= target
            }
        };
        let (mut lo, mut hi) = if direction == Direction::Down {
            (-60.0f64, 0.0f64)
        } else {
            (0.0f64, 60.0f64)
        };
        let at = |x: f64| posterior_with_new_item(case, h, x.exp());
        // the end that reaches the band must reach it, or there is no such item
        let far = if direction == Direction::Down { lo } else { hi };
        if !at(far).is_some_and(reached) {
            continue;
        }
        for _ in 0..200 {
            let mid = (lo + hi) / 2.0;
            let ok = at(mid).is_some_and(reached);
            // keep `far side` reaching, `near side` not
            match (direction, ok) {
                (Direction::Down, true) => lo = mid,
                (Direction::Down, false) => hi = mid,
                (_, true) => hi = mid,
                (_, false) => lo = mid,
            }
            if (hi - lo).abs() < 1e-13 {
                break;
            }
        }
        let x = if direction == Direction::Down { lo } else { hi };
        let lr = x.exp();
        let Some(p) = at(x) else { continue };
        out.push(FlipThreshold {
            direction,
            target: y.term_with_band(target),
            likelihood_ratio: lr,
            decibans: x * 10.0 / std::f64::consts::LN_10,
            words: enfsi().describe(lr, &case.hypotheses[h].id, "the alternatives"),
            posterior_with_item: p,
            verdict_with_item: place(y, p).words,
        });
    }
    out
}

/// The ACH matrix. Each cell is the item's leave-one-out ratio for the column's hypothesis
/// against the rest (the one ratio of every output, [`LeaveOneOut`]): at least 10 is `CC`,
/// at least 2 `C`, at most 1/2 `I`, at most 1/10 `II`, otherwise `N`.
pub fn ach(case: &Case, posterior: &[f64], loo: &LeaveOneOut) -> Ach {
    let k = case.hypotheses.len();
    let values = case.point_values();
    let priors = hypothesis_priors(case, &values);
    let mut rows = Vec::new();
    let mut inconsistency = vec![0.0; k];
    for (i, (item, _)) in loo.without.iter().enumerate() {
        let e = &case.items[item.idx()];
        let l = graded_likelihoods(case, *item, &priors, &values);
        let ratios: Vec<Option<f64>> = (0..k).map(|h| loo.log_ratio(i, h).map(f64::exp)).collect();
        let cells: Vec<String> = ratios
            .iter()
            .enumerate()
            .map(|(h, r)| {
                // an infinite ratio: the item alone rules the hypothesis in or out
                let r = r.unwrap_or(if posterior[h] > 0.0 {
                    f64::INFINITY
                } else {
                    0.0
                });
                let (cell, score) = if r >= 10.0 {
                    ("CC", 0.0)
                } else if r >= 2.0 {
                    ("C", 0.0)
                } else if r <= 0.1 {
                    ("II", 2.0)
                } else if r <= 0.5 {
                    ("I", 1.0)
                } else {
                    ("N", 0.0)
                };
                inconsistency[h] += score;
                cell.to_string()
            })
            .collect();
        let max = l.iter().copied().fold(0.0, f64::max);
        let min = l.iter().copied().fold(f64::INFINITY, f64::min);
        let diagnosticity = if min > 0.0 {
            10.0 * (max / min).log10()
        } else {
            f64::INFINITY
        };
        rows.push(AchRow {
            item: e.id.clone(),
            cells,
            ratios,
            diagnosticity,
        });
    }
    let rank = |key: &dyn Fn(usize) -> f64| -> Vec<usize> {
        (0..k)
            .map(|h| 1 + (0..k).filter(|g| key(*g) < key(h)).count())
            .collect()
    };
    Ach {
        hypotheses: case.hypotheses.iter().map(|h| h.id.clone()).collect(),
        ach_rank: rank(&|h| inconsistency[h]),
        bayes_rank: rank(&|h| -posterior[h]),
        inconsistency,
        rows,
    }
}

/// Value of information of each pending item for hypothesis `h`, ranked.
pub fn value_of_information(case: &Case, h: usize, point: f64) -> Vec<Voi> {
    let y = &case.yardstick;
    let base = place(y, point);
    let mut out = Vec::new();
    for (i, e) in case.items.iter().enumerate() {
        if e.status != Status::Pending || e.likelihood.ratio {
            continue;
        }
        let run = |status: Status| {
            let mut c = case.clone();
            c.items[i].status = status;
            crate::infer::point_posterior(&c, &|_| true)
                .ok()
                .map(|(p, j)| (p[h], j.log_evidence()))
        };
        let (Some((p_obs, ev_obs)), Some((p_abs, ev_abs))) =
            (run(Status::Observed), run(Status::Absent))
        else {
            continue;
        };
        // P(observed | E) = P(E, e) / (P(E, e) + P(E, not e))
        let p_observed = 1.0 / (1.0 + (ev_abs - ev_obs).exp());
        let v_obs = place(y, p_obs);
        let v_abs = place(y, p_abs);
        let p_term_changes = if v_obs.written != base.written {
            p_observed
        } else {
            0.0
        } + if v_abs.written != base.written {
            1.0 - p_observed
        } else {
            0.0
        };
        out.push(Voi {
            item: e.id.clone(),
            p_observed,
            posterior_if_observed: p_obs,
            posterior_if_absent: p_abs,
            expected_posterior: p_observed * p_obs + (1.0 - p_observed) * p_abs,
            p_term_changes,
            verdict_if_observed: v_obs.words,
            verdict_if_absent: v_abs.words,
        });
    }
    out.sort_by(|a, b| {
        b.p_term_changes.total_cmp(&a.p_term_changes).then(
            (b.posterior_if_observed - b.posterior_if_absent)
                .abs()
                .total_cmp(&(a.posterior_if_observed - a.posterior_if_absent).abs()),
        )
    });
    out
}

/// "it is almost certain" / "there is a realistic possibility".
fn judgment_phrase(term: &str) -> String {
    if term.ends_with("chance") || term.ends_with("possibility") || term.ends_with("odds") {
        format!("there is a {term}")
    } else {
        format!("it is {term}")
    }
}

/// The predicate of a "Who ...?" question: "conducted the reconnaissance".
fn predicate(question: Option<&str>) -> Option<String> {
    let q = question?.trim().trim_end_matches('?').trim();
    let lower = q.to_lowercase();
    for prefix in [
        "who ",
        "which actor ",
        "which group ",
        "which state ",
        "what actor ",
    ] {
        if lower.starts_with(prefix) {
            return Some(q[prefix.len()..].to_string());
        }
    }
    None
}

/// The first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The most words a narrative sentence has: short enough to paste into a report.
pub const SENTENCE_WORDS: usize = 35;

/// An item as running text names it: its description in quotation marks, then its id and
/// `more` in parentheses. `rest` is the number of words the sentence has besides the
/// description: a description that would carry the sentence past [`SENTENCE_WORDS`] is cut
/// to fit, with "…".
fn item_words(case: &Case, id: &str, more: &str, rest: usize) -> String {
    match case.items.iter().find(|e| e.id == id) {
        Some(e) if !e.description.trim().is_empty() => {
            let words: Vec<&str> = e.description.split_whitespace().collect();
            let room = SENTENCE_WORDS.saturating_sub(rest).max(4);
            let quoted = if words.len() > room {
                format!(
                    "{}\u{2026}",
                    words[..room].join(" ").trim_end_matches([',', ';', ':'])
                )
            } else {
                words.join(" ")
            };
            format!("\u{201c}{quoted}\u{201d} ({id}{more})")
        }
        _ => format!("{id} ({})", more.trim_start_matches(", ")),
    }
}

/// A count in words for running text: "two", ..., "ten", then digits.
fn count_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// The sentence on why confidence has its level, from the rule that set it.
fn confidence_sentence(
    confidence: &crate::infer::Confidence,
    effects: &[ItemEffect],
    label: &str,
) -> Vec<String> {
    use crate::infer::ConfidenceRule;
    let level = confidence.level.word();
    let binding: Vec<&crate::infer::ConfidenceCheck> = confidence.binding().collect();
    if binding.is_empty() {
        return vec![format!(
            "Confidence is {level}: every rule of the confidence table is met."
        )];
    }
    binding
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let why = match c.rule {
                ConfidenceRule::SingleItem => {
                    let n = effects.iter().filter(|e| e.changes_term).count();
                    if n == 1 {
                        "removing one item would change the written term".to_string()
                    } else {
                        format!(
                            "removing any one of {} items would change the written term",
                            count_words(n)
                        )
                    }
                }
                ConfidenceRule::Assumption => {
                    "forcing an assumption true or false would change the written term".to_string()
                }
                // the hypothesis is the paragraph's subject: "this hypothesis" keeps the
                // sentence short
                _ => c.reason.replace(label, "this hypothesis"),
            };
            if i == 0 {
                format!("Confidence is {level} because {why}.")
            } else {
                format!("It is also held at {level} because {why}.")
            }
        })
        .collect()
}

/// "We assess it is likely (55-75%; computed 66.7%) that WHO WHAT.", or in a gap the chance
/// in words and the nearer term.
fn judgment_sentences(
    y: &crate::lexicon::Yardstick,
    r: &crate::infer::HypothesisResult,
    who: &str,
    what: &str,
) -> Vec<String> {
    match r.placement.band {
        Some(t) => {
            let term = &y.terms[t];
            vec![format!(
                "We assess {} ({}; computed {}) that {who} {what}.",
                judgment_phrase(&term.name),
                crate::format::format_band(term.lo, term.hi),
                words::pct(y, r.point)
            )]
        }
        None => vec![
            format!(
                "We assess that the chance that {who} {what} is {} ({}).",
                r.placement.words,
                words::pct(y, r.point)
            ),
            format!(
                "{} has no term there; acre suggests the nearer term, {}.",
                y.display_name(),
                y.term_with_band(r.placement.written)
            ),
        ],
    }
}

/// The narrative, generated from the numbers, in sentences an analyst can paste: each of
/// at most 35 words, the hypothesis named by its label (ids only in parentheses), every
/// reason computed for hypothesis `h`, the hypothesis asked about. Every direction word
/// comes from a sign: an item "supports" the judgment when removing it lowers `h`'s
/// posterior (the assessment then "falls"), and "counts against" it when removing it
/// raises the posterior (the assessment "rises"). The reasons given for the confidence
/// level are the rules that set it.
pub fn narrative(
    case: &Case,
    a: &Assessment,
    h: usize,
    confidence: &crate::infer::Confidence,
    effects: &[ItemEffect],
    waterfall: &Waterfall,
) -> String {
    let y = &case.yardstick;
    let r = &a.hypotheses[h];
    let who = label_as_subject(&case.hypotheses[h].label);
    let what = predicate(case.question.as_deref()).unwrap_or_else(|| "is responsible".to_string());
    let mut out: Vec<String> = judgment_sentences(y, r, &who, &what);
    if let Some(note) = words::interval_note(y, r.p05, r.p95) {
        out.push(format!("{}.", capitalised(&note)));
    }
    // the groups that hold it, from the smallest out: the same question at each level
    let mut at = crate::model::Proposition::Hypothesis(crate::model::HypothesisId(h as u32));
    while let Some(g) = case.parent(at) {
        at = crate::model::Proposition::Group(g);
        let group = &a.groups[g.idx()];
        let mut said = judgment_sentences(y, group, &label_as_subject(&group.label), &what);
        said.truncate(1);
        out.extend(said);
    }
    out.extend(confidence_sentence(
        confidence,
        effects,
        &label_as_subject(&case.hypotheses[h].label),
    ));
    let grade_of = |item: &str| {
        waterfall
            .contributions
            .iter()
            .find(|c| c.item == item)
            .map_or(String::new(), |c| c.grade.clone())
    };
    let flips: Vec<&ItemEffect> = effects.iter().filter(|e| e.changes_term).collect();
    const NAMED: usize = 3;
    for e in flips.iter().take(NAMED) {
        let (side, moves) = if e.supports {
            ("supports", "falls")
        } else {
            ("counts against", "rises")
        };
        let to = e
            .posterior_without
            .map_or_else(|| e.term_without.clone(), |p| words::written_words(y, p));
        let more = format!(", graded {}", grade_of(&e.item));
        let tail = format!("{side} this hypothesis: without it, the assessment {moves} to {to}.");
        // the id and grade, and the rest of the sentence
        let rest = 1 + more.split_whitespace().count() + tail.split_whitespace().count();
        out.push(format!(
            "{} {tail}",
            capitalised(&item_words(case, &e.item, &more, rest)),
        ));
    }
    match flips.len().saturating_sub(NAMED) {
        0 => {}
        1 => out.push("One more item would also change the written term on its own.".to_string()),
        n => out.push(format!(
            "{} more items would each change the written term on their own.",
            capitalised(&count_words(n))
        )),
    }
    if flips.is_empty() {
        let strongest = waterfall
            .contributions
            .iter()
            .filter(|c| c.log_odds.is_some())
            .max_by(|x, y| {
                x.log_odds
                    .unwrap_or(0.0)
                    .abs()
                    .total_cmp(&y.log_odds.unwrap_or(0.0).abs())
            });
        match strongest {
            Some(c) => {
                let toward = if c.log_odds.unwrap_or(0.0) >= 0.0 {
                    "for"
                } else {
                    "against"
                };
                out.push("No single item changes the written term.".to_string());
                out.push(format!(
                    "The strongest item is {}, at {:+.1} decibans {toward} it.",
                    item_words(case, &c.item, &format!(", graded {}", c.grade), 12),
                    c.decibans.unwrap_or(0.0),
                ));
            }
            None => out.push("No item carries weight.".to_string()),
        }
    }
    for asm in &a.assumptions {
        let v = place(y, asm.posterior);
        let now = match v.band {
            Some(t) => format!(
                "{} ({})",
                judgment_phrase(&y.terms[t].name)
                    .replacen("it is ", "", 1)
                    .replacen("there is ", "", 1),
                words::pct(y, asm.posterior)
            ),
            None => words::stated(y, asm.posterior),
        };
        out.push(format!(
            "After the evidence, the assumption \u{201c}{}\u{201d} is {now}; it was {} before.",
            asm.label,
            crate::format::pct1(asm.prior)
        ));
    }
    out.join(" ")
}

/// Builds the whole explanation for hypothesis `focus` (the leading one when `None`).
pub fn explain(
    case: &Case,
    a: &Assessment,
    focus: Option<HypothesisId>,
) -> Result<Explanation, InferError> {
    let h = focus.map_or(a.leading, |f| f.idx());
    let r = &a.hypotheses[h];
    let loo = LeaveOneOut::new(case);
    let hypotheses = waterfalls(case, &loo)?;
    let sensitivity = sensitivity(case, h, &r.placement, &loo)?;
    let linchpins = sensitivity
        .iter()
        .filter(|w| w.flips && w.kind.is_structural())
        .filter_map(|w| {
            let p = w.posterior?;
            Some(Linchpin {
                change: w.change.clone(),
                kind: w.kind,
                subject: w.subject.clone(),
                posterior: p,
                term: w.words.clone(),
                direction: if p < r.point {
                    Direction::Down
                } else {
                    Direction::Up
                },
            })
        })
        .collect();
    let point: Vec<f64> = a.hypotheses.iter().map(|x| x.point).collect();
    let effects = item_effects(case, h, r.point, &sensitivity, &loo);
    let confidence = crate::infer::confidence_for(case, a, h)?;
    let narrative = narrative(case, a, h, &confidence, &effects, &hypotheses[h]);
    Ok(Explanation {
        focus: r.id.clone(),
        focus_posterior: r.point,
        focus_words: r.placement.words.clone(),
        flip_thresholds: flip_thresholds(case, h, r.point),
        ach: ach(case, &point, &loo),
        value_of_information: value_of_information(case, h, r.point),
        hypotheses,
        sensitivity,
        linchpins,
        effects,
        narrative,
    })
}
