//! Monte Carlo draws in linear space (semantics section 6, the distribution).
//!
//! The point posterior is computed in logs (module [`super::joint`](mod@super::joint)),
//! one logarithm per item and hypothesis and one `log_add` per echo tree, hypothesis and
//! assumption state. A Monte Carlo draw gets the same numbers from products instead:
//!
//! - each echo tree's items are multiplied together (`LogProduct`: a running product
//!   whose exponent is moved into a logarithm whenever it leaves `1e±250`), once for the
//!   items with no assumption and once per local state of each set of assumptions an item
//!   depends on;
//! - each tree's table over its group's assumption states is a product of those
//!   per-set factors, each scaled so its largest value is 1, and the two branches of the
//!   root's soundness are added as numbers; the scales stay `LogProduct`s, so a tree whose
//!   products never left the range needs no logarithm or exponential at all (else one
//!   per set state, not per table entry);
//! - the groups, the hypothesis priors and the assumption priors multiply into the joint
//!   per hypothesis, scaled per hypothesis; sums over the states give the posteriors.
//!
//! Every factor is scaled to at most 1, so a partial product bounds the state's final
//! value from above: a state that underflows is below `e^-708` of the scale. The result
//! is used only when, for every hypothesis the evidence leaves possible, the best state
//! is above `e^-400` of the scale: then any state that underflowed is below `e^-300` of
//! the best one and cannot change a printed digit, and every state that matters was
//! computed from factors that did not underflow. Otherwise the draw is computed in logs ([`joint_partial`]). Results
//! agree with the log computation to rounding (about `1e-13`), which
//! `linear_draws_agree_with_logs` (tests/it/engine_reference.rs) checks on random cases.

use super::joint::{
    Partial, Structure, full_state, grade, hypothesis_priors, joint_partial, ln, local_state,
    log_sum,
};
use crate::model::{AssumptionId, Case, Entry, ItemId};
use crate::vocab::Status;

/// A product kept as `exp(log) * p`, with `p` within `1e±250`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LogProduct {
    log: f64,
    p: f64,
}

impl LogProduct {
    /// The empty product.
    pub(crate) const ONE: LogProduct = LogProduct { log: 0.0, p: 1.0 };

    /// Multiplies by `x >= 0`.
    #[inline]
    pub(crate) fn mul(&mut self, x: f64) {
        if (1e-30..=1e30).contains(&x) {
            self.p *= x;
            if !(1e-250..=1e250).contains(&self.p) {
                self.log += ln(self.p);
                self.p = 1.0;
            }
        } else {
            self.log += ln(x);
        }
    }

    /// The natural logarithm of the product.
    pub(crate) fn ln(self) -> f64 {
        self.log + ln(self.p)
    }
}

/// Items laid out for a draw: per item, its likelihoods' indices into the values
/// (`[state * k + h]` over its own assumption states, [`ONE`] for a 1), its credibility
/// and whether it was observed absent.
#[derive(Clone, Debug, Default)]
struct Items {
    entries: Vec<u32>,
    c: Vec<f64>,
    absent: Vec<bool>,
}

/// An entry that is 1 (the reference level of a ratio).
const ONE: u32 = u32::MAX;

impl Items {
    fn push(&mut self, case: &Case, item: ItemId, c: f64) {
        let e = &case.items[item.idx()];
        self.entries
            .extend(e.likelihood.entries.iter().map(|x| match x {
                Entry::One => ONE,
                Entry::Param(p) => p.0,
            }));
        self.c.push(c);
        self.absent.push(e.status == Status::Absent);
    }

    /// Multiplies each item's factors in local state `local` (of `states`) into `out`
    /// (`k + 1` products: `l'_e(h)`, then `q_e`).
    fn multiply(
        &self,
        values: &[f64],
        priors: &[f64],
        states: usize,
        local: usize,
        out: &mut [LogProduct],
        factors: &mut [f64],
    ) {
        let k = priors.len();
        let per_item = states * k;
        for (i, (&c, &absent)) in self.c.iter().zip(&self.absent).enumerate() {
            let at = i * per_item + local * k;
            for (f, &e) in factors.iter_mut().zip(&self.entries[at..at + k]) {
                let l = if e == ONE { 1.0 } else { values[e as usize] };
                *f = if absent { 1.0 - l } else { l };
            }
            grade(factors, priors, c);
            for (o, f) in out.iter_mut().zip(factors.iter()) {
                o.mul(*f);
            }
        }
    }
}

/// Items of one tree that depend on the same assumptions.
#[derive(Clone, Debug)]
struct Set {
    conds: Vec<AssumptionId>,
    items: Items,
    /// Per local state of the tree's group, the set's local state.
    index: Vec<u32>,
    /// The position of its last assumption among the group's.
    top: usize,
}

/// A tree that changes from draw to draw.
#[derive(Clone, Debug)]
struct TreePlan {
    group: usize,
    soundness: f64,
    plain: Items,
    sets: Vec<Set>,
}

/// What a draw needs that does not change between draws.
#[derive(Clone, Debug)]
pub struct Plan {
    k: usize,
    m: usize,
    partial: Partial,
    trees: Vec<TreePlan>,
    /// The most sets any tree has.
    most_sets: usize,
    /// Per group: its number of local states, and its fixed trees' table scaled per
    /// hypothesis (`[local * k + h]`) with the scales.
    fixed: Vec<(usize, Vec<f64>, Vec<f64>)>,
    /// The groups joined where they share an assumption: the joint over all 2^m states is
    /// the product of one sum per component over its own states.
    components: Vec<Component>,
}

/// A component's sum over its states per hypothesis, and per member (an assumption's
/// index) the part of that sum where it holds.
type ComponentSums = (Vec<f64>, Vec<(usize, Vec<f64>)>);

/// Groups that share assumptions, transitively, with every assumption among them.
#[derive(Clone, Debug)]
struct Component {
    /// Its assumptions, in order: bit `i` of a component state is `members[i]`.
    members: Vec<AssumptionId>,
    /// Its groups, each with its local state for every component state.
    groups: Vec<(usize, Vec<u32>)>,
}

/// Each component of `structure`'s groups (joined by shared assumptions): its number of
/// assumptions and of groups (what a draw's joint costs).
pub fn component_sizes(structure: &Structure) -> Vec<(usize, usize)> {
    components(structure)
        .iter()
        .map(|c| (c.members.len(), c.groups.len()))
        .collect()
}

/// The groups of `structure` joined into components by shared assumptions; a group that
/// depends on no assumption is a component of its own with no members.
fn components(structure: &Structure) -> Vec<Component> {
    let n = structure.groups.len();
    let mut of: Vec<usize> = (0..n).collect();
    fn root(of: &mut [usize], mut x: usize) -> usize {
        while of[x] != x {
            of[x] = of[of[x]];
            x = of[x];
        }
        x
    }
    for a in 0..n {
        for b in a + 1..n {
            let (ca, cb) = (&structure.groups[a].0, &structure.groups[b].0);
            if ca.iter().any(|x| cb.contains(x)) {
                let (ra, rb) = (root(&mut of, a), root(&mut of, b));
                of[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut out: Vec<(usize, Component)> = Vec::new();
    for g in 0..n {
        let r = root(&mut of, g);
        let at = match out.iter().position(|(x, _)| *x == r) {
            Some(i) => i,
            None => {
                out.push((
                    r,
                    Component {
                        members: Vec::new(),
                        groups: Vec::new(),
                    },
                ));
                out.len() - 1
            }
        };
        let c = &mut out[at].1;
        for a in &structure.groups[g].0 {
            if !c.members.contains(a) {
                c.members.push(*a);
            }
        }
        c.groups.push((g, Vec::new()));
    }
    let mut out: Vec<Component> = out.into_iter().map(|(_, c)| c).collect();
    for c in &mut out {
        c.members.sort();
        let members = c.members.clone();
        for (g, index) in &mut c.groups {
            let conds = &structure.groups[*g].0;
            *index = (0..1usize << members.len())
                .map(|l| local_state(conds, full_state(&members, l)) as u32)
                .collect();
        }
    }
    out
}

/// The largest of `xs` and each `exp(x - largest)`; all zero when every `x` is `-inf`.
fn scaled(xs: impl Iterator<Item = f64> + Clone) -> (f64, impl Iterator<Item = f64>) {
    let max = xs.clone().fold(f64::NEG_INFINITY, f64::max);
    let finite = max > f64::NEG_INFINITY;
    (
        max,
        xs.map(move |x| if finite { (x - max).exp() } else { 0.0 }),
    )
}

/// A root of soundness `r` over products `a` (the items as their likelihoods say) and
/// `b` (every item at `q`): the tree's scale `r a + (1 - r) b` and the two weights that
/// sum to 1 (`(0, 0, 0)` when both are zero).
fn root_weights(r: f64, a: LogProduct, b: LogProduct) -> (LogProduct, f64, f64) {
    if r >= 1.0 {
        return (a, 1.0, 0.0);
    }
    if a.log == 0.0 && b.log == 0.0 {
        let (x, y) = (r * a.p, (1.0 - r) * b.p);
        let s = x + y;
        let exact = |v: f64| v == 0.0 || v.is_normal();
        if s > 0.0 && s.is_finite() && exact(x) && exact(y) {
            let mut scale = LogProduct::ONE;
            scale.mul(s);
            return (scale, x / s, y / s);
        }
    }
    let (x, y) = (ln(r) + a.ln(), ln(1.0 - r) + b.ln());
    let s = x.max(y);
    if s == f64::NEG_INFINITY {
        return (LogProduct { log: s, p: 1.0 }, 0.0, 0.0);
    }
    let (wa, wb) = ((x - s).exp(), (y - s).exp());
    let log = s + (wa + wb).ln();
    (LogProduct { log, p: 1.0 }, wa / (wa + wb), wb / (wa + wb))
}

/// A state is used from its products only when its hypothesis's best state is above
/// `e^-400` of the scale.
const TRUSTED: f64 = 1.9e-174; // e^-400

impl Plan {
    /// Prepares the draws of `case` over `structure`.
    pub fn new(case: &Case, structure: &Structure) -> Self {
        let k = case.hypotheses.len();
        let partial = Partial::new(case, structure);
        let mut trees = Vec::new();
        let mut fixed = Vec::new();
        for (g, (conds, members)) in structure.groups.iter().enumerate() {
            let n_local = 1usize << conds.len();
            let table = &partial.fixed[g];
            let mut lin = vec![0.0; n_local * k];
            let mut scales = vec![0.0; k];
            for (h, scale) in scales.iter_mut().enumerate() {
                let (max, xs) = scaled((0..n_local).map(|l| table[l * k + h]));
                *scale = max;
                for (l, x) in xs.enumerate() {
                    lin[l * k + h] = x;
                }
            }
            fixed.push((n_local, lin, scales));
            for &t in members.iter().filter(|t| partial.varying[**t]) {
                let tree = &structure.trees[t];
                let mut plain = Items::default();
                let mut sets: Vec<Set> = Vec::new();
                for &(item, c) in &tree.items {
                    let conds_e = &case.items[item.idx()].likelihood.conds;
                    if conds_e.is_empty() {
                        plain.push(case, item, c);
                    } else if let Some(set) = sets.iter_mut().find(|s| s.conds == *conds_e) {
                        set.items.push(case, item, c);
                    } else {
                        let index = (0..n_local)
                            .map(|l| local_state(conds_e, full_state(conds, l)) as u32)
                            .collect();
                        let top = conds_e
                            .iter()
                            .filter_map(|a| conds.iter().position(|b| b == a))
                            .max()
                            .unwrap_or(0);
                        let mut items = Items::default();
                        items.push(case, item, c);
                        sets.push(Set {
                            conds: conds_e.clone(),
                            items,
                            index,
                            top,
                        });
                    }
                }
                sets.sort_by_key(|s| s.top);
                trees.push(TreePlan {
                    group: g,
                    soundness: tree.soundness,
                    plain,
                    sets,
                });
            }
        }
        Plan {
            k,
            m: case.assumptions.len(),
            partial,
            most_sets: trees.iter().map(|t| t.sets.len()).max().unwrap_or(0),
            trees,
            fixed,
            components: components(structure),
        }
    }

    /// The posteriors of the hypotheses and of the assumptions for input `values` that
    /// differ from the point values only in banded inputs; `None` when the evidence is
    /// impossible under every hypothesis.
    pub fn posteriors(
        &self,
        case: &Case,
        structure: &Structure,
        values: &[f64],
    ) -> Option<(Vec<f64>, Vec<f64>)> {
        self.linear(case, values).or_else(|| {
            let j = joint_partial(case, structure, values, &self.partial);
            j.posterior().map(|p| (p, j.assumption_posteriors()))
        })
    }

    /// The posteriors from products alone; `None` when they cannot be trusted (and
    /// [`Plan::posteriors`] computes in logs) or the evidence is impossible.
    pub fn linear(&self, case: &Case, values: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let k = self.k;
        let w = k + 1;
        let priors = hypothesis_priors(case, values);
        // per group: its table scaled per hypothesis, and the scales
        let mut groups: Vec<(Vec<f64>, Vec<LogProduct>)> = self
            .fixed
            .iter()
            .map(|(_, lin, scales)| {
                let scales = scales.iter().map(|&log| LogProduct { log, p: 1.0 });
                (lin.clone(), scales.collect())
            })
            .collect();
        // buffers reused from tree to tree
        let mut factors = vec![0.0; w];
        let mut a = vec![LogProduct::ONE; w];
        let mut rows: Vec<LogProduct> = Vec::new();
        let mut set_lin: Vec<Vec<f64>> = vec![Vec::new(); self.most_sets];
        let mut prod: Vec<f64> = Vec::new();
        // per hypothesis: the tree's scale, and the weights of its two branches
        let mut tree_scale: Vec<LogProduct> = Vec::with_capacity(k);
        let (mut mix_a, mut mix_b) = (Vec::with_capacity(k), Vec::with_capacity(k));
        for tree in &self.trees {
            let (n_local, _, _) = self.fixed[tree.group];
            let (table, scales) = &mut groups[tree.group];
            // the items with no assumption: k + 1 products
            a.fill(LogProduct::ONE);
            tree.plain
                .multiply(values, &priors, 1, 0, &mut a, &mut factors);
            // each set: its products per local state, scaled per column
            for (set, lin) in tree.sets.iter().zip(&mut set_lin) {
                let n_set = 1usize << set.conds.len();
                rows.clear();
                rows.resize(n_set * w, LogProduct::ONE);
                for (ls, row) in rows.chunks_mut(w).enumerate() {
                    set.items
                        .multiply(values, &priors, n_set, ls, row, &mut factors);
                }
                lin.clear();
                lin.resize(n_set * w, 0.0);
                for (col, a) in a.iter_mut().enumerate() {
                    let column = (0..n_set).map(|ls| rows[ls * w + col]);
                    if column.clone().all(|x| x.log == 0.0) {
                        // no exponent moved into a logarithm: scale by the largest
                        let max = column.clone().fold(0.0, |m, x| x.p.max(m));
                        let inv = if max > 0.0 { 1.0 / max } else { 0.0 };
                        for (ls, x) in column.enumerate() {
                            lin[ls * w + col] = x.p * inv;
                        }
                        a.mul(max);
                    } else {
                        let (max, xs) = scaled(column.map(LogProduct::ln));
                        a.log += max;
                        for (ls, x) in xs.enumerate() {
                            lin[ls * w + col] = x;
                        }
                    }
                }
            }
            // the root sound (every item as its likelihood says) or not (every item at q)
            let r = tree.soundness;
            let b = a[k];
            tree_scale.clear();
            mix_a.clear();
            mix_b.clear();
            for &ah in &a[..k] {
                let (s, wa, wb) = root_weights(r, ah, b);
                tree_scale.push(s);
                mix_a.push(wa);
                mix_b.push(wb);
            }
            // the sets' product over the group's states, one assumption at a time: the
            // states of the first `bit` assumptions are doubled, then the sets whose
            // last assumption that is are multiplied in
            prod.clear();
            prod.resize(n_local * w, 1.0);
            let mut sets = tree.sets.iter().zip(&set_lin).peekable();
            let mut size = 1;
            for bit in 0..n_local.trailing_zeros() as usize {
                prod.copy_within(..size * w, size * w);
                size *= 2;
                while let Some((set, lin)) = sets.next_if(|(set, _)| set.top == bit) {
                    for (row, &l) in prod[..size * w].chunks_exact_mut(w).zip(&set.index) {
                        let at = l as usize * w;
                        for (x, f) in row.iter_mut().zip(&lin[at..at + w]) {
                            *x *= f;
                        }
                    }
                }
            }
            for (row, a) in table.chunks_exact_mut(k).zip(prod.chunks_exact(w)) {
                let (a, b) = (&a[..k], a[k]);
                for (((r, x), wa), wb) in row.iter_mut().zip(a).zip(&mix_a).zip(&mix_b) {
                    *r *= wa * x + wb * b;
                }
            }
            for (scale, s) in scales.iter_mut().zip(&tree_scale) {
                scale.log += s.log;
                scale.mul(s.p);
            }
        }
        let groups: Vec<(Vec<f64>, Vec<f64>)> = groups
            .into_iter()
            .map(|(table, scales)| (table, scales.into_iter().map(LogProduct::ln).collect()))
            .collect();
        self.assemble(case, values, &priors, &groups)
    }

    /// Multiplies the priors and the groups into the joint and sums it.
    fn assemble(
        &self,
        case: &Case,
        values: &[f64],
        priors: &[f64],
        groups: &[(Vec<f64>, Vec<f64>)],
    ) -> Option<(Vec<f64>, Vec<f64>)> {
        let (k, m) = (self.k, self.m);
        let scale: Vec<f64> = (0..k)
            .map(|h| ln(priors[h]) + groups.iter().map(|(_, s)| s[h]).sum::<f64>())
            .collect();
        // The assumptions are independent given the hypothesis, and each one a likelihood
        // depends on is in exactly one group: the joint over the 2^m states factorises into
        // one sum per group over its own states (the other assumptions sum to 1), so the
        // draw costs the groups' states, not 2^m.
        let p_of = |a: AssumptionId, h: usize| values[case.assumptions[a.idx()].prior[h].idx()];
        let mut sums = vec![1.0; k];
        let mut best = vec![1.0f64; k];
        let mut grouped = vec![false; m];
        // per component: Z_c(h), and per member the part of it with that assumption true
        let mut parts: Vec<ComponentSums> = Vec::new();
        for c in &self.components {
            let n_local = 1usize << c.members.len();
            // the priors of the component's states, per hypothesis, by doubling, times
            // each of its groups' tables
            let mut joint = vec![0.0; n_local * k];
            joint[..k].fill(1.0);
            for (i, a) in c.members.iter().enumerate() {
                grouped[a.idx()] = true;
                let half = 1usize << i;
                for l in 0..half {
                    for h in 0..k {
                        let (v, p) = (joint[l * k + h], p_of(*a, h));
                        joint[(l + half) * k + h] = v * p;
                        joint[l * k + h] = v * (1.0 - p);
                    }
                }
            }
            for (g, index) in &c.groups {
                let table = &groups[*g].0;
                for (row, local) in joint.chunks_mut(k).zip(index) {
                    let at = *local as usize * k;
                    for (v, x) in row.iter_mut().zip(&table[at..at + k]) {
                        *v *= x;
                    }
                }
            }
            let mut z = vec![0.0; k];
            let mut top = vec![0.0f64; k];
            let mut with: Vec<(usize, Vec<f64>)> =
                c.members.iter().map(|a| (a.idx(), vec![0.0; k])).collect();
            for (l, row) in joint.chunks(k).enumerate() {
                for h in 0..k {
                    let x = row[h];
                    z[h] += x;
                    top[h] = top[h].max(x);
                    let mut bits = l;
                    while bits != 0 {
                        with[bits.trailing_zeros() as usize].1[h] += x;
                        bits &= bits - 1;
                    }
                }
            }
            for h in 0..k {
                sums[h] *= z[h];
                best[h] *= top[h];
            }
            parts.push((z, with));
        }
        // an assumption no likelihood depends on: its likelier state in the best one
        for (j, _) in case
            .assumptions
            .iter()
            .enumerate()
            .filter(|(j, _)| !grouped[*j])
        {
            for (h, b) in best.iter_mut().enumerate() {
                let p = p_of(AssumptionId(j as u32), h);
                *b *= p.max(1.0 - p);
            }
        }
        let live = |h: usize| scale[h] > f64::NEG_INFINITY;
        if (0..k).any(|h| live(h) && !(best[h] >= TRUSTED && sums[h].is_finite())) {
            return None;
        }
        let log_h: Vec<f64> = (0..k)
            .map(|h| {
                if live(h) {
                    scale[h] + sums[h].ln()
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();
        let total = log_sum(&log_h);
        if !total.is_finite() {
            return None;
        }
        let post: Vec<f64> = log_h.iter().map(|x| (x - total).exp()).collect();
        // the assumptions: every state weighted by its hypothesis's share
        let top = scale.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = (0..k).map(|h| (scale[h] - top).exp() * sums[h]).collect();
        let all: f64 = w.iter().sum();
        // an assumption no likelihood depends on keeps its prior, per hypothesis; the others
        // come from their component's sums below
        let mut marginal: Vec<f64> = (0..m)
            .map(|j| match grouped[j] {
                true => 0.0,
                false => (0..k).map(|h| w[h] * p_of(AssumptionId(j as u32), h)).sum(),
            })
            .collect();
        for (z, with) in &parts {
            for (j, zj) in with {
                marginal[*j] = (0..k)
                    .filter(|h| z[*h] > 0.0)
                    .map(|h| w[h] * zj[h] / z[h])
                    .sum();
            }
        }
        Some((post, marginal.iter().map(|x| x / all).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::{LogProduct, root_weights};

    #[test]
    fn root_weights_by_hand_in_and_out_of_logs() {
        let cases = [
            (0.7, 0.3, 0.05),
            (0.9, 1e-200, 0.4),
            (0.5, 0.0, 0.2),
            (0.6, 0.0, 0.0),
            (1.0, 0.2, 0.1),
        ];
        for (r, a, b) in cases {
            let s = r * a + (1.0 - r) * b;
            let (wa, wb) = if s > 0.0 {
                (r * a / s, (1.0 - r) * b / s)
            } else {
                (0.0, 0.0)
            };
            let plain = |x: f64| {
                let mut p = LogProduct::ONE;
                p.mul(x);
                p
            };
            // the same products with their exponent moved into the logarithm
            let logs = |x: f64| LogProduct {
                log: x.ln(),
                p: 1.0,
            };
            for (pa, pb) in [(plain(a), plain(b)), (logs(a), logs(b))] {
                let (scale, got_a, got_b) = root_weights(r, pa, pb);
                let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * y.abs().max(1e-300);
                assert!(
                    scale.ln() == s.ln() || close(scale.ln(), s.ln()),
                    "{r} {a} {b}: scale {} vs {}",
                    scale.ln(),
                    s.ln()
                );
                assert!((got_a - wa).abs() <= 1e-12, "{r} {a} {b}: {got_a} vs {wa}");
                assert!((got_b - wb).abs() <= 1e-12, "{r} {a} {b}: {got_b} vs {wb}");
            }
        }
    }

    #[test]
    fn log_products_keep_their_exponent() {
        // 10,000 factors of 1e-3 underflow a plain product after about 100
        let mut p = LogProduct::ONE;
        for _ in 0..10_000 {
            p.mul(1e-3);
        }
        let expected = 10_000.0 * 1e-3f64.ln();
        assert!((p.ln() - expected).abs() <= 1e-9 * expected.abs());
        // huge and tiny factors alternate: they cancel
        let mut p = LogProduct::ONE;
        for _ in 0..1_000 {
            p.mul(1e200);
            p.mul(1e-200);
            p.mul(0.5);
        }
        let expected = 1_000.0 * 0.5f64.ln();
        assert!((p.ln() - expected).abs() <= 1e-9 * expected.abs());
        // a zero makes the product zero for good
        let mut p = LogProduct::ONE;
        p.mul(0.0);
        p.mul(1e300);
        assert_eq!(p.ln(), f64::NEG_INFINITY);
    }
}
