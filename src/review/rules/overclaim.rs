//! `overclaim`: with `--case`, a term above what the case's numbers support, in the draft
//! or in the case's own judgments.

use super::judgment;
use crate::review::compare;
use crate::review::judgments::JudgmentCheck;
use crate::review::read::Batch;
use crate::infer::words;
use crate::review::rule::{About, Check, Cx, Finding, JudgmentCx, Level, Rule, RuleDef};
use crate::vocab::Verdict;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "overclaim",
    code: "acre::overclaim",
    summary: "with --case: a term above what the case's numbers support",
    rationale: "The draft claims more than the evidence in the case file supports: the computed posterior and its 90% interval lie below the term's band.",
    bad: "It is likely that another China state-affiliated actor took part. (computed 3%)",
    good: "It is highly unlikely that another China state-affiliated actor took part.",
    configurable: true,
    default_level: |_, _| Level::Error,
    check: &Overclaim,
});

struct Overclaim;

impl Check for Overclaim {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        against_case(cx, batch, RULE, Verdict::Overclaim, out);
    }

    fn judgments(&self, cx: &JudgmentCx, checks: &[JudgmentCheck], out: &mut Vec<(usize, Finding)>) {
        of_judgments(cx, checks, RULE, Verdict::Overclaim, out);
    }
}

/// The findings of `rule` on terms said of a hypothesis or an assumption of the case whose
/// numbers give `verdict` (an overclaim or an underclaim).
pub(super) fn against_case(
    cx: &Cx,
    batch: &Batch,
    rule: Rule,
    verdict: Verdict,
    out: &mut Vec<Finding>,
) {
    let Some(case) = cx.case else { return };
    let level = cx.level(rule, true);
    if level == Level::Off {
        return;
    }
    let (text, y) = (cx.text, cx.yardstick);
    let (more_or_less, above_or_below) = if verdict == Verdict::Overclaim {
        ("more", "above")
    } else {
        ("less", "below")
    };
    let pct = crate::format::pct1;
    for l in &batch.likelihoods {
        let Some(subject) = &l.target else {
            continue;
        };
        let Some(c) = compare::compare(case, subject, l.band) else {
            continue;
        };
        if c.verdict != verdict {
            continue;
        }
        let written = l.span.text(text).to_lowercase();
        out.push(Finding {
            rule,
            level,
            message: format!(
                "`{written}` ({}) claims {more_or_less} than the case supports for {}: computed {} (90% interval {}-{})",
                crate::format::format_band(l.band.0, l.band.1),
                quoted_label(c.label, c.assumption),
                pct(c.point),
                pct(c.p05).trim_end_matches('%'),
                pct(c.p95)
            ),
            suggestion: Some(format!(
                "the case supports {}",
                y.term_with_band(words::written(y, c.point))
            )),
            fix: None,
            span: l.span,
            label: format!("{above_or_below} what the evidence supports ({})", pct(c.point)),
            related: Vec::new(),
            about: Some(About {
                id: c.id.to_string(),
                assumption: c.assumption,
            }),
        });
    }
}

/// A hypothesis's label as a message names it ("Storm-0558 (China-based espionage
/// actor)"), an assumption's in quotation marks.
fn quoted_label(label: &str, assumption: bool) -> String {
    if assumption {
        format!("\u{201c}{label}\u{201d}")
    } else {
        label.to_string()
    }
}

/// The findings of `rule` on the case's judgments whose verdict is `verdict`.
pub(super) fn of_judgments(
    cx: &JudgmentCx,
    checks: &[JudgmentCheck],
    rule: Rule,
    verdict: Verdict,
    out: &mut Vec<(usize, Finding)>,
) {
    let (claims, side, label) = if verdict == Verdict::Overclaim {
        ("overclaims", "below", "above what the evidence supports")
    } else {
        ("underclaims", "above", "below what the evidence supports")
    };
    for (i, c) in checks.iter().enumerate().filter(|(_, c)| c.verdict == verdict) {
        let (h, numbers) = judgment::subject_and_numbers(cx, c);
        let message = format!("judgment `{}` {claims}: {h} is {numbers}, {side} {}", c.id, c.claimed);
        judgment::finding(cx, i, c, rule, (cx.level)(rule), message, label, out);
    }
}
