//! Every vertex of the bands, for the bounds' exhaustive enumeration.
//!
//! A vertex sets each banded input to one end of its band. An echo tree's table depends
//! only on the banded inputs of its own items (and on banded hypothesis priors, which enter
//! every item's rate `q_e`), and the priors' part of the joint only on the priors of
//! hypotheses and assumptions. So each table is computed once per combination of the
//! inputs it depends on, and each vertex sums the tables it needs, in the order
//! [`super::joint::joint`] sums them: every vertex's posterior is the same, bit for bit,
//! as the joint computed afresh there, without the logarithms of every item at every vertex.
//! A table that depends on every banded input (nothing to share), or whose combinations
//! would take more than [`CACHE_FLOATS`], is computed at each vertex instead.

use super::joint::{Structure, assemble, group_tables, hypothesis_priors, prior_part, tree_table};
use crate::model::{Case, Entry};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// The most numbers kept in tables shared between vertices (32 MiB).
pub const CACHE_FLOATS: usize = 1 << 22;

/// Per target, its least and greatest value with the first vertex where each was found
/// (`None`: none beyond the point).
pub type Extremes = Vec<[(f64, Option<u64>); 2]>;

/// A table computed per combination of the banded inputs it depends on.
struct Shared {
    /// Positions (among the banded inputs) of the inputs it depends on, ascending.
    bits: Vec<usize>,
    /// Its value per combination of those inputs (bit `j` of the index: `bits[j]` at its
    /// upper end); empty when computed at each vertex.
    tables: Vec<Vec<f64>>,
}

impl Shared {
    /// The index of vertex `mask`'s combination of this table's inputs.
    fn index(&self, mask: u64) -> usize {
        self.bits
            .iter()
            .enumerate()
            .fold(0, |acc, (j, &b)| acc | (((mask >> b) & 1) as usize) << j)
    }

    /// A vertex with combination `index` of this table's inputs, the other inputs low:
    /// the inverse of [`Shared::index`].
    fn mask_of(&self, index: usize) -> u64 {
        self.bits
            .iter()
            .enumerate()
            .fold(0, |acc, (j, &b)| acc | (((index >> j) & 1) as u64) << b)
    }
}

/// The vertices of a case's bands, with the tables they share.
pub struct Vertices<'a> {
    case: &'a Case,
    structure: &'a Structure,
    /// The banded inputs (parameter indices).
    vars: &'a [usize],
    /// Input values at the point.
    base: Vec<f64>,
    /// Per tree, its group.
    group_of: Vec<usize>,
    trees: Vec<Shared>,
    /// The priors' part.
    part: Shared,
}

impl<'a> Vertices<'a> {
    /// Computes the shared tables for the banded inputs `vars` (at most 63).
    pub fn new(case: &'a Case, structure: &'a Structure, vars: &'a [usize]) -> Self {
        Self::with_room(case, structure, vars, CACHE_FLOATS)
    }

    /// [`Vertices::new`] keeping at most `room` numbers in shared tables (0: every table
    /// is computed at each vertex).
    pub fn with_room(
        case: &'a Case,
        structure: &'a Structure,
        vars: &'a [usize],
        mut room: usize,
    ) -> Self {
        let position = |p: usize| vars.iter().position(|v| *v == p);
        // banded hypothesis priors enter every table
        let prior_bits: Vec<usize> = case
            .hypotheses
            .iter()
            .filter_map(|h| h.prior.and_then(|p| position(p.idx())))
            .collect();
        let mut part_bits = prior_bits.clone();
        for a in &case.assumptions {
            part_bits.extend(a.prior.iter().filter_map(|p| position(p.idx())));
        }
        let mut group_of = vec![0; structure.trees.len()];
        for (g, (_, members)) in structure.groups.iter().enumerate() {
            for &t in members {
                group_of[t] = g;
            }
        }
        let tree_bits: Vec<Vec<usize>> = structure
            .trees
            .iter()
            .map(|tree| {
                let mut bits = prior_bits.clone();
                for (item, _) in &tree.items {
                    for entry in &case.items[item.idx()].likelihood.entries {
                        if let Entry::Param(p) = entry
                            && let Some(b) = position(p.idx())
                        {
                            bits.push(b);
                        }
                    }
                }
                bits
            })
            .collect();
        let k = case.hypotheses.len();
        let mut me = Vertices {
            case,
            structure,
            vars,
            base: case.point_values(),
            group_of,
            trees: Vec::new(),
            part: Shared {
                bits: Vec::new(),
                tables: Vec::new(),
            },
        };
        // a table is shared when it has fewer combinations than there are vertices and
        // they fit in what is left of the cache
        let mut share = |mut bits: Vec<usize>, len: usize| {
            bits.sort_unstable();
            bits.dedup();
            let combos = 1usize << bits.len();
            let fits = bits.len() < vars.len() && combos.saturating_mul(len) <= room;
            if fits {
                room -= combos * len;
            }
            (bits, fits)
        };
        let n_states = 1usize << case.assumptions.len();
        let (bits, fits) = share(part_bits, n_states * k);
        me.part.bits = bits;
        if fits {
            me.part.tables = (0..1usize << me.part.bits.len())
                .map(|i| {
                    let values = me.values(me.part.mask_of(i));
                    prior_part(case, &values, &hypothesis_priors(case, &values))
                })
                .collect();
        }
        for (t, bits) in tree_bits.into_iter().enumerate() {
            let conds = &structure.groups[me.group_of[t]].0;
            let (bits, fits) = share(bits, (1usize << conds.len()) * k);
            let mut shared = Shared {
                bits,
                tables: Vec::new(),
            };
            if fits {
                shared.tables = (0..1usize << shared.bits.len())
                    .map(|i| {
                        let values = me.values(shared.mask_of(i));
                        let priors = hypothesis_priors(case, &values);
                        tree_table(case, &structure.trees[t], conds, &values, &priors)
                    })
                    .collect();
            }
            me.trees.push(shared);
        }
        me
    }

    /// The input values at vertex `mask` (bit `j`: `vars[j]` at its upper end).
    pub fn values(&self, mask: u64) -> Vec<f64> {
        let mut values = self.base.clone();
        self.set(&mut values, mask);
        values
    }

    fn set(&self, values: &mut [f64], mask: u64) {
        for (j, &p) in self.vars.iter().enumerate() {
            let v = &self.case.params[p].value;
            values[p] = if (mask >> j) & 1 == 1 { v.hi } else { v.lo };
        }
    }

    /// The posterior at vertex `mask` (`None` when the evidence is impossible there);
    /// `values` is scratch space holding the point values outside the banded inputs.
    pub fn posterior(&self, mask: u64, values: &mut [f64]) -> Option<Vec<f64>> {
        let (case, structure) = (self.case, self.structure);
        let k = case.hypotheses.len();
        self.set(values, mask);
        let fresh_part = self.part.tables.is_empty();
        let fresh_tree = self.trees.iter().any(|s| s.tables.is_empty());
        let priors = if fresh_part || fresh_tree {
            hypothesis_priors(case, values)
        } else {
            Vec::new()
        };
        let fresh: Vec<Option<Vec<f64>>> = self
            .trees
            .iter()
            .enumerate()
            .map(|(t, s)| {
                s.tables.is_empty().then(|| {
                    let conds = &structure.groups[self.group_of[t]].0;
                    tree_table(case, &structure.trees[t], conds, values, &priors)
                })
            })
            .collect();
        let table = |t: usize| match &fresh[t] {
            Some(table) => table.as_slice(),
            None => self.trees[t].tables[self.trees[t].index(mask)].as_slice(),
        };
        let groups = group_tables(structure, &table, k);
        let part = if fresh_part {
            prior_part(case, values, &priors)
        } else {
            self.part.tables[self.part.index(mask)].clone()
        };
        assemble(structure, k, case.assumptions.len(), part, &|g| &groups[g]).posterior()
    }

    /// The least and greatest value of each target (`targets` of a posterior, as many as
    /// `point` holds) over every vertex, each with the first
    /// vertex (in mask order) where it is found; `point` starts each, and a vertex replaces
    /// it only when strictly beyond. The vertices are split into runs evaluated in
    /// parallel and merged in order, so the result does not depend on the threads.
    pub fn extremes(
        &self,
        targets: &(dyn Fn(&[f64]) -> Vec<f64> + Sync),
        point: &[f64],
    ) -> Extremes {
        let n = 1u64 << self.vars.len();
        let runs = n.div_ceil(256);
        let run_of = |r: u64| {
            let mut values = self.base.clone();
            let mut best = vec![[(f64::INFINITY, None), (f64::NEG_INFINITY, None)]; point.len()];
            for mask in r * 256..((r + 1) * 256).min(n) {
                let Some(post) = self.posterior(mask, &mut values) else {
                    continue;
                };
                for (b, p) in best.iter_mut().zip(targets(&post)) {
                    if p < b[0].0 {
                        b[0] = (p, Some(mask));
                    }
                    if p > b[1].0 {
                        b[1] = (p, Some(mask));
                    }
                }
            }
            best
        };
        let found: Vec<Extremes> = maybe_par_iter!(0..runs).map(run_of).collect();
        let mut out: Extremes = point.iter().map(|p| [(*p, None), (*p, None)]).collect();
        for run in found {
            for (o, b) in out.iter_mut().zip(run) {
                if b[0].0 < o[0].0 {
                    o[0] = b[0];
                }
                if b[1].0 > o[1].0 {
                    o[1] = b[1];
                }
            }
        }
        out
    }
}
