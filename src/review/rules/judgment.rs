//! `judgment`: each judgment of the case file compared with the computed posterior
//! (consistent and defensible verdicts; overclaims and underclaims are reported by their
//! own rules, through [`finding`]).

use crate::review::judgments::JudgmentCheck;
use crate::review::rule::{Check, Finding, JudgmentCx, Level, Rule, RuleDef};
use crate::vocab::Verdict;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "judgment",
    code: "acre::judgment",
    summary: "with --case: each judgment of the case file compared with the computed posterior",
    rationale: "Consistent when the point lies in the claimed band, defensible when only the 90% interval reaches it; otherwise an overclaim or underclaim.",
    bad: "judgment kj1 \"...\" { claims apt31 likely }  (computed 96%)",
    good: "judgment kj1 \"...\" { claims apt31 almost certain }",
    configurable: false,
    default_level: |_, _| Level::Info,
    check: &Judgment,
});

struct Judgment;

impl Check for Judgment {
    fn judgments(&self, cx: &JudgmentCx, checks: &[JudgmentCheck], out: &mut Vec<(usize, Finding)>) {
        for (i, c) in checks.iter().enumerate() {
            let (h, numbers) = subject_and_numbers(cx, c);
            let (level, message, label) = match c.verdict {
                Verdict::Consistent => {
                    let y = &cx.case.yardstick;
                    let place = crate::infer::words::place(y, c.point);
                    let where_ = match place.band {
                        Some(_) => format!("within {}", c.claimed),
                        None => format!(
                            "{}, where the nearer term is {}",
                            place.words, c.claimed
                        ),
                    };
                    (
                        Level::Info,
                        format!("judgment `{}` is consistent: {h} is {numbers}, {where_}", c.id),
                        "consistent with the numbers",
                    )
                }
                Verdict::Defensible => (
                    Level::Warning,
                    format!(
                        "judgment `{}` is defensible but not consistent: {h} is {numbers}; {} lies outside {}",
                        c.id,
                        crate::format::pct1(c.point),
                        c.claimed
                    ),
                    "the 90% interval reaches this band, the point does not",
                ),
                Verdict::Overclaim | Verdict::Underclaim => continue,
            };
            finding(cx, i, c, RULE, level, message, label, out);
        }
    }
}

/// The hypothesis a check is about, and its numbers as the messages give them.
pub(super) fn subject_and_numbers(cx: &JudgmentCx, c: &JudgmentCheck) -> (String, String) {
    let pct = crate::format::pct1;
    let case = cx.case;
    let h = case
        .judgments
        .iter()
        .find(|j| j.id == c.id)
        .map(|j| case.proposition_id(j.proposition).to_string())
        .unwrap_or_default();
    let numbers = format!(
        "{} (90% interval {})",
        pct(c.point),
        crate::format::whole_interval(c.p05, c.p95)
    );
    (h, numbers)
}

/// The finding on check `i`; a verdict the case itself expects (`expect ID overclaims`) is a
/// note, not a warning.
#[expect(clippy::too_many_arguments, reason = "one call per verdict, each naming every part")]
pub(super) fn finding(
    cx: &JudgmentCx,
    i: usize,
    c: &JudgmentCheck,
    rule: Rule,
    level: Level,
    message: String,
    label: &str,
    out: &mut Vec<(usize, Finding)>,
) {
    let case = cx.case;
    let expected = case.judgments.iter().position(|j| j.id == c.id).is_some_and(|j| {
        case.expectations.iter().any(|e| {
            e.subject == crate::model::ExpectSubject::Judgment(j)
                && matches!(e.check, crate::model::ExpectCheck::Verdict(v) if v.matches(c.verdict))
        })
    });
    let (level, message) = if expected && level != Level::Off && c.verdict != Verdict::Consistent
    {
        (Level::Info, format!("{message}, as the case expects"))
    } else {
        (level, message)
    };
    if level == Level::Off {
        return;
    }
    out.push((
        i,
        Finding {
            rule,
            level,
            message,
            // in a gap `supported` says where the numbers fall, with acre's nearer term
            suggestion: Some(
                if ["between ", "below ", "above "]
                    .iter()
                    .any(|w| c.supported.starts_with(w))
                {
                    format!("the numbers fall {}", c.supported)
                } else {
                    format!("the numbers support {}", c.supported)
                },
            ),
            fix: None,
            span: c.span,
            label: label.to_string(),
            related: Vec::new(),
            about: None,
        },
    ));
}
