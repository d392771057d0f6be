//! Stage 2: syntax tree to resolved [`Case`], with semantic diagnostics.
//!
//! Invariants: checking never fails; it returns the diagnostics and, when
//! there is no error, the case. Names are resolved, values are turned into
//! bands through the governing yardstick, graphs (echoes, dependencies) are
//! built with petgraph and proven acyclic here, so later stages need not.

mod graphs;
pub mod names;
mod partial;
mod values;

pub use partial::{LeftOut, LeftOutBecause, Partial, check_partial};
pub use values::TERM_EDGE;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::lexicon::{self, Grading, Yardstick};
use crate::model::*;
use crate::span::Span;
use crate::syntax::ast::{self, CaseField, Item as AstItem, Prob, Status};
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

/// Parses and checks a case file.
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
fn expectation_texts(case: &mut Case, source: &str) {
    for e in &mut case.expectations {
        e.text = e
            .span
            .text(source)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
}

/// The kinds of names, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Hypothesis,
    Source,
    Assumption,
    Evidence,
    Judgment,
    Yardstick,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Hypothesis => "hypothesis",
            Kind::Source => "source",
            Kind::Assumption => "assumption",
            Kind::Evidence => "evidence item",
            Kind::Judgment => "judgment",
            Kind::Yardstick => "yardstick",
        }
    }
}

struct Checker<'a> {
    file: &'a ast::CaseFile,
    diags: Vec<Diagnostic>,
    names: HashMap<&'a str, (Kind, usize, Span)>,
    hyps: Vec<&'a ast::HypothesisDecl>,
    sources: Vec<&'a ast::SourceDecl>,
    assumptions: Vec<&'a ast::AssumptionDecl>,
    items: Vec<&'a ast::EvidenceDecl>,
    params: Vec<Param>,
}

/// Checks a parsed case file.
pub fn check(file: &ast::CaseFile) -> Checked {
    let mut c = Checker {
        file,
        diags: Vec::new(),
        names: HashMap::default(),
        hyps: Vec::new(),
        sources: Vec::new(),
        assumptions: Vec::new(),
        items: Vec::new(),
        params: Vec::new(),
    };
    let case = c.run();
    let has_error = c.diags.iter().any(Diagnostic::is_error);
    Checked {
        case: if has_error { None } else { case },
        diagnostics: c.diags,
    }
}

impl<'a> Checker<'a> {
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
            Some((kind, _, span)) => {
                let wanted: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
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
                    .with_help(format!("name {} here", wanted.join(" or "))),
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
                let suggestion = lexicon::suggest(&id.name, candidates.iter().copied());
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
                | AstItem::Error(_) => {}
            }
        }

        let customs: Vec<Yardstick> = yardstick_decls
            .iter()
            .filter_map(|d| self.custom_yardstick(d))
            .collect();
        let (yardstick, rows_equivalent, header_info) = self.header(header, &customs);
        let grading = self.grading();
        let mut values = ValueResolver::new(yardstick.clone(), customs.clone());

        if self.hyps.len() < 2 {
            let (span, label) = match self.hyps.first() {
                Some(h) => (h.id.span, "the only hypothesis"),
                None => (
                    self.file.items.first().map_or(Span::new(0, 0), item_span),
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
        let sources = self.sources(&grading);
        let assumptions = self.assumption_priors(&mut values, k);
        let (items, sources) = self.items(&mut values, &grading, sources, k);
        let judgments = self.judgments(&mut values);
        let expectations = self.expectations(&mut values);
        let outcome = self.outcome();
        values.check_rows(rows_equivalent, &mut self.diags);
        self.diags.append(&mut values.diags);

        let (title, question, event, assessed, analysts, summary) = header_info;
        Some(Case {
            title,
            question,
            yardstick,
            event,
            assessed,
            analysts,
            summary,
            grading,
            hypotheses,
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

    #[expect(clippy::type_complexity, reason = "a one-use tuple of header fields")]
    fn header(
        &mut self,
        header: Option<&ast::CaseHeader>,
        customs: &[Yardstick],
    ) -> (
        Yardstick,
        bool,
        (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Vec<String>,
            Option<String>,
        ),
    ) {
        let mut yardstick = lexicon::builtin_yardstick("phia");
        let mut rows_equivalent = false;
        let mut title = String::new();
        let (mut question, mut event, mut assessed, mut summary) = (None, None, None, None);
        let mut analysts = Vec::new();
        match header {
            None => {
                let span = self.file.items.first().map_or(Span::new(0, 0), item_span);
                self.diags.push(
                    Diagnostic::warning(Code::NoCaseHeader, "this file has no `case` header")
                        .with_label(span, "the case starts here")
                        .with_help("start the file with `case \"Title\" { question \"...\" yardstick phia }`; the PHIA yardstick is assumed"),
                );
            }
            Some(h) => {
                title = h
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default();
                for field in &h.fields {
                    match field {
                        CaseField::Question(t) => question = Some(t.value.clone()),
                        CaseField::Yardstick(id) => {
                            let found = customs
                                .iter()
                                .find(|y| y.name == id.name)
                                .cloned()
                                .or_else(|| lexicon::builtin_yardstick(&id.name));
                            if found.is_none() {
                                let mut names: Vec<String> = lexicon::builtin_yardsticks()
                                    .into_iter()
                                    .map(|y| y.name)
                                    .collect();
                                names.extend(customs.iter().map(|y| y.name.clone()));
                                let suggestion =
                                    lexicon::suggest(&id.name, names.iter().map(String::as_str));
                                let help = match &suggestion {
                                    Some(s) => format!("did you mean `{s}`?"),
                                    None => format!("known yardsticks: {}", names.join(", ")),
                                };
                                self.diags.push(
                                    Diagnostic::error(
                                        Code::UnknownYardstick,
                                        format!("unknown yardstick `{}`", id.name),
                                    )
                                    .with_label(
                                        id.span,
                                        "not built in and not declared in this file",
                                    )
                                    .with_fix_if(id.span, suggestion)
                                    .with_help(help),
                                );
                            }
                            yardstick = found.or(yardstick);
                        }
                        CaseField::Event(d) => event = Some(self.date(d)),
                        CaseField::Assessed(d) => assessed = Some(self.date(d)),
                        CaseField::Analysts(list) => {
                            analysts.extend(list.iter().map(|t| t.value.clone()))
                        }
                        CaseField::Summary(t) => summary = Some(t.value.clone()),
                        CaseField::Note(_) => {}
                        CaseField::RowsEquivalent(_) => rows_equivalent = true,
                    }
                }
            }
        }
        let yardstick = yardstick.unwrap_or_else(|| lexicon::builtin_yardsticks().remove(0));
        (
            yardstick,
            rows_equivalent,
            (title, question, event, assessed, analysts, summary),
        )
    }

    fn date(&mut self, d: &ast::DateLit) -> String {
        let parts: Vec<&str> = d.text.split('-').collect();
        let ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)),
            [y, m, day] => {
                y.len() == 4
                    && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                    && day.parse::<u32>().is_ok_and(|x| (1..=31).contains(&x))
            }
            _ => false,
        };
        if !ok {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    format!("`{}` is not a valid date", d.text),
                )
                .with_label(d.span, "expected a year, year-month or year-month-day")
                .with_help("write dates as `2024-03-25`, `2024-03` or `2024`"),
            );
        }
        d.text.clone()
    }

    fn custom_yardstick(&mut self, d: &ast::YardstickDecl) -> Option<Yardstick> {
        let mut terms = Vec::new();
        let mut ok = true;
        for t in &d.terms {
            let band = match &t.band {
                Some(Prob::Interval { lo, hi, .. }) => values::plain(lo).zip(values::plain(hi)),
                Some(p @ (Prob::Number { .. } | Prob::Percent { .. })) => {
                    values::plain(p).map(|v| (v, v))
                }
                _ => None,
            };
            let Some((lo, hi)) = band.filter(|(lo, hi)| {
                (0.0..=1.0).contains(lo) && (0.0..=1.0).contains(hi) && lo <= hi
            }) else {
                let span = t.band.as_ref().map_or(t.span, Prob::span);
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidBand,
                        format!("term `{}` needs a band within 0-100%", t.name.value),
                    )
                    .with_label(span, "not a band from 0 to 1 with its lower end first")
                    .with_help("write the band as an interval, e.g. `term \"likely\" 55%..75%`"),
                );
                ok = false;
                continue;
            };
            let mut term =
                lexicon::Term::new(&lexicon::normalize_phrase(&t.name.value), &[], lo, hi);
            term.synonyms = t
                .aliases
                .iter()
                .map(|a| lexicon::normalize_phrase(&a.value))
                .collect();
            if let Some(p) = &t.point {
                match values::plain(p) {
                    Some(v) if v >= lo && v <= hi => term.point = v,
                    _ => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::PointOutsideBand,
                                format!("the point of `{}` lies outside its band", t.name.value),
                            )
                            .with_label(
                                p.span(),
                                format!("band is {}", crate::format::format_band(lo, hi)),
                            )
                            .with_help("choose a point inside the band"),
                        );
                        ok = false;
                    }
                }
            }
            if let Some((a, b, span)) = t.beta {
                if a > 0.0 && b > 0.0 {
                    term.beta = Some((a, b));
                } else {
                    self.diags.push(
                        Diagnostic::error(
                            Code::InvalidBeta,
                            "Beta parameters must both be positive",
                        )
                        .with_label(span, "not a Beta distribution")
                        .with_help(
                            "write `beta ALPHA BETA` with two positive numbers, e.g. `beta 13 7`",
                        ),
                    );
                    ok = false;
                }
            }
            terms.push(term);
        }
        if terms.is_empty() && ok {
            self.diags.push(
                Diagnostic::error(
                    Code::EmptyYardstick,
                    format!("yardstick `{}` defines no terms", d.id.name),
                )
                .with_label(d.id.span, "no `term` lines")
                .with_help("add terms like `term \"likely\" 55%..75%`"),
            );
            return None;
        }
        terms.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        ok.then(|| Yardstick {
            name: d.id.name.clone(),
            title: d
                .title
                .as_ref()
                .map_or_else(|| d.id.name.clone(), |t| t.value.clone()),
            source: d.source.as_ref().map_or_else(
                || "declared in the case file".to_string(),
                |t| t.value.clone(),
            ),
            note: String::new(),
            terms,
            rows: Vec::new(),
        })
    }

    fn grading(&mut self) -> Grading {
        let mut grading = lexicon::admiralty();
        for item in &self.file.items {
            let AstItem::Grading(g) = item else { continue };
            for entry in &g.entries {
                let idx = match entry.axis {
                    ast::Axis::Reliability => {
                        single_letter(&entry.grade.text).and_then(lexicon::reliability_index)
                    }
                    ast::Axis::Credibility => entry
                        .grade
                        .text
                        .parse::<u8>()
                        .ok()
                        .and_then(lexicon::credibility_index),
                };
                let Some(idx) = idx else {
                    self.invalid_grade(&entry.grade, entry.axis);
                    continue;
                };
                let Some(v) = values::plain(&entry.value).filter(|v| (0.0..=1.0).contains(v))
                else {
                    self.diags.push(
                        Diagnostic::error(
                            Code::ProbabilityOutOfRange,
                            "a grading value must be a probability from 0 to 1",
                        )
                        .with_label(entry.value.span(), "not a number from 0 to 1")
                        .with_help("write e.g. `reliability B 0.85` or `credibility 3 70%`"),
                    );
                    continue;
                };
                match entry.axis {
                    ast::Axis::Reliability => grading.reliability[idx] = v,
                    ast::Axis::Credibility => grading.credibility[idx] = v,
                }
            }
        }
        grading
    }

    fn invalid_grade(&mut self, grade: &ast::GradeLit, axis: ast::Axis) {
        let (what, help) = match axis {
            ast::Axis::Reliability => (
                "a reliability grade",
                "source reliability is a letter from A (completely reliable) to F (cannot be judged)",
            ),
            ast::Axis::Credibility => (
                "a credibility grade",
                "information credibility is a digit from 1 (confirmed) to 6 (cannot be judged)",
            ),
        };
        self.diags.push(
            Diagnostic::error(
                Code::InvalidGrade,
                format!("`{}` is not {what}", grade.text),
            )
            .with_label(grade.span, "invalid grade")
            .with_help(help),
        );
    }

    fn hypotheses(&mut self, values: &mut ValueResolver) -> Vec<Hypothesis> {
        let k = self.hyps.len();
        let mut out = Vec::with_capacity(k);
        let any_prior = self.hyps.iter().any(|h| h.prior.is_some());
        let rests: Vec<Span> = self
            .hyps
            .iter()
            .filter_map(|h| match &h.prior {
                Some(Prob::Rest { span }) => Some(*span),
                _ => None,
            })
            .collect();
        if rests.len() > 1 {
            let mut d = Diagnostic::error(
                Code::MultipleRest,
                "only one hypothesis can take the `rest` of the prior",
            )
            .with_help("give every hypothesis but one an explicit prior");
            for s in &rests {
                d = d.with_label(*s, "`rest`");
            }
            self.diags.push(d);
        }
        let hyps = self.hyps.clone();
        for (idx, h) in hyps.iter().enumerate() {
            let hid = HypothesisId(idx as u32);
            let (prior, prior_point, is_rest) = match &h.prior {
                None if any_prior => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::MissingPrior,
                            format!("hypothesis `{}` has no prior, but others do", h.id.name),
                        )
                        .with_label(h.id.span, "no prior")
                        .with_help(
                            "give it a prior, or `prior rest` to take what the others leave",
                        ),
                    );
                    (None, 0.0, false)
                }
                None => (None, 1.0 / k as f64, false),
                Some(Prob::Rest { .. }) => (None, 0.0, true),
                Some(p) => match values.probability(p) {
                    Some(v) => {
                        let point = v.point;
                        (Some(self.add_param(v, ParamRole::Prior(hid))), point, false)
                    }
                    None => (None, 0.0, false),
                },
            };
            out.push(Hypothesis {
                id: h.id.name.clone(),
                label: h
                    .label
                    .as_ref()
                    .map_or_else(|| h.id.name.clone(), |t| t.value.clone()),
                aliases: h.aliases.iter().map(|a| a.value.clone()).collect(),
                prior,
                prior_point,
                is_rest,
                catch_all: h.catch_all.is_some(),
                span: h.id.span,
            });
        }
        if any_prior && rests.len() <= 1 {
            let sum: f64 = out
                .iter()
                .filter(|h| !h.is_rest)
                .map(|h| h.prior_point)
                .sum();
            let rest_idx = out.iter().position(|h| h.is_rest);
            let bad = match rest_idx {
                Some(_) => sum > 1.0 + 1e-9,
                None => (sum - 1.0).abs() > 1e-9,
            };
            if bad && !self.diags.iter().any(|d| d.code == Code::MissingPrior) {
                let mut d = Diagnostic::error(
                    Code::PriorsSum,
                    format!("the priors sum to {}, not 1", trim_float(sum)),
                )
                .with_help(match rest_idx {
                    Some(_) => "the explicit priors leave nothing for `rest`: lower them so they sum to less than 1".to_string(),
                    None => "adjust the priors so they sum to 1, or give one hypothesis `prior rest`".to_string(),
                });
                for (h, decl) in out.iter().zip(&hyps) {
                    if let Some(p) = &decl.prior {
                        let value = if h.is_rest {
                            "rest (nothing is left)".to_string()
                        } else {
                            trim_float(h.prior_point)
                        };
                        d = d.with_label(p.span(), format!("{} = {value}", h.id));
                    }
                }
                self.diags.push(d);
            } else if let Some(r) = rest_idx {
                out[r].prior_point = (1.0 - sum).max(0.0);
            }
        }
        if !out.iter().any(|h| h.catch_all) && k >= 2 {
            let mut d = Diagnostic::warning(Code::NoCatchAll, "no hypothesis is marked `catch-all`")
                .with_help("add `hypothesis other \"Someone else\" prior rest catch-all`, or the posterior assumes this list is exhaustive");
            if let Some(h) = out.first() {
                d = d.with_label(h.span, "the hypotheses start here");
            }
            self.diags.push(d);
        }
        out
    }

    fn sources(&mut self, grading: &Grading) -> Vec<Source> {
        let decls = self.sources.clone();
        let mut out: Vec<Source> = Vec::with_capacity(decls.len());
        for (idx, s) in decls.iter().enumerate() {
            let reliability = match &s.reliability {
                None => None,
                Some(g) => match single_letter(&g.text).and_then(|c| {
                    grading
                        .reliability_of(c)
                        .map(|r| (c.to_ascii_uppercase(), r))
                }) {
                    Some(r) => Some(r),
                    None => {
                        self.invalid_grade(g, ast::Axis::Reliability);
                        None
                    }
                },
            };
            let echoes = s
                .echoes
                .as_ref()
                .and_then(|e| self.resolve(e, &[Kind::Source]))
                .map(|(_, i)| SourceId(i as u32));
            out.push(Source {
                id: s.id.name.clone(),
                label: s
                    .label
                    .as_ref()
                    .map_or_else(|| s.id.name.clone(), |t| t.value.clone()),
                reliability,
                echoes,
                root: SourceId(idx as u32),
                declared: true,
                span: s.id.span,
            });
        }
        if graphs::echo_cycles(&decls, &out, &mut self.diags) {
            // roots stay trivial: the case has an error and will not be assessed
            return out;
        }
        graphs::root_echo_forest(&mut out);
        out
    }

    fn assumption_priors(&mut self, values: &mut ValueResolver, k: usize) -> Vec<Assumption> {
        let decls = self.assumptions.clone();
        if decls.len() > MAX_ASSUMPTIONS {
            self.diags.push(
                Diagnostic::error(Code::TooManyAssumptions, format!("{} assumptions is more than acre can sum out exactly ({MAX_ASSUMPTIONS})", decls.len()))
                    .with_label(decls[MAX_ASSUMPTIONS].id.span, format!("assumption number {}", MAX_ASSUMPTIONS + 1))
                    .with_help("merge assumptions that always go together, or drop those no evidence depends on"),
            );
        }
        let mut out = Vec::with_capacity(decls.len());
        for (idx, a) in decls.iter().enumerate() {
            let aid = AssumptionId(idx as u32);
            let default = a
                .prior
                .as_ref()
                .and_then(|p| values.probability(p))
                .map(|v| self.add_param(v, ParamRole::AssumptionPrior(aid)));
            let mut per_h: Vec<Option<ParamId>> = vec![default; k];
            for line in &a.given {
                if let Some(c) = &line.condition {
                    self.diags.push(
                        Diagnostic::error(Code::ConditionNotAllowed, "an assumption's prior cannot depend on another assumption")
                            .with_label(c.span, "condition here")
                            .with_help("assumptions are independent given the hypothesis; remove the condition"),
                    );
                }
                let Some(v) = values.probability(&line.value) else {
                    continue;
                };
                let pid = self.add_param(v, ParamRole::AssumptionPrior(aid));
                for h in &line.hypotheses {
                    if let Some(hid) = self.resolve_hyp(h)
                        && let Some(slot) = per_h.get_mut(hid.idx())
                    {
                        *slot = Some(pid);
                    }
                }
            }
            let missing: Vec<usize> = (0..k).filter(|h| per_h[*h].is_none()).collect();
            if !missing.is_empty() {
                let names: Vec<String> = missing
                    .iter()
                    .map(|h| format!("`{}`", self.hyps[*h].id.name))
                    .collect();
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingPrior,
                        format!(
                            "assumption `{}` has no prior under {}",
                            a.id.name,
                            names.join(", ")
                        ),
                    )
                    .with_label(a.id.span, "no prior for some hypotheses")
                    .with_help("add `prior P` for all hypotheses, or `given h: P` lines for each"),
                );
            }
            out.push(Assumption {
                id: a.id.name.clone(),
                label: a
                    .label
                    .as_ref()
                    .map_or_else(|| a.id.name.clone(), |t| t.value.clone()),
                prior: per_h.into_iter().map(|p| p.unwrap_or(ParamId(0))).collect(),
                aliases: a.aliases.iter().map(|t| t.value.clone()).collect(),
                span: a.id.span,
            });
        }
        out
    }

    fn items(
        &mut self,
        values: &mut ValueResolver,
        grading: &Grading,
        mut sources: Vec<Source>,
        k: usize,
    ) -> (Vec<Item>, Vec<Source>) {
        let decls = self.items.clone();
        let mut out = Vec::with_capacity(decls.len());
        for (idx, e) in decls.iter().enumerate() {
            let item_id = ItemId(idx as u32);
            // grading
            let grade = e.grade.as_ref().and_then(|g| {
                let mut chars = g.text.chars();
                match (chars.next(), chars.next().and_then(|c| c.to_digit(10)), chars.next()) {
                    (Some(l), Some(d), None) if lexicon::reliability_index(l).is_some() && (1..=6).contains(&d) => {
                        Some((l.to_ascii_uppercase(), d as u8, g.span))
                    }
                    _ => {
                        self.diags.push(
                            Diagnostic::error(Code::InvalidGrade, format!("`{}` is not an Admiralty grade", g.text))
                                .with_label(g.span, "invalid grade")
                                .with_help("a grade is a reliability letter A-F followed by a credibility digit 1-6, like `B2`"),
                        );
                        None
                    }
                }
            });
            let mut credibility_grade = e.credibility.as_ref().and_then(|g| {
                match g.text.parse::<u8>().ok().filter(|d| (1..=6).contains(d)) {
                    Some(d) => Some(d),
                    None => {
                        self.invalid_grade(g, ast::Axis::Credibility);
                        None
                    }
                }
            });
            if let (Some((_, d, gspan)), Some(c)) = (grade, &e.credibility)
                && Some(d) != credibility_grade
            {
                self.diags.push(
                    Diagnostic::error(
                        Code::GradeMismatch,
                        "the grade and the credibility disagree",
                    )
                    .with_label(gspan, format!("grade says credibility {d}"))
                    .with_label(c.span, "credibility given here")
                    .with_help("keep one of them"),
                );
            }
            if let Some((_, d, _)) = grade {
                credibility_grade = credibility_grade.or(Some(d));
            }
            let source = match &e.from {
                Some(from) => {
                    let sid = self
                        .resolve(from, &[Kind::Source])
                        .map(|(_, i)| SourceId(i as u32));
                    if let (Some(sid), Some((letter, _, gspan))) = (sid, grade) {
                        let declared = sources
                            .get(sid.idx())
                            .and_then(|s| s.reliability)
                            .map(|(c, _)| c);
                        if declared.is_some_and(|c| c != letter) {
                            self.diags.push(
                                Diagnostic::error(
                                    Code::GradeMismatch,
                                    format!("grade `{letter}` disagrees with source `{}`, graded {}", from.name, declared.map_or('?', |c| c)),
                                )
                                .with_label(gspan, "reliability letter here")
                                .with_label(sources[sid.idx()].span, "source graded here")
                                .with_help("source reliability belongs to the source; give the item only `credibility N`"),
                            );
                        }
                    }
                    sid
                }
                None => None,
            };
            let source = source.unwrap_or_else(|| {
                // an implicit source of its own
                let reliability =
                    grade.and_then(|(l, _, _)| grading.reliability_of(l).map(|r| (l, r)));
                let sid = SourceId(sources.len() as u32);
                sources.push(Source {
                    id: format!("item:{}", e.id.name),
                    label: format!("the source of {}", e.id.name),
                    reliability,
                    echoes: None,
                    root: sid,
                    declared: false,
                    span: e.id.span,
                });
                sid
            });
            let source_graded = sources
                .get(source.idx())
                .is_some_and(|s| s.reliability.is_some());
            if !source_graded && credibility_grade.is_none() {
                self.diags.push(
                    Diagnostic::warning(Code::Ungraded, format!("evidence `{}` is not graded", e.id.name))
                        .with_label(e.id.span, "counted as fully reliable")
                        .with_help("add `from SOURCE credibility N` (with the source's reliability A-F) or `grade B2`"),
                );
            }
            let credibility = credibility_grade
                .and_then(|d| grading.credibility_of(d))
                .unwrap_or(1.0);
            let status = e.status.map_or(Status::Observed, |(s, _)| s);
            let likelihood = self.likelihood(values, e, item_id, status, k);
            let depends_on = e
                .depends_on
                .iter()
                .filter_map(|d| self.resolve(d, &[Kind::Evidence]))
                .map(|(_, i)| ItemId(i as u32))
                .collect();
            out.push(Item {
                id: e.id.name.clone(),
                description: e
                    .label
                    .as_ref()
                    .map_or_else(String::new, |t| t.value.clone()),
                source,
                credibility_grade,
                credibility,
                status,
                depends_on,
                likelihood,
                span: e.id.span,
            });
        }
        graphs::dependency_cycles(&decls, &out, &mut self.diags);
        self.check_extremes(&out, &sources);
        graphs::similar_items(&out, &self.params, &mut self.diags);
        (out, sources)
    }

    fn likelihood(
        &mut self,
        values: &mut ValueResolver,
        e: &ast::EvidenceDecl,
        item: ItemId,
        status: Status,
        k: usize,
    ) -> Likelihood {
        let empty = Likelihood {
            conds: Vec::new(),
            entries: vec![Entry::One; k],
            ratio: false,
        };
        if !e.supports.is_empty() && !e.given.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    Code::MixedForms,
                    format!(
                        "evidence `{}` mixes likelihoods and a likelihood ratio",
                        e.id.name
                    ),
                )
                .with_label(e.given[0].span, "likelihood here")
                .with_label(e.supports[0].span, "ratio here")
                .with_help("use either `given`/`otherwise` lines or one `supports` line"),
            );
            return empty;
        }
        if e.supports.is_empty() && e.given.is_empty() {
            self.diags.push(
                Diagnostic::error(Code::NoLikelihood, format!("evidence `{}` says nothing about how expected it is", e.id.name))
                    .with_label(e.id.span, "no `given`, `otherwise` or `supports` line")
                    .with_help("add `given HYPOTHESIS: TERM` lines with an `otherwise:` default, or `supports HYPOTHESIS: STRENGTH`"),
            );
            return empty;
        }
        if let Some(line) = e.supports.first() {
            return self.ratio_likelihood(values, e, line, item, status, k);
        }
        // conditions referenced
        let mut conds: Vec<AssumptionId> = Vec::new();
        let mut lines = Vec::new();
        let mut unresolved = false;
        for line in &e.given {
            let cond = match &line.condition {
                Some(c) => match self.resolve(&c.assumption, &[Kind::Assumption]) {
                    Some((_, a)) => {
                        let aid = AssumptionId(a as u32);
                        if !conds.contains(&aid) {
                            conds.push(aid);
                        }
                        Some((aid, !c.negated))
                    }
                    None => {
                        unresolved = true;
                        continue;
                    }
                },
                None => None,
            };
            let hyps: Vec<HypothesisId> = line
                .hypotheses
                .iter()
                .filter_map(|h| self.resolve_hyp(h))
                .collect();
            unresolved |= hyps.len() != line.hypotheses.len();
            let Some(v) = values.probability(&line.value) else {
                unresolved = true;
                continue;
            };
            let pid = self.add_param(v, ParamRole::Likelihood(item));
            lines.push((line, cond, hyps, pid));
        }
        conds.sort();
        let n_states = 1usize << conds.len().min(16);
        let mut entries = vec![Entry::One; n_states * k];
        let mut missing: Vec<usize> = Vec::new();
        for state in 0..n_states {
            let truth = |a: AssumptionId| {
                conds
                    .iter()
                    .position(|c| *c == a)
                    .is_some_and(|j| state >> j & 1 == 1)
            };
            for h in 0..k {
                // most specific line wins: named+condition, named, otherwise+condition, otherwise
                let mut best: Option<(u8, &ast::GivenLine, ParamId)> = None;
                for (line, cond, hyps, pid) in &lines {
                    let matches_cond = cond.is_none_or(|(a, want)| truth(a) == want);
                    let names_h = hyps.iter().any(|x| x.idx() == h);
                    if !matches_cond || (!line.hypotheses.is_empty() && !names_h) {
                        continue;
                    }
                    let rank = match (line.hypotheses.is_empty(), cond.is_some()) {
                        (false, true) => 3,
                        (false, false) => 2,
                        (true, true) => 1,
                        (true, false) => 0,
                    };
                    match best {
                        Some((r, prev, _)) if r == rank => {
                            if state == 0 || cond.is_some() {
                                self.duplicate_likelihood(e, h, prev, line);
                            }
                        }
                        Some((r, _, _)) if r > rank => {}
                        _ => best = Some((rank, line, *pid)),
                    }
                }
                match best {
                    Some((_, _, pid)) => entries[state * k + h] = Entry::Param(pid),
                    None => {
                        if !missing.contains(&h) {
                            missing.push(h);
                        }
                    }
                }
            }
        }
        // a line that failed to resolve was reported already; do not pile on
        if !missing.is_empty() && !unresolved {
            let names: Vec<String> = missing
                .iter()
                .filter_map(|h| self.hyps.get(*h))
                .map(|h| format!("`{}`", h.id.name))
                .collect();
            self.diags.push(
                Diagnostic::error(
                    Code::MissingLikelihood,
                    format!("evidence `{}` has no likelihood under {}", e.id.name, names.join(", ")),
                )
                .with_label(e.id.span, "incomplete likelihoods")
                .with_help("add `given HYPOTHESIS: TERM` for each, or an `otherwise: TERM` default (also for every assumption state)"),
            );
        }
        Likelihood {
            conds,
            entries,
            ratio: false,
        }
    }

    fn duplicate_likelihood(
        &mut self,
        e: &ast::EvidenceDecl,
        h: usize,
        prev: &ast::GivenLine,
        line: &ast::GivenLine,
    ) {
        let name = self.hyps.get(h).map_or("?", |d| d.id.name.as_str());
        let code = Code::DuplicateLikelihood;
        if self.diags.iter().any(|d| {
            d.code == code
                && d.labels
                    .first()
                    .is_some_and(|l| l.span.start == line.span.start)
        }) {
            return;
        }
        self.diags.push(
            Diagnostic::error(
                code,
                format!(
                    "evidence `{}` gives two likelihoods for `{name}`",
                    e.id.name
                ),
            )
            .with_label(line.span, "second")
            .with_label(prev.span, "first")
            .with_help("keep one line per hypothesis and assumption state"),
        );
    }

    fn ratio_likelihood(
        &mut self,
        values: &mut ValueResolver,
        e: &ast::EvidenceDecl,
        line: &ast::SupportLine,
        item: ItemId,
        status: Status,
        k: usize,
    ) -> Likelihood {
        let mut entries = vec![Entry::One; k];
        if let Some(second) = e.supports.get(1) {
            self.diags.push(
                Diagnostic::error(Code::DuplicateLikelihood, format!("evidence `{}` has more than one `supports` line", e.id.name))
                    .with_label(second.span, "second")
                    .with_label(line.span, "first")
                    .with_help("state one likelihood ratio per item; split the item if it bears on different pairs"),
            );
        }
        if status == Status::Absent {
            let span = e.status.map_or(line.span, |(_, s)| s);
            self.diags.push(
                Diagnostic::error(Code::RatioAbsent, format!("absent evidence `{}` needs absolute likelihoods, not a ratio", e.id.name))
                    .with_label(span, "absent")
                    .with_label(line.span, "ratio form")
                    .with_help("absent evidence uses 1 - P(E | h): write `given h: TERM` lines with an `otherwise:` default"),
            );
        }
        let supported: Vec<HypothesisId> = line
            .supported
            .iter()
            .filter_map(|h| self.resolve_hyp(h))
            .collect();
        let over: Vec<HypothesisId> = line
            .over
            .iter()
            .filter_map(|h| self.resolve_hyp(h))
            .collect();
        for (h, id) in over.iter().zip(&line.over) {
            if supported.contains(h) {
                self.diags.push(
                    Diagnostic::error(
                        Code::RatioOverlap,
                        format!("`{}` is both supported and supported over", id.name),
                    )
                    .with_label(id.span, "named on both sides")
                    .with_help("a hypothesis is either supported or supported over"),
                );
            }
        }
        if !over.is_empty() {
            let missing: Vec<String> = (0..k)
                .filter(|h| !supported.iter().chain(&over).any(|x| x.idx() == *h))
                .filter_map(|h| self.hyps.get(h))
                .map(|h| format!("`{}`", h.id.name))
                .collect();
            if !missing.is_empty() {
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingLikelihood,
                        format!("evidence `{}` says nothing about {}", e.id.name, missing.join(", ")),
                    )
                    .with_label(line.span, "the ratio names neither")
                    .with_help("add them after `over`, or drop `over` to support the named hypotheses over all others"),
                );
            }
        }
        if let Some(v) = values.ratio(&line.strength) {
            let pid = self.add_param(v, ParamRole::Ratio(item));
            for h in &supported {
                entries[h.idx()] = Entry::Param(pid);
            }
        }
        Likelihood {
            conds: Vec::new(),
            entries,
            ratio: true,
        }
    }

    /// Zero likelihoods: an error when no hypothesis could produce the item, a warning
    /// when the item alone rules hypotheses out.
    fn check_extremes(&mut self, items: &[Item], sources: &[Source]) {
        for (item, decl) in items.iter().zip(self.items.clone()) {
            if item.status == Status::Pending || item.likelihood.ratio {
                continue;
            }
            let k = self.hyps.len();
            let absent = item.status == Status::Absent;
            let effective = |entry: &Entry| {
                let l = match entry {
                    Entry::One => 1.0,
                    Entry::Param(p) => self.params[p.idx()].value.point,
                };
                if absent { 1.0 - l } else { l }
            };
            let n_states = item.likelihood.entries.len() / k.max(1);
            for state in 0..n_states {
                let row = &item.likelihood.entries[state * k..(state + 1) * k];
                let values: Vec<f64> = row.iter().map(effective).collect();
                let spans: Vec<Span> = row
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Param(p) => Some(self.params[p.idx()].value.span),
                        Entry::One => None,
                    })
                    .collect();
                if values.iter().all(|v| *v == 0.0) {
                    let what = if absent { "its absence" } else { "it" };
                    let mut d = Diagnostic::error(
                        Code::ImpossibleEvidence,
                        format!("evidence `{}` is impossible under every hypothesis", item.id),
                    )
                    .with_label(item.span, format!("no hypothesis could produce {what}"))
                    .with_help(if absent {
                        "absent evidence uses 1 - P(E | h); a likelihood of 1 everywhere says its absence cannot happen"
                    } else {
                        "an observed item needs a likelihood above 0 under at least one hypothesis"
                    });
                    if let Some(s) = spans.first() {
                        d = d.with_label(*s, "");
                    }
                    self.diags.push(d);
                    break;
                }
                let source = &sources[item.source.idx()];
                let certain = values.contains(&0.0)
                    && item.credibility >= 1.0
                    && crate::model::relay_soundness_of(sources, item.source) >= 1.0
                    && sources[source.root.idx()].soundness() >= 1.0;
                if certain {
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Certainty,
                            format!("evidence `{}` rules hypotheses out with certainty", item.id),
                        )
                        .with_label(item.span, "a likelihood of 0 or 1 on an ungraded item")
                        .with_help("this item makes the judgment immune to all other evidence; use a yardstick term, or grade the item so a wrong report stays possible"),
                    );
                    break;
                }
            }
            let _ = decl;
        }
    }

    fn judgments(&mut self, values: &mut ValueResolver) -> Vec<Judgment> {
        let mut out = Vec::new();
        for item in &self.file.items {
            let AstItem::Judgment(j) = item else { continue };
            let Some(h) = &j.hypothesis else {
                self.diags.push(
                    Diagnostic::error(
                        Code::IncompleteJudgment,
                        format!("judgment `{}` does not say what it claims", j.id.name),
                    )
                    .with_label(j.id.span, "no `claims` clause")
                    .with_help("add `claims HYPOTHESIS TERM`, e.g. `claims apt31 almost certain`"),
                );
                continue;
            };
            let hid = self.resolve_hyp(h);
            let term_idx = match &j.term {
                Some(p @ Prob::Term { .. }) => values.term_of_yardstick(p),
                Some(p) => {
                    self.diags.push(
                        Diagnostic::error(Code::JudgmentNeedsTerm, "a judgment claims a yardstick term, not a number")
                            .with_label(p.span(), "a number or interval")
                            .with_help("write the term the assessment uses, e.g. `claims apt31 almost certain`"),
                    );
                    None
                }
                None => None,
            };
            if let (Some(hypothesis), Some(term_idx)) = (hid, term_idx) {
                out.push(Judgment {
                    id: j.id.name.clone(),
                    text: j
                        .text
                        .as_ref()
                        .map_or_else(String::new, |t| t.value.clone()),
                    hypothesis,
                    term_idx,
                    span: j.term.as_ref().map_or(j.id.span, Prob::span),
                    text_span: j.text.as_ref().map(|t| t.span),
                });
            }
        }
        out
    }

    fn expectations(&mut self, values: &mut ValueResolver) -> Vec<Expectation> {
        let mut out = Vec::new();
        let src_items: Vec<&ast::Expectation> = self
            .file
            .items
            .iter()
            .filter_map(|i| match i {
                AstItem::Expect(e) => Some(e),
                _ => None,
            })
            .collect();
        for e in src_items {
            let subject = match &e.subject {
                ast::Subject::Confidence(_) => ExpectSubject::Confidence,
                ast::Subject::Name(id) => {
                    match self.resolve(id, &[Kind::Hypothesis, Kind::Assumption]) {
                        Some((Kind::Hypothesis, i)) => {
                            ExpectSubject::Hypothesis(HypothesisId(i as u32))
                        }
                        Some((_, i)) => ExpectSubject::Assumption(AssumptionId(i as u32)),
                        None => continue,
                    }
                }
            };
            let check = if subject == ExpectSubject::Confidence {
                let level = |c: &mut Self, p: &Prob| match p {
                    Prob::Term { phrase, .. } if ConfidenceLevel::parse(phrase).is_some() => {
                        ConfidenceLevel::parse(phrase)
                    }
                    _ => {
                        c.diags.push(
                            Diagnostic::error(
                                Code::UnknownConfidence,
                                "a confidence level is `low`, `moderate` or `high`",
                            )
                            .with_label(p.span(), "not a confidence level")
                            .with_help("write e.g. `expect confidence at least moderate`"),
                        );
                        None
                    }
                };
                match &e.op {
                    ast::ExpectOp::Is(p) => level(self, p).map(ExpectCheck::ConfidenceIs),
                    ast::ExpectOp::AtLeast(p) => level(self, p).map(ExpectCheck::ConfidenceAtLeast),
                    ast::ExpectOp::AtMost(p) => level(self, p).map(ExpectCheck::ConfidenceAtMost),
                    other => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::InvalidExpectation,
                                "confidence is compared with `is`, `at least` or `at most`",
                            )
                            .with_label(
                                expect_op_span(other).unwrap_or(e.span),
                                "not a comparison for confidence",
                            )
                            .with_help("write e.g. `expect confidence is moderate`"),
                        );
                        None
                    }
                }
            } else {
                match &e.op {
                    ast::ExpectOp::Is(p @ Prob::Term { .. }) => {
                        values.term_of_yardstick(p).map(ExpectCheck::IsTerm)
                    }
                    ast::ExpectOp::Is(p) | ast::ExpectOp::Within(p) => values
                        .probability(p)
                        .map(|v| ExpectCheck::Within(v.lo, v.hi)),
                    ast::ExpectOp::AtLeast(p) => {
                        values.probability(p).map(|v| ExpectCheck::AtLeast(v.lo))
                    }
                    ast::ExpectOp::AtMost(p) => {
                        values.probability(p).map(|v| ExpectCheck::AtMost(v.hi))
                    }
                    ast::ExpectOp::Above(p) => {
                        values.probability(p).map(|v| ExpectCheck::Above(v.hi))
                    }
                    ast::ExpectOp::Below(p) => {
                        values.probability(p).map(|v| ExpectCheck::Below(v.lo))
                    }
                    ast::ExpectOp::Leads(span) => {
                        if matches!(subject, ExpectSubject::Assumption(_)) {
                            self.diags.push(
                                Diagnostic::error(Code::InvalidExpectation, "only a hypothesis can lead")
                                    .with_label(*span, "an assumption is not a competing hypothesis")
                                    .with_help("compare the assumption's posterior instead, e.g. `expect false_flag at most unlikely`"),
                            );
                            None
                        } else {
                            Some(ExpectCheck::Leads)
                        }
                    }
                }
            };
            if let Some(check) = check {
                out.push(Expectation {
                    text: String::new(),
                    subject,
                    check,
                    span: e.span,
                });
            }
        }
        out
    }

    fn outcome(&mut self) -> Option<Outcome> {
        let mut found: Option<(Outcome, Span)> = None;
        let decls: Vec<&ast::OutcomeDecl> = self
            .file
            .items
            .iter()
            .filter_map(|i| match i {
                AstItem::Outcome(o) => Some(o),
                _ => None,
            })
            .collect();
        for o in decls {
            if let Some((_, first)) = &found {
                self.diags.push(
                    Diagnostic::error(
                        Code::DuplicateOutcome,
                        "a case has one outcome, but this is a second",
                    )
                    .with_label(o.span, "second outcome")
                    .with_label(*first, "first outcome")
                    .with_help("keep the outcome that resolved the case"),
                );
                continue;
            }
            let date = o.date.as_ref().map(|d| self.date(d));
            if let Some(h) = self.resolve_hyp(&o.hypothesis) {
                found = Some((
                    Outcome {
                        hypothesis: h,
                        date,
                        note: o.note.as_ref().map(|n| n.value.clone()),
                    },
                    o.span,
                ));
            }
        }
        found.map(|(o, _)| o)
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
        ast::ExpectOp::Leads(s) => Some(*s),
    }
}

fn item_span(item: &AstItem) -> Span {
    match item {
        AstItem::Case(h) => h.span,
        AstItem::Hypothesis(d) => d.id.span,
        AstItem::Source(d) => d.id.span,
        AstItem::Assumption(d) => d.id.span,
        AstItem::Evidence(d) => d.id.span,
        AstItem::Judgment(d) => d.id.span,
        AstItem::Expect(e) => e.span,
        AstItem::Outcome(o) => o.span,
        AstItem::Yardstick(d) => d.id.span,
        AstItem::Grading(g) => g.span,
        AstItem::Error(s) => *s,
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

/// A float printed without noise: `0.95`, `1.05`, `0.333333`.
pub fn trim_float(x: f64) -> String {
    let s = format!("{:.6}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
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
