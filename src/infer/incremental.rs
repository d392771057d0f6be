//! The joint kept up to date while one input at a time changes, for searches that try many
//! nearby inputs (the bounds' vertex search).
//!
//! Each echo tree keeps, per local assumption state, the sums `ln prod_e l'_e(h)` and
//! `ln prod_e q_e` over its items (the two branches of its mixture), and each item its own
//! terms. Changing an item's likelihood replaces that item's terms in its tree's sums, in
//! logs: `O(2^m_g * k)` for the tree, then the group's sum and the combination over
//! assumption states, instead of recomputing every tree. A term that is infinite cannot be
//! subtracted, so a tree holding one is summed afresh; a change of a hypothesis prior (which
//! enters every item's `q_e`) rebuilds everything.

use super::joint::{
    Joint, Structure, assemble, hypothesis_priors, likelihood_rows, likelihood_rows_into, log_add,
    prior_part, tree_mix, tree_mix_into,
};
use crate::model::{Case, ParamRole};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// One tree's running sums.
#[derive(Clone, Debug)]
struct TreeSums {
    /// `ln prod l'_e(h)` per group-local state and hypothesis.
    log_a: Vec<f64>,
    /// `ln prod q_e` per group-local state.
    log_b: Vec<f64>,
    /// The tree's table (`tree_mix` of the two).
    table: Vec<f64>,
}

/// The joint at `values`, updated one input at a time.
#[derive(Clone, Debug)]
pub struct Incremental<'a> {
    case: &'a Case,
    structure: &'a Structure,
    values: Vec<f64>,
    priors: Vec<f64>,
    /// Per tree, its group.
    group_of: Vec<usize>,
    /// Per item (by item index): its tree and its rows (`likelihood_rows`), if counted.
    rows: Vec<Option<(usize, Vec<f64>)>>,
    /// Per item: its effective credibility `c'_e`.
    credibility: Vec<f64>,
    trees: Vec<TreeSums>,
    groups: Vec<Vec<f64>>,
    /// `ln prior(h) + ln P(state | h)` per state and hypothesis.
    prior_part: Vec<f64>,
    /// Allocations reused by [`Incremental::set`]: an item's rows and a tree's table.
    spare_rows: Vec<f64>,
    spare_table: Vec<f64>,
    /// Allocations reused by [`Incremental::posterior_with`]: copies of a tree's sums and
    /// table, of its group's table, and the joint.
    trial: [Vec<f64>; 5],
}

impl<'a> Incremental<'a> {
    /// Builds every sum at `values`.
    pub fn new(case: &'a Case, structure: &'a Structure, values: &[f64]) -> Self {
        let mut group_of = vec![0; structure.trees.len()];
        for (g, (_, members)) in structure.groups.iter().enumerate() {
            for &t in members {
                group_of[t] = g;
            }
        }
        let mut me = Incremental {
            case,
            structure,
            values: values.to_vec(),
            priors: Vec::new(),
            group_of,
            rows: vec![None; case.items.len()],
            credibility: vec![1.0; case.items.len()],
            trees: Vec::new(),
            groups: Vec::new(),
            prior_part: Vec::new(),
            spare_rows: Vec::new(),
            spare_table: Vec::new(),
            trial: Default::default(),
        };
        me.rebuild();
        me
    }

    fn k(&self) -> usize {
        self.case.hypotheses.len()
    }

    /// Sets several inputs at once and recomputes every sum: cheaper than [`Self::set`]
    /// per input when many change.
    pub fn set_many(&mut self, inputs: impl IntoIterator<Item = (usize, f64)>) {
        for (p, v) in inputs {
            self.values[p] = v;
        }
        self.rebuild();
    }

    /// Recomputes everything from `values`.
    fn rebuild(&mut self) {
        self.priors = hypothesis_priors(self.case, &self.values);
        self.prior_part = prior_part(self.case, &self.values, &self.priors);
        let structure = self.structure;
        for (t, tree) in structure.trees.iter().enumerate() {
            for &(item, c) in &tree.items {
                let rows = likelihood_rows(self.case, item, c, &self.values, &self.priors);
                self.rows[item.idx()] = Some((t, rows));
                self.credibility[item.idx()] = c;
            }
        }
        self.trees = maybe_par_iter!(0..structure.trees.len())
            .map(|t| self.sum_tree(t))
            .collect();
        self.groups = maybe_par_iter!(0..structure.groups.len())
            .map(|g| self.sum_group(g))
            .collect();
    }

    /// A tree's sums from its items' rows.
    fn sum_tree(&self, t: usize) -> TreeSums {
        let k = self.k();
        let tree = &self.structure.trees[t];
        let conds = &self.structure.groups[self.group_of[t]].0;
        let n_local = 1usize << conds.len();
        let mut log_a = vec![0.0; n_local * k];
        let mut log_b = vec![0.0; n_local];
        for &(item, _) in &tree.items {
            let Some((_, rows)) = &self.rows[item.idx()] else {
                continue;
            };
            let conds_e = &self.case.items[item.idx()].likelihood.conds;
            for local in 0..n_local {
                let at = item_local(conds, conds_e, local) * (k + 1);
                for h in 0..k {
                    log_a[local * k + h] += rows[at + h];
                }
                log_b[local] += rows[at + k];
            }
        }
        let table = tree_mix(tree.soundness, &log_a, &log_b, k);
        TreeSums {
            log_a,
            log_b,
            table,
        }
    }

    fn sum_group(&self, g: usize) -> Vec<f64> {
        let (conds, members) = &self.structure.groups[g];
        let mut sum = vec![0.0; (1usize << conds.len()) * self.k()];
        for &t in members {
            for (s, x) in sum.iter_mut().zip(&self.trees[t].table) {
                *s += x;
            }
        }
        sum
    }

    /// The current value of input `p`.
    pub fn value(&self, p: usize) -> f64 {
        self.values[p]
    }

    /// The posterior with input `p` at `v`, the sums left as they are (`None` when the
    /// evidence would be impossible). For an item's likelihood this replaces the item's
    /// terms in copies of its tree's sums and its group's table only; other inputs, and
    /// sums that are not finite, are set and then set back.
    pub fn posterior_with(&mut self, p: usize, v: f64) -> Option<Vec<f64>> {
        let was = self.values[p];
        let item = match self.case.params[p].role {
            ParamRole::Likelihood(i) | ParamRole::Ratio(i) if was != v => i,
            _ => return self.posterior_by_setting(p, v),
        };
        let Some((t, old)) = &self.rows[item.idx()] else {
            return self.posterior();
        };
        let t = *t;
        let k = self.k();
        let c = self.credibility[item.idx()];
        let mut new = std::mem::take(&mut self.spare_rows);
        self.values[p] = v;
        likelihood_rows_into(self.case, item, c, &self.values, &self.priors, &mut new);
        self.values[p] = was;
        let g = self.group_of[t];
        let sums = &self.trees[t];
        let finite = |r: &[f64]| r.iter().all(|x| x.is_finite());
        let all_finite = finite(old)
            && finite(&new)
            && finite(&sums.log_a)
            && finite(&sums.log_b)
            && finite(&sums.table)
            && finite(&self.groups[g]);
        if !all_finite {
            self.spare_rows = new;
            return self.posterior_by_setting(p, v);
        }
        let conds = &self.structure.groups[g].0;
        let conds_e = &self.case.items[item.idx()].likelihood.conds;
        // the trial's copies reuse their allocations from one call to the next
        let mut trial = std::mem::take(&mut self.trial);
        let [log_a, log_b, table, group, log_joint] = &mut trial;
        log_a.clone_from(&sums.log_a);
        log_b.clone_from(&sums.log_b);
        replace_terms(conds, conds_e, k, old, &new, log_a, log_b);
        self.spare_rows = new;
        tree_mix_into(self.structure.trees[t].soundness, log_a, log_b, k, table);
        group.clone_from(&self.groups[g]);
        for ((s, new), old) in group.iter_mut().zip(table.iter()).zip(&sums.table) {
            *s += new - old;
        }
        log_joint.clone_from(&self.prior_part);
        let joint = assemble(
            self.structure,
            k,
            self.case.assumptions.len(),
            std::mem::take(log_joint),
            &|i| if i == g { group } else { &self.groups[i] },
        );
        let post = joint.posterior();
        *log_joint = joint.log_joint;
        self.trial = trial;
        post
    }

    /// The posterior with input `p` at `v`, by setting it and setting it back.
    fn posterior_by_setting(&mut self, p: usize, v: f64) -> Option<Vec<f64>> {
        let was = self.values[p];
        self.set(p, v);
        let post = self.posterior();
        self.set(p, was);
        post
    }

    /// Sets input `p` to `v` and brings the sums up to date.
    pub fn set(&mut self, p: usize, v: f64) {
        if self.values[p] == v {
            return;
        }
        self.values[p] = v;
        let item = match self.case.params[p].role {
            ParamRole::Likelihood(i) | ParamRole::Ratio(i) => i,
            ParamRole::AssumptionPrior(_) => {
                // enters only the priors' part
                self.prior_part = prior_part(self.case, &self.values, &self.priors);
                return;
            }
            ParamRole::Prior(_) => {
                self.rebuild();
                return;
            }
        };
        let Some((t, old)) = self.rows[item.idx()].take() else {
            return;
        };
        let k = self.k();
        let c = self.credibility[item.idx()];
        let mut new = std::mem::take(&mut self.spare_rows);
        likelihood_rows_into(self.case, item, c, &self.values, &self.priors, &mut new);
        let finite = |r: &[f64]| r.iter().all(|x| x.is_finite());
        let (old_ok, new_ok) = (finite(&old), finite(&new));
        let sums_ok = self.trees[t]
            .log_a
            .iter()
            .chain(&self.trees[t].log_b)
            .all(|x| x.is_finite());
        let conds = &self.structure.groups[self.group_of[t]].0;
        let conds_e = &self.case.items[item.idx()].likelihood.conds;
        self.rows[item.idx()] = Some((t, new));
        let mut old_table = std::mem::take(&mut self.spare_table);
        old_table.clone_from(&self.trees[t].table);
        if old_ok && new_ok && sums_ok {
            let Some((_, new)) = &self.rows[item.idx()] else {
                return;
            };
            let sums = &mut self.trees[t];
            replace_terms(
                conds,
                conds_e,
                k,
                &old,
                new,
                &mut sums.log_a,
                &mut sums.log_b,
            );
            tree_mix_into(
                self.structure.trees[t].soundness,
                &sums.log_a,
                &sums.log_b,
                k,
                &mut sums.table,
            );
        } else {
            self.trees[t] = self.sum_tree(t);
        }
        let g = self.group_of[t];
        let changed_ok = old_table
            .iter()
            .chain(&self.trees[t].table)
            .chain(&self.groups[g])
            .all(|x| x.is_finite());
        if changed_ok {
            let table = &self.trees[t].table;
            for ((s, new), old) in self.groups[g].iter_mut().zip(table).zip(&old_table) {
                *s += new - old;
            }
        } else {
            self.groups[g] = self.sum_group(g);
        }
        self.spare_rows = old;
        self.spare_table = old_table;
    }

    /// `ln P(h, E)` per hypothesis with each counted item left out in turn, in item order.
    ///
    /// Leaving item `e` out of tree `t` changes only `t`'s mixture:
    /// `ln P(h, E \ e) = ln sum_loc R[loc, h] (s e^(A[loc, h] - x_e[h]) + (1 - s) e^(B[loc] - y_e))`,
    /// where `R` is everything but the tree (priors, other groups, the group's other trees)
    /// and `x_e`, `y_e` are the item's terms, which depend on the local state only through
    /// the item's own assumptions. So the sums `P = sum s R e^A` and `Q = sum (1 - s) R e^B`
    /// are taken once per tree and per set of item assumptions, split by the item's own
    /// local state, and each item then costs `O(2^m_e * k)`: linear in the items. An item
    /// whose terms (or whose tree's sums) are not all finite is taken out of its tree
    /// directly, one item at a time.
    pub fn without_each(&self) -> Vec<(crate::model::ItemId, Vec<f64>)> {
        // tree by tree, so that one tree's branches are held at a time (one per thread)
        let mut by_tree: Vec<Vec<usize>> = vec![Vec::new(); self.trees.len()];
        for (i, entry) in self.rows.iter().enumerate() {
            if let Some((t, _)) = entry {
                by_tree[*t].push(i);
            }
        }
        let mut used = vec![false; self.groups.len()];
        for (t, items) in by_tree.iter().enumerate() {
            used[self.group_of[t]] |= !items.is_empty();
        }
        let groups: Vec<usize> = (0..self.groups.len()).filter(|g| used[*g]).collect();
        let mut marginals: Vec<Vec<f64>> = vec![Vec::new(); self.groups.len()];
        for (g, w) in maybe_par_iter!(groups)
            .map(|g| (g, self.marginal_without(g)))
            .collect::<Vec<_>>()
        {
            marginals[g] = w;
        }
        let trees: Vec<(usize, Vec<usize>)> = by_tree
            .into_iter()
            .enumerate()
            .filter(|(_, items)| !items.is_empty())
            .collect();
        let per_tree: Vec<Vec<(usize, Vec<f64>)>> = maybe_par_iter!(trees)
            .map(|(t, items)| self.without_each_of(t, &items, &marginals[self.group_of[t]]))
            .collect();
        let mut results: Vec<(crate::model::ItemId, Vec<f64>)> = per_tree
            .into_iter()
            .flatten()
            .map(|(i, r)| (crate::model::ItemId(i as u32), r))
            .collect();
        results.sort_unstable_by_key(|(i, _)| *i);
        results
    }

    /// [`Self::without_each`] for the `items` of tree `t`, given its group's marginal `w`.
    fn without_each_of(&self, t: usize, items: &[usize], w: &[f64]) -> Vec<(usize, Vec<f64>)> {
        let k = self.k();
        let g = self.group_of[t];
        let sums = &self.trees[t];
        let tree_finite = sums
            .log_a
            .iter()
            .chain(&sums.log_b)
            .chain(&sums.table)
            .chain(&self.groups[g])
            .all(|x| x.is_finite());
        let conds = &self.structure.groups[g].0;
        let mut branches: Option<Branches> = None;
        // per item assumption set: ln P and ln Q per item-local state and h
        let mut split: Vec<(&[crate::model::AssumptionId], Vec<f64>, Vec<f64>)> = Vec::new();
        let mut results = Vec::with_capacity(items.len());
        for &i in items {
            let Some((_, rows)) = &self.rows[i] else {
                continue;
            };
            if !tree_finite || !rows.iter().all(|x| x.is_finite()) {
                results.push((i, self.without_one(i, w)));
                continue;
            }
            let conds_e = self.case.items[i].likelihood.conds.as_slice();
            let at = match split.iter().position(|(c, _, _)| *c == conds_e) {
                Some(at) => at,
                None => {
                    let b = branches.get_or_insert_with(|| self.branches(t, w));
                    let (p, q) = b.split(conds, conds_e, k);
                    split.push((conds_e, p, q));
                    split.len() - 1
                }
            };
            let (_, ln_p, ln_q) = &split[at];
            let n_e = 1usize << conds_e.len();
            let without = (0..k)
                .map(|h| {
                    super::joint::log_sum_iter((0..n_e).flat_map(|il| {
                        [
                            ln_p[il * k + h] - rows[il * (k + 1) + h],
                            ln_q[il * k + h] - rows[il * (k + 1) + k],
                        ]
                    }))
                })
                .collect();
            results.push((i, without));
        }
        results
    }

    /// The two branches of tree `t`'s mixture times everything else (`w`: the group's
    /// marginal of the priors and the other groups), as exponentials shifted per hypothesis.
    fn branches(&self, t: usize, w: &[f64]) -> Branches {
        let k = self.k();
        let sums = &self.trees[t];
        let group = &self.groups[self.group_of[t]];
        let s = self.structure.trees[t].soundness;
        let (ln_s, ln_not) = if s >= 1.0 {
            (0.0, f64::NEG_INFINITY)
        } else {
            (s.ln(), (1.0 - s).ln())
        };
        let n_local = group.len() / k.max(1);
        let mut a = vec![0.0; n_local * k];
        let mut b = vec![0.0; n_local * k];
        let mut shift = vec![f64::NEG_INFINITY; k];
        for loc in 0..n_local {
            for (h, top) in shift.iter_mut().enumerate() {
                let j = loc * k + h;
                // everything but this tree, then each branch of the tree
                let rest = w[j] + (group[j] - sums.table[j]);
                a[j] = rest + ln_s + sums.log_a[j];
                b[j] = rest + ln_not + sums.log_b[loc];
                *top = top.max(a[j]).max(b[j]);
            }
        }
        for loc in 0..n_local {
            for (h, top) in shift.iter().enumerate() {
                let j = loc * k + h;
                let m = if top.is_finite() { *top } else { 0.0 };
                a[j] = (a[j] - m).exp();
                b[j] = (b[j] - m).exp();
            }
        }
        Branches { a, b, shift }
    }

    /// `ln P(h, E)` per hypothesis with item `i` taken out of its tree's sums directly
    /// (`O(2^m_g * k)`), given its group's marginal `w`.
    fn without_one(&self, i: usize, w: &[f64]) -> Vec<f64> {
        let k = self.k();
        let Some((t, rows)) = &self.rows[i] else {
            // an item not counted is never left out
            return vec![f64::NEG_INFINITY; k];
        };
        let t = *t;
        let conds = &self.structure.groups[self.group_of[t]].0;
        let conds_e = &self.case.items[i].likelihood.conds;
        let sums = &self.trees[t];
        let subtractable = rows
            .iter()
            .chain(&sums.log_a)
            .chain(&sums.log_b)
            .all(|x| x.is_finite());
        let table = if subtractable {
            let mut log_a = sums.log_a.clone();
            let mut log_b = sums.log_b.clone();
            for local in 0..(1usize << conds.len()) {
                let at = item_local(conds, conds_e, local) * (k + 1);
                for h in 0..k {
                    log_a[local * k + h] -= rows[at + h];
                }
                log_b[local] -= rows[at + k];
            }
            tree_mix(self.structure.trees[t].soundness, &log_a, &log_b, k)
        } else {
            let mut me = self.clone();
            me.rows[i] = None;
            me.sum_tree(t).table
        };
        let g = self.group_of[t];
        let group_ok = self.groups[g]
            .iter()
            .chain(&sums.table)
            .chain(&table)
            .all(|x| x.is_finite());
        let group: Vec<f64> = if group_ok {
            self.groups[g]
                .iter()
                .zip(&sums.table)
                .zip(&table)
                .map(|((s, old), new)| s - old + new)
                .collect()
        } else {
            let (_, members) = &self.structure.groups[g];
            let mut sum = vec![0.0; table.len()];
            for &u in members {
                let tab = if u == t { &table } else { &self.trees[u].table };
                for (s, x) in sum.iter_mut().zip(tab) {
                    *s += x;
                }
            }
            sum
        };
        per_hypothesis(w, &group, k)
    }

    /// [`Self::without_each`] the direct way, one item at a time (for tests).
    #[doc(hidden)]
    pub fn without_each_directly(&self) -> Vec<(crate::model::ItemId, Vec<f64>)> {
        let mut marginals: Vec<Option<Vec<f64>>> = vec![None; self.groups.len()];
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                let (t, _) = entry.as_ref()?;
                let g = self.group_of[*t];
                let w = marginals[g].get_or_insert_with(|| self.marginal_without(g));
                Some((crate::model::ItemId(i as u32), self.without_one(i, w)))
            })
            .collect()
    }

    /// `ln` of the sum, over the full states with group-local state `loc`, of the priors
    /// and every other group's table: `W[loc * k + h]`. Then `ln P(h, E)` with any table `T`
    /// for group `g` is `logsum_loc (W[loc, h] + T[loc, h])`, at `O(2^m_g * k)` instead of
    /// `O(2^m * k)` per change.
    fn marginal_without(&self, g: usize) -> Vec<f64> {
        let k = self.k();
        let n_local = self.groups[g].len() / k.max(1);
        let mut w = vec![f64::NEG_INFINITY; n_local * k];
        let rest = self.joint_with(g, &vec![0.0; self.groups[g].len()]);
        for (row, loc) in rest.log_joint.chunks(k).zip(&self.structure.local_of[g]) {
            let at = *loc as usize * k;
            for (slot, v) in w[at..at + k].iter_mut().zip(row) {
                *slot = log_add(*slot, *v);
            }
        }
        w
    }

    /// The joint with group `g`'s table replaced by `table` (no group when `g` is out of
    /// range).
    fn joint_with(&self, g: usize, table: &[f64]) -> Joint {
        assemble(
            self.structure,
            self.k(),
            self.case.assumptions.len(),
            self.prior_part.clone(),
            &|i| if i == g { table } else { &self.groups[i] },
        )
    }

    /// The joint at the current inputs.
    pub fn joint(&self) -> Joint {
        self.joint_with(usize::MAX, &[])
    }

    /// The posterior at the current inputs (`None` when the evidence is impossible).
    pub fn posterior(&self) -> Option<Vec<f64>> {
        self.joint().posterior()
    }
}

/// A tree's two mixture branches times everything else, per group-local state and
/// hypothesis, as `exp(x - shift[h])`.
#[derive(Clone, Debug)]
struct Branches {
    a: Vec<f64>,
    b: Vec<f64>,
    shift: Vec<f64>,
}

impl Branches {
    /// `ln P` and `ln Q` per item-local state (over `conds_e`) and hypothesis: the
    /// branches summed over the group-local states that restrict to it.
    fn split(
        &self,
        conds: &[crate::model::AssumptionId],
        conds_e: &[crate::model::AssumptionId],
        k: usize,
    ) -> (Vec<f64>, Vec<f64>) {
        let n_e = 1usize << conds_e.len();
        let mut p = vec![0.0; n_e * k];
        let mut q = vec![0.0; n_e * k];
        let n_local = self.a.len() / k.max(1);
        for loc in 0..n_local {
            let il = item_local(conds, conds_e, loc);
            for h in 0..k {
                p[il * k + h] += self.a[loc * k + h];
                q[il * k + h] += self.b[loc * k + h];
            }
        }
        let ln = |x: &mut f64, h: usize| {
            *x = if *x > 0.0 {
                x.ln() + self.shift[h]
            } else {
                f64::NEG_INFINITY
            };
        };
        for (j, x) in p.iter_mut().enumerate() {
            ln(x, j % k);
        }
        for (j, x) in q.iter_mut().enumerate() {
            ln(x, j % k);
        }
        (p, q)
    }
}

/// Replaces an item's terms `old` by `new` (its rows over its own assumption states
/// `conds_e`) in a tree's sums `log_a`, `log_b` over the group's states `conds`.
fn replace_terms(
    conds: &[crate::model::AssumptionId],
    conds_e: &[crate::model::AssumptionId],
    k: usize,
    old: &[f64],
    new: &[f64],
    log_a: &mut [f64],
    log_b: &mut [f64],
) {
    for (local, b) in log_b.iter_mut().enumerate() {
        let at = item_local(conds, conds_e, local) * (k + 1);
        for h in 0..k {
            log_a[local * k + h] += new[at + h] - old[at + h];
        }
        *b += new[at + k] - old[at + k];
    }
}

/// The index of an item's local state (over its own `conds_e`) within the group-local state
/// `local` (over the group's `conds`).
fn item_local(
    conds: &[crate::model::AssumptionId],
    conds_e: &[crate::model::AssumptionId],
    local: usize,
) -> usize {
    conds_e.iter().enumerate().fold(0usize, |acc, (j, a)| {
        let pos = conds.iter().position(|c| c == a).unwrap_or(0);
        acc | ((local >> pos) & 1) << j
    })
}

/// `ln P(h, E)` per hypothesis from a group's marginal `w` and its table.
fn per_hypothesis(w: &[f64], table: &[f64], k: usize) -> Vec<f64> {
    (0..k)
        .map(|h| {
            let xs: Vec<f64> = w
                .iter()
                .zip(table)
                .skip(h)
                .step_by(k)
                .map(|(a, b)| a + b)
                .collect();
            super::joint::log_sum(&xs)
        })
        .collect()
}
