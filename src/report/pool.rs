//! Pooled judgments for people: a side-by-side table, the spread, where analysts
//! disagree, and an HTML page with the analysts' posteriors as dots on the yardstick.

use crate::format::pct1;
use crate::lexicon::Yardstick;
use crate::pool::Pool;
use crate::report::page::{CSS, band_colour, esc};
use std::fmt::Write as _;

fn db(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:+.1}"))
}

/// A hypothesis's spread: `63.6-77.3%, sd 6.3 points`.
fn spread_text(sp: &crate::pool::Spread) -> String {
    format!(
        "{}-{}, sd {:.1} points",
        pct1(sp.min).trim_end_matches('%'),
        pct1(sp.max),
        sp.sd * 100.0
    )
}

/// Each analyst's weight for an item: `[1] +4.6  [2] +1.9`.
fn decibans_columns(item: &crate::pool::ItemView, sep: &str) -> String {
    item.decibans
        .iter()
        .enumerate()
        .map(|(i, d)| format!("[{}] {}", i + 1, db(*d)))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Short names for the analysts' files (their file names).
fn short(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The pool as text.
pub fn text(p: &Pool, question: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Pooling {} analysts{}\n",
        p.analysts.len(),
        question.map(|q| format!(" on \"{q}\"")).unwrap_or_default()
    );
    for (i, a) in p.analysts.iter().enumerate() {
        let _ = writeln!(
            s,
            "  [{}] {} (weight {:.2}, confidence {})",
            i + 1,
            a.file,
            a.weight,
            a.confidence
        );
    }
    s.push('\n');
    for (h, id) in p.hypotheses.iter().enumerate() {
        let _ = writeln!(s, "{id}");
        for (i, a) in p.analysts.iter().enumerate() {
            let _ = writeln!(
                s,
                "  [{}] {:>6}  {}",
                i + 1,
                pct1(a.posterior[h]),
                a.terms[h]
            );
        }
        for pooled in &p.pooled {
            let _ = writeln!(
                s,
                "  {:<4} {:>6}  {}  ({})",
                "pool",
                pct1(pooled.posterior[h]),
                pooled.terms[h],
                pooled.method
            );
        }
        let sp = &p.spread[h];
        let _ = writeln!(
            s,
            "  spread {}; {}",
            spread_text(sp),
            if sp.same_term {
                "the analysts use the same words"
            } else {
                "the analysts' words differ"
            }
        );
    }
    if !p.disagreements.is_empty() {
        let _ = writeln!(
            s,
            "\nWhere they disagree: each item's weight of evidence for {} (dB), the widest spread first",
            p.focus
        );
        for item in p.disagreements.iter().take(8) {
            let _ = writeln!(
                s,
                "  {:<18} {}   (range {:.1} dB)",
                item.id,
                decibans_columns(item, "  "),
                item.range
            );
            for (i, w) in item.written.iter().enumerate() {
                if let Some(w) = w {
                    let _ = writeln!(s, "      [{}] {w}", i + 1);
                }
            }
        }
    }
    if !p.only_in_some.is_empty() {
        let _ = writeln!(s, "\nItems in some files only:");
        for item in &p.only_in_some {
            let has: Vec<String> = item
                .written
                .iter()
                .enumerate()
                .filter(|(_, w)| w.is_some())
                .map(|(i, _)| format!("[{}]", i + 1))
                .collect();
            let _ = writeln!(s, "  {:<18} in {}", item.id, has.join(", "));
        }
    }
    s
}

/// The analysts' posteriors as dots on the yardstick (one row per hypothesis), with the
/// pools as diamonds.
pub fn chart(p: &Pool, yardstick: &Yardstick) -> String {
    let (w, left, right, top, row) = (820.0, 110.0, 20.0, 56.0, 40.0);
    let h = top + row * p.hypotheses.len() as f64 + 40.0;
    let x = |v: f64| left + v * (w - left - right);
    let mut s = format!(
        "<svg class=\"chart pool-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"analysts' posteriors on the {} yardstick\">\n",
        esc(&yardstick.name)
    );
    for (i, t) in yardstick.terms.iter().enumerate() {
        let _ = writeln!(
            s,
            "<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} ({})</title></rect>",
            x(t.lo),
            top - 8.0,
            (x(t.hi) - x(t.lo)).max(1.0),
            h - top - 24.0,
            band_colour(i),
            esc(&t.name),
            t.band_text()
        );
        let ly = if i % 2 == 0 { 18.0 } else { 36.0 };
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
            x((t.lo + t.hi) / 2.0),
            esc(&t.name)
        );
    }
    for v in 0..=10 {
        let px = x(v as f64 / 10.0);
        let _ = writeln!(
            s,
            "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}%</text>",
            h - 14.0,
            v * 10
        );
    }
    for (k, id) in p.hypotheses.iter().enumerate() {
        let y = top + row * k as f64 + row / 2.0;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            left - 8.0,
            y + 4.0,
            esc(id)
        );
        for (i, a) in p.analysts.iter().enumerate() {
            let _ = writeln!(
                s,
                "<circle class=\"analyst\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#1f5fa8\" fill-opacity=\"0.7\"><title>[{}] {}: {} {}</title></circle>",
                x(a.posterior[k]),
                y - 6.0 + 4.0 * (i % 4) as f64,
                i + 1,
                esc(&short(&a.file)),
                pct1(a.posterior[k]),
                esc(&a.terms[k])
            );
        }
        for (j, pooled) in p.pooled.iter().enumerate() {
            let cx = x(pooled.posterior[k]);
            let cy = y + 10.0;
            let colour = ["#b3261e", "#2e7d32", "#6a1b9a"][j % 3];
            let _ = writeln!(
                s,
                "<path class=\"pooled\" d=\"M{cx:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"{colour}\"><title>{}: {} {}</title></path>",
                cy - 5.0,
                esc(&pooled.method),
                pct1(pooled.posterior[k]),
                esc(&pooled.terms[k])
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

/// A self-contained HTML page of the pool.
pub fn html(p: &Pool, yardstick: &Yardstick, question: Option<&str>) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Pooled judgment</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{} analysts, one question</h1>\n",
        p.analysts.len()
    );
    if let Some(q) = question {
        let _ = writeln!(s, "<p><strong>Question.</strong> {}</p>", esc(q));
    }
    s.push_str("<p class=\"muted\">Dots: each analyst's posterior (hover for who). Diamonds: the pools (red linear, green logarithmic, purple extremised).</p>\n");
    s.push_str(&chart(p, yardstick));
    s.push_str("<table><tr><th>hypothesis</th>");
    for (i, a) in p.analysts.iter().enumerate() {
        let _ = write!(s, "<th>[{}] {}</th>", i + 1, esc(&short(&a.file)));
    }
    for pooled in &p.pooled {
        let _ = write!(s, "<th>{}</th>", esc(&pooled.method));
    }
    s.push_str("<th>spread</th></tr>\n");
    for (h, id) in p.hypotheses.iter().enumerate() {
        let _ = write!(s, "<tr><td>{}</td>", esc(id));
        for a in &p.analysts {
            let _ = write!(s, "<td>{} {}</td>", pct1(a.posterior[h]), esc(&a.terms[h]));
        }
        for pooled in &p.pooled {
            let _ = write!(
                s,
                "<td>{} {}</td>",
                pct1(pooled.posterior[h]),
                esc(&pooled.terms[h])
            );
        }
        let sp = &p.spread[h];
        let _ = writeln!(
            s,
            "<td>{}{}</td></tr>",
            spread_text(sp),
            if sp.same_term { "" } else { "; words differ" }
        );
    }
    s.push_str("</table>\n");
    if !p.disagreements.is_empty() {
        let _ = writeln!(
            s,
            "<h2>Where they disagree</h2>\n<p class=\"muted\">Each item's weight of evidence for {} in decibans, the widest spread first: the conversation to have first.</p>\n<table><tr><th>item</th><th>decibans per analyst</th><th>as written</th></tr>",
            esc(&p.focus)
        );
        for item in p.disagreements.iter().take(8) {
            let written: Vec<String> = item
                .written
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.as_ref().map(|w| format!("[{}] {}", i + 1, esc(w))))
                .collect();
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&item.id),
                decibans_columns(item, " "),
                written.join("<br>")
            );
        }
        s.push_str("</table>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
