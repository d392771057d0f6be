//! What changed between two versions of a case, and how each change moved the judgment.
//!
//! A change is one declaration added, removed or rewritten (comments and layout do not
//! count), found by kind and name. The changes are applied to the old version one at a time
//! in a stated order — the header, yardsticks and grading; hypotheses; assumptions; sources;
//! evidence removed, rewritten, added; then judgments, expectations and the outcome — and
//! each one's contribution to a hypothesis is the change in that hypothesis's log-odds
//! against the rest (point posteriors) when it is applied: the contributions add up to the
//! whole change exactly. A change that does not make a valid case on its own (an item naming
//! a source added later) is applied together with the next ones until the case checks, and
//! the group is reported as one. With at most [`SHAPLEY_MAX`] groups, the Shapley value of
//! each (its contribution averaged over every order) is reported as well.

use crate::check::check_source;
use crate::infer;
use crate::model::Case;
use crate::syntax::keyword::Keyword;
use crate::syntax::tree::{self, Declaration, SyntaxKind};
use rowan::NodeOrToken;
use serde::Serialize;

/// The most groups of changes for which Shapley values are computed (2^12 evaluations).
pub const SHAPLEY_MAX: usize = 12;

/// What happened to a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// In the new version only.
    Added,
    /// In the old version only.
    Removed,
    /// In both, written differently.
    Changed,
}

/// One changed declaration.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Its keyword (`evidence`, `hypothesis`, …).
    pub keyword: String,
    /// Its name (empty for the case header and grading).
    pub id: String,
    /// What changed, field by field: `given apt: likely -> highly likely`, `+ depends on x`.
    pub details: Vec<String>,
    /// The group it was applied in (an index into [`Diff::groups`]).
    pub group: usize,
}

/// Changes applied together, with their contribution to each hypothesis.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Group {
    /// Indexes into [`Diff::changes`].
    pub changes: Vec<usize>,
    /// Per hypothesis (in [`Diff::hypotheses`] order): the change in natural-log odds
    /// against the rest when the group is applied (`null` when a posterior is 0 or 1).
    pub contribution: Vec<Option<f64>>,
    /// The Shapley value of the group per hypothesis, when computed.
    pub shapley: Option<Vec<Option<f64>>>,
}

/// How one hypothesis moved.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Move {
    /// The hypothesis.
    pub id: String,
    /// Its point posterior in the old version.
    pub before: f64,
    /// In the new version.
    pub after: f64,
    /// The yardstick's words for each.
    pub term_before: String,
    /// The words after.
    pub term_after: String,
    /// The written term before (semantics section 7: the band's term, or in a gap the
    /// nearer term).
    pub written_before: String,
    /// The written term after.
    pub written_after: String,
    /// The whole change in natural-log odds against the rest (`null` when infinite).
    pub log_odds_change: Option<f64>,
}

/// How the verdict on one of the case's judgments moved.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct VerdictMove {
    /// The judgment's id.
    pub id: String,
    /// Its verdict in the old version (`null` when it is new).
    pub before: Option<crate::vocab::Verdict>,
    /// In the new version (`null` when it is gone).
    pub after: Option<crate::vocab::Verdict>,
}

/// The differences between two versions of a case.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diff {
    /// Every changed declaration, in the order applied.
    pub changes: Vec<Change>,
    /// The changes as applied: one group per step.
    pub groups: Vec<Group>,
    /// Hypotheses in both versions, with how they moved.
    pub hypotheses: Vec<Move>,
    /// Groups of hypotheses (`group` declarations) in both versions, with how they moved
    /// (a group's probability is its members' sum in each version).
    pub levels: Vec<Move>,
    /// Hypotheses in one version only.
    pub hypotheses_added: Vec<String>,
    /// Hypotheses in the old version only.
    pub hypotheses_removed: Vec<String>,
    /// Why Shapley values are missing, when they are.
    pub shapley_note: Option<String>,
    /// The judgments (`judgment` declarations) whose verdict changed, came or went.
    pub verdicts: Vec<VerdictMove>,
    /// Whether the written term of any hypothesis or group changed (or a hypothesis came or
    /// went).
    pub term_changed: bool,
}

/// Why two versions cannot be compared.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DiffError {
    /// A version has errors.
    #[error("the {0} version has errors (see `acre check`)")]
    #[diagnostic(code("acre::case-has-errors"))]
    HasErrors(&'static str),
    /// A version's evidence is impossible.
    #[error("the {0} version's evidence is impossible under every hypothesis")]
    #[diagnostic(code("acre::impossible-evidence"))]
    Impossible(&'static str),
}

/// A declaration of one version: its key, its text as written, and its text normalised.
#[derive(Clone, Debug)]
struct Decl {
    key: (String, String),
    text: String,
    normal: String,
    /// The declaration without its fields: keyword, name, label and what else its first
    /// line says.
    head: String,
    fields: Vec<String>,
    rank: u8,
}

fn declarations(source: &str) -> Vec<Decl> {
    let parse = tree::parse(source);
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    parse
        .declarations()
        .map(|d| {
            let keyword = d
                .keyword()
                .map_or_else(String::new, |k| k.as_str().to_string());
            let normal = normalise(d.syntax());
            let name = match d.keyword() {
                Some(Keyword::Expect) => normal.trim_start_matches("expect ").to_string(),
                _ => d.name().map_or_else(String::new, |n| n.text().to_string()),
            };
            // a second declaration with the same key (two `grading` blocks) is its own
            let n = seen.entry((keyword.clone(), name.clone())).or_default();
            *n += 1;
            let name = if *n > 1 { format!("{name}#{n}") } else { name };
            Decl {
                rank: rank(d.keyword()),
                key: (keyword, name),
                text: d.syntax().to_string(),
                normal,
                head: head(&d),
                fields: fields(&d),
            }
        })
        .collect()
}

/// The order in which kinds of change are applied.
fn rank(k: Option<Keyword>) -> u8 {
    match k {
        Some(Keyword::Case | Keyword::Yardstick | Keyword::Grading) => 0,
        Some(Keyword::Hypothesis) => 1,
        Some(Keyword::Assumption) => 2,
        Some(Keyword::Source) => 3,
        Some(Keyword::Evidence) => 4,
        _ => 6,
    }
}

/// The significant tokens of a node, one space apart (comments and layout left out).
pub(crate) fn normalise(node: &tree::SyntaxNode) -> String {
    let mut out = String::new();
    for t in node
        .descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|t| !t.kind().is_trivia())
    {
        if !out.is_empty() && !matches!(t.kind(), SyntaxKind::Colon | SyntaxKind::Comma) {
            out.push(' ');
        }
        out.push_str(t.text());
    }
    out
}

/// The significant tokens of a declaration outside its fields, one space apart.
fn head(d: &Declaration) -> String {
    let ranges: Vec<rowan::TextRange> = d.fields().map(|f| f.syntax().text_range()).collect();
    let mut out = String::new();
    for t in d
        .syntax()
        .descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|t| !t.kind().is_trivia())
        .filter(|t| !ranges.iter().any(|r| r.contains_range(t.text_range())))
        .filter(|t| !matches!(t.kind(), SyntaxKind::LBrace | SyntaxKind::RBrace))
    {
        if !out.is_empty() && !matches!(t.kind(), SyntaxKind::Colon | SyntaxKind::Comma) {
            out.push(' ');
        }
        out.push_str(t.text());
    }
    out
}

/// What changed in a declaration's head, word by word: the label (`label: "old" -> "new"`),
/// or the rest of the line (`prior 20% -> prior 30%`).
fn head_details(old: &str, new: &str) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    // the quoted label, when only it differs
    let label = |s: &str| -> Option<(String, String)> {
        let start = s.find('"')?;
        let end = s[start + 1..].find('"')? + start + 1;
        Some((
            s[start..=end].to_string(),
            format!("{}{}", &s[..start], &s[end + 1..]),
        ))
    };
    match (label(old), label(new)) {
        (Some((lo, ro)), Some((ln, rn))) if ro == rn => vec![format!("label: {lo} -> {ln}")],
        (Some((lo, ro)), Some((ln, rn))) if lo == ln => vec![format!("{ro} -> {rn}")],
        (Some((lo, ro)), Some((ln, rn))) => {
            vec![format!("label: {lo} -> {ln}"), format!("{ro} -> {rn}")]
        }
        _ => vec![format!("{old} -> {new}")],
    }
}

fn fields(d: &Declaration) -> Vec<String> {
    let group = d.keyword() == Some(Keyword::Group);
    d.fields()
        .map(|f| {
            let field = normalise(f.syntax());
            // a group's members listed without their keyword read as `members ...`
            if group && f.keyword().is_none() {
                format!("members {field}")
            } else {
                field
            }
        })
        .collect()
}

/// The key of a field, to pair an old field with its new version: the text before `:`, or
/// the keyword.
fn field_key(f: &str) -> &str {
    match f.find(':') {
        Some(at) => &f[..at],
        None => f.split(' ').next().unwrap_or(f),
    }
}

/// Field-level differences: `key: old -> new`, `+ field`, `- field`.
fn details(old: &[String], new: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut unmatched_new: Vec<&String> = new.iter().filter(|f| !old.contains(f)).collect();
    for o in old.iter().filter(|f| !new.contains(f)) {
        let key = field_key(o);
        match unmatched_new.iter().position(|n| field_key(n) == key) {
            Some(i) => {
                let n = unmatched_new.remove(i);
                let old_value = o[key.len()..].trim_start_matches(':').trim();
                let new_value = n[key.len()..].trim_start_matches(':').trim();
                out.push(format!("{key}: {old_value} -> {new_value}"));
            }
            None => out.push(format!("- {o}")),
        }
    }
    out.extend(unmatched_new.into_iter().map(|n| format!("+ {n}")));
    out
}

/// The point posterior of each hypothesis of a version's text (by id), or why not.
fn evaluate(text: &str) -> Option<(Case, Vec<f64>)> {
    version(text, "").ok()
}

/// A version's case and point posterior, or why there is none (`which`: old or new).
fn version(text: &str, which: &'static str) -> Result<(Case, Vec<f64>), DiffError> {
    let case = check_source(text).case.ok_or(DiffError::HasErrors(which))?;
    let (post, _) =
        infer::point_posterior(&case, &|_| true).map_err(|_| DiffError::Impossible(which))?;
    Ok((case, post))
}

/// `ln(p / (1 - p))`, `None` at 0 and 1.
fn log_odds(p: f64) -> Option<f64> {
    (p > 0.0 && p < 1.0).then(|| (p / (1.0 - p)).ln())
}

/// The log-odds of each of `ids` in an evaluated version.
fn odds_of(ids: &[String], case: &Case, post: &[f64]) -> Vec<Option<f64>> {
    ids.iter()
        .map(|id| {
            case.hypotheses
                .iter()
                .position(|h| &h.id == id)
                .and_then(|i| log_odds(post[i]))
        })
        .collect()
}

/// Compares two versions of a case.
pub fn diff(old_text: &str, new_text: &str) -> Result<Diff, DiffError> {
    let (old_case, old_post) = version(old_text, "old")?;
    let (new_case, new_post) = version(new_text, "new")?;
    let old = declarations(old_text);
    let new = declarations(new_text);
    // the changes, in the stated order
    let mut changes: Vec<(Change, u8, Option<usize>, Option<usize>)> = Vec::new();
    for (j, n) in new.iter().enumerate() {
        match old.iter().position(|o| o.key == n.key) {
            Some(i) if old[i].normal == n.normal => {}
            Some(i) => changes.push((
                Change {
                    kind: ChangeKind::Changed,
                    keyword: n.key.0.clone(),
                    id: n.key.1.clone(),
                    details: head_details(&old[i].head, &n.head)
                        .into_iter()
                        .chain(details(&old[i].fields, &n.fields))
                        .collect(),
                    group: 0,
                },
                n.rank * 3 + 1,
                Some(i),
                Some(j),
            )),
            None => changes.push((
                Change {
                    kind: ChangeKind::Added,
                    keyword: n.key.0.clone(),
                    id: n.key.1.clone(),
                    details: n.fields.iter().map(|f| format!("+ {f}")).collect(),
                    group: 0,
                },
                n.rank * 3 + 2,
                None,
                Some(j),
            )),
        }
    }
    for (i, o) in old.iter().enumerate() {
        if !new.iter().any(|n| n.key == o.key) {
            changes.push((
                Change {
                    kind: ChangeKind::Removed,
                    keyword: o.key.0.clone(),
                    id: o.key.1.clone(),
                    details: Vec::new(),
                    group: 0,
                },
                // evidence leaves before other evidence changes; other kinds after theirs
                if o.rank == 4 { 4 * 3 } else { o.rank * 3 + 2 },
                Some(i),
                None,
            ));
        }
    }
    changes.sort_by_key(|c| c.1);

    let ids: Vec<String> = old_case
        .hypotheses
        .iter()
        .filter(|h| new_case.hypotheses.iter().any(|n| n.id == h.id))
        .map(|h| h.id.clone())
        .collect();
    let before = odds_of(&ids, &old_case, &old_post);
    let after = odds_of(&ids, &new_case, &new_post);

    // changes that need each other (a new item and its new source; a removed hypothesis and
    // the items that named it) form one group, groups in the order of their first change
    let components = linked(&changes, &old, &new);

    // apply one group at a time; one that leaves an invalid case joins the next ones
    let mut applied = vec![false; changes.len()];
    let mut groups: Vec<Group> = Vec::new();
    let mut current = before.clone();
    let mut pending: Vec<usize> = Vec::new();
    for (n, component) in components.iter().enumerate() {
        for &c in component {
            applied[c] = true;
            pending.push(c);
        }
        let last = n + 1 == components.len();
        let valued = if last {
            Some(after.clone())
        } else {
            evaluate(&apply(&changes, &old, &new, &applied))
                .map(|(case, post)| odds_of(&ids, &case, &post))
        };
        if let Some(now) = valued {
            let contribution = now
                .iter()
                .zip(&current)
                .map(|(a, b)| Some(a.as_ref()? - b.as_ref()?))
                .collect();
            pending.sort_unstable();
            for &p in &pending {
                changes[p].0.group = groups.len();
            }
            groups.push(Group {
                changes: std::mem::take(&mut pending),
                contribution,
                shapley: None,
            });
            current = now;
        }
    }

    let shapley_note = shapley(&mut groups, &changes, &old, &new, &ids, &before, &after);

    let words = |case: &Case, p: f64| infer::words::place(&case.yardstick, p).words;
    let written = |case: &Case, p: f64| {
        case.yardstick.terms[infer::words::written(&case.yardstick, p)]
            .name
            .clone()
    };
    let moves: Vec<Move> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let i = old_case
                .hypotheses
                .iter()
                .position(|h| &h.id == id)
                .unwrap_or(0);
            let j = new_case
                .hypotheses
                .iter()
                .position(|h| &h.id == id)
                .unwrap_or(0);
            Move {
                id: id.clone(),
                before: old_post[i],
                after: new_post[j],
                term_before: words(&old_case, old_post[i]),
                term_after: words(&new_case, new_post[j]),
                written_before: written(&old_case, old_post[i]),
                written_after: written(&new_case, new_post[j]),
                log_odds_change: after[k].zip(before[k]).map(|(a, b)| a - b),
            }
        })
        .collect();
    let hypotheses_added: Vec<String> = new_case
        .hypotheses
        .iter()
        .filter(|h| !ids.contains(&h.id))
        .map(|h| h.id.clone())
        .collect();
    let hypotheses_removed: Vec<String> = old_case
        .hypotheses
        .iter()
        .filter(|h| !ids.contains(&h.id))
        .map(|h| h.id.clone())
        .collect();
    let group_sum = |case: &Case, post: &[f64], id: &str| -> Option<f64> {
        let g = case.groups.iter().find(|g| g.id == id)?;
        Some(g.hypotheses.iter().map(|h| post[h.idx()]).sum())
    };
    let logit = |p: f64| (p / (1.0 - p)).ln();
    let levels: Vec<Move> = old_case
        .groups
        .iter()
        .filter_map(|g| {
            let before = group_sum(&old_case, &old_post, &g.id)?;
            let after = group_sum(&new_case, &new_post, &g.id)?;
            let change = logit(after) - logit(before);
            Some(Move {
                id: g.id.clone(),
                before,
                after,
                term_before: words(&old_case, before),
                term_after: words(&new_case, after),
                written_before: written(&old_case, before),
                written_after: written(&new_case, after),
                log_odds_change: change.is_finite().then_some(change),
            })
        })
        .collect();
    let term_changed = moves
        .iter()
        .chain(&levels)
        .any(|m| m.written_before != m.written_after)
        || !hypotheses_added.is_empty()
        || !hypotheses_removed.is_empty();
    let verdicts = verdict_moves(&old_case, &new_case);
    Ok(Diff {
        changes: changes.into_iter().map(|c| c.0).collect(),
        groups,
        hypotheses: moves,
        levels,
        hypotheses_added,
        hypotheses_removed,
        shapley_note,
        verdicts,
        term_changed,
    })
}

/// The judgments whose verdict differs between the versions, or that are in one only. The
/// verdicts need each version's 90% interval: both are assessed with the default draws (no
/// bounds search: verdicts use the point and the interval only).
fn verdict_moves(old: &Case, new: &Case) -> Vec<VerdictMove> {
    if old.judgments.is_empty() && new.judgments.is_empty() {
        return Vec::new();
    }
    let verdicts = |case: &Case| -> Vec<(String, Option<crate::vocab::Verdict>)> {
        let a = infer::assess_unbounded(case, &infer::Options::default()).ok();
        (0..case.judgments.len())
            .map(|j| {
                (
                    case.judgments[j].id.clone(),
                    a.as_ref().map(|a| infer::judgment_verdict(case, a, j)),
                )
            })
            .collect()
    };
    let (before, after) = (verdicts(old), verdicts(new));
    let mut out: Vec<VerdictMove> = after
        .iter()
        .map(|(id, v)| VerdictMove {
            id: id.clone(),
            before: before.iter().find(|(b, _)| b == id).and_then(|(_, v)| *v),
            after: *v,
        })
        .collect();
    out.extend(
        before
            .iter()
            .filter(|(id, _)| !after.iter().any(|(a, _)| a == id))
            .map(|(id, v)| VerdictMove {
                id: id.clone(),
                before: *v,
                after: None,
            }),
    );
    out.retain(|m| m.before != m.after);
    out
}

/// The words of a normalised declaration.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', ':', ',']).filter(|w| !w.is_empty())
}

/// The changes grouped by need: a change that uses a name another change adds, or that
/// used a name another change removes, goes with it. Groups in the order of their first
/// change.
fn linked(
    changes: &[(Change, u8, Option<usize>, Option<usize>)],
    old: &[Decl],
    new: &[Decl],
) -> Vec<Vec<usize>> {
    let n = changes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    // only these declare names that others use
    let declares = |k: &str| {
        matches!(
            Keyword::from_word(k),
            Some(
                Keyword::Hypothesis
                    | Keyword::Source
                    | Keyword::Assumption
                    | Keyword::Evidence
                    | Keyword::Yardstick
            )
        )
    };
    for (a, (change, _, _, _)) in changes.iter().enumerate() {
        if change.id.is_empty() || change.kind == ChangeKind::Changed || !declares(&change.keyword)
        {
            continue;
        }
        for (c, (_, _, o, nw)) in changes.iter().enumerate() {
            if c == a {
                continue;
            }
            let text = match change.kind {
                ChangeKind::Added => nw.map(|j| new[j].normal.as_str()),
                _ => o.map(|i| old[i].normal.as_str()),
            };
            if text.is_some_and(|t| words(t).any(|w| w == change.id)) {
                let (ra, rc) = (root(&mut parent, a), root(&mut parent, c));
                parent[ra.max(rc)] = ra.min(rc);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index_of_root: std::collections::HashMap<usize, usize> = Default::default();
    for c in 0..n {
        let r = root(&mut parent, c);
        let g = *index_of_root.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(c);
    }
    groups
}

/// Fills in the groups' Shapley values, or says why they are missing.
fn shapley(
    groups: &mut [Group],
    changes: &[(Change, u8, Option<usize>, Option<usize>)],
    old: &[Decl],
    new: &[Decl],
    ids: &[String],
    before: &[Option<f64>],
    after: &[Option<f64>],
) -> Option<String> {
    let n = groups.len();
    if n == 0 {
        return None;
    }
    if n > SHAPLEY_MAX {
        return Some(format!(
            "not computed: {n} groups of changes (at most {SHAPLEY_MAX})"
        ));
    }
    // the value of every coalition of groups
    let mut value: Vec<Vec<Option<f64>>> = Vec::with_capacity(1 << n);
    for mask in 0..(1usize << n) {
        if mask == 0 {
            value.push(before.to_vec());
            continue;
        }
        if mask == (1 << n) - 1 {
            value.push(after.to_vec());
            continue;
        }
        let mut applied = vec![false; changes.len()];
        for (g, group) in groups.iter().enumerate() {
            if mask >> g & 1 == 1 {
                for &c in &group.changes {
                    applied[c] = true;
                }
            }
        }
        let text = apply(changes, old, new, &applied);
        match evaluate(&text) {
            Some((case, post)) => value.push(odds_of(ids, &case, &post)),
            None => {
                return Some(
                    "not computed: some combinations of the changes do not make a valid case"
                        .to_string(),
                );
            }
        }
    }
    // weights |S|! (n - |S| - 1)! / n!
    let fact = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let total = fact(n);
    for (g, group) in groups.iter_mut().enumerate() {
        let mut phi: Vec<Option<f64>> = vec![Some(0.0); ids.len()];
        for mask in 0..(1usize << n) {
            if mask >> g & 1 == 1 {
                continue;
            }
            let s = mask.count_ones() as usize;
            let w = fact(s) * fact(n - s - 1) / total;
            let with = &value[mask | 1 << g];
            let without = &value[mask];
            for (h, slot) in phi.iter_mut().enumerate() {
                *slot = slot
                    .zip(with[h])
                    .zip(without[h])
                    .map(|((acc, a), b)| acc + w * (a - b));
            }
        }
        group.shapley = Some(phi);
    }
    None
}

/// The text of the old version with the `applied` changes made: their new declarations in
/// place of the old ones, removed ones left out, added ones at the end (declarations may
/// come in any order).
fn apply(
    changes: &[(Change, u8, Option<usize>, Option<usize>)],
    old: &[Decl],
    new: &[Decl],
    applied: &[bool],
) -> String {
    let mut decls: Vec<&str> = Vec::new();
    for (i, o) in old.iter().enumerate() {
        match changes.iter().position(|c| c.2 == Some(i)) {
            Some(c) if applied[c] => {
                if let Some(j) = changes[c].3 {
                    decls.push(&new[j].text);
                }
            }
            _ => decls.push(&o.text),
        }
    }
    for (c, change) in changes.iter().enumerate() {
        if applied[c]
            && change.2.is_none()
            && let Some(j) = change.3
        {
            decls.push(&new[j].text);
        }
    }
    decls.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "case \"t\" { question \"q\" }\nhypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nsource s \"S\" reliability B\nevidence e1 { from s credibility 2  given a: likely  otherwise: unlikely }\nevidence e2 { from s credibility 3  given a: unlikely  otherwise: likely }\n";

    #[test]
    fn contributions_add_up_and_details_name_the_fields() {
        let new = OLD
            .replace("given a: likely", "given a: highly likely")
            .replace(
                "evidence e2 { from s credibility 3  given a: unlikely  otherwise: likely }\n",
                "",
            )
            + "source t \"T\" reliability A\nevidence e3 { from t credibility 2  given a: almost certain  otherwise: remote chance }\n";
        let d = diff(OLD, &new).unwrap();
        let kinds: Vec<(ChangeKind, &str)> =
            d.changes.iter().map(|c| (c.kind, c.id.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (ChangeKind::Added, "t"),
                (ChangeKind::Removed, "e2"),
                (ChangeKind::Changed, "e1"),
                (ChangeKind::Added, "e3"),
            ]
        );
        assert_eq!(d.changes[2].details, ["given a: likely -> highly likely"]);
        let total = d.hypotheses[0].log_odds_change.unwrap();
        let sum: f64 = d.groups.iter().map(|g| g.contribution[0].unwrap()).sum();
        assert!((sum - total).abs() < 1e-9);
        let shapley: f64 = d
            .groups
            .iter()
            .map(|g| g.shapley.as_ref().unwrap()[0].unwrap())
            .sum();
        assert!((shapley - total).abs() < 1e-9);
        // the new source goes with the new item that cites it
        let members: Vec<Vec<usize>> = d.groups.iter().map(|g| g.changes.clone()).collect();
        assert_eq!(members, [vec![0, 3], vec![1], vec![2]]);
        // e2 removed (after the first group): e1 and e2 share source s (r = 0.90), so by hand
        // the tree's factor goes from r l'1 l'2 + (1 - r) q q to r l'1 + (1 - r) q, with
        // q = 0.5*0.65 + 0.5*0.30 and l' = c l + (1 - c) q (c = 0.90 for e1, 0.75 for e2)
        let q = 0.5 * 0.65 + 0.5 * 0.30;
        let l1 = |l: f64| 0.9 * l + 0.1 * q;
        let l2 = |l: f64| 0.75 * l + 0.25 * q;
        let both = |a: f64, b: f64| 0.9 * l1(a) * l2(b) + 0.1 * q * q;
        let one = |a: f64| 0.9 * l1(a) + 0.1 * q;
        let removed = (one(0.65) / one(0.30)).ln() - (both(0.65, 0.30) / both(0.30, 0.65)).ln();
        assert!((d.groups[1].contribution[0].unwrap() - removed).abs() < 1e-12);
        assert!(d.term_changed);
    }

    #[test]
    fn layout_and_comments_are_not_changes() {
        let new = format!("# a comment\n{}", OLD.replace("  given", "\n  given"));
        let d = diff(OLD, &new).unwrap();
        assert!(d.changes.is_empty());
        assert!(!d.term_changed);
        assert_eq!(d.hypotheses[0].log_odds_change, Some(0.0));
    }
}
