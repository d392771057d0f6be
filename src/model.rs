//! The resolved case: what `check` produces and every later stage reads.
//!
//! Invariants: every id is resolved to an index into a plain `Vec`; every value
//! is a probability in [0, 1] (or a positive likelihood ratio) with its band;
//! likelihood tables are complete; the echo forest and the dependency graph are
//! acyclic. Nothing here refers to the syntax tree except through spans.

use crate::lexicon::{Grading, Yardstick};
use crate::span::Span;
use crate::vocab::Status;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the case's list.
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a hypothesis in [`Case::hypotheses`].
    HypothesisId
);
id_type!(
    /// Index of a group of hypotheses in [`Case::groups`].
    GroupId
);
id_type!(
    /// Index of a source in [`Case::sources`].
    SourceId
);
id_type!(
    /// Index of an evidence item in [`Case::items`].
    ItemId
);
id_type!(
    /// Index of an assumption in [`Case::assumptions`].
    AssumptionId
);
id_type!(
    /// Index of an input value in [`Case::params`].
    ParamId
);

/// Where a value came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A number or percentage: a point, no band.
    Number,
    /// An explicit interval.
    Interval,
    /// A yardstick term.
    Term {
        /// The yardstick it was found in.
        yardstick: std::sync::Arc<str>,
        /// The term's canonical name.
        term: std::sync::Arc<str>,
    },
    /// A likelihood-ratio strength word.
    Strength {
        /// The step of the ratio scale.
        step: String,
    },
    /// Derived from other values (`rest`, uniform priors).
    Derived,
}

/// An input value: a point and the band it may range over.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// Representative value.
    pub point: f64,
    /// Lower edge of the band.
    pub lo: f64,
    /// Upper edge of the band.
    pub hi: f64,
    /// A Beta distribution for Monte Carlo, when the yardstick carries one.
    pub beta: Option<(f64, f64)>,
    /// Where it came from.
    pub origin: Origin,
    /// Where it was written.
    pub span: Span,
}

impl Value {
    /// A point value with no band.
    pub fn exact(point: f64, origin: Origin, span: Span) -> Self {
        Value {
            point,
            lo: point,
            hi: point,
            beta: None,
            origin,
            span,
        }
    }

    /// Whether the band has any width.
    pub fn is_banded(&self) -> bool {
        self.hi > self.lo
    }

    /// How the value reads to a person: "likely (55-75%)", "0.7", "60-80%".
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Term { term, .. } => {
                format!("{term} ({})", crate::format::format_band(self.lo, self.hi))
            }
            Origin::Strength { step } => format!("{step} (LR {}-{})", self.lo, self.hi),
            Origin::Interval => crate::format::format_band(self.lo, self.hi),
            Origin::Number | Origin::Derived => {
                format!("{}%", crate::format::format_percent(self.point))
            }
        }
    }
}

/// What an input value is used for.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamRole {
    /// The prior of a hypothesis.
    Prior(HypothesisId),
    /// The prior of an assumption (under the hypotheses listed).
    AssumptionPrior(AssumptionId),
    /// A likelihood of an item.
    Likelihood(ItemId),
    /// A likelihood ratio of a ratio-form item.
    Ratio(ItemId),
}

/// One input value and its role.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The value.
    pub value: Value,
    /// What it is for.
    pub role: ParamRole,
}

/// One entry of a likelihood table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Entry {
    /// The value of a parameter.
    Param(ParamId),
    /// One (the reference level of a ratio-form item).
    One,
}

/// A hypothesis.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypothesis {
    /// Id as written.
    pub id: String,
    /// Label.
    pub label: String,
    /// Names prose uses for it.
    pub aliases: Vec<String>,
    /// Its prior: a parameter, or `None` for `rest` (and for uniform priors, which are fixed).
    pub prior: Option<ParamId>,
    /// The point prior (for `rest`: one minus the others).
    pub prior_point: f64,
    /// `rest`.
    pub is_rest: bool,
    /// Marked `catch-all`.
    pub catch_all: bool,
    /// The id's span.
    pub span: Span,
}

/// What a judgment, an expectation or an outcome is about: one hypothesis, or a group of
/// them (whose probability is the sum of its members').
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proposition {
    /// One hypothesis.
    Hypothesis(HypothesisId),
    /// A group.
    Group(GroupId),
}

/// A group of hypotheses that a report may name together ("China state-affiliated"): a
/// coarser level of the same question. Groups nest; each hypothesis or group is a direct
/// member of at most one group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Id as written.
    pub id: String,
    /// Label.
    pub label: String,
    /// Names prose uses for it.
    pub aliases: Vec<String>,
    /// Its direct members, as listed.
    pub members: Vec<Proposition>,
    /// Every hypothesis under it (through nested groups too), in the case's order.
    pub hypotheses: Vec<HypothesisId>,
    /// The group it is a member of.
    pub parent: Option<GroupId>,
    /// How deep it is nested: 0 for an outermost group.
    pub depth: usize,
    /// The id's span.
    pub span: Span,
}

/// A source of reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Id as written (`item:<id>` for the implicit source of an item without `from`).
    pub id: String,
    /// Label.
    pub label: String,
    /// Reliability letter and its value; `None` when ungraded (counts as fully reliable).
    pub reliability: Option<(char, f64)>,
    /// The source this one repeats.
    pub echoes: Option<SourceId>,
    /// The root of its echo tree.
    pub root: SourceId,
    /// Declared in the file (false for an item's implicit source).
    pub declared: bool,
    /// Where it was published (`cite`), when the case says.
    pub cite: Option<String>,
    /// Its address (`url`), when the case says.
    pub url: Option<String>,
    /// The id's span.
    pub span: Span,
}

/// Values along echo chains, from each root down: `at_root` for an original source,
/// `step(source, value of what it echoes)` for one that repeats another. Iterative and
/// linear in the number of sources, however long the chains; a source in a cycle (which
/// `check` reports) counts as an original.
pub fn along_echo_chains<T: Copy>(
    sources: &[Source],
    at_root: impl Fn(&Source) -> T,
    step: impl Fn(&Source, T) -> T,
) -> Vec<T> {
    let mut value: Vec<Option<T>> = vec![None; sources.len()];
    let mut on_path = vec![false; sources.len()];
    let mut path = Vec::new();
    for start in 0..sources.len() {
        // climb to a source whose value is known, or to a root
        let mut s = start;
        while value[s].is_none() && !on_path[s] {
            on_path[s] = true;
            path.push(s);
            match sources[s].echoes {
                Some(above) => s = above.idx(),
                None => break,
            }
        }
        // then come down, each value from the one above it
        while let Some(s) = path.pop() {
            on_path[s] = false;
            let above = sources[s].echoes.and_then(|a| value[a.idx()]);
            value[s] = Some(match above {
                Some(v) => step(&sources[s], v),
                None => at_root(&sources[s]),
            });
        }
    }
    value
        .into_iter()
        .zip(sources)
        .map(|(v, s)| v.unwrap_or_else(|| at_root(s)))
        .collect()
}

/// [`Case::relay_soundness`], for sources not yet in a case.
pub fn relay_soundness(sources: &[Source]) -> Vec<f64> {
    along_echo_chains(sources, |_| 1.0, |s, above| s.soundness() * above)
}

/// The relay soundness of one source, walking its chain (the same products, in the same
/// order, as [`relay_soundness`]).
pub fn relay_soundness_of(sources: &[Source], source: SourceId) -> f64 {
    let root = sources[source.idx()].root;
    let chain: Vec<SourceId> = std::iter::successors(Some(source), |s| sources[s.idx()].echoes)
        .take_while(|s| *s != root)
        .take(sources.len())
        .collect();
    chain
        .iter()
        .rev()
        .fold(1.0, |above, s| sources[s.idx()].soundness() * above)
}

impl Source {
    /// Graded A or B (reliable or usually reliable).
    pub fn graded_a_or_b(&self) -> bool {
        matches!(self.reliability, Some(('A' | 'B', _)))
    }

    /// Probability the source is sound.
    pub fn soundness(&self) -> f64 {
        self.reliability.map_or(1.0, |(_, r)| r)
    }
}

/// An assumption (a latent yes/no condition).
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// Id as written.
    pub id: String,
    /// Label.
    pub label: String,
    /// P(assumption | h) for each hypothesis.
    pub prior: Vec<ParamId>,
    /// Names prose uses for it.
    pub aliases: Vec<String>,
    /// The id's span.
    pub span: Span,
}

/// A likelihood table: P(E | h, state of the assumptions in `conds`).
#[derive(Clone, Debug, PartialEq)]
pub struct Likelihood {
    /// Assumptions the likelihood depends on, ascending.
    pub conds: Vec<AssumptionId>,
    /// `entries[state * k + h]`, where bit j of `state` is the truth of `conds[j]`.
    pub entries: Vec<Entry>,
    /// Ratio form (only ratios are meaningful).
    pub ratio: bool,
}

/// An evidence item.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Id as written.
    pub id: String,
    /// Description.
    pub description: String,
    /// The source of the report.
    pub source: SourceId,
    /// Credibility digit, when graded.
    pub credibility_grade: Option<u8>,
    /// Probability the report is accurate (1 when ungraded).
    pub credibility: f64,
    /// Observed, absent or pending.
    pub status: Status,
    /// Items this one is conditioned on.
    pub depends_on: Vec<ItemId>,
    /// Likelihoods.
    pub likelihood: Likelihood,
    /// Where it was published (`cite`), when the case says.
    pub cite: Option<String>,
    /// Its address (`url`), when the case says.
    pub url: Option<String>,
    /// When it became known (`reported`), as written, with where.
    pub reported: Option<(String, Span)>,
    /// The id's span.
    pub span: Span,
}

impl Item {
    /// The grade as written in the Admiralty system, e.g. `B2`, `?2`, `B?` or `ungraded`.
    pub fn grade_text(&self, case: &Case) -> String {
        let letter = case.sources[self.source.idx()].reliability.map(|(c, _)| c);
        match (letter, self.credibility_grade) {
            (None, None) => "ungraded".to_string(),
            (l, d) => format!(
                "{}{}",
                l.map_or("?".to_string(), |c| c.to_string()),
                d.map_or("?".to_string(), |d| d.to_string())
            ),
        }
    }
}

/// A judgment stated by the analysts.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgment {
    /// Id.
    pub id: String,
    /// The text as worded.
    pub text: String,
    /// The hypothesis or group it is about.
    pub proposition: Proposition,
    /// The term index in the case's yardstick.
    pub term_idx: usize,
    /// Where the term was written.
    pub span: Span,
    /// Where the judgment's text was written (quotes included), if it has one.
    pub text_span: Option<Span>,
}

/// What an expectation is about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ExpectSubject {
    /// A hypothesis's posterior.
    Hypothesis(HypothesisId),
    /// A group's posterior.
    Group(GroupId),
    /// An assumption's posterior.
    Assumption(AssumptionId),
    /// The confidence level.
    Confidence,
    /// A judgment (its index in [`Case::judgments`]).
    Judgment(usize),
}

/// A confidence level.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ConfidenceLevel {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

impl ConfidenceLevel {
    /// The word.
    pub fn word(self) -> &'static str {
        match self {
            ConfidenceLevel::Low => "low",
            ConfidenceLevel::Moderate => "moderate",
            ConfidenceLevel::High => "high",
        }
    }

    /// Parses a word.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "low" => Some(ConfidenceLevel::Low),
            "moderate" | "medium" => Some(ConfidenceLevel::Moderate),
            "high" => Some(ConfidenceLevel::High),
            _ => None,
        }
    }
}

/// The comparison of an expectation.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectCheck {
    /// The term for the point is this term.
    IsTerm(usize),
    /// The point lies in [lo, hi].
    Within(f64, f64),
    /// The point lies at or above the band of the term (or the number).
    AtLeast(f64),
    /// The point lies at or below the band of the term (or the number).
    AtMost(f64),
    /// Strictly above.
    Above(f64),
    /// Strictly below.
    Below(f64),
    /// The written term is this term of the case's yardstick or a higher one.
    TermAtLeast(usize),
    /// The written term is this term or a lower one.
    TermAtMost(usize),
    /// The written term is higher than this term.
    TermAbove(usize),
    /// The written term is lower than this term.
    TermBelow(usize),
    /// The hypothesis has the highest posterior.
    Leads,
    /// Confidence is this level.
    ConfidenceIs(ConfidenceLevel),
    /// Confidence is at least this level.
    ConfidenceAtLeast(ConfidenceLevel),
    /// Confidence is at most this level.
    ConfidenceAtMost(ConfidenceLevel),
    /// What the numbers make of a judgment.
    Verdict(crate::vocab::ExpectedVerdict),
}

/// An expectation written in the case file.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// As written, for reports.
    pub text: String,
    /// The subject.
    pub subject: ExpectSubject,
    /// The comparison.
    pub check: ExpectCheck,
    /// Where.
    pub span: Span,
}

/// The resolved outcome of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// What turned out true: a hypothesis, or only a group when the resolution names no
    /// member ("a Chinese state actor").
    pub proposition: Proposition,
    /// When.
    pub date: Option<String>,
    /// How firm the resolution is, when the case says.
    pub strength: Option<crate::vocab::Strength>,
    /// How it was resolved.
    pub note: Option<String>,
}

/// A checked case, ready for inference.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Title.
    pub title: String,
    /// The question.
    pub question: Option<String>,
    /// The yardstick that governs wording.
    pub yardstick: Yardstick,
    /// When the events happened.
    pub event: Option<String>,
    /// When the assessment was made.
    pub assessed: Option<String>,
    /// Analysts.
    pub analysts: Vec<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Grading numbers in force.
    pub grading: Grading,
    /// Hypotheses.
    pub hypotheses: Vec<Hypothesis>,
    /// Groups of hypotheses, in the file's order.
    pub groups: Vec<Group>,
    /// Sources (declared ones first, then implicit ones).
    pub sources: Vec<Source>,
    /// Assumptions.
    pub assumptions: Vec<Assumption>,
    /// Evidence items in source order.
    pub items: Vec<Item>,
    /// Every input value.
    pub params: Vec<Param>,
    /// Judgments.
    pub judgments: Vec<Judgment>,
    /// Expectations.
    pub expectations: Vec<Expectation>,
    /// Outcome, for resolved cases.
    pub outcome: Option<Outcome>,
    /// Yardsticks declared in the file.
    pub custom_yardsticks: Vec<Yardstick>,
}

/// A published reference of a case: a source's or an item's `cite` and `url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `source` or `evidence`.
    pub kind: &'static str,
    /// The id of the source or item.
    pub id: String,
    /// Where it was published.
    pub cite: Option<String>,
    /// Its address.
    pub url: Option<String>,
}

impl Case {
    /// The references of the case, numbered from 1 in this order: declared sources first,
    /// then items, each that has a `cite` or a `url`.
    pub fn references(&self) -> Vec<Reference> {
        let sources = self
            .sources
            .iter()
            .filter(|s| s.declared)
            .map(|s| ("source", &s.id, &s.cite, &s.url));
        let items = self
            .items
            .iter()
            .map(|i| ("evidence", &i.id, &i.cite, &i.url));
        sources
            .chain(items)
            .filter(|(_, _, c, u)| c.is_some() || u.is_some())
            .map(|(kind, id, cite, url)| Reference {
                kind,
                id: id.clone(),
                cite: cite.clone(),
                url: url.clone(),
            })
            .collect()
    }

    /// Number of hypotheses.
    pub fn n_hypotheses(&self) -> usize {
        self.hypotheses.len()
    }

    /// The point value of every parameter.
    pub fn point_values(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.value.point).collect()
    }

    /// The sources between `source` and the root of its echo tree: `source` first, then
    /// what it echoes, and so on; the root excluded (empty for an original).
    pub fn relays(&self, source: SourceId) -> impl Iterator<Item = SourceId> + '_ {
        let root = self.sources[source.idx()].root;
        std::iter::successors(Some(source), |s| self.sources[s.idx()].echoes)
            .take_while(move |s| *s != root)
    }

    /// For every source, the chance that the relays between it and its root passed a report
    /// on faithfully: the product of the soundness of the source and of every source between
    /// it and the root (the root excluded), multiplied from the root down; 1 for an original.
    pub fn relay_soundness(&self) -> Vec<f64> {
        relay_soundness(&self.sources)
    }

    /// For every source: it, its relays and its root are all graded A or B.
    pub fn chain_reliable(&self) -> Vec<bool> {
        along_echo_chains(
            &self.sources,
            |s| s.graded_a_or_b(),
            |s, above| s.graded_a_or_b() && above,
        )
    }

    /// Finds a hypothesis by id.
    pub fn hypothesis(&self, id: &str) -> Option<HypothesisId> {
        self.hypotheses
            .iter()
            .position(|h| h.id == id)
            .map(|i| HypothesisId(i as u32))
    }

    /// Finds a hypothesis or a group by id.
    pub fn proposition(&self, id: &str) -> Option<Proposition> {
        self.hypothesis(id)
            .map(Proposition::Hypothesis)
            .or_else(|| {
                self.groups
                    .iter()
                    .position(|g| g.id == id)
                    .map(|i| Proposition::Group(GroupId(i as u32)))
            })
    }

    /// The hypotheses a proposition holds: the one hypothesis, or a group's.
    pub fn members<'a>(&'a self, p: &'a Proposition) -> &'a [HypothesisId] {
        match p {
            Proposition::Hypothesis(h) => std::slice::from_ref(h),
            Proposition::Group(g) => &self.groups[g.idx()].hypotheses,
        }
    }

    /// A proposition's id as written.
    pub fn proposition_id(&self, p: Proposition) -> &str {
        match p {
            Proposition::Hypothesis(h) => &self.hypotheses[h.idx()].id,
            Proposition::Group(g) => &self.groups[g.idx()].id,
        }
    }

    /// A proposition's label.
    pub fn proposition_label(&self, p: Proposition) -> &str {
        match p {
            Proposition::Hypothesis(h) => &self.hypotheses[h.idx()].label,
            Proposition::Group(g) => &self.groups[g.idx()].label,
        }
    }

    /// The group that lists a hypothesis or a group as a direct member.
    pub fn parent(&self, p: Proposition) -> Option<GroupId> {
        match p {
            Proposition::Group(g) => self.groups[g.idx()].parent,
            Proposition::Hypothesis(_) => self
                .groups
                .iter()
                .position(|g| g.members.contains(&p))
                .map(|i| GroupId(i as u32)),
        }
    }

    /// The family of a hypothesis: its outermost group, or itself when it is in none.
    pub fn family(&self, h: HypothesisId) -> Proposition {
        let mut at = Proposition::Hypothesis(h);
        while let Some(g) = self.parent(at) {
            at = Proposition::Group(g);
        }
        at
    }

    /// The families of the case, the coarsest level of its question: every outermost group
    /// and every hypothesis in no group, in the order of their first hypothesis. Without
    /// groups, the hypotheses.
    pub fn families(&self) -> Vec<Proposition> {
        self.level(0)
    }

    /// The partition of the hypotheses at a depth of nesting: for each hypothesis, its
    /// ancestor group at `depth`, or itself when it is nested less deeply than that; in the
    /// order of their first hypothesis. Depth 0 gives [`Case::families`].
    pub fn level(&self, depth: usize) -> Vec<Proposition> {
        let mut out: Vec<Proposition> = Vec::new();
        for h in 0..self.hypotheses.len() {
            // the chain from the hypothesis up to its family
            let mut chain = vec![Proposition::Hypothesis(HypothesisId(h as u32))];
            while let Some(g) = self.parent(chain[chain.len() - 1]) {
                chain.push(Proposition::Group(g));
            }
            // the family (depth 0) is last, the group at depth d is d places before it
            let groups = chain.len() - 1;
            let at = if depth < groups {
                chain[groups - depth]
            } else {
                chain[0]
            };
            if !out.contains(&at) {
                out.push(at);
            }
        }
        out
    }

    /// Whether an outcome settles a proposition: true when every hypothesis the outcome
    /// allows is in it, false when none is, `None` when the outcome names a group that the
    /// proposition splits (a judgment about one member, when only the group is known).
    pub fn settles(&self, p: Proposition, outcome: Proposition) -> Option<bool> {
        let (said, known) = (self.members(&p), self.members(&outcome));
        if known.iter().all(|h| said.contains(h)) {
            Some(true)
        } else if known.iter().all(|h| !said.contains(h)) {
            Some(false)
        } else {
            None
        }
    }

    /// The partition of the hypotheses at which an outcome is one block: the hypotheses
    /// when it names one, else the level of its group.
    pub fn resolution_level(&self, outcome: Proposition) -> Vec<Proposition> {
        match outcome {
            Proposition::Hypothesis(_) => (0..self.hypotheses.len())
                .map(|h| Proposition::Hypothesis(HypothesisId(h as u32)))
                .collect(),
            Proposition::Group(g) => self.level(self.groups[g.idx()].depth),
        }
    }

    /// Finds an item by id.
    pub fn item(&self, id: &str) -> Option<ItemId> {
        self.items
            .iter()
            .position(|e| e.id == id)
            .map(|i| ItemId(i as u32))
    }
}
