//! `mixed-yardsticks`: a term of another yardstick, or ICD 203's likelihood and probability
//! rows mixed in one text.

use crate::diagnostic::Fix;
use crate::format::format_band;
use crate::review::read::{Batch, Draft, Form};
use crate::review::rewrite::{match_case, term_form, used_as_adverb};
use crate::review::rule::{Check, Cx, Finding, Level, Rule, RuleDef};

/// The rule.
pub const RULE: Rule = Rule(&RuleDef {
    id: "mixed-yardsticks",
    code: "acre::mixed-yardsticks",
    summary: "a term of another yardstick, or ICD 203's likelihood and probability rows mixed",
    rationale: "\"Very likely\" means 80-95% under ICD 203 but is not a PHIA term; a product should use one scale, and under ICD 203 one row of words unless it says the rows mean the same.",
    bad: "(under PHIA) The actor is very likely state-sponsored.",
    good: "(under PHIA) The actor is highly likely state-sponsored.",
    configurable: true,
    default_level: |yardstick, _| {
        if yardstick == "icd203" {
            Level::Error
        } else {
            Level::Warning
        }
    },
    check: &MixedYardsticks,
});

/// Wordings that say ICD 203's two rows mean the same.
const DISCLAIMERS: [&str; 4] = [
    "mean the same",
    "used interchangeably",
    "are equivalent",
    "equivalent terms",
];

struct MixedYardsticks;

impl Check for MixedYardsticks {
    fn batch(&self, cx: &Cx, batch: &Batch, out: &mut Vec<Finding>) {
        let level = cx.level(RULE, true);
        if level == Level::Off {
            return;
        }
        let (text, y) = (cx.text, cx.yardstick);
        for l in &batch.likelihoods {
            let (Form::Foreign { yardstick, term }, Some(effective)) = (&l.form, l.effective)
            else {
                continue;
            };
            let other = &cx.scanner.yardsticks[*yardstick];
            let t = &other.terms[*term];
            let written = l.span.text(text);
            let target = &y.terms[effective].name;
            let fix = term_form(target, used_as_adverb(text, l.span)).map(|form| Fix {
                span: l.span,
                replacement: match_case(written, &form),
            });
            out.push(Finding {
                rule: RULE,
                level,
                message: format!(
                    "`{written}` is a term of the {} yardstick, not of {}",
                    other.name, y.name
                ),
                suggestion: Some(format!(
                    "use the {} term {}",
                    y.name,
                    y.term_with_band(effective)
                )),
                fix,
                span: l.span,
                label: format!("{} term: {}", other.name, format_band(t.lo, t.hi)),
                related: Vec::new(),
                about: None,
            });
        }
    }

    /// ICD 203: terms from both rows of words, without the disclaimer that they mean the
    /// same.
    fn draft(&self, cx: &Cx, draft: &Draft, out: &mut Vec<Finding>) {
        let [Some(a), Some(b)] = draft.rows_seen else {
            return;
        };
        let disclaimed = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(DISCLAIMERS)
            .ok()
            .is_some_and(|ac| ac.is_match(cx.text));
        let level = cx.level(RULE, true);
        if disclaimed || level == Level::Off {
            return;
        }
        let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
        out.push(Finding {
            rule: RULE,
            level,
            message: "this text mixes the likelihood and probability rows of ICD 203".to_string(),
            suggestion: Some(
                "use one row throughout, or say in the text that the two rows' terms mean the same"
                    .to_string(),
            ),
            fix: None,
            span: second,
            label: "a term from the other row".to_string(),
            related: vec![(first, "first row used here".to_string())],
            about: None,
        });
    }
}
