//! `acre review` output: miette diagnostics, JSON, and SARIF 2.1.0.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::review::config::{Level, RULES};
use crate::review::{Finding, JudgmentCheck, Review};
use crate::span::line_column;
use serde_json::{Value, json};

/// The stable diagnostic code of a rule.
pub fn code_of(rule: &str) -> &'static str {
    match rule {
        "non-yardstick-term" => "acre::non-yardstick-term",
        "mixed-yardsticks" => "acre::mixed-yardsticks",
        "conflicting-terms" => "acre::conflicting-terms",
        "hedge-stacking" => "acre::hedge-stacking",
        "vague-term" => "acre::vague-term",
        "confidence-with-likelihood" => "acre::confidence-with-likelihood",
        "number-term-mismatch" => "acre::number-term-mismatch",
        "overclaim" => "acre::overclaim",
        "underclaim" => "acre::underclaim",
        "missing-number" => "acre::missing-number",
        _ => "acre::judgment",
    }
}

/// A finding as a diagnostic, for miette rendering.
pub fn to_diagnostic(f: &Finding) -> Diagnostic {
    let severity = match f.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info | Level::Off => Severity::Advice,
    };
    let mut labels = vec![Label {
        span: f.span,
        text: f.label.clone(),
    }];
    labels.extend(f.related.iter().map(|(span, text)| Label {
        span: *span,
        text: text.clone(),
    }));
    Diagnostic {
        code: code_of(f.rule),
        severity,
        message: f.message.clone(),
        help: f.suggestion.clone(),
        labels,
    }
}

fn position(text: &str, start: usize, end: usize) -> Value {
    let (line, column) = line_column(text, start);
    json!({ "line": line, "column": column, "start": start, "end": end })
}

fn finding_json(f: &Finding, text: &str) -> Value {
    let (line, column) = line_column(text, f.span.start);
    json!({
        "rule": f.rule,
        "severity": f.level.word(),
        "message": f.message,
        "suggestion": f.suggestion,
        "line": line,
        "column": column,
        "start": f.span.start,
        "end": f.span.end,
        "text": f.span.text(text),
        "related": f.related.iter().map(|(s, label)| {
            let mut p = position(text, s.start, s.end);
            p["text"] = json!(s.text(text));
            p["label"] = json!(label);
            p
        }).collect::<Vec<_>>(),
    })
}

/// The JSON document.
pub fn json(
    file: &str,
    text: &str,
    yardstick: &str,
    review: &Review,
    judgments: Option<(&str, &str, &[JudgmentCheck], &[Finding])>,
) -> Value {
    let count = |l: Level| {
        review
            .findings
            .iter()
            .chain(judgments.map_or(&[][..], |j| j.3))
            .filter(|f| f.level == l)
            .count()
    };
    let mut doc = json!({
        "file": file,
        "yardstick": yardstick,
        "findings": review.findings.iter().map(|f| finding_json(f, text)).collect::<Vec<_>>(),
        "phrases": review.phrases.iter().map(|p| {
            let (line, column) = line_column(text, p.span.start);
            json!({
                "text": p.text, "kind": p.kind, "term": p.term, "yardstick": p.yardstick, "band": p.band,
                "line": line, "column": column, "start": p.span.start, "end": p.span.end,
            })
        }).collect::<Vec<_>>(),
        "summary": { "errors": count(Level::Error), "warnings": count(Level::Warning), "info": count(Level::Info), "phrases": review.phrases.len() },
    });
    if let Some((case_file, case_text, checks, findings)) = judgments {
        doc["case"] = json!(case_file);
        doc["judgments"] = json!(
            checks
                .iter()
                .zip(findings.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(c, f)| {
                    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
                    if let Some(f) = f {
                        v["finding"] = finding_json(f, case_text);
                    }
                    v
                })
                .collect::<Vec<_>>()
        );
    }
    doc
}

fn sarif_level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Off => "note",
    }
}

fn region(text: &str, start: usize, end: usize) -> Value {
    let (start_line, start_column) = line_column(text, start);
    let (end_line, end_column) = line_column(text, end);
    json!({
        "startLine": start_line, "startColumn": start_column,
        "endLine": end_line, "endColumn": end_column,
        "charOffset": text[..start.min(text.len())].chars().count(),
        "charLength": text.get(start..end).map_or(0, |s| s.chars().count()),
        "snippet": { "text": text.get(start..end).unwrap_or("") },
    })
}

/// SARIF 2.1.0: one run, the rules with their default levels, one result per finding.
pub fn sarif(files: &[(&str, &str, &[Finding])]) -> Value {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|(id, level, what)| {
            json!({
                "id": id,
                "name": id.split('-').map(|w| { let mut c = w.chars(); c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect()) }).collect::<String>(),
                "shortDescription": { "text": what },
                "defaultConfiguration": { "level": sarif_level(*level), "enabled": *level != Level::Off },
            })
        })
        .collect();
    rules.push(json!({
        "id": "judgment", "name": "Judgment",
        "shortDescription": { "text": "a case's judgment compared with the computed posterior" },
        "defaultConfiguration": { "level": "note" },
    }));
    let rule_index = |id: &str| {
        RULES
            .iter()
            .position(|(r, _, _)| *r == id)
            .unwrap_or(RULES.len())
    };
    let mut results = Vec::new();
    for (file, text, findings) in files {
        for f in findings.iter() {
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index(f.rule),
                "level": sarif_level(f.level),
                "message": { "text": match &f.suggestion { Some(s) => format!("{} ({s})", f.message), None => f.message.clone() } },
                "locations": [ { "physicalLocation": { "artifactLocation": { "uri": file }, "region": region(text, f.span.start, f.span.end) } } ],
                "relatedLocations": f.related.iter().enumerate().map(|(i, (s, label))| json!({
                    "id": i,
                    "physicalLocation": { "artifactLocation": { "uri": file }, "region": region(text, s.start, s.end) },
                    "message": { "text": label },
                })).collect::<Vec<_>>(),
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": { "name": "acre", "version": env!("CARGO_PKG_VERSION"), "semanticVersion": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "artifacts": files.iter().map(|(file, _, _)| json!({ "location": { "uri": file } })).collect::<Vec<_>>(),
            "results": results,
            "columnKind": "unicodeCodePoints",
        } ],
    })
}
