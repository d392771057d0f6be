//! `hedge-stacking`: an evidential hedge or a modal governing an estimative term in one
//! clause ("suggests ... almost certainly", "may have likely").

use crate::diagnostic::Fix;
use crate::review::read::Batch;
use crate::review::rewrite::{HEDGE_REPLACEMENTS, match_case};
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "hedge-stacking",
    code: "acre::hedge-stacking",
    summary: "an evidential hedge or a modal governing an estimative term in one clause",
    rationale: "\"Suggests ... almost certainly\" and \"may have likely\" hedge twice: the reader cannot tell which probability is meant. Let the term carry the uncertainty.",
    bad: "Evidence suggests the group was almost certainly responsible.",
    good: "Evidence shows the group was almost certainly responsible.",
    configurable: true,
    default_level: |_, _| Level::Warning,
    check: &HedgeStacking,
});

struct HedgeStacking;

impl Check for HedgeStacking {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let text = cx.text;
        for s in &batch.stacks {
            let (h, term) = (s.hedge, batch.likelihoods[s.likelihood].span);
            let fix = if s.modal {
                // "may have likely skipped" -> "likely skipped"
                let participle: String = text[term.end..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                (text[h.end..term.start].trim().eq_ignore_ascii_case("have")
                    && participle.ends_with("ed"))
                .then(|| Fix {
                    span: Span::new(h.start, term.start),
                    replacement: String::new(),
                })
            } else {
                let verb = h.text(text).to_lowercase();
                HEDGE_REPLACEMENTS
                    .iter()
                    .find(|(from, _)| *from == verb)
                    .map(|(_, to)| Fix {
                        span: h,
                        replacement: match_case(h.text(text), to),
                    })
            };
            out.push(finding(text, h, term, level, fix));
        }
    }
}

fn finding(text: &str, hedge: Span, term: Span, level: Level, fix: Option<Fix>) -> Finding {
    // the rewritten words, from the hedge to the word after the term
    let end = text[term.end..]
        .char_indices()
        .skip_while(|(_, c)| c.is_whitespace())
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(i, _)| term.end + i);
    let suggestion = fix.as_ref().map(|f| {
        let mut rewritten = text[hedge.start..end].to_string();
        let at = f.span.start - hedge.start;
        rewritten.replace_range(at..at + f.span.len(), &f.replacement);
        format!(
            "let `{}` carry the uncertainty alone: \"…{}…\"",
            term.text(text),
            rewritten.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    });
    Finding {
        rule: RULE,
        level,
        message: format!(
            "`{}` hedges an estimate that `{}` already states",
            hedge.text(text),
            term.text(text)
        ),
        suggestion,
        fix,
        span: Span::new(hedge.start, term.end),
        label: "a hedge governing an estimative term".to_string(),
        related: Vec::new(),
        about: None,
    }
}
