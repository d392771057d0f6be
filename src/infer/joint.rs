//! The exact posterior, in log space (semantics sections 2-5).
//!
//! For every assumption state `a` and hypothesis `h`:
//! `P(h, a, E) = prior(h) * P(a | h) * prod over echo trees T of P(reports of T | h, a)`, with
//! `P(reports of T | h, a) = r_T * prod_e l'_e(h, a) + (1 - r_T) * prod_e q_e(a)`,
//! `l'_e = c'_e * l_e + (1 - c'_e) * q_e` and `q_e(a) = sum_g prior(g) * l_e(g, a)`.
//! Trees whose items depend on the same assumptions are summed (in log space) once
//! per local state, so the loop over the `2^m` states costs one addition per group.

use crate::model::{AssumptionId, Case, Entry, HypothesisId, ItemId, SourceId};
use crate::vocab::Status;

/// Beyond this gap in logs the smaller term of a [`log_add`] is dropped.
const LOG_NEGLIGIBLE: f64 = 50.0;

/// `ln(e^a + e^b)` without overflow, exact for infinities (the smaller term is dropped
/// when it is below `e^-50` of the larger).
pub fn log_add(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    if lo - hi < -LOG_NEGLIGIBLE {
        // e^-50 < 2e-22: below the precision of any probability acre reports
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// `ln(sum e^x)` over a slice.
pub fn log_sum(xs: &[f64]) -> f64 {
    log_sum_iter(xs.iter().copied())
}

/// [`log_sum`] over an iterator that can be walked twice (no allocation).
pub fn log_sum_iter(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let mut first_two = xs.clone();
    if let (Some(x), None) = (first_two.next(), first_two.next())
        && !x.is_nan()
    {
        // the sum below would give x + ln(e^0) = x exactly
        return x;
    }
    let max = xs.clone().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + xs.map(|x| (x - max).exp()).sum::<f64>().ln()
}

pub(crate) fn ln(x: f64) -> f64 {
    if x <= 0.0 { f64::NEG_INFINITY } else { x.ln() }
}

/// One echo tree: a root source and every item reported through it.
#[derive(Clone, Debug)]
pub struct Tree {
    /// The root source.
    pub root: SourceId,
    /// Probability the root is sound.
    pub soundness: f64,
    /// Items with their effective credibility `c'_e`.
    pub items: Vec<(ItemId, f64)>,
    /// Assumptions any of its items depends on, ascending.
    pub conds: Vec<AssumptionId>,
}

/// The structure of a case that does not change with input values: echo trees and their groups.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Echo trees holding at least one counted item.
    pub trees: Vec<Tree>,
    /// Trees grouped by the assumptions they depend on.
    pub groups: Vec<(Vec<AssumptionId>, Vec<usize>)>,
    /// Per group, each full assumption state's index among the group's local states.
    pub local_of: Vec<Vec<u32>>,
}

impl Structure {
    /// Builds the trees for the items that count (observed or absent and not excluded).
    pub fn new(case: &Case, included: &dyn Fn(ItemId) -> bool) -> Self {
        let mut trees: Vec<Tree> = Vec::new();
        let mut tree_of_root: Vec<Option<usize>> = vec![None; case.sources.len()];
        let relay_soundness = case.relay_soundness();
        for (idx, item) in case.items.iter().enumerate() {
            let id = ItemId(idx as u32);
            if item.status == Status::Pending || !included(id) {
                continue;
            }
            let source = &case.sources[item.source.idx()];
            let credibility = item.credibility * relay_soundness[item.source.idx()];
            let root = source.root;
            let t = match tree_of_root[root.idx()] {
                Some(t) => t,
                None => {
                    trees.push(Tree {
                        root,
                        soundness: case.sources[root.idx()].soundness(),
                        items: Vec::new(),
                        conds: Vec::new(),
                    });
                    tree_of_root[root.idx()] = Some(trees.len() - 1);
                    trees.len() - 1
                }
            };
            trees[t].items.push((id, credibility));
            for a in &item.likelihood.conds {
                if !trees[t].conds.contains(a) {
                    trees[t].conds.push(*a);
                }
            }
        }
        let mut groups: Vec<(Vec<AssumptionId>, Vec<usize>)> = Vec::new();
        for (t, tree) in trees.iter_mut().enumerate() {
            tree.conds.sort();
            match groups.iter_mut().find(|(c, _)| *c == tree.conds) {
                Some((_, members)) => members.push(t),
                None => groups.push((tree.conds.clone(), vec![t])),
            }
        }
        let local_of = groups
            .iter()
            .map(|(conds, _)| {
                (0..1u64 << case.assumptions.len())
                    .map(|state| local_state(conds, state) as u32)
                    .collect()
            })
            .collect();
        Structure {
            trees,
            groups,
            local_of,
        }
    }
}

/// The priors of the hypotheses for a vector of input values: explicit values,
/// `rest` as one minus the others (never below 0), normalised to sum to 1.
pub fn hypothesis_priors(case: &Case, values: &[f64]) -> Vec<f64> {
    let mut priors: Vec<f64> = case
        .hypotheses
        .iter()
        .map(|h| match h.prior {
            Some(p) => values[p.idx()],
            None => h.prior_point,
        })
        .collect();
    if let Some(r) = case.hypotheses.iter().position(|h| h.is_rest) {
        let others: f64 = priors
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != r)
            .map(|(_, p)| p)
            .sum();
        priors[r] = (1.0 - others).max(0.0);
    }
    let total: f64 = priors.iter().sum();
    if total > 0.0 {
        for p in &mut priors {
            *p /= total;
        }
    }
    priors
}

/// The likelihood of `item` under `h` in the full assumption state `state` (bit j = assumption j).
pub fn likelihood(case: &Case, values: &[f64], item: ItemId, h: HypothesisId, state: u64) -> f64 {
    let item = &case.items[item.idx()];
    let k = case.hypotheses.len();
    let local = local_state(&item.likelihood.conds, state);
    let l = match item.likelihood.entries[local * k + h.idx()] {
        Entry::One => 1.0,
        Entry::Param(p) => values[p.idx()],
    };
    if item.status == Status::Absent {
        1.0 - l
    } else {
        l
    }
}

/// The index of a full state's restriction to `conds`.
pub fn local_state(conds: &[AssumptionId], state: u64) -> usize {
    conds.iter().enumerate().fold(0usize, |acc, (j, a)| {
        acc | (((state >> a.0) & 1) as usize) << j
    })
}

/// The full state whose restriction to `conds` is `local` (the other assumptions false):
/// the inverse of [`local_state`].
pub(crate) fn full_state(conds: &[AssumptionId], local: usize) -> u64 {
    conds
        .iter()
        .enumerate()
        .fold(0, |acc, (j, a)| acc | (((local >> j) & 1) as u64) << a.0)
}

/// The full joint, in logs: `log_joint[state * k + h] = ln P(h, a = state, E)`.
#[derive(Clone, Debug)]
pub struct Joint {
    /// Number of hypotheses.
    pub k: usize,
    /// Number of assumptions.
    pub m: usize,
    /// `ln P(h, state, E)`.
    pub log_joint: Vec<f64>,
}

impl Joint {
    /// `ln P(h, E)` per hypothesis.
    pub fn log_per_hypothesis(&self) -> Vec<f64> {
        (0..self.k)
            .map(|h| log_sum_iter(self.log_joint.iter().skip(h).step_by(self.k).copied()))
            .collect()
    }

    /// `ln P(E)`.
    pub fn log_evidence(&self) -> f64 {
        log_sum(&self.log_joint)
    }

    /// Posterior per hypothesis; `None` when the evidence is impossible under every hypothesis.
    pub fn posterior(&self) -> Option<Vec<f64>> {
        let per_h = self.log_per_hypothesis();
        let total = log_sum(&per_h);
        if !total.is_finite() {
            return None;
        }
        Some(per_h.iter().map(|x| (x - total).exp()).collect())
    }

    /// `P(assumption j is true | E)` for each assumption.
    pub fn assumption_posteriors(&self) -> Vec<f64> {
        let total = self.log_evidence();
        (0..self.m)
            .map(|j| {
                let xs: Vec<f64> = self
                    .log_joint
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| ((i / self.k) >> j) & 1 == 1)
                    .map(|(_, x)| *x)
                    .collect();
                (log_sum(&xs) - total).exp()
            })
            .collect()
    }
}

/// Turns an item's likelihoods `out[..k]` into its factors: `l'_e(h) = c l_e(h) + (1 - c)
/// q_e` in `out[..k]` and `q_e = sum_g prior(g) l_e(g)` in `out[k]`.
#[inline]
pub(crate) fn grade(out: &mut [f64], priors: &[f64], c: f64) {
    let k = priors.len();
    let q: f64 = out[..k].iter().zip(priors).map(|(x, p)| x * p).sum();
    for o in &mut out[..k] {
        *o = c * *o + (1.0 - c) * q;
    }
    out[k] = q;
}

/// An item's terms in the full assumption state `state`, written to `out` (`k + 1` values):
/// `ln l'_e(h)` for each hypothesis, then `ln q_e` ([`grade`] in logs).
fn item_terms(
    case: &Case,
    item: ItemId,
    c: f64,
    values: &[f64],
    priors: &[f64],
    state: u64,
    out: &mut [f64],
) {
    let k = priors.len();
    for (h, slot) in out[..k].iter_mut().enumerate() {
        *slot = likelihood(case, values, item, HypothesisId(h as u32), state);
    }
    grade(out, priors, c);
    for o in out.iter_mut() {
        *o = ln(*o);
    }
}

/// An item's terms for every one of its own assumption states (`conds` of its likelihood):
/// [`item_terms`] per local state.
pub(crate) fn likelihood_rows(
    case: &Case,
    item: ItemId,
    c: f64,
    values: &[f64],
    priors: &[f64],
) -> Vec<f64> {
    let mut rows = Vec::new();
    likelihood_rows_into(case, item, c, values, priors, &mut rows);
    rows
}

/// [`likelihood_rows`] written into `rows`, whose allocation is reused.
pub(crate) fn likelihood_rows_into(
    case: &Case,
    item: ItemId,
    c: f64,
    values: &[f64],
    priors: &[f64],
    rows: &mut Vec<f64>,
) {
    let k = case.hypotheses.len();
    let conds_e = case.items[item.idx()].likelihood.conds.as_slice();
    rows.clear();
    rows.resize((1usize << conds_e.len()) * (k + 1), 0.0);
    for (local_e, out) in rows.chunks_mut(k + 1).enumerate() {
        let state = full_state(conds_e, local_e);
        item_terms(case, item, c, values, priors, state, out);
    }
}

/// A tree's table from its two branches' sums per local state: the root is sound with
/// probability `r` (every item as its likelihood says) or not (every item at its rate q).
pub(crate) fn tree_mix(r: f64, log_a: &[f64], log_b: &[f64], k: usize) -> Vec<f64> {
    let mut out = Vec::new();
    tree_mix_into(r, log_a, log_b, k, &mut out);
    out
}

/// [`tree_mix`] written into `out`, whose allocation is reused.
pub(crate) fn tree_mix_into(r: f64, log_a: &[f64], log_b: &[f64], k: usize, out: &mut Vec<f64>) {
    out.clear();
    out.extend(log_a.iter().enumerate().map(|(i, a)| {
        if r >= 1.0 {
            *a
        } else {
            log_add(ln(r) + a, ln(1.0 - r) + log_b[i / k])
        }
    }));
}

/// `ln P(reports of the tree | h, state)` over the local states of the tree's group.
pub(crate) fn tree_table(
    case: &Case,
    tree: &Tree,
    group_conds: &[AssumptionId],
    values: &[f64],
    priors: &[f64],
) -> Vec<f64> {
    let k = case.hypotheses.len();
    let n_local = 1usize << group_conds.len();
    // Items that depend on no assumption are summed once; each conditioned
    // item keeps its small table over its own assumption states.
    let mut base_a = vec![0.0; k];
    let mut base_b = 0.0;
    // conditioned items with the same assumptions share one summed table
    let mut conditioned: Vec<(&[AssumptionId], Vec<f64>)> = Vec::new();
    let mut terms = vec![0.0; k + 1];
    for &(item, c) in &tree.items {
        let conds_e = case.items[item.idx()].likelihood.conds.as_slice();
        if conds_e.is_empty() {
            // the hot path: no allocation per item
            item_terms(case, item, c, values, priors, 0, &mut terms);
            for (a, x) in base_a.iter_mut().zip(&terms) {
                *a += x;
            }
            base_b += terms[k];
        } else {
            let rows = likelihood_rows(case, item, c, values, priors);
            match conditioned.iter_mut().find(|(conds, _)| *conds == conds_e) {
                Some((_, sum)) => sum.iter_mut().zip(&rows).for_each(|(s, x)| *s += x),
                None => conditioned.push((conds_e, rows)),
            }
        }
    }
    let mut log_a = vec![0.0; n_local * k];
    let mut log_b = vec![0.0; n_local];
    for local in 0..n_local {
        let state = full_state(group_conds, local);
        log_a[local * k..(local + 1) * k].copy_from_slice(&base_a);
        log_b[local] = base_b;
        for (conds_e, rows) in &conditioned {
            let at = local_state(conds_e, state) * (k + 1);
            for h in 0..k {
                log_a[local * k + h] += rows[at + h];
            }
            log_b[local] += rows[at + k];
        }
    }
    tree_mix(tree.soundness, &log_a, &log_b, k)
}

/// Per tree, its table over its group's local states.
fn tree_tables(
    case: &Case,
    structure: &Structure,
    values: &[f64],
    priors: &[f64],
) -> Vec<Vec<f64>> {
    let mut tables = vec![Vec::new(); structure.trees.len()];
    for (conds, members) in &structure.groups {
        for &t in members {
            tables[t] = tree_table(case, &structure.trees[t], conds, values, priors);
        }
    }
    tables
}

/// Sums the member trees' tables of each group (a product of likelihoods, in logs);
/// `table(t)` gives tree `t`'s table.
pub(crate) fn group_tables<'t>(
    structure: &Structure,
    table: &dyn Fn(usize) -> &'t [f64],
    k: usize,
) -> Vec<Vec<f64>> {
    structure
        .groups
        .iter()
        .map(|(conds, members)| {
            let mut sum = vec![0.0; (1usize << conds.len()) * k];
            for &t in members {
                for (s, x) in sum.iter_mut().zip(table(t)) {
                    *s += x;
                }
            }
            sum
        })
        .collect()
}

/// Per tree of `structure`, whether it depends on a banded input (and so changes from one
/// Monte Carlo draw to the next).
pub fn varying_trees(case: &Case, structure: &Structure) -> Vec<bool> {
    let banded = |e: &Entry| match e {
        Entry::Param(p) => case.params[p.idx()].value.is_banded(),
        Entry::One => false,
    };
    // a banded hypothesis prior enters every item's q_e, so every tree varies
    let priors_vary = case.hypotheses.iter().any(|h| {
        h.prior
            .is_some_and(|p| case.params[p.idx()].value.is_banded())
    });
    structure
        .trees
        .iter()
        .map(|t| {
            priors_vary
                || t.items
                    .iter()
                    .any(|(item, _)| case.items[item.idx()].likelihood.entries.iter().any(banded))
        })
        .collect()
}

/// The part of the joint that does not change when only banded inputs are redrawn: the
/// tables of the echo trees none of whose items has a banded likelihood, summed per group
/// (computed once), and which trees must be recomputed for each draw.
#[derive(Clone, Debug)]
pub struct Partial {
    /// Per tree, whether it depends on a banded input.
    pub varying: Vec<bool>,
    /// Per group, the sum of its fixed trees' tables.
    pub(crate) fixed: Vec<Vec<f64>>,
}

impl Partial {
    /// Splits the trees of `structure` into fixed and varying ones at point values.
    pub fn new(case: &Case, structure: &Structure) -> Self {
        let values = case.point_values();
        let varying = varying_trees(case, structure);
        let priors = hypothesis_priors(case, &values);
        let k = case.hypotheses.len();
        let fixed = structure
            .groups
            .iter()
            .map(|(conds, members)| {
                let mut sum = vec![0.0; (1usize << conds.len()) * k];
                for &t in members.iter().filter(|t| !varying[**t]) {
                    let table = tree_table(case, &structure.trees[t], conds, &values, &priors);
                    for (s, x) in sum.iter_mut().zip(&table) {
                        *s += x;
                    }
                }
                sum
            })
            .collect();
        Partial { varying, fixed }
    }

    /// Whether any tree depends on a banded input.
    pub fn any_varying(&self) -> bool {
        self.varying.iter().any(|v| *v)
    }
}

/// The joint for input `values` that differ from the point values only in banded inputs:
/// the fixed trees' tables are reused from `partial`.
pub fn joint_partial(
    case: &Case,
    structure: &Structure,
    values: &[f64],
    partial: &Partial,
) -> Joint {
    let priors = hypothesis_priors(case, values);
    let mut groups = partial.fixed.clone();
    for ((conds, members), sum) in structure.groups.iter().zip(groups.iter_mut()) {
        for &t in members.iter().filter(|t| partial.varying[**t]) {
            let table = tree_table(case, &structure.trees[t], conds, values, &priors);
            for (s, x) in sum.iter_mut().zip(&table) {
                *s += x;
            }
        }
    }
    combine(case, structure, &groups, values, &priors)
}

/// Computes the joint for input `values` over the items of `structure`.
pub fn joint(case: &Case, structure: &Structure, values: &[f64]) -> Joint {
    let priors = hypothesis_priors(case, values);
    let tables = tree_tables(case, structure, values, &priors);
    let groups = group_tables(structure, &|t| &tables[t], case.hypotheses.len());
    combine(case, structure, &groups, values, &priors)
}

/// `ln prior(h) + ln P(state | h)` for every assumption state and hypothesis
/// (`[state * k + h]`): the priors' part of the log joint.
pub(crate) fn prior_part(case: &Case, values: &[f64], priors: &[f64]) -> Vec<f64> {
    let k = case.hypotheses.len();
    let n_states = 1usize << case.assumptions.len();
    // assumption priors per hypothesis, in logs
    let log_p: Vec<Vec<(f64, f64)>> = case
        .assumptions
        .iter()
        .map(|a| {
            (0..k)
                .map(|h| {
                    let p = values[a.prior[h].idx()];
                    (ln(p), ln(1.0 - p))
                })
                .collect()
        })
        .collect();
    let mut part = vec![0.0; n_states * k];
    for (state, row) in part.chunks_mut(k).enumerate() {
        for (h, v) in row.iter_mut().enumerate() {
            *v = ln(priors[h]);
            for (j, lp) in log_p.iter().enumerate() {
                *v += if (state >> j) & 1 == 1 {
                    lp[h].0
                } else {
                    lp[h].1
                };
            }
        }
    }
    part
}

/// The log joint: the priors' part plus each group's table at every state's local index;
/// `table(g)` gives group `g`'s table.
pub(crate) fn assemble<'t>(
    structure: &Structure,
    k: usize,
    m: usize,
    mut log_joint: Vec<f64>,
    table: &dyn Fn(usize) -> &'t [f64],
) -> Joint {
    for (g, local_of) in structure.local_of.iter().enumerate() {
        let tab = table(g);
        for (row, local) in log_joint.chunks_mut(k).zip(local_of) {
            let at = *local as usize * k;
            for (v, x) in row.iter_mut().zip(&tab[at..at + k]) {
                *v += x;
            }
        }
    }
    Joint { k, m, log_joint }
}

/// Adds the priors of hypotheses and assumptions to the group tables, for every state.
fn combine(
    case: &Case,
    structure: &Structure,
    group_tables: &[Vec<f64>],
    values: &[f64],
    priors: &[f64],
) -> Joint {
    assemble(
        structure,
        case.hypotheses.len(),
        case.assumptions.len(),
        prior_part(case, values, priors),
        &|g| &group_tables[g],
    )
}

/// The likelihood of an item under `h` with its assumptions averaged by their priors
/// under `h`, after the grading adjustment (source soundness and credibility).
pub fn graded_likelihoods(case: &Case, item: ItemId, priors: &[f64], values: &[f64]) -> Vec<f64> {
    let k = case.hypotheses.len();
    let e = &case.items[item.idx()];
    let raw: Vec<f64> = (0..k)
        .map(|h| {
            let conds = &e.likelihood.conds;
            (0..(1u64 << conds.len()))
                .map(|local| {
                    let mut weight = 1.0;
                    let mut state = 0u64;
                    for (j, a) in conds.iter().enumerate() {
                        let p = values[case.assumptions[a.idx()].prior[h].idx()];
                        let on = (local >> j) & 1 == 1;
                        weight *= if on { p } else { 1.0 - p };
                        if on {
                            state |= 1 << a.0;
                        }
                    }
                    weight * likelihood(case, values, item, HypothesisId(h as u32), state)
                })
                .sum()
        })
        .collect();
    let q: f64 = raw.iter().zip(priors).map(|(l, p)| l * p).sum();
    let source = &case.sources[e.source.idx()];
    let c = e.credibility
        * crate::model::relay_soundness_of(&case.sources, e.source)
        * case.sources[source.root.idx()].soundness();
    raw.iter().map(|l| c * l + (1.0 - c) * q).collect()
}
