//! Comparing what a draft says with what a case computes (semantics section 9): a term
//! said of the case's question, or of one of its assumptions, against that posterior and
//! its 90% interval.
//!
//! A sentence is compared only where it states what the case computes:
//! - **the question**: a hypothesis is the subject, the author asserts it, and the
//!   proposition is responsibility (in any wording) for an event whose names and years
//!   agree with the question's, or the question's own predicate ("used forged tokens to
//!   read ...") with such an object. The question is read from the case's `question`
//!   ("Who conducted the February 2025 intrusion into ...?").
//! - **an assumption**: the proposition names it (its id read as words, its kind, an
//!   alias) or restates most of its label; the author asserts it.
//!
//! Predictions, other propositions about an actor (capability, intent, infrastructure,
//! earlier conduct), quotations, reported speech, denials, conditionals and acre's own
//! narrative sentences are left alone.

use super::proposition::{Mode, Object, Predicate, Proposition};
use super::subjects::SubjectKey;
use crate::infer::{Assessment, band_verdict};
use crate::model::Case;
use crate::vocab::Verdict;

/// The case a draft is checked against.
#[derive(Clone, Copy)]
pub struct CaseContext<'a> {
    /// The case.
    pub case: &'a Case,
    /// Its assessment.
    pub assessment: &'a Assessment,
}

/// The case's question as a proposition without a subject: "Who compromised the build
/// server and shipped the update?" is `compromise` and `ship` of that object.
#[derive(Clone, Debug, Default)]
pub struct Question {
    /// Its predicates (responsibility is always one).
    pub predicates: Vec<Predicate>,
    /// What it asks about.
    pub object: Object,
}

impl Question {
    /// The question of `case` (responsibility for anything when it asks none).
    pub fn of(case: &Case) -> Question {
        let mut q = Question {
            predicates: vec![Predicate::Responsibility],
            object: Object::default(),
        };
        if let Some(text) = case.question.as_deref() {
            for p in super::proposition::read_question(text) {
                q.object.names.extend(p.object.names);
                q.object.words.extend(p.object.words);
                q.object.years.extend(p.object.years);
                if !q.predicates.contains(&p.predicate) {
                    q.predicates.push(p.predicate);
                }
            }
        }
        q
    }

    /// Whether `p` states this question (whoever its subject is): responsibility or the
    /// question's own predicate for an object whose names and years agree with the
    /// question's; or an act that causes incidents (deployed, attacked, stole, ...) of an
    /// object that names what the question names ("deployed WannaCry" for "Who was behind
    /// WannaCry?").
    pub fn asks(&self, p: &Proposition) -> bool {
        if !p.object.names_compatible(&self.object) {
            return false;
        }
        self.predicates.contains(&p.predicate)
            || matches!(&p.predicate, Predicate::Action(a) if INCIDENT_ACTIONS.contains(&a.as_str()))
                && p.object.shares_name(&self.object)
    }
}

/// Acts that make an incident: said of what the question names, they answer it.
const INCIDENT_ACTIONS: &[&str] = &[
    "deploy",
    "target",
    "compromise",
    "steal",
    "access",
    "tamper",
    "wipe",
    "exploit",
    "leak",
];

/// What a proposition is compared with: a hypothesis (its answer to the question) or an
/// assumption.
pub fn target(p: &Proposition, question: &Question) -> Option<SubjectKey> {
    if p.mode != Mode::Asserted {
        return None;
    }
    let subject = p.subject.as_ref()?;
    match &subject.key {
        SubjectKey::Hypothesis(_) | SubjectKey::Group(_) if question.asks(p) => {
            Some(subject.key.clone())
        }
        SubjectKey::Assumption(_) => Some(subject.key.clone()),
        _ => None,
    }
}

/// A term compared with the numbers of the hypothesis or assumption it is said of.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison<'a> {
    /// The hypothesis's or assumption's id.
    pub id: &'a str,
    /// Its label.
    pub label: &'a str,
    /// Whether it is an assumption (else a hypothesis).
    pub assumption: bool,
    /// Its point posterior.
    pub point: f64,
    /// Its 5th percentile.
    pub p05: f64,
    /// Its 95th percentile.
    pub p95: f64,
    /// What the numbers make of the term's band.
    pub verdict: Verdict,
}

/// Compares band `band`, said of `subject`, with the case's numbers; `None` when the
/// subject is neither a hypothesis nor an assumption of the case.
pub fn compare<'a>(
    case: CaseContext<'a>,
    subject: &SubjectKey,
    band: (f64, f64),
) -> Option<Comparison<'a>> {
    let (id, label, assumption, point, p05, p95) = match subject {
        SubjectKey::Hypothesis(_) | SubjectKey::Group(_) => {
            let r = match subject {
                SubjectKey::Group(g) => case.assessment.groups.get(*g as usize)?,
                SubjectKey::Hypothesis(h) => case.assessment.hypotheses.get(*h as usize)?,
                _ => return None,
            };
            (
                r.id.as_str(),
                r.label.as_str(),
                false,
                r.point,
                r.p05,
                r.p95,
            )
        }
        SubjectKey::Assumption(a) => {
            let r = case.assessment.assumptions.get(*a as usize)?;
            let label = case
                .case
                .assumptions
                .get(*a as usize)
                .map_or(r.id.as_str(), |x| x.label.as_str());
            (r.id.as_str(), label, true, r.posterior, r.p05, r.p95)
        }
        _ => return None,
    };
    Some(Comparison {
        id,
        label,
        assumption,
        point,
        p05,
        p95,
        verdict: band_verdict(&case.case.yardstick, band, point, p05, p95),
    })
}
