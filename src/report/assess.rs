//! `acre assess` output: the terminal report and the JSON document.

use crate::infer::{Assessment, words};
use crate::model::Case;
use serde::Serialize;
use serde_json::{Map, Value};

/// A probability as a percentage with one decimal: `97.1%`.
pub fn pct1(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// "almost certain (95-100%)" for a verdict, or the gap wording with the recommendation.
pub fn verdict_words(case: &Case, v: &words::Verdict) -> String {
    match v.term_idx {
        Some(idx) => words::term_with_band(&case.yardstick, idx),
        None => format!(
            "{} (nearest: {})",
            v.words,
            words::term_with_band(&case.yardstick, v.recommended)
        ),
    }
}

/// The terminal report.
pub fn text(case: &Case, a: &Assessment, file: &str) -> String {
    let mut out = String::new();
    let title = if case.title.is_empty() {
        file.to_string()
    } else {
        case.title.clone()
    };
    out.push_str(&format!("{title}\n"));
    if let Some(q) = &case.question {
        out.push_str(&format!("Question:  {q}\n"));
    }
    out.push_str(&format!(
        "Yardstick: {} ({})\n\n",
        case.yardstick.title, case.yardstick.name
    ));

    out.push_str("Hypotheses (posterior with every input at its point value)\n");
    let id_width = case
        .hypotheses
        .iter()
        .map(|h| h.id.chars().count())
        .max()
        .unwrap_or(0);
    let mut order: Vec<usize> = (0..a.hypotheses.len()).collect();
    order.sort_by(|x, y| {
        a.hypotheses[*y]
            .point
            .total_cmp(&a.hypotheses[*x].point)
            .then(x.cmp(y))
    });
    for h in order {
        let r = &a.hypotheses[h];
        out.push_str(&format!(
            "  {:<id_width$}  {}  (prior {})\n",
            r.id,
            r.label,
            pct1(r.prior)
        ));
        out.push_str(&format!(
            "  {:<id_width$}  {}: {} [bounds {}-{}, 90% interval {}-{}]\n",
            "",
            verdict_words(case, &r.verdict),
            pct1(r.point),
            pct1(r.lower).trim_end_matches('%'),
            pct1(r.upper),
            pct1(r.p05).trim_end_matches('%'),
            pct1(r.p95),
        ));
        if let Some(note) = &r.term_note {
            out.push_str(&format!("  {:<id_width$}  note: {note}\n", ""));
        }
    }
    if !a.assumptions.is_empty() {
        out.push_str("\nAssumptions\n");
        for r in &a.assumptions {
            let v = words::verdict(&case.yardstick, r.posterior);
            out.push_str(&format!(
                "  {}  {}\n    prior {} -> after the evidence {}: {} (90% interval {}-{})\n",
                r.id,
                r.label,
                pct1(r.prior),
                verdict_words(case, &v),
                pct1(r.posterior),
                pct1(r.p05).trim_end_matches('%'),
                pct1(r.p95)
            ));
        }
    }
    out.push_str(&format!(
        "\nAnalytic confidence: {}\n",
        a.confidence.level.word()
    ));
    for reason in &a.confidence.reasons {
        out.push_str(&format!("  - {reason}\n"));
    }
    if !a.expectations.is_empty() {
        let met = a.expectations.iter().filter(|e| e.met).count();
        out.push_str(&format!(
            "\nExpectations: {met} of {} met\n",
            a.expectations.len()
        ));
        for e in &a.expectations {
            out.push_str(&format!(
                "  {} {}  ({})\n",
                if e.met { "met   " } else { "NOT MET" },
                e.text,
                e.actual
            ));
        }
    }
    out.push_str(&format!(
        "\nMonte Carlo: {} samples, seed {}{}; bounds: {}\n",
        a.samples,
        a.seed,
        if a.impossible_samples > 0 {
            format!(" ({} impossible draws skipped)", a.impossible_samples)
        } else {
            String::new()
        },
        match a.bounds_method {
            crate::infer::bounds::Method::Point => "no banded input, bounds equal the point",
            crate::infer::bounds::Method::Exhaustive => "exact, every vertex of the bands searched",
            crate::infer::bounds::Method::VertexSearch =>
                "coordinate-wise vertex search (many banded inputs)",
        }
    ));
    out
}

#[derive(Serialize)]
struct CaseJson<'a> {
    title: &'a str,
    question: Option<&'a str>,
    file: &'a str,
    event: Option<&'a str>,
    assessed: Option<&'a str>,
    analysts: &'a [String],
    outcome: Option<&'a str>,
}

/// The JSON document (shape documented in the README).
pub fn json(case: &Case, a: &Assessment, file: &str) -> Value {
    let y = &case.yardstick;
    let hypotheses: Vec<Value> = a
        .hypotheses
        .iter()
        .map(|r| {
            let mut bands = Map::new();
            for (term, p) in &r.band_probabilities {
                bands.insert(term.clone(), Value::from(*p));
            }
            serde_json::json!({
                "id": r.id,
                "label": r.label,
                "prior": r.prior,
                "posterior": {
                    "point": r.point, "lower": r.lower, "upper": r.upper,
                    "mean": r.mean, "p05": r.p05, "p50": r.p50, "p95": r.p95,
                },
                "term": r.verdict.term_idx.map(|i| y.terms[i].name.clone()),
                "term_band": r.verdict.term_idx.map(|i| [y.terms[i].lo, y.terms[i].hi]),
                "words": r.verdict.words,
                "recommended_term": y.terms[r.verdict.recommended].name,
                "term_note": r.term_note,
                "band_probabilities": bands,
            })
        })
        .collect();
    let assumptions: Vec<Value> = a
        .assumptions
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "label": r.label, "prior": r.prior, "posterior": r.posterior,
                "p05": r.p05, "p95": r.p95,
                "words": words::verdict(y, r.posterior).words,
            })
        })
        .collect();
    serde_json::json!({
        "case": CaseJson {
            title: &case.title,
            question: case.question.as_deref(),
            file,
            event: case.event.as_deref(),
            assessed: case.assessed.as_deref(),
            analysts: &case.analysts,
            outcome: case.outcome.as_ref().map(|o| case.hypotheses[o.hypothesis.idx()].id.as_str()),
        },
        "yardstick": y.name,
        "hypotheses": hypotheses,
        "leading": a.hypotheses[a.leading].id,
        "assumptions": assumptions,
        "confidence": a.confidence,
        "expectations": a.expectations,
        "log_evidence": a.log_evidence,
        "bounds_method": a.bounds_method,
        "samples": a.samples,
        "impossible_samples": a.impossible_samples,
        "seed": a.seed,
    })
}
