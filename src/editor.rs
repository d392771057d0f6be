//! What an editor asks of a case file, independent of any protocol: diagnostics and their
//! fixes, hovers, completions, definitions, references, renames, symbols, inlay hints and
//! semantic tokens — on files with errors too (from the partial model of
//! [`check::partial::check_partial`]). Positions are byte offsets; `acre lsp` (the binary) maps them
//! to the Language Server Protocol's lines and UTF-16 columns.
//!
//! An [`Analysis`] is computed once per version of a file in two parts: [`Analysis::new`]
//! is fast (parse, names, check, partial model, point posterior, leave-one-out ratios, a few
//! milliseconds for a 1,000-line case) and answers every query; [`slow_part`] (bounds, Monte
//! Carlo intervals, and the judgment checks that need them) can run on another thread and
//! be [`Analysis::attach`]ed when it is done, or dropped when the text has changed since.

use crate::check::names::{Names, RefKind, SymbolKind};
use crate::check::{self, check_source};
use crate::diagnostic::{Diagnostic, Fix};
use crate::format::format_band;
use crate::infer::{self, Assessment, LeaveOneOut};
use crate::lexicon::{Yardstick, builtin_yardstick, normalize_phrase};
use crate::model::Case;
use crate::span::{LineIndex, Span};
use crate::syntax::keyword::Keyword;
use crate::syntax::tree::{self, Declaration, SyntaxKind};
use rowan::NodeOrToken;

/// Markdown to show over a span.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// What the hover is about.
    pub span: Span,
    /// The text, in Markdown.
    pub markdown: String,
}

/// What kind of thing a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A keyword of the language.
    Keyword,
    /// A yardstick term.
    Term,
    /// A declared name.
    Name(SymbolKind),
    /// An Admiralty grade.
    Grade,
    /// A yardstick's name.
    Yardstick,
}

/// One completion.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    /// The text inserted.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description (a term's band, a name's label).
    pub detail: String,
}

/// A declaration, for an outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    /// Its name (`case` for the header).
    pub name: String,
    /// Its label.
    pub detail: String,
    /// The keyword that declares it.
    pub keyword: Keyword,
    /// The whole declaration.
    pub span: Span,
    /// Its name.
    pub selection: Span,
}

/// A hint drawn after a position.
#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    /// Where (a byte offset).
    pub at: usize,
    /// The text.
    pub label: String,
}

/// The kinds of semantic tokens, in the order of [`TOKEN_TYPES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    /// A keyword.
    Keyword,
    /// A quoted text.
    String,
    /// A number, percentage or date.
    Number,
    /// A comment.
    Comment,
    /// A hypothesis name.
    Hypothesis,
    /// A source name.
    Source,
    /// An assumption name.
    Assumption,
    /// An evidence item's name.
    Evidence,
    /// A judgment or yardstick name.
    Other,
    /// A yardstick term.
    Term,
}

/// The names of [`TokenType`]s as the Language Server Protocol knows them.
pub const TOKEN_TYPES: &[&str] = &[
    "keyword",
    "string",
    "number",
    "comment",
    "class",
    "namespace",
    "parameter",
    "variable",
    "type",
    "enumMember",
];

/// A span of one semantic kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    /// Where.
    pub span: Span,
    /// What.
    pub kind: TokenType,
    /// Whether this is the declaration of a name.
    pub declaration: bool,
}

/// A name declared in a file the case includes, where an editor can open it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredElsewhere {
    /// What it declares.
    pub kind: SymbolKind,
    /// The name.
    pub name: String,
    /// The file, as the loader named it.
    pub file: String,
    /// Where the name is written in that file (bytes).
    pub span: Span,
    /// The same as zero-based lines and UTF-16 columns (the unit editors count in).
    pub start: (u32, u32),
    /// The end, likewise.
    pub end: (u32, u32),
}

/// Everything an editor needs about one version of a case file.
pub struct Analysis {
    text: String,
    tree: tree::Parse,
    names: Names,
    /// Every diagnostic `acre check` reports, overclaims and underclaims included.
    pub diagnostics: Vec<Diagnostic>,
    /// The case: the whole of it, or the declarations that check.
    pub case: Option<Case>,
    /// Whether [`Self::case`] leaves declarations out.
    pub partial: bool,
    /// The point posterior of each hypothesis (every input at its point value).
    pub point: Option<Vec<f64>>,
    /// The assessment of the case (bounds and intervals), once [`slow_part`] is attached.
    pub assessment: Option<Assessment>,
    loo: Option<LeaveOneOut>,
    yardstick: Yardstick,
    /// Yardstick terms written in fields: where, and which term.
    terms: Vec<(Span, usize)>,
    /// Names declared in the files the case includes.
    elsewhere: Vec<DeclaredElsewhere>,
}

impl Analysis {
    /// Analyses one version of a case file: the fast part, which answers every query (the
    /// numbers of hovers are point values until [`Self::attach`] adds the intervals).
    pub fn new(text: &str) -> Analysis {
        let checked = check_source(text);
        let (case, partial) = match checked.case {
            Some(case) => (Some(case), false),
            None => (check::partial::check_partial(text).map(|p| p.case), true),
        };
        Analysis::from_parts(text, checked.diagnostics, case, partial)
    }

    /// Analyses a case file that may include others, read through `loader`: the case is
    /// the assembled one; diagnostics, names, hovers and edits stay in this file (what
    /// lies in an included file is reported at its `include` line).
    pub fn with_includes(
        text: &str,
        name: &str,
        key: &str,
        loader: crate::check::includes::Loader,
    ) -> Analysis {
        let (assembled, checked) = check::check_with_includes(name, key, text, loader);
        let diagnostics = crate::check::includes::split(&checked.diagnostics, &assembled.segments)
            .into_iter()
            .filter(|(s, _)| *s == 0)
            .map(|(_, d)| d)
            .collect();
        let (case, partial) = match checked.case {
            Some(case) => (Some(case), false),
            None => (
                check::partial::check_partial(&assembled.text).map(|p| p.case),
                true,
            ),
        };
        let mut analysis = Analysis::from_parts(text, diagnostics, case, partial);
        for segment in assembled.segments.iter().skip(1) {
            let Some(included) = assembled
                .text
                .get(segment.start..segment.start + segment.len)
            else {
                continue;
            };
            let (_, file) = tree::parse_with_ast(included);
            let lines = LineIndex::new(included);
            let at = |offset: usize| {
                let (line, column) = lines.line_utf16(offset);
                (line as u32, column as u32)
            };
            for symbol in Names::of(&file).symbols {
                analysis.elsewhere.push(DeclaredElsewhere {
                    start: at(symbol.span.start),
                    end: at(symbol.span.end),
                    kind: symbol.kind,
                    name: symbol.name,
                    file: segment.name.clone(),
                    span: symbol.span,
                });
            }
        }
        analysis
    }

    fn from_parts(
        text: &str,
        diagnostics: Vec<Diagnostic>,
        case: Option<Case>,
        partial: bool,
    ) -> Analysis {
        let (tree, file) = tree::parse_with_ast(text);
        let names = Names::of(&file);
        let point = case
            .as_ref()
            .and_then(|c| infer::point_posterior(c, &|_| true).ok())
            .map(|(p, _)| p);
        let loo = case
            .as_ref()
            .filter(|c| !c.items.is_empty())
            .map(LeaveOneOut::new);
        let yardstick = case
            .as_ref()
            .map(|c| c.yardstick.clone())
            .or_else(|| builtin_yardstick("phia"))
            .unwrap_or_else(|| Yardstick {
                name: String::new(),
                title: String::new(),
                source: String::new(),
                note: String::new(),
                terms: Vec::new(),
                rows: Vec::new(),
            });
        let terms = term_spans(&tree, text, &yardstick);
        Analysis {
            text: text.to_string(),
            tree,
            names,
            diagnostics,
            case,
            partial,
            point,
            assessment: None,
            loo,
            yardstick,
            terms,
            elsewhere: Vec::new(),
        }
    }

    /// Both parts at once, on this thread.
    pub fn complete(text: &str) -> Analysis {
        let mut a = Analysis::new(text);
        if let Some(case) = &a.case {
            let (assessment, warnings) = slow_part(case, text, a.partial);
            a.attach(assessment, warnings);
        }
        a
    }

    /// Adds the slow part: the assessment, and the judgment warnings it found.
    pub fn attach(&mut self, assessment: Option<Assessment>, warnings: Vec<Diagnostic>) {
        self.assessment = assessment;
        if !warnings.is_empty() {
            self.diagnostics.extend(warnings);
            self.diagnostics
                .sort_by_key(|d| d.primary().map_or(0, |s| s.start));
        }
    }

    /// The text analysed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The index of the leading hypothesis (by the point posterior).
    fn leading(&self) -> Option<usize> {
        let point = self.point.as_ref()?;
        (0..point.len()).max_by(|&a, &b| point[a].total_cmp(&point[b]))
    }

    /// The fixes of the diagnostics whose primary span touches `range`, with their messages.
    pub fn fixes_in(&self, range: Span) -> Vec<(&Diagnostic, &[Fix])> {
        self.diagnostics
            .iter()
            .filter(|d| !d.fixes.is_empty())
            .filter(|d| {
                d.primary()
                    .is_some_and(|s| s.start <= range.end && range.start <= s.end)
            })
            .map(|d| (d, d.fixes.as_slice()))
            .collect()
    }

    /// The declaration a name at `offset` refers to (or declares).
    pub fn definition(&self, offset: usize) -> Option<Span> {
        self.names.definition_at(offset).map(|s| s.span)
    }

    /// The declaration, in a file the case includes, of a name used at `offset` and not
    /// declared in this file.
    pub fn definition_elsewhere(&self, offset: usize) -> Option<&DeclaredElsewhere> {
        let r = self.names.reference_at(offset)?;
        if r.target.is_some() {
            return None;
        }
        let kinds = r.kind.targets();
        self.elsewhere
            .iter()
            .find(|d| d.name == r.name && kinds.contains(&d.kind))
    }

    /// Every use of the name at `offset`, and its declaration when asked, in source order.
    /// For a name declared in an included file ([`Self::definition_elsewhere`]): its uses
    /// in this file (the declaration is in the other file).
    pub fn references(&self, offset: usize, with_declaration: bool) -> Vec<Span> {
        let Some(i) = self.names.symbol_index_at(offset) else {
            return self.references_elsewhere(offset);
        };
        let mut spans: Vec<Span> = self.names.references_of(i).map(|r| r.span).collect();
        if with_declaration {
            spans.push(self.names.symbols[i].span);
        }
        spans.sort_by_key(|s| s.start);
        spans
    }

    /// The uses in this file of the name at `offset` when an included file declares it.
    fn references_elsewhere(&self, offset: usize) -> Vec<Span> {
        let Some(d) = self.definition_elsewhere(offset) else {
            return Vec::new();
        };
        self.names
            .references
            .iter()
            .filter(|r| {
                r.target.is_none() && r.name == d.name && r.kind.targets().contains(&d.kind)
            })
            .map(|r| r.span)
            .collect()
    }

    /// The edits that rename the name at `offset` to `new_name` everywhere (its
    /// declaration and every reference of every kind), or why it cannot be renamed.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<(Span, String)>, String> {
        let Some(i) = self.names.symbol_index_at(offset) else {
            if let Some(d) = self.definition_elsewhere(offset) {
                return Err(format!(
                    "`{}` is declared in {}, which other cases may include too: rename it there and in each file that uses it",
                    d.name, d.file
                ));
            }
            return Err("there is no declared name here to rename".to_string());
        };
        let symbol = &self.names.symbols[i];
        let valid = new_name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && new_name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "`{new_name}` is not a name: use letters, digits, `_` and `-`, starting with a letter"
            ));
        }
        if crate::syntax::keyword::is_keyword(new_name) {
            return Err(format!("`{new_name}` is a keyword of the case language"));
        }
        if self
            .names
            .symbols
            .iter()
            .any(|s| s.name == new_name && s.kind == symbol.kind)
        {
            return Err(format!(
                "a {} named `{new_name}` is already declared",
                symbol.kind.word()
            ));
        }
        Ok(self
            .references(offset, true)
            .into_iter()
            .map(|s| (s, new_name.to_string()))
            .collect())
    }

    /// The declarations, in order.
    pub fn symbols(&self) -> Vec<Symbol> {
        self.tree
            .declarations()
            .filter_map(|d| {
                let keyword = d.keyword()?;
                let span = tree::span_of(&NodeOrToken::Node(d.syntax().clone()));
                let label = d.label().map(|l| unquote(l.text())).unwrap_or_default();
                let (name, selection) = match d.name() {
                    Some(n) => (n.text().to_string(), tree::span_of(&NodeOrToken::Token(n))),
                    None => {
                        let first = significant_text(&d);
                        (
                            first,
                            Span::new(span.start, span.start + keyword.as_str().len()),
                        )
                    }
                };
                Some(Symbol {
                    name,
                    detail: label,
                    keyword,
                    span,
                    selection,
                })
            })
            .collect()
    }

    /// Each hypothesis's posterior and term, after its declaration's first line.
    pub fn inlay_hints(&self) -> Vec<InlayHint> {
        let (Some(case), Some(point)) = (&self.case, &self.point) else {
            return Vec::new();
        };
        self.tree
            .declarations()
            .filter(|d| d.keyword() == Some(Keyword::Hypothesis))
            .filter_map(|d| {
                let name = d.name()?;
                let h = case.hypotheses.iter().position(|h| h.id == name.text())?;
                let start = usize::from(name.text_range().start());
                let at = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
                // before a trailing comment, not after it
                let line = &self.text[start..at];
                let at = comment_start(line).map_or(at, |c| start + line[..c].trim_end().len());
                Some(InlayHint {
                    at,
                    label: format!(" → {}", self.posterior_words(point[h])),
                })
            })
            .collect()
    }

    /// "97.3% almost certain" for a posterior.
    fn posterior_words(&self, p: f64) -> String {
        format!(
            "{} {}",
            infer::words::pct(&self.yardstick, p),
            infer::words::place(&self.yardstick, p).words
        )
    }

    /// The hover at `offset`: a name (what it is and its numbers) or a yardstick term
    /// (its band and number).
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        if let Some(i) = self.names.symbol_index_at(offset) {
            let span = self
                .names
                .reference_at(offset)
                .filter(|r| r.target == Some(i))
                .map_or(self.names.symbols[i].span, |r| r.span);
            let symbol = &self.names.symbols[i];
            return Some(Hover {
                span,
                markdown: self.describe(symbol.kind, &symbol.name),
            });
        }
        // a name declared in an included file: not in this file's names, but in the case
        if let (Some(r), Some(case)) = (self.names.reference_at(offset), &self.case)
            && r.target.is_none()
            && let Some(kind) = r.kind.targets().iter().copied().find(|k| match k {
                SymbolKind::Source => case.sources.iter().any(|x| x.id == r.name),
                SymbolKind::Yardstick => case.custom_yardsticks.iter().any(|y| y.name == r.name),
                _ => false,
            })
        {
            let file = self
                .elsewhere
                .iter()
                .find(|d| d.name == r.name && d.kind == kind)
                .map_or(String::new(), |d| format!(": `{}`", d.file));
            return Some(Hover {
                span: r.span,
                markdown: format!(
                    "{}\n\n*Declared in an included file{file}.*",
                    self.describe(kind, &r.name)
                ),
            });
        }
        let (span, term) = self
            .terms
            .iter()
            .find(|(s, _)| s.start <= offset && offset <= s.end)?;
        let t = self.yardstick.term(*term)?;
        let mut md = format!(
            "**{}** — {}: {} (read as {}%)",
            t.name,
            self.yardstick_title(),
            format_band(t.lo, t.hi),
            crate::format::format_percent(t.point)
        );
        if !t.synonyms.is_empty() {
            md.push_str(&format!("\n\nAlso written: {}", t.synonyms.join(", ")));
        }
        Some(Hover {
            span: *span,
            markdown: md,
        })
    }

    fn yardstick_title(&self) -> String {
        if self.yardstick.title.is_empty() {
            self.yardstick.name.clone()
        } else {
            format!("{} (`{}`)", self.yardstick.title, self.yardstick.name)
        }
    }

    /// What a declared name is, with its numbers when the case has them.
    fn describe(&self, kind: SymbolKind, name: &str) -> String {
        let Some(case) = &self.case else {
            return format!(
                "{} `{name}` (the case has errors: no numbers yet)",
                kind.word()
            );
        };
        let stale = if self.partial {
            "\n\n*Partial: declarations with errors are left out of these numbers.*"
        } else {
            ""
        };
        let body = match kind {
            SymbolKind::Hypothesis => self.describe_hypothesis(case, name),
            SymbolKind::Group => self.describe_group(case, name),
            SymbolKind::Source => describe_source(case, name),
            SymbolKind::Assumption => self.describe_assumption(case, name),
            SymbolKind::Evidence => self.describe_item(case, name),
            SymbolKind::Judgment => case.judgments.iter().find(|j| j.id == name).map(|j| {
                let h = case.proposition_id(j.proposition);
                let term = self
                    .yardstick
                    .term(j.term_idx)
                    .map_or(String::new(), |t| format!("{} ({})", t.name, t.band_text()));
                format!("**judgment `{name}`**: claims `{h}` is {term}")
            }),
            SymbolKind::Yardstick => {
                case.custom_yardsticks
                    .iter()
                    .find(|y| y.name == name)
                    .map(|y| {
                        let terms: Vec<String> = y
                            .terms
                            .iter()
                            .map(|t| format!("{} {}", t.name, t.band_text()))
                            .collect();
                        format!(
                            "**yardstick `{name}`** — {}\n\n{}",
                            y.title,
                            terms.join(", ")
                        )
                    })
            }
        };
        body.map_or_else(
            || format!("{} `{name}` (left out: it has an error)", kind.word()),
            |b| format!("{b}{stale}"),
        )
    }

    /// A 90% interval as `acre assess` shows it: to whole points (`94-97%`; the ends rounded
    /// outwards, so the interval shown holds the one drawn; semantics section 6).
    fn interval(&self, lo: f64, hi: f64) -> String {
        crate::format::whole_interval(lo, hi)
    }

    fn describe_hypothesis(&self, case: &Case, name: &str) -> Option<String> {
        let h = case.hypotheses.iter().find(|h| h.id == name)?;
        let mut md = format!("**hypothesis `{name}`** — {}", h.label);
        let result = self
            .assessment
            .as_ref()
            .and_then(|a| a.hypotheses.iter().find(|r| r.id == name));
        let index = case.hypotheses.iter().position(|x| x.id == name);
        let point = index.and_then(|i| self.point.as_ref().map(|p| p[i]));
        md.push_str(&self.numbers(result, h.prior_point, point));
        if !h.aliases.is_empty() {
            md.push_str(&format!("\n\nAlso called: {}", h.aliases.join(", ")));
        }
        Some(md)
    }

    fn describe_group(&self, case: &Case, name: &str) -> Option<String> {
        let g = case.groups.iter().find(|g| g.id == name)?;
        let members: Vec<String> = g
            .hypotheses
            .iter()
            .map(|h| format!("`{}`", case.hypotheses[h.idx()].id))
            .collect();
        let mut md = format!(
            "**group `{name}`** — {}\n\nholds {}",
            g.label,
            members.join(", ")
        );
        let result = self
            .assessment
            .as_ref()
            .and_then(|a| a.groups.iter().find(|r| r.id == name));
        let sum = |v: &[f64]| g.hypotheses.iter().map(|h| v[h.idx()]).sum::<f64>();
        let prior = sum(&case
            .hypotheses
            .iter()
            .map(|h| h.prior_point)
            .collect::<Vec<_>>());
        let point = self.point.as_ref().map(|p| sum(p));
        md.push_str(&self.numbers(result, prior, point));
        if !g.aliases.is_empty() {
            md.push_str(&format!("\n\nAlso called: {}", g.aliases.join(", ")));
        }
        Some(md)
    }

    /// A hypothesis's or group's numbers: all of them when assessed, else the prior and the
    /// point posterior while the rest is being computed.
    fn numbers(
        &self,
        result: Option<&infer::HypothesisResult>,
        prior: f64,
        point: Option<f64>,
    ) -> String {
        match result {
            Some(r) => format!(
                "\n\nprior {} → posterior **{}** ({}), 90% interval {}, bounds {}-{}%",
                crate::format::pct1(r.prior),
                infer::words::pct(&self.yardstick, r.point),
                r.placement.words,
                self.interval(r.p05, r.p95),
                crate::format::format_percent(r.lower),
                crate::format::format_percent(r.upper),
            ),
            None => {
                let mut md = format!("\n\nprior {}", crate::format::pct1(prior));
                if let Some(p) = point {
                    md.push_str(&format!(
                        " → posterior **{}** ({}; interval and bounds being computed)",
                        infer::words::pct(&self.yardstick, p),
                        infer::words::place(&self.yardstick, p).words
                    ));
                }
                md
            }
        }
    }

    fn describe_assumption(&self, case: &Case, name: &str) -> Option<String> {
        let a = case.assumptions.iter().find(|a| a.id == name)?;
        let mut md = format!("**assumption `{name}`** — {}", a.label);
        if let Some(r) = self
            .assessment
            .as_ref()
            .and_then(|x| x.assumptions.iter().find(|r| r.id == name))
        {
            md.push_str(&format!(
                "\n\nprior {} → after the evidence **{}** ({}), 90% interval {}",
                crate::format::pct1(r.prior),
                infer::words::pct(&self.yardstick, r.posterior),
                infer::words::place(&self.yardstick, r.posterior).words,
                self.interval(r.p05, r.p95),
            ));
        }
        Some(md)
    }

    fn describe_item(&self, case: &Case, name: &str) -> Option<String> {
        let idx = case.items.iter().position(|e| e.id == name)?;
        let e = &case.items[idx];
        let source = &case.sources[e.source.idx()];
        let grade = match (source.reliability, e.credibility_grade) {
            (Some((r, _)), Some(c)) => format!("{r}{c}"),
            (Some((r, _)), None) => r.to_string(),
            (None, Some(c)) => c.to_string(),
            (None, None) => "ungraded".to_string(),
        };
        let mut md = format!(
            "**evidence `{name}`** — {}\n\nfrom `{}` ({grade})",
            e.description, source.id
        );
        if e.status == crate::vocab::Status::Pending {
            md.push_str("; pending: not counted until collected");
            return Some(md);
        }
        let (Some(lead), Some(loo)) = (self.leading(), &self.loo) else {
            return Some(md);
        };
        let lead_id = &case.hypotheses[lead].id;
        let Some(i) = loo.index(crate::model::ItemId(idx as u32)) else {
            return Some(md);
        };
        match loo.log_ratio(i, lead) {
            Some(log_ratio) => {
                let db = crate::explain::to_decibans(log_ratio);
                let words = crate::lexicon::enfsi().describe(log_ratio.exp(), lead_id, "the rest");
                md.push_str(&format!(
                    "\n\nWeight of evidence for `{lead_id}` (the leading hypothesis) against the rest: **{db:+.1} dB** (likelihood ratio {}): {words}",
                    ratio_text(log_ratio.exp())
                ));
            }
            None => md.push_str(&format!(
                "\n\nThis item alone rules `{lead_id}` in or out (an infinite ratio)."
            )),
        }
        Some(md)
    }

    /// What may be written at `offset`: keywords where a field or declaration starts, the
    /// yardstick's terms where a probability goes, declared names where a name goes, grades
    /// after `reliability`, `credibility` and `grade`.
    pub fn completions(&self, offset: usize) -> Vec<Completion> {
        let offset = offset.min(self.text.len());
        let mut at = offset;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..at];
        // the word being typed is replaced by the completion; the words before it say what goes here
        let typed_from = before
            .rfind(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .map_or(0, |i| i + 1);
        let head = &before[..typed_from];
        let words: Vec<&str> = head
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        let last = words.last().copied().unwrap_or("");
        let last_word = last.trim_end_matches([':', ',']);
        let in_block = self.in_block(line_start);
        let names = |kinds: &[SymbolKind]| -> Vec<Completion> {
            self.names
                .symbols
                .iter()
                .filter(|s| kinds.contains(&s.kind))
                .map(|s| Completion {
                    label: s.name.clone(),
                    kind: CompletionKind::Name(s.kind),
                    detail: s.kind.word().to_string(),
                })
                .collect()
        };
        if let Some((_, after_prior)) = term_phrase(before) {
            let mut out = self.term_completions();
            if after_prior {
                out.push(keyword_completion(
                    Keyword::Rest,
                    "the rest of the probability",
                ));
            }
            return out;
        }
        match last_word {
            "from" | "echoes" | "repeats" | "cites" => return names(&[SymbolKind::Source]),
            "given" | "over" | "supports" => return names(&[SymbolKind::Hypothesis]),
            "claims" | "outcome" | "members" => {
                return names(&[SymbolKind::Hypothesis, SymbolKind::Group]);
            }
            "if" | "unless" => return names(&[SymbolKind::Assumption]),
            "strength" if words.first() == Some(&"outcome") => {
                return crate::vocab::Strength::ALL
                    .iter()
                    .map(|s| Completion {
                        label: s.as_str().to_string(),
                        kind: CompletionKind::Keyword,
                        detail: format!("resolved by {}", s.meaning()),
                    })
                    .collect();
            }
            "on" if words.iter().rev().nth(1) == Some(&"depends") => {
                return names(&[SymbolKind::Evidence]);
            }
            "expect" => {
                let mut out = names(&[
                    SymbolKind::Hypothesis,
                    SymbolKind::Group,
                    SymbolKind::Assumption,
                ]);
                out.push(keyword_completion(
                    Keyword::Confidence,
                    "the analytic confidence",
                ));
                return out;
            }
            "reliability" => return self.grade_completions(true, false),
            "credibility" => return self.grade_completions(false, true),
            "grade" => return self.grade_completions(true, true),
            "yardstick" if in_block || words.len() > 1 => {
                let mut out: Vec<Completion> = crate::lexicon::builtin_yardsticks()
                    .into_iter()
                    .map(|y| Completion {
                        label: y.name.clone(),
                        kind: CompletionKind::Yardstick,
                        detail: y.title.clone(),
                    })
                    .collect();
                out.extend(names(&[SymbolKind::Yardstick]));
                return out;
            }
            _ => {}
        }
        // a comma inside a `given` list: more hypotheses; inside a group's: more members
        if last.ends_with(',') && words.first() == Some(&"given") {
            return names(&[SymbolKind::Hypothesis]);
        }
        if (last.ends_with(',') || last.ends_with('{'))
            && (words.first() == Some(&"group") || words.first() == Some(&"members"))
        {
            return names(&[SymbolKind::Hypothesis, SymbolKind::Group]);
        }
        // after `claims h`: a term
        if words.len() >= 2 && words[words.len() - 2] == "claims" {
            return self.term_completions();
        }
        if words.is_empty() {
            if in_block {
                return self.field_keywords(line_start);
            }
            return Keyword::declarations()
                .map(|k| keyword_completion(k, "declaration"))
                .collect();
        }
        Vec::new()
    }

    /// The text a completion at `offset` replaces: the phrase typed so far where a term
    /// goes (`highly li`), otherwise the word typed so far.
    pub fn completion_range(&self, offset: usize) -> Span {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..at];
        let from = match term_phrase(before) {
            Some((start, _)) => start,
            None => before
                .rfind(|c: char| c.is_whitespace() || c == ':' || c == ',')
                .map_or(0, |i| i + 1),
        };
        Span::new(line_start + from, at)
    }

    fn term_completions(&self) -> Vec<Completion> {
        self.yardstick
            .terms
            .iter()
            .map(|t| Completion {
                label: t.name.clone(),
                kind: CompletionKind::Term,
                detail: format!("{} ({})", format_band(t.lo, t.hi), self.yardstick.name),
            })
            .collect()
    }

    fn grade_completions(&self, letters: bool, digits: bool) -> Vec<Completion> {
        let grading = self
            .case
            .as_ref()
            .map_or_else(crate::lexicon::admiralty, |c| c.grading.clone());
        let letter_words = crate::lexicon::RELIABILITY_WORDS;
        let digit_words = crate::lexicon::CREDIBILITY_WORDS;
        let mut out = Vec::new();
        let letters_list = ['A', 'B', 'C', 'D', 'E', 'F'];
        match (letters, digits) {
            (true, false) => {
                for (i, l) in letters_list.iter().enumerate() {
                    out.push(grade(
                        l.to_string(),
                        letter_words[i],
                        grading.reliability[i],
                    ));
                }
            }
            (false, true) => {
                for (i, words) in digit_words.iter().enumerate() {
                    out.push(grade((i + 1).to_string(), words, grading.credibility[i]));
                }
            }
            _ => {
                for (l, letter) in letters_list.iter().zip(letter_words) {
                    for (j, digit) in digit_words.iter().enumerate() {
                        out.push(Completion {
                            label: format!("{l}{}", j + 1),
                            kind: CompletionKind::Grade,
                            detail: format!("{letter}, {digit}"),
                        });
                    }
                }
            }
        }
        out
    }

    /// The field keywords of the declaration whose block holds `offset`.
    fn field_keywords(&self, offset: usize) -> Vec<Completion> {
        let keyword = self
            .tree
            .declarations()
            .find(|d| {
                let r = d.syntax().text_range();
                usize::from(r.start()) <= offset && offset <= usize::from(r.end())
            })
            .and_then(|d| d.keyword());
        let fields = keyword.map_or(&[][..], Keyword::fields);
        fields
            .iter()
            .map(|k| keyword_completion(*k, "field"))
            .collect()
    }

    /// Whether `offset` (a line start) is inside a `{ … }` block.
    fn in_block(&self, offset: usize) -> bool {
        self.tree
            .syntax()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::Block)
            .any(|b| {
                let r = b.text_range();
                usize::from(r.start()) < offset
                    && (offset < usize::from(r.end())
                        || !b.text().to_string().trim_end().ends_with('}'))
            })
    }

    /// The semantic tokens of the file, in order.
    pub fn semantic_tokens(&self) -> Vec<SemanticToken> {
        let declared: std::collections::HashMap<usize, SymbolKind> = self
            .names
            .symbols
            .iter()
            .map(|s| (s.span.start, s.kind))
            .collect();
        let referenced: std::collections::HashMap<usize, Option<SymbolKind>> = self
            .names
            .references
            .iter()
            .map(|r| {
                (
                    r.span.start,
                    r.target
                        .map(|t| self.names.symbols[t].kind)
                        .or(match r.kind {
                            RefKind::Yardstick => Some(SymbolKind::Yardstick),
                            _ => None,
                        }),
                )
            })
            .collect();
        let mut out = Vec::new();
        let mut terms = self.terms.iter().peekable();
        for t in self
            .tree
            .syntax()
            .descendants_with_tokens()
            .filter_map(NodeOrToken::into_token)
        {
            let span = tree::span_of(&NodeOrToken::Token(t.clone()));
            while terms.next_if(|(s, _)| s.end <= span.start).is_some() {}
            let kind = match t.kind() {
                SyntaxKind::Comment => Some(TokenType::Comment),
                SyntaxKind::String | SyntaxKind::TextBlock => Some(TokenType::String),
                SyntaxKind::Number | SyntaxKind::Percent | SyntaxKind::Date => {
                    Some(TokenType::Number)
                }
                SyntaxKind::Word => {
                    if let Some(kind) = declared.get(&span.start) {
                        out.push(SemanticToken {
                            span,
                            kind: name_type(*kind),
                            declaration: true,
                        });
                        continue;
                    }
                    if let Some(kind) = referenced.get(&span.start) {
                        kind.map(name_type)
                    } else if terms.peek().is_some_and(|(s, _)| s.start <= span.start) {
                        Some(TokenType::Term)
                    } else if crate::syntax::keyword::is_keyword(t.text()) {
                        Some(TokenType::Keyword)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(kind) = kind {
                out.push(SemanticToken {
                    span,
                    kind,
                    declaration: false,
                });
            }
        }
        out
    }
}

/// The slow part of an analysis: the assessment with the draws `acre assess` makes by
/// default (so that the editor and the CLI show the same interval for the same text), and
/// (for a whole case, not a partial one) the overclaims and underclaims of its judgments.
pub fn slow_part(case: &Case, text: &str, partial: bool) -> (Option<Assessment>, Vec<Diagnostic>) {
    let options = infer::Options::default();
    let assessment = infer::assess(case, &options).ok();
    let warnings = if partial {
        Vec::new()
    } else {
        crate::review::judgment_warnings(case, text)
    };
    (assessment, warnings)
}

/// Where a term is being written in `before` (a line up to the cursor): after `:` or after
/// `prior`, with only words since. The start of the typed phrase, and whether it follows
/// `prior`.
fn term_phrase(before: &str) -> Option<(usize, bool)> {
    let phrase_chars = |s: &str| s.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    let colon = before.rfind(':');
    let prior = before
        .match_indices("prior")
        .map(|(i, _)| i)
        .filter(|&i| {
            let ok_before = i == 0 || before[..i].ends_with(char::is_whitespace);
            let rest = &before[i + 5..];
            ok_before && rest.starts_with(' ')
        })
        .last();
    let (mark, after_prior) = match (colon, prior) {
        (Some(c), Some(p)) if p > c => (p + 5, true),
        (Some(c), _) => (c + 1, false),
        (None, Some(p)) => (p + 5, true),
        (None, None) => return None,
    };
    let rest = &before[mark..];
    if !phrase_chars(rest) {
        return None;
    }
    let start = mark + (rest.len() - rest.trim_start().len());
    Some((start, after_prior))
}

fn name_type(kind: SymbolKind) -> TokenType {
    match kind {
        SymbolKind::Hypothesis | SymbolKind::Group => TokenType::Hypothesis,
        SymbolKind::Source => TokenType::Source,
        SymbolKind::Assumption => TokenType::Assumption,
        SymbolKind::Evidence => TokenType::Evidence,
        SymbolKind::Judgment | SymbolKind::Yardstick => TokenType::Other,
    }
}

fn keyword_completion(k: Keyword, detail: &str) -> Completion {
    Completion {
        label: k.as_str().to_string(),
        kind: CompletionKind::Keyword,
        detail: detail.to_string(),
    }
}

fn grade(label: String, words: &str, p: f64) -> Completion {
    Completion {
        label,
        kind: CompletionKind::Grade,
        detail: format!("{words} ({})", crate::format::pct1(p)),
    }
}

/// A likelihood ratio as people read it: `12`, `1/12`.
fn ratio_text(r: f64) -> String {
    if r >= 1.0 {
        format!("{r:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("1/{}", ratio_text(1.0 / r))
    }
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').trim().to_string()
}

/// The first significant token's text after the keyword (the case's title), or the keyword.
fn significant_text(d: &Declaration) -> String {
    d.label()
        .map(|l| unquote(l.text()))
        .or_else(|| d.keyword().map(|k| k.as_str().to_string()))
        .unwrap_or_default()
}

/// Where a comment starts in one line of case text (outside quotes), if it has one.
fn comment_start(line: &str) -> Option<usize> {
    let mut quoted = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'#' if !quoted => return Some(i),
            b'/' if !quoted && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The yardstick terms written in fields: the longest run of words that is a wording of a
/// term, at each word.
fn term_spans(tree: &tree::Parse, text: &str, yardstick: &Yardstick) -> Vec<(Span, usize)> {
    const LONGEST: usize = 5;
    let mut out = Vec::new();
    for field in tree
        .syntax()
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::Field)
    {
        let words: Vec<Span> = field
            .descendants_with_tokens()
            .filter_map(NodeOrToken::into_token)
            .filter(|t| !t.kind().is_trivia())
            .map(|t| (t.kind(), tree::span_of(&NodeOrToken::Token(t))))
            .filter(|(k, _)| *k == SyntaxKind::Word)
            .map(|(_, s)| s)
            .collect();
        let mut i = 0;
        while i < words.len() {
            let found = (1..=LONGEST.min(words.len() - i)).rev().find_map(|n| {
                let run = Span::new(words[i].start, words[i + n - 1].end);
                // only whitespace between the words
                let gaps_ok = (i..i + n - 1).all(|j| {
                    text[words[j].end..words[j + 1].start]
                        .chars()
                        .all(char::is_whitespace)
                });
                gaps_ok
                    .then(|| yardstick.find(&normalize_phrase(run.text(text))))
                    .flatten()
                    .map(|m| (n, run, m.term_idx))
            });
            match found {
                Some((n, run, term)) => {
                    out.push((run, term));
                    i += n;
                }
                None => i += 1,
            }
        }
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// The source's grade and the chain it echoes.
fn describe_source(case: &Case, name: &str) -> Option<String> {
    let idx = case.sources.iter().position(|s| s.id == name)?;
    let s = &case.sources[idx];
    let mut md = format!("**source `{name}`** — {}", s.label);
    match s.reliability {
        Some((letter, p)) => md.push_str(&format!(
            "\n\nreliability {letter}: sound with probability {}",
            crate::format::pct1(p)
        )),
        None => md.push_str("\n\nungraded"),
    }
    if let Some(e) = s.echoes {
        let root = &case.sources[s.root.idx()];
        md.push_str(&format!(
            "; echoes `{}` (its reports share the soundness of `{}`)",
            case.sources[e.idx()].id,
            root.id
        ));
    }
    let echoed: Vec<&str> = case
        .sources
        .iter()
        .filter(|o| o.echoes.is_some_and(|e| e.idx() == idx))
        .map(|o| o.id.as_str())
        .collect();
    if !echoed.is_empty() {
        md.push_str(&format!("; echoed by `{}`", echoed.join("`, `")));
    }
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "case \"t\" {\n  question \"Who?\"\n}\nhypothesis apt \"APT\" prior 30%\nhypothesis other \"Other\" prior rest catch-all\nsource ncsc \"NCSC\" reliability B\nsource hmg \"HMG\" reliability A echoes ncsc\nevidence e1 \"Malware\" {\n  from hmg credibility 2\n  given apt: highly likely\n  otherwise: unlikely\n}\n";

    #[test]
    fn hover_on_a_term_gives_its_band_and_number() {
        let a = Analysis::new(CASE);
        let at = CASE.find("highly likely").unwrap() + 3;
        let h = a.hover(at).unwrap();
        assert_eq!(h.span.text(CASE), "highly likely");
        assert!(h.markdown.contains("80-90%"), "{}", h.markdown);
        assert!(h.markdown.contains("read as 85%"), "{}", h.markdown);
    }

    #[test]
    fn hover_on_a_hypothesis_gives_its_posterior() {
        let a = Analysis::complete(CASE);
        // P(apt | e1) by hand (semantics: hmg relays ncsc, the root): c' = 0.90 (credibility
        // 2) * 0.98 (hmg, A) = 0.882; q = 0.3 * 0.85 + 0.7 * 0.30 = 0.465;
        // P(e1 | h) = r l'(h) + (1 - r) q with r = 0.90 (ncsc, B), l' = c' l + (1 - c') q
        let q = 0.3 * 0.85 + 0.7 * 0.30;
        let l = |x: f64| 0.9 * (0.882 * x + 0.118 * q) + 0.1 * q;
        let p = 0.3 * l(0.85) / (0.3 * l(0.85) + 0.7 * l(0.30));
        assert!((p - 0.4972).abs() < 1e-4, "{p}");
        let at = CASE.find("given apt").unwrap() + 7;
        let h = a.hover(at).unwrap();
        assert_eq!(h.span.text(CASE), "apt");
        assert!(
            h.markdown.contains(&format!("{:.1}%", p * 100.0)),
            "{p} {}",
            h.markdown
        );
        assert!(h.markdown.contains("prior 30.0%"), "{}", h.markdown);
    }

    #[test]
    fn completion_by_position() {
        let a = Analysis::new(CASE);
        let labels = |offset: usize| -> Vec<String> {
            a.completions(offset).into_iter().map(|c| c.label).collect()
        };
        let after_from = CASE.find("from ").unwrap() + 5;
        assert_eq!(labels(after_from), ["ncsc", "hmg"]);
        let after_colon = CASE.find("otherwise: ").unwrap() + 11;
        assert!(labels(after_colon).contains(&"remote chance".to_string()));
        // a phrase half typed: the completion replaces all of it
        let in_phrase = CASE.find("highly likely").unwrap() + "highly li".len();
        assert!(labels(in_phrase).contains(&"highly likely".to_string()));
        let range = a.completion_range(in_phrase);
        assert_eq!(range.text(CASE), "highly li");
        let after_cred = CASE.find("credibility ").unwrap() + 12;
        assert_eq!(labels(after_cred), ["1", "2", "3", "4", "5", "6"]);
        let field_start = CASE.find("  from").unwrap() + 2;
        assert!(labels(field_start).contains(&"depends".to_string()));
        assert!(labels(CASE.len()).contains(&"evidence".to_string()));
        // an outcome's strength: the six words, firmest first
        let text = format!("{CASE}\noutcome apt on 2021-06-01 strength ");
        let b = Analysis::new(&text);
        let words: Vec<String> = b
            .completions(text.len())
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            words,
            [
                "conviction",
                "indictment",
                "government",
                "vendor",
                "press",
                "claim"
            ]
        );
    }

    #[test]
    fn groups_complete_where_they_may_stand_and_hover_with_their_sum() {
        let text = format!(
            "{CASE}hypothesis third \"Third\" prior 10%\ngroup both \"Both\" {{ apt, third }}\njudgment j \"J\" claims "
        );
        let a = Analysis::complete(&text);
        let labels: Vec<String> = a
            .completions(text.len())
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, ["apt", "other", "third", "both"]);
        // after `{` in a group: its members' candidates
        let in_group = text.find("{ apt").unwrap() + 2;
        assert!(a.completions(in_group).iter().any(|c| c.label == "third"));
        // the hover of the group gives what it holds and the sum of their posteriors
        let at = text.find("group both").unwrap() + 7;
        let h = a.hover(at).unwrap();
        assert!(
            h.markdown
                .starts_with("**group `both`** — Both\n\nholds `apt`, `third`"),
            "{}",
            h.markdown
        );
        let result = a.assessment.as_ref().unwrap();
        let sum = result.hypotheses[0].point + result.hypotheses[2].point;
        assert!((result.groups[0].point - sum).abs() < 1e-12);
        assert!(
            h.markdown.contains(&infer::words::pct(&a.yardstick, sum)),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn rename_touches_every_reference_kind_and_refuses_clashes() {
        let a = Analysis::new(CASE);
        let at = CASE.find("ncsc").unwrap();
        let edits = a.rename(at, "gchq").unwrap();
        assert_eq!(edits.len(), 2); // the declaration and `echoes ncsc`
        assert!(a.rename(at, "hmg").is_err());
        assert!(a.rename(at, "given").is_err());
        assert!(a.rename(at, "9x").is_err());
    }
}
