//! Stage 2: syntax tree to resolved [`Case`], with semantic diagnostics.
//!
//! Invariants: checking never fails; it returns the diagnostics and, when
//! there is no error, the case. Names are resolved, values are turned into
//! bands through the governing yardstick, graphs (echoes, dependencies) are
//! built with petgraph and proven acyclic here, so later stages need not.

mod evidence;
mod graphs;
mod groups;
mod header;
mod hypotheses;
pub mod includes;
mod judgments;
pub mod names;
pub mod partial;
mod sources;
mod values;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::lexicon::{self, Grading, Yardstick};
use crate::model::*;
use crate::span::Span;
use crate::syntax::ast::{self, CaseField, Item as AstItem, Prob, Status};
use names::SymbolKind as Kind;
use rustc_hash::FxHashMap as HashMap;
use values::ValueResolver;

/// How many assumptions exact enumeration handles (2^20 states).
pub const MAX_ASSUMPTIONS: usize = 20;

/// Findings about the file as a whole, withheld when it has syntax errors.
const WHOLE_FILE_CODES: &[Code] = &[Code::TooFewHypotheses, Code::NoCatchAll, Code::NoCaseHeader];

/// What checking produced.
#[derive(Debug)]
pub struct Checked {
    /// The case, when there were no errors.
    pub case: Option<Case>,
    /// Every diagnostic, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks a case file with the files it includes, read through `loader` (see
/// [`includes`]): the assembled text (the file, then each included one) and the result
/// of checking it, with the includes' own problems. Spans are offsets into the assembled
/// text, whose first segment is the file itself.
pub fn check_with_includes(
    name: &str,
    key: &str,
    source: &str,
    loader: includes::Loader,
) -> (includes::Assembled, Checked) {
    let mut assembled = includes::assemble(name, key, source, loader);
    let mut checked = check_source(&assembled.text);
    // a shared file declares more than one case uses: its unused declarations are no finding
    if let Some(first_included) = assembled.segments.get(1).map(|s| s.start) {
        checked.diagnostics.retain(|d| {
            d.code != crate::code::Code::Unused
                || d.primary().is_none_or(|p| p.start < first_included)
        });
    }
    includes::point_at_includes(&mut checked.diagnostics, &assembled.segments);
    if assembled.diagnostics.iter().any(Diagnostic::is_error) {
        checked.case = None;
    }
    checked.diagnostics.append(&mut assembled.diagnostics);
    checked
        .diagnostics
        .sort_by_key(|d| (d.primary().map_or(0, |s| s.start), d.code.as_str()));
    (assembled, checked)
}

/// Parses and checks a case file. `include` declarations are not followed (the library
/// reads no files): see [`check_with_includes`].
pub fn check_source(source: &str) -> Checked {
    let (file, mut diagnostics) = crate::syntax::parse(source);
    let parse_failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut checked = check(&file);
    if parse_failed {
        // whole-file findings are noise when declarations could not be read
        checked
            .diagnostics
            .retain(|d| !WHOLE_FILE_CODES.contains(&d.code));
    }
    diagnostics.append(&mut checked.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary().map_or(0, |s| s.start), d.code.as_str()));
    let mut case = if parse_failed { None } else { checked.case };
    if let Some(case) = &mut case {
        expectation_texts(case, source);
    }
    Checked { case, diagnostics }
}

/// Each expectation's text as written, on one line.
pub(crate) fn expectation_texts(case: &mut Case, source: &str) {
    for e in &mut case.expectations {
        e.text = e
            .span
            .text(source)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
}

struct Checker<'a> {
    file: &'a ast::CaseFile,
    diags: Vec<Diagnostic>,
    names: HashMap<&'a str, (Kind, usize, Span)>,
    hyps: Vec<&'a ast::HypothesisDecl>,
    groups: Vec<&'a ast::GroupDecl>,
    sources: Vec<&'a ast::SourceDecl>,
    assumptions: Vec<&'a ast::AssumptionDecl>,
    items: Vec<&'a ast::EvidenceDecl>,
    params: Vec<Param>,
    /// The `given` lines already reported as a second likelihood (by where they start), so
    /// each is reported once without searching the diagnostics.
    duplicate_lines: rustc_hash::FxHashSet<usize>,
    /// How many second likelihoods each item (by where it starts) has had reported.
    duplicates_per_item: rustc_hash::FxHashMap<usize, usize>,
}

/// Checks a parsed case file.
pub fn check(file: &ast::CaseFile) -> Checked {
    let mut c = Checker {
        file,
        diags: Vec::new(),
        names: HashMap::default(),
        hyps: Vec::new(),
        groups: Vec::new(),
        sources: Vec::new(),
        assumptions: Vec::new(),
        items: Vec::new(),
        params: Vec::new(),
        duplicate_lines: Default::default(),
        duplicates_per_item: Default::default(),
    };
    let case = c.run();
    let has_error = c.diags.iter().any(Diagnostic::is_error);
    Checked {
        case: if has_error { None } else { case },
        diagnostics: c.diags,
    }
}

/// A date as `(year, month, day)`: its earliest reading when `late` is false (missing parts
/// 0), its latest when true (missing parts 99).
pub fn date_key(date: &str, late: bool) -> (u32, u32, u32) {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let fill = if late { 99 } else { 0 };
    let y = parts.next().flatten().unwrap_or(fill);
    let m = parts.next().flatten().unwrap_or(fill);
    let d = parts.next().flatten().unwrap_or(fill);
    (y, m, d)
}

impl<'a> Checker<'a> {
    /// Items reported after the case's `assessed` date (surely after: a month or a year
    /// counts as its latest day): a warning in an open case, an error in a resolved one,
    /// which is scored as of `assessed` (calibration without hindsight); in a resolved case
    /// an item without a `reported` date is an error too.
    fn reported_after_assessed(&mut self, items: &[Item], assessed: Option<&str>, resolved: bool) {
        let Some(assessed) = assessed else {
            return;
        };
        for item in items {
            let Some((date, span)) = &item.reported else {
                // a resolved case is scored as of `assessed`: each counted item must say when
                // it became known
                if resolved && item.status != crate::vocab::Status::Pending {
                    self.diags.push(
                        Diagnostic::error(
                            Code::UnreportedItem,
                            format!("`{}` has no `reported` date, in a resolved case", item.id),
                        )
                        .with_label(item.span, "no `reported` date")
                        .with_help(format!(
                            "add `reported YYYY-MM-DD` (or `YYYY-MM`): when the item first became public (for a fact known at the event, the event's date), so the case is scored only on what was known by {assessed}"
                        )),
                    );
                }
                continue;
            };
            if date_key(date, false) > date_key(assessed, true) {
                let message = format!(
                    "`{}` was reported on {date}, after the case was assessed ({assessed})",
                    item.id
                );
                let d = if resolved {
                    Diagnostic::error(Code::ReportedAfterAssessed, message)
                        .with_label(*span, "after the `assessed` date, in a resolved case")
                        .with_help("a resolved case is scored as of `assessed`, so it may hold only what was known then: remove the item, or write a later case with a later `assessed` date")
                } else {
                    Diagnostic::warning(Code::ReportedAfterAssessed, message)
                        .with_label(*span, "after the `assessed` date")
                        .with_help("an assessment can only use what was known when it was made: move `assessed` later, or mark the item `pending` until it counts")
                };
                self.diags.push(d);
            }
        }
    }

    fn declare(&mut self, id: &'a ast::Ident, kind: Kind, idx: usize) -> bool {
        if let Some((prev_kind, _, prev_span)) = self.names.get(id.name.as_str()) {
            self.diags.push(
                Diagnostic::error(Code::DuplicateId, format!("`{}` is declared twice", id.name))
                    .with_label(id.span, format!("second declaration, as {}", kind.word()))
                    .with_label(*prev_span, format!("first declared here, as {}", prev_kind.word()))
                    .with_help("every hypothesis, source, assumption, item, judgment and yardstick needs its own name"),
            );
            return false;
        }
        self.names.insert(&id.name, (kind, idx, id.span));
        true
    }

    /// Resolves a name that must be of one of `kinds`.
    fn resolve(&mut self, id: &ast::Ident, kinds: &[Kind]) -> Option<(Kind, usize)> {
        match self.names.get(id.name.as_str()) {
            Some((kind, idx, _)) if kinds.contains(kind) => Some((*kind, *idx)),
            Some((kind, idx, span)) => {
                let wanted: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
                // a group where only hypotheses will do (a likelihood): name its members
                let help = match self.groups.get(*idx) {
                    Some(g) if *kind == Kind::Group && kinds == [Kind::Hypothesis] => {
                        let members: Vec<&str> =
                            g.members.iter().map(|m| m.name.as_str()).collect();
                        format!(
                            "likelihoods and supports are given per hypothesis: list the group's members instead, `{}`",
                            members.join(", ")
                        )
                    }
                    _ => format!("name {} here", wanted.join(" or ")),
                };
                self.diags.push(
                    Diagnostic::error(
                        Code::WrongKind,
                        format!(
                            "`{}` is {} {}, not {}",
                            id.name,
                            article(kind.word()),
                            kind.word(),
                            wanted.join(" or ")
                        ),
                    )
                    .with_label(id.span, format!("expected {}", wanted.join(" or ")))
                    .with_label(*span, format!("declared here as {}", kind.word()))
                    .with_help(help),
                );
                None
            }
            None => {
                let candidates: Vec<&str> = self
                    .names
                    .iter()
                    .filter(|(_, (k, _, _))| kinds.contains(k))
                    .map(|(n, _)| *n)
                    .collect();
                let wanted: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
                let mut known = candidates.clone();
                known.sort_unstable();
                let suggestion = crate::text::suggest(&id.name, candidates.iter().copied());
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => {
                        format!("declare the {} first", wanted.join(" or "))
                    }
                    None => format!(
                        "known: {}",
                        known
                            .iter()
                            .take(12)
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownId,
                        format!("unknown {} `{}`", wanted.join(" or "), id.name),
                    )
                    .with_label(id.span, "not declared anywhere in this file")
                    .with_fix_if(id.span, suggestion)
                    .with_help(help),
                );
                None
            }
        }
    }

    fn resolve_hyp(&mut self, id: &ast::Ident) -> Option<HypothesisId> {
        self.resolve(id, &[Kind::Hypothesis])
            .map(|(_, i)| HypothesisId(i as u32))
    }

    /// Resolves a name that may be a hypothesis or a group.
    fn resolve_proposition(&mut self, id: &ast::Ident) -> Option<Proposition> {
        match self.resolve(id, &[Kind::Hypothesis, Kind::Group])? {
            (Kind::Hypothesis, i) => Some(Proposition::Hypothesis(HypothesisId(i as u32))),
            (_, i) => Some(Proposition::Group(GroupId(i as u32))),
        }
    }

    fn add_param(&mut self, value: Value, role: ParamRole) -> ParamId {
        self.params.push(Param { value, role });
        ParamId(self.params.len() as u32 - 1)
    }

    fn run(&mut self) -> Option<Case> {
        let file = self.file;
        // Declarations first, so that order in the file does not matter.
        let mut header: Option<&ast::CaseHeader> = None;
        let mut yardstick_decls = Vec::new();
        for item in &file.items {
            match item {
                AstItem::Case(h) => {
                    if let Some(first) = header {
                        self.diags.push(
                            Diagnostic::error(
                                Code::DuplicateCase,
                                "a file holds one case, but this is a second `case` header",
                            )
                            .with_label(h.span, "second header")
                            .with_label(first.span, "first header")
                            .with_help("put each case in its own file, or merge the two headers"),
                        );
                    } else {
                        header = Some(h);
                    }
                }
                AstItem::Hypothesis(d) => {
                    if self.declare(&d.id, Kind::Hypothesis, self.hyps.len()) {
                        self.hyps.push(d);
                    }
                }
                AstItem::Group(d) => {
                    if self.declare(&d.id, Kind::Group, self.groups.len()) {
                        self.groups.push(d);
                    }
                }
                AstItem::Source(d) => {
                    if self.declare(&d.id, Kind::Source, self.sources.len()) {
                        self.sources.push(d);
                    }
                }
                AstItem::Assumption(d) => {
                    if self.declare(&d.id, Kind::Assumption, self.assumptions.len()) {
                        self.assumptions.push(d);
                    }
                }
                AstItem::Evidence(d) => {
                    if self.declare(&d.id, Kind::Evidence, self.items.len()) {
                        self.items.push(d);
                    }
                }
                AstItem::Judgment(d) => {
                    self.declare(&d.id, Kind::Judgment, 0);
                }
                AstItem::Yardstick(d) => {
                    if self.declare(&d.id, Kind::Yardstick, yardstick_decls.len()) {
                        yardstick_decls.push(d);
                    }
                }
                AstItem::Expect(_)
                | AstItem::Outcome(_)
                | AstItem::Grading(_)
                | AstItem::Include(_)
                | AstItem::Error(_) => {}
            }
        }

        let customs: Vec<Yardstick> = yardstick_decls
            .iter()
            .filter_map(|d| self.custom_yardstick(d))
            .collect();
        let header = self.header(header, &customs);
        let grading = self.grading();
        let mut values = ValueResolver::new(header.yardstick.clone(), customs.clone());

        if self.hyps.len() < 2 {
            let (span, label) = match self.hyps.first() {
                Some(h) => (h.id.span, "the only hypothesis"),
                None => (
                    self.file
                        .items
                        .first()
                        .map_or(Span::new(0, 0), AstItem::span),
                    "no hypothesis is declared in this file",
                ),
            };
            self.diags.push(
                Diagnostic::error(Code::TooFewHypotheses, format!("a case needs at least two hypotheses, found {}", self.hyps.len()))
                    .with_label(span, label)
                    .with_help("add the competing explanations, including a catch-all such as `hypothesis other \"Someone else\" prior rest catch-all`"),
            );
        }
        let hypotheses = self.hypotheses(&mut values);
        let k = hypotheses.len();
        let groups = self.groups(k);
        let sources = self.sources(&grading);
        let assumptions = self.assumption_priors(&mut values, k);
        let (items, sources) = self.items(&mut values, &grading, sources, k);
        let judgments = self.judgments(&mut values);
        let expectations = self.expectations(&mut values, &judgments);
        let outcome = self.outcome(header.assessed.as_deref());
        self.reported_after_assessed(&items, header.assessed.as_deref(), outcome.is_some());
        values.check_rows(header.rows_equivalent, &mut self.diags);
        self.diags.append(&mut values.diags);
        self.unused();
        self.shared_aliases();

        Some(Case {
            title: header.title,
            question: header.question,
            yardstick: header.yardstick,
            event: header.event,
            assessed: header.assessed,
            analysts: header.analysts,
            summary: header.summary,
            grading,
            hypotheses,
            groups,
            sources,
            assumptions,
            items,
            params: std::mem::take(&mut self.params),
            judgments,
            expectations,
            outcome,
            custom_yardsticks: customs,
        })
    }
}

impl<'a> Checker<'a> {
    /// Sources no item reports through (directly or as the root of an echo chain) and
    /// assumptions no likelihood is conditioned on: they change nothing.
    fn unused(&mut self) {
        // the names used, borrowed from the file (no per-reference allocation on huge files)
        let mut reported: std::collections::HashSet<&str> = Default::default();
        let mut conditioned: std::collections::HashSet<&str> = Default::default();
        let conditions = |lines: &'a [ast::GivenLine],
                          set: &mut std::collections::HashSet<&'a str>| {
            for g in lines {
                if let Some(c) = &g.condition {
                    set.insert(c.assumption.name.as_str());
                }
            }
        };
        for item in &self.file.items {
            match item {
                AstItem::Source(d) => {
                    if let Some(e) = &d.echoes {
                        reported.insert(e.name.as_str());
                    }
                }
                AstItem::Evidence(d) => {
                    if let Some(f) = &d.from {
                        reported.insert(f.name.as_str());
                    }
                    conditions(&d.given, &mut conditioned);
                }
                AstItem::Assumption(d) => conditions(&d.given, &mut conditioned),
                _ => {}
            }
        }
        let declared = self
            .sources
            .iter()
            .map(|d| (names::SymbolKind::Source, &d.id))
            .chain(
                self.assumptions
                    .iter()
                    .map(|d| (names::SymbolKind::Assumption, &d.id)),
            );
        for (kind, id) in declared {
            let sym = names::Symbol {
                kind,
                name: id.name.clone(),
                span: id.span,
            };
            let d = match sym.kind {
                names::SymbolKind::Source if !reported.contains(id.name.as_str()) => {
                    Diagnostic::warning(
                        Code::Unused,
                        format!("source `{}` is declared but no item comes from it", sym.name),
                    )
                    .with_label(sym.span, "no `from` names it")
                    .with_help(format!(
                        "add `from {}` to the items it reported, or remove it",
                        sym.name
                    ))
                }
                names::SymbolKind::Assumption if !conditioned.contains(id.name.as_str()) => {
                    Diagnostic::warning(
                        Code::Unused,
                        format!(
                            "assumption `{}` changes nothing: no likelihood depends on it",
                            sym.name
                        ),
                    )
                    .with_label(sym.span, "no `if` or `unless` names it")
                    .with_help(format!(
                        "add `given HYPOTHESIS if {}: …` to the items whose likelihood it changes, or remove it",
                        sym.name
                    ))
                }
                _ => continue,
            };
            self.diags.push(d);
        }
    }

    /// One alias on several hypotheses: prose that uses it names none of them for sure.
    fn shared_aliases(&mut self) {
        let mut seen: HashMap<String, (&str, Span)> = HashMap::default();
        for h in &self.hyps {
            for a in &h.aliases {
                let key = lexicon::normalize_phrase(&a.value);
                match seen.get(&key) {
                    Some((first, first_span)) if *first != h.id.name => {
                        self.diags.push(
                            Diagnostic::advice(
                                Code::SharedAlias,
                                format!(
                                    "alias \"{}\" is given to both `{first}` and `{}`",
                                    a.value, h.id.name
                                ),
                            )
                            .with_label(a.span, "second use")
                            .with_label(*first_span, "first use")
                            .with_help("review cannot tell which hypothesis prose using it means; keep the alias on the one it names"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(key, (h.id.name.as_str(), a.span));
                    }
                }
            }
        }
    }
}

fn expect_op_span(op: &ast::ExpectOp) -> Option<Span> {
    match op {
        ast::ExpectOp::Is(p)
        | ast::ExpectOp::AtLeast(p)
        | ast::ExpectOp::AtMost(p)
        | ast::ExpectOp::Above(p)
        | ast::ExpectOp::Below(p)
        | ast::ExpectOp::Within(p) => Some(p.span()),
        ast::ExpectOp::Leads(s) | ast::ExpectOp::Verdict(_, s) => Some(*s),
    }
}

fn single_letter(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> Case {
        let c = check_source(text);
        assert!(
            !c.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            c.diagnostics
        );
        c.case.unwrap()
    }

    #[test]
    fn echo_chains_share_their_root_and_list_their_relays() {
        let case = checked(
            "hypothesis a prior 50%\nhypothesis b prior rest catch-all\n\
             source wire reliability B\nsource paper reliability C echoes wire\nsource blog reliability D echoes paper\n\
             evidence e { from blog credibility 2 given a: 0.8 given b: 0.2 }\n",
        );
        let id = |name: &str| case.sources.iter().position(|s| s.id == name).unwrap() as u32;
        let blog = &case.sources[id("blog") as usize];
        assert_eq!(blog.root, SourceId(id("wire")));
        let relays = |s: &str| case.relays(SourceId(id(s))).collect::<Vec<_>>();
        assert_eq!(
            relays("blog"),
            [SourceId(id("blog")), SourceId(id("paper"))]
        );
        assert!(relays("wire").is_empty());
        // the chance both relays (blog D, paper C) passed the report on
        let soundness = |s: &str| case.sources[id(s) as usize].soundness();
        let relay_soundness = case.relay_soundness();
        assert_eq!(
            relay_soundness[id("blog") as usize],
            soundness("blog") * soundness("paper")
        );
        assert_eq!(relay_soundness[id("wire") as usize], 1.0);
        let chain_reliable = case.chain_reliable();
        assert!(!chain_reliable[id("blog") as usize]);
        assert!(chain_reliable[id("wire") as usize]);
    }

    #[test]
    fn rest_takes_what_the_other_priors_leave() {
        let case = checked(
            "hypothesis a prior 20%\nhypothesis b prior 0.1\nhypothesis c prior highly unlikely\nhypothesis d prior rest catch-all\n",
        );
        // highly unlikely's point on PHIA is 15%: 1 - 0.2 - 0.1 - 0.15 = 0.55
        assert!((case.hypotheses[3].prior_point - 0.55).abs() < 1e-12);
        assert!(case.hypotheses[3].is_rest);
    }

    #[test]
    fn priors_over_one_label_every_prior() {
        let c = check_source(
            "hypothesis a prior 70%\nhypothesis b prior likely\nhypothesis c prior rest catch-all\n",
        );
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == Code::PriorsSum)
            .unwrap();
        assert_eq!(d.message, "the priors sum to 1.35, not 1");
        let labels: Vec<&str> = d.labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            labels,
            ["a = 0.7", "b = 0.65", "c = rest (nothing is left)"]
        );
    }
}
