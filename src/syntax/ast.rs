//! The lowered syntax tree that `check` reads: values unquoted, comments gone. Every node
//! carries its [`Span`]. The lossless tree is [`super::tree`].

use crate::span::Span;
pub use crate::vocab::{ExpectedVerdict, Status};

/// A name as written: `apt31`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// A quoted string or text block, unquoted.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The value, escapes resolved.
    pub value: String,
    /// Where (including the quotes).
    pub span: Span,
}

/// A date as written (`2024-03-25`, `2024-03`, `2024`).
#[derive(Clone, Debug, PartialEq)]
pub struct DateLit {
    /// The text.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// A grade as written: a reliability letter (`B`), a credibility digit (`2`) or both (`B2`).
#[derive(Clone, Debug, PartialEq)]
pub struct GradeLit {
    /// The text.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// A probability (or, in `supports`, a likelihood ratio) as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Prob {
    /// A plain number: `0.25`.
    Number {
        /// Value as written.
        value: f64,
        /// Where.
        span: Span,
    },
    /// A percentage: `25%`, stored as 0.25.
    Percent {
        /// Value as a fraction.
        value: f64,
        /// Where.
        span: Span,
    },
    /// An interval `a..b` of numbers or percentages.
    Interval {
        /// Lower end.
        lo: Box<Prob>,
        /// Upper end.
        hi: Box<Prob>,
        /// Where.
        span: Span,
    },
    /// A phrase from a yardstick (or a likelihood-ratio scale), normalised to lower case.
    Term {
        /// The phrase, words separated by one space.
        phrase: String,
        /// Where.
        span: Span,
    },
    /// `rest`: one minus the other priors.
    Rest {
        /// Where.
        span: Span,
    },
}

impl Prob {
    /// Where the value was written.
    pub fn span(&self) -> Span {
        match self {
            Prob::Number { span, .. }
            | Prob::Percent { span, .. }
            | Prob::Interval { span, .. }
            | Prob::Term { span, .. }
            | Prob::Rest { span } => *span,
        }
    }
}

/// A whole case file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CaseFile {
    /// Declarations in source order.
    pub items: Vec<Item>,
}

/// One top-level declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `case "title" { ... }`
    Case(CaseHeader),
    /// `hypothesis id "label" ...`
    Hypothesis(HypothesisDecl),
    /// `group id "label" { members }`
    Group(GroupDecl),
    /// `source id "label" ...`
    Source(SourceDecl),
    /// `assumption id "label" ...`
    Assumption(AssumptionDecl),
    /// `evidence id "label" { ... }`
    Evidence(EvidenceDecl),
    /// `judgment id "text" claims h term`
    Judgment(JudgmentDecl),
    /// `expect ...`
    Expect(Expectation),
    /// `outcome h on date`
    Outcome(OutcomeDecl),
    /// `yardstick id "title" { term ... }`
    Yardstick(YardstickDecl),
    /// `grading { ... }`
    Grading(GradingDecl),
    /// `include "shared.acre"`
    Include(IncludeDecl),
    /// A declaration that could not be parsed (already reported); later stages skip it.
    Error(Span),
}

impl Item {
    /// Where the declaration is named (its id, or its keyword when it has none).
    pub fn span(&self) -> Span {
        match self {
            Item::Case(h) => h.span,
            Item::Hypothesis(d) => d.id.span,
            Item::Group(d) => d.id.span,
            Item::Source(d) => d.id.span,
            Item::Assumption(d) => d.id.span,
            Item::Evidence(d) => d.id.span,
            Item::Judgment(d) => d.id.span,
            Item::Expect(e) => e.span,
            Item::Outcome(o) => o.span,
            Item::Yardstick(d) => d.id.span,
            Item::Grading(g) => g.span,
            Item::Include(i) => i.span,
            Item::Error(s) => *s,
        }
    }
}

/// The case header.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseHeader {
    /// Title.
    pub title: Option<Text>,
    /// Fields in order.
    pub fields: Vec<CaseField>,
    /// The `case` keyword.
    pub span: Span,
}

/// A field of the case header.
#[derive(Clone, Debug, PartialEq)]
pub enum CaseField {
    /// `question "..."`
    Question(Text),
    /// `yardstick name`
    Yardstick(Ident),
    /// `event 2021-01` (when the events happened)
    Event(DateLit),
    /// `assessed 2024-03-25` (when the assessment was made)
    Assessed(DateLit),
    /// `analyst "A", "B"`
    Analysts(Vec<Text>),
    /// `summary """..."""`
    Summary(Text),
    /// `note "..."`
    Note(Text),
    /// `rows-equivalent`: the ICD 203 disclaimer that both rows of words mean the same.
    RowsEquivalent(Span),
}

/// `hypothesis id "label" prior p alias "A", "B" catch-all`
#[derive(Clone, Debug, PartialEq)]
pub struct HypothesisDecl {
    /// Id.
    pub id: Ident,
    /// Label.
    pub label: Option<Text>,
    /// Prior.
    pub prior: Option<Prob>,
    /// Names by which prose refers to it.
    pub aliases: Vec<Text>,
    /// `catch-all` marker.
    pub catch_all: Option<Span>,
    /// `note "..."`
    pub notes: Vec<Text>,
}

/// `group id "label" alias "A" { member, member }`: hypotheses (or smaller groups) that
/// a report may name together ("China state-affiliated").
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDecl {
    /// Id.
    pub id: Ident,
    /// Label.
    pub label: Option<Text>,
    /// The hypotheses and groups it holds, in order.
    pub members: Vec<Ident>,
    /// Names by which prose refers to it.
    pub aliases: Vec<Text>,
    /// `note "..."`
    pub notes: Vec<Text>,
}

/// `source id "label" reliability B echoes other`
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDecl {
    /// Id.
    pub id: Ident,
    /// Label.
    pub label: Option<Text>,
    /// Reliability letter.
    pub reliability: Option<GradeLit>,
    /// The source this one repeats or cites.
    pub echoes: Option<Ident>,
    /// `cite "Cisco Talos, 12 Feb 2018"`: where it was published.
    pub cite: Option<Text>,
    /// `url "https://…"`.
    pub url: Option<Text>,
    /// `note "..."`
    pub notes: Vec<Text>,
}

/// A condition on an assumption: `if a` or `unless a`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The assumption.
    pub assumption: Ident,
    /// `unless`.
    pub negated: bool,
    /// Where.
    pub span: Span,
}

/// `given h1, h2 [if a]: p` or `otherwise [if a]: p`.
#[derive(Clone, Debug, PartialEq)]
pub struct GivenLine {
    /// The hypotheses; empty for `otherwise`.
    pub hypotheses: Vec<Ident>,
    /// Condition on an assumption.
    pub condition: Option<Condition>,
    /// The value.
    pub value: Prob,
    /// The keyword (`given` / `otherwise`).
    pub span: Span,
}

/// `assumption id "label" prior p { given h: p }`
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionDecl {
    /// Id.
    pub id: Ident,
    /// Label.
    pub label: Option<Text>,
    /// Prior for every hypothesis not given its own.
    pub prior: Option<Prob>,
    /// Per-hypothesis priors.
    pub given: Vec<GivenLine>,
    /// Names by which prose refers to it ("false flag", "deception").
    pub aliases: Vec<Text>,
    /// `note "..."`
    pub notes: Vec<Text>,
}

/// `supports h [over g, ...]: strength`
#[derive(Clone, Debug, PartialEq)]
pub struct SupportLine {
    /// Hypotheses supported.
    pub supported: Vec<Ident>,
    /// Hypotheses they are supported over (empty: all others).
    pub over: Vec<Ident>,
    /// Likelihood ratio: a number, an interval or a strength word.
    pub strength: Prob,
    /// The `supports` keyword.
    pub span: Span,
}

/// `evidence id "description" { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceDecl {
    /// Id.
    pub id: Ident,
    /// Description.
    pub label: Option<Text>,
    /// `from source`.
    pub from: Option<Ident>,
    /// `credibility 2`.
    pub credibility: Option<GradeLit>,
    /// `grade B2`.
    pub grade: Option<GradeLit>,
    /// Likelihood lines.
    pub given: Vec<GivenLine>,
    /// Ratio-form lines.
    pub supports: Vec<SupportLine>,
    /// Observed / absent / pending, with where it was said.
    pub status: Option<(Status, Span)>,
    /// `depends on a, b`.
    pub depends_on: Vec<Ident>,
    /// `cite "…"`: where it was published.
    pub cite: Option<Text>,
    /// `url "https://…"`.
    pub url: Option<Text>,
    /// `reported 2018-02-12`: when the item became known.
    pub reported: Option<DateLit>,
    /// `note "..."`
    pub notes: Vec<Text>,
}

/// `judgment id "text" claims h term`
#[derive(Clone, Debug, PartialEq)]
pub struct JudgmentDecl {
    /// Id.
    pub id: Ident,
    /// The judgment as worded in the assessment.
    pub text: Option<Text>,
    /// The hypothesis it is about.
    pub hypothesis: Option<Ident>,
    /// The term it asserts.
    pub term: Option<Prob>,
}

/// What an expectation is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A hypothesis or an assumption.
    Name(Ident),
    /// The analytic confidence level.
    Confidence(Span),
}

/// How an expectation compares.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectOp {
    /// `is likely`: the term for the point posterior is this one (or the number is in the band).
    Is(Prob),
    /// `at least likely`.
    AtLeast(Prob),
    /// `at most unlikely`.
    AtMost(Prob),
    /// `above 0.9`.
    Above(Prob),
    /// `below 10%`.
    Below(Prob),
    /// `in 0.6..0.8`.
    Within(Prob),
    /// `leads`: the hypothesis has the highest posterior.
    Leads(Span),
    /// `overclaims`, `underclaims` or `holds`: what the numbers make of a judgment.
    Verdict(ExpectedVerdict, Span),
}

/// `expect subject op`
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// Subject.
    pub subject: Subject,
    /// Comparison.
    pub op: ExpectOp,
    /// The whole expectation.
    pub span: Span,
}

/// `outcome h on 2024-03-25 strength indictment "note"`
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeDecl {
    /// The hypothesis that turned out true.
    pub hypothesis: Ident,
    /// When it was resolved.
    pub date: Option<DateLit>,
    /// How firm the resolution is, as written (`conviction`, `indictment`, ...).
    pub strength: Option<Ident>,
    /// How it was resolved.
    pub note: Option<Text>,
    /// The `outcome` keyword.
    pub span: Span,
}

/// `include "path.acre"`: shared declarations from another file.
#[derive(Clone, Debug, PartialEq)]
pub struct IncludeDecl {
    /// The path as written (relative to the including file).
    pub path: Text,
    /// The `include` keyword.
    pub span: Span,
}

/// `term "name" 55%..75% point 65% beta 6 3 alias "x"` inside a yardstick.
#[derive(Clone, Debug, PartialEq)]
pub struct TermDef {
    /// The term.
    pub name: Text,
    /// Its band.
    pub band: Option<Prob>,
    /// Representative value.
    pub point: Option<Prob>,
    /// Beta distribution parameters.
    pub beta: Option<(f64, f64, Span)>,
    /// Synonyms.
    pub aliases: Vec<Text>,
    /// The `term` keyword.
    pub span: Span,
}

/// `yardstick id "title" { term ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct YardstickDecl {
    /// Id.
    pub id: Ident,
    /// Title.
    pub title: Option<Text>,
    /// Terms in order.
    pub terms: Vec<TermDef>,
    /// Where the scale comes from.
    pub source: Option<Text>,
}

/// Which grading axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Source reliability A-F.
    Reliability,
    /// Information credibility 1-6.
    Credibility,
}

/// `reliability B 0.85` inside `grading { }`.
#[derive(Clone, Debug, PartialEq)]
pub struct GradingEntry {
    /// Axis.
    pub axis: Axis,
    /// Grade.
    pub grade: GradeLit,
    /// Value.
    pub value: Prob,
    /// The axis keyword.
    pub span: Span,
}

/// `grading { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct GradingDecl {
    /// Overrides.
    pub entries: Vec<GradingEntry>,
    /// The `grading` keyword.
    pub span: Span,
}
