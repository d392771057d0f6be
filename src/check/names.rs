//! Name resolution with use sites: every declaration with its span, every reference with its
//! span and the declaration it resolves to, and the queries an editor asks (definition at an
//! offset, references of a declaration, the symbols of a file).
//!
//! Resolution is by name within the kinds a reference can name (`given` names hypotheses,
//! `if` assumptions, `from` sources, …); when a name is declared twice the first declaration
//! wins, as in the checker, which reports the second.

use crate::span::Span;
use crate::syntax::ast::{self, CaseField, Item, Subject};

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SymbolKind {
    /// `hypothesis`
    Hypothesis,
    /// `group`
    Group,
    /// `source`
    Source,
    /// `assumption`
    Assumption,
    /// `evidence`
    Evidence,
    /// `judgment`
    Judgment,
    /// `yardstick` (a custom one)
    Yardstick,
}

/// Where a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefKind {
    /// `given h1, h2:` in evidence or an assumption.
    Given,
    /// `if a` / `unless a` on a likelihood line.
    Condition,
    /// `from source` on evidence.
    From,
    /// `depends on item`.
    DependsOn,
    /// `echoes` / `repeats` / `cites` on a source.
    Echoes,
    /// `claims h` on a judgment.
    Claims,
    /// The subject of `expect` (a hypothesis, an assumption, or a judgment for `overclaims`,
    /// `underclaims`, `holds`).
    Expect,
    /// `supports h over g` on evidence.
    Supports,
    /// `outcome h`.
    Outcome,
    /// `yardstick name` in the case header.
    Yardstick,
    /// A member of a `group`.
    Member,
}

impl SymbolKind {
    /// The kind in words, for messages ("evidence item").
    pub fn word(self) -> &'static str {
        match self {
            SymbolKind::Hypothesis => "hypothesis",
            SymbolKind::Group => "group",
            SymbolKind::Source => "source",
            SymbolKind::Assumption => "assumption",
            SymbolKind::Evidence => "evidence item",
            SymbolKind::Judgment => "judgment",
            SymbolKind::Yardstick => "yardstick",
        }
    }
}

impl RefKind {
    /// The kinds of declaration this reference can name.
    pub fn targets(self) -> &'static [SymbolKind] {
        match self {
            RefKind::Given | RefKind::Supports => &[SymbolKind::Hypothesis],
            RefKind::Claims | RefKind::Outcome | RefKind::Member => {
                &[SymbolKind::Hypothesis, SymbolKind::Group]
            }
            RefKind::Condition => &[SymbolKind::Assumption],
            RefKind::From | RefKind::Echoes => &[SymbolKind::Source],
            RefKind::DependsOn => &[SymbolKind::Evidence],
            RefKind::Expect => &[
                SymbolKind::Hypothesis,
                SymbolKind::Group,
                SymbolKind::Assumption,
                SymbolKind::Judgment,
            ],
            RefKind::Yardstick => &[SymbolKind::Yardstick],
        }
    }
}

/// A declared name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Symbol {
    /// What it declares.
    pub kind: SymbolKind,
    /// The name.
    pub name: String,
    /// Where the name is written in its declaration.
    pub span: Span,
}

/// A use of a name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    /// Where it is used.
    pub kind: RefKind,
    /// The name as written.
    pub name: String,
    /// Where.
    pub span: Span,
    /// The declaration it resolves to (an index into [`Names::symbols`]), if any: a
    /// built-in yardstick, or a name the checker reports as unknown, resolves to none.
    pub target: Option<usize>,
}

/// The names of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Names {
    /// Declarations in source order.
    pub symbols: Vec<Symbol>,
    /// References in source order.
    pub references: Vec<Reference>,
}

impl Names {
    /// Collects and resolves the names of a parsed file (with or without errors).
    pub fn of(file: &ast::CaseFile) -> Names {
        let mut names = Names::default();
        for item in &file.items {
            names.declare(item);
        }
        for item in &file.items {
            names.uses(item);
        }
        names.references.sort_by_key(|r| r.span.start);
        // one map from names to their declarations, so that resolving is linear in the file
        let mut by_name: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for (i, s) in names.symbols.iter().enumerate() {
            by_name.entry(s.name.as_str()).or_default().push(i);
        }
        let targets: Vec<Option<usize>> = names
            .references
            .iter()
            .map(|r| {
                by_name.get(r.name.as_str()).and_then(|decls| {
                    decls
                        .iter()
                        .copied()
                        .find(|&d| r.kind.targets().contains(&names.symbols[d].kind))
                })
            })
            .collect();
        for (r, t) in names.references.iter_mut().zip(targets) {
            r.target = t;
        }
        names
    }

    /// The declaration named at `offset`: by a reference there, or by the declaration's own
    /// name.
    pub fn definition_at(&self, offset: usize) -> Option<&Symbol> {
        self.symbol_index_at(offset)
            .and_then(|i| self.symbols.get(i))
    }

    /// The index of the declaration named at `offset`.
    pub fn symbol_index_at(&self, offset: usize) -> Option<usize> {
        let within = |s: Span| s.start <= offset && offset <= s.end;
        self.references
            .iter()
            .find(|r| within(r.span))
            .and_then(|r| r.target)
            .or_else(|| self.symbols.iter().position(|s| within(s.span)))
    }

    /// The references that resolve to the declaration `symbol`, in source order.
    pub fn references_of(&self, symbol: usize) -> impl Iterator<Item = &Reference> {
        self.references
            .iter()
            .filter(move |r| r.target == Some(symbol))
    }

    /// The reference at `offset`, if any.
    pub fn reference_at(&self, offset: usize) -> Option<&Reference> {
        self.references
            .iter()
            .find(|r| r.span.start <= offset && offset <= r.span.end)
    }

    fn declare(&mut self, item: &Item) {
        let (kind, id) = match item {
            Item::Hypothesis(d) => (SymbolKind::Hypothesis, &d.id),
            Item::Group(d) => (SymbolKind::Group, &d.id),
            Item::Source(d) => (SymbolKind::Source, &d.id),
            Item::Assumption(d) => (SymbolKind::Assumption, &d.id),
            Item::Evidence(d) => (SymbolKind::Evidence, &d.id),
            Item::Judgment(d) => (SymbolKind::Judgment, &d.id),
            Item::Yardstick(d) => (SymbolKind::Yardstick, &d.id),
            _ => return,
        };
        self.symbols.push(Symbol {
            kind,
            name: id.name.clone(),
            span: id.span,
        });
    }

    fn uses(&mut self, item: &Item) {
        match item {
            Item::Case(h) => {
                for f in &h.fields {
                    if let CaseField::Yardstick(id) = f {
                        self.refer(RefKind::Yardstick, id);
                    }
                }
            }
            Item::Source(d) => {
                if let Some(id) = &d.echoes {
                    self.refer(RefKind::Echoes, id);
                }
            }
            Item::Assumption(d) => self.given_lines(&d.given),
            Item::Evidence(d) => {
                if let Some(id) = &d.from {
                    self.refer(RefKind::From, id);
                }
                self.given_lines(&d.given);
                for s in &d.supports {
                    for id in s.supported.iter().chain(&s.over) {
                        self.refer(RefKind::Supports, id);
                    }
                }
                for id in &d.depends_on {
                    self.refer(RefKind::DependsOn, id);
                }
            }
            Item::Judgment(d) => {
                if let Some(id) = &d.hypothesis {
                    self.refer(RefKind::Claims, id);
                }
            }
            Item::Expect(e) => {
                if let Subject::Name(id) = &e.subject {
                    self.refer(RefKind::Expect, id);
                }
            }
            Item::Outcome(o) => self.refer(RefKind::Outcome, &o.hypothesis),
            Item::Group(d) => {
                for id in &d.members {
                    self.refer(RefKind::Member, id);
                }
            }
            Item::Hypothesis(_)
            | Item::Yardstick(_)
            | Item::Grading(_)
            | Item::Include(_)
            | Item::Error(_) => {}
        }
    }

    fn given_lines(&mut self, lines: &[ast::GivenLine]) {
        for g in lines {
            for id in &g.hypotheses {
                self.refer(RefKind::Given, id);
            }
            if let Some(c) = &g.condition {
                self.refer(RefKind::Condition, &c.assumption);
            }
        }
    }

    fn refer(&mut self, kind: RefKind, id: &ast::Ident) {
        self.references.push(Reference {
            kind,
            name: id.name.clone(),
            span: id.span,
            target: None,
        });
    }
}
