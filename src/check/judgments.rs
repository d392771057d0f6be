//! Judgments, expectations and the outcome.

use super::*;
use crate::format::clip;
use crate::vocab::Strength;

impl Checker<'_> {
    pub(super) fn judgments(&mut self, values: &mut ValueResolver) -> Vec<Judgment> {
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
            let before = self.diags.len();
            let hid = self.resolve_proposition(h);
            // a judgment about an assumption: say what judgments may claim, and where
            // assumptions can be named instead
            if let Some(d) = self.diags.get_mut(before)
                && d.code == Code::WrongKind
                && self
                    .names
                    .get(h.name.as_str())
                    .is_some_and(|(k, _, _)| *k == Kind::Assumption)
            {
                d.help = Some(format!(
                    "a judgment claims a hypothesis; to state what the evidence should make of an assumption, write `expect {} at least likely` (or `at most unlikely`, `is …`)",
                    h.name
                ));
            }
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
                    proposition: hypothesis,
                    term_idx,
                    span: j.term.as_ref().map_or(j.id.span, Prob::span),
                    text_span: j.text.as_ref().map(|t| t.span),
                });
            }
        }
        out
    }

    pub(super) fn expectations(
        &mut self,
        values: &mut ValueResolver,
        judgments: &[Judgment],
    ) -> Vec<Expectation> {
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
            // `overclaims`, `underclaims`, `holds`: about a judgment
            if let ast::ExpectOp::Verdict(verdict, span) = &e.op {
                let ast::Subject::Name(id) = &e.subject else {
                    self.diags.push(
                        Diagnostic::error(
                            Code::InvalidExpectation,
                            format!("`{}` is said of a judgment", verdict.word()),
                        )
                        .with_label(*span, "confidence is not a judgment")
                        .with_help(format!(
                            "name a judgment, e.g. `expect {} {}`",
                            judgments.first().map_or("kj1", |j| j.id.as_str()),
                            verdict.word()
                        )),
                    );
                    continue;
                };
                let before = self.diags.len();
                if self.resolve(id, &[Kind::Judgment]).is_none() {
                    if let Some(d) = self.diags.get_mut(before) {
                        d.help = Some(format!(
                            "`{}` is said of a judgment: name one, e.g. `expect {} {}`",
                            verdict.word(),
                            judgments.first().map_or("kj1", |j| j.id.as_str()),
                            verdict.word()
                        ));
                    }
                    continue;
                }
                if let Some(j) = judgments.iter().position(|j| j.id == id.name) {
                    out.push(Expectation {
                        text: String::new(),
                        subject: ExpectSubject::Judgment(j),
                        check: ExpectCheck::Verdict(*verdict),
                        span: e.span,
                    });
                }
                continue;
            }
            let subject = match &e.subject {
                ast::Subject::Confidence(_) => ExpectSubject::Confidence,
                ast::Subject::Name(id) => {
                    let before = self.diags.len();
                    let resolved =
                        self.resolve(id, &[Kind::Hypothesis, Kind::Group, Kind::Assumption]);
                    if resolved.is_none()
                        && judgments.iter().any(|j| j.id == id.name)
                        && let Some(d) = self.diags.get_mut(before)
                    {
                        d.help = Some(format!(
                            "a judgment is checked with `overclaims`, `underclaims` or `holds`, e.g. `expect {} holds`",
                            id.name
                        ));
                    }
                    match resolved {
                        Some((Kind::Hypothesis, i)) => {
                            ExpectSubject::Hypothesis(HypothesisId(i as u32))
                        }
                        Some((Kind::Group, i)) => ExpectSubject::Group(GroupId(i as u32)),
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
                    // a term of the case's yardstick compares written terms (semantics
                    // section 7); a number, or another yardstick's term, its band
                    ast::ExpectOp::AtLeast(p) => match own_term(values, p) {
                        Some(t) => Some(ExpectCheck::TermAtLeast(t)),
                        None => values.probability(p).map(|v| ExpectCheck::AtLeast(v.lo)),
                    },
                    ast::ExpectOp::AtMost(p) => match own_term(values, p) {
                        Some(t) => Some(ExpectCheck::TermAtMost(t)),
                        None => values.probability(p).map(|v| ExpectCheck::AtMost(v.hi)),
                    },
                    ast::ExpectOp::Above(p) => match own_term(values, p) {
                        Some(t) => Some(ExpectCheck::TermAbove(t)),
                        None => values.probability(p).map(|v| ExpectCheck::Above(v.hi)),
                    },
                    ast::ExpectOp::Below(p) => match own_term(values, p) {
                        Some(t) => Some(ExpectCheck::TermBelow(t)),
                        None => values.probability(p).map(|v| ExpectCheck::Below(v.lo)),
                    },
                    // said of judgments, handled above
                    ast::ExpectOp::Verdict(..) => None,
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

    /// The case's outcome; one dated before the `assessed` date is an error (the case would
    /// be scored with the answer known).
    pub(super) fn outcome(&mut self, assessed: Option<&str>) -> Option<Outcome> {
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
            if let (Some(d), Some(lit), Some(assessed)) = (&date, &o.date, assessed)
                && crate::check::date_key(d, true) < crate::check::date_key(assessed, false)
            {
                self.diags.push(
                    Diagnostic::error(
                        Code::OutcomeBeforeAssessed,
                        format!("the outcome is dated {d}, before the case was assessed ({assessed})"),
                    )
                    .with_label(lit.span, "before the `assessed` date")
                    .with_help("a case resolved before it was assessed is scored with the answer known: set `assessed` to when the judgment was made, before the outcome, and keep only what was reported by then"),
                );
            }
            let strength = match &o.strength {
                Some(word) => {
                    let s = Strength::from_word(&word.name);
                    if s.is_none() {
                        let known: Vec<&str> = Strength::ALL.iter().map(|s| s.as_str()).collect();
                        let mut d = Diagnostic::error(
                            Code::UnknownOutcomeStrength,
                            format!("`{}` is not a strength of resolution", clip(&word.name, 60)),
                        )
                        .with_label(word.span, "not a strength")
                        .with_help(format!(
                            "write one of {}, firmest first: what resolved the case (a court's verdict, an indictment, a government's statement, a vendor's report, the press, a claim of responsibility)",
                            Strength::word_list()
                        ));
                        if let Some(near) = crate::text::suggest(&word.name, known.iter().copied())
                        {
                            d = d.with_help(format!(
                                "did you mean `{near}`? (the words: {})",
                                Strength::word_list()
                            ));
                        }
                        self.diags.push(d);
                    }
                    s
                }
                None => {
                    self.diags.push(
                        Diagnostic::warning(
                            Code::OutcomeWithoutStrength,
                            "the outcome does not say how firm its resolution is",
                        )
                        .with_label(o.span, "no `strength`")
                        .with_help(format!(
                            "add `strength WORD` after the date, one of {} (firmest first), so that `acre calibrate --min-strength` can leave out cases resolved less firmly",
                            Strength::word_list()
                        )),
                    );
                    None
                }
            };
            if let Some(p) = self.resolve_proposition(&o.hypothesis) {
                found = Some((
                    Outcome {
                        proposition: p,
                        date,
                        strength,
                        note: o.note.as_ref().map(|n| n.value.clone()),
                    },
                    o.span,
                ));
            }
        }
        found.map(|(o, _)| o)
    }
}

/// The index of `p` on the case's own yardstick, when it is one of its terms.
fn own_term(values: &ValueResolver, p: &Prob) -> Option<usize> {
    match p {
        Prob::Term { phrase, .. } => values.yardstick.find(phrase).map(|m| m.term_idx),
        _ => None,
    }
}
