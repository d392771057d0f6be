//! `acre report`: one self-contained HTML page (inline CSS and SVG, no scripts, no
//! network) and the same content as Markdown.
//!
//! The charts are SVG written here rather than with a plotting crate: they are bands,
//! bars and boxes on a linear scale, a few dozen elements each, and plain SVG keeps the
//! page free of fonts and scripts and the build free of a rendering stack.

use crate::explain::Explanation;
use crate::export::{EdgeKind, NodeKind, evidence_graph};
use crate::format::format_band;
use crate::format::pct1;
use crate::infer::Assessment;
use crate::model::Case;
use crate::report::assess::verdict_words;
use crate::report::page::{CSS, band_colour, esc};
use crate::review::JudgmentCheck;
use petgraph::visit::EdgeRef;

/// The yardstick drawn as its bands (gaps left white), with each hypothesis's point,
/// bounds and 5-95% interval.
pub fn yardstick_chart(case: &Case, a: &Assessment) -> String {
    let (w, left, right, top, row) = (820.0, 110.0, 20.0, 56.0, 34.0);
    let h = top + row * a.hypotheses.len() as f64 + 40.0;
    let x = |p: f64| left + p * (w - left - right);
    let mut s = format!(
        "<svg class=\"chart yardstick-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"posteriors on the {} yardstick\">\n",
        esc(&case.yardstick.name)
    );
    for (i, t) in case.yardstick.terms.iter().enumerate() {
        let colour = band_colour(i);
        s.push_str(&format!(
            "<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{} ({})</title></rect>\n",
            x(t.lo),
            top - 8.0,
            (x(t.hi) - x(t.lo)).max(1.0),
            h - top - 24.0,
            esc(&t.name),
            t.band_text()
        ));
        let mid = x((t.lo + t.hi) / 2.0);
        let (lx, ly) = if i % 2 == 0 { (mid, 18.0) } else { (mid, 36.0) };
        s.push_str(&format!(
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
            esc(&t.name)
        ));
    }
    for p in 0..=10 {
        let px = x(p as f64 / 10.0);
        s.push_str(&format!("<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\n", top - 8.0, h - 28.0));
        s.push_str(&format!(
            "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}%</text>\n",
            h - 14.0,
            p * 10
        ));
    }
    for (i, r) in a.hypotheses.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>\n",
            left - 8.0,
            y + 4.0,
            esc(&r.id)
        ));
        s.push_str(&format!(
            "<line class=\"bounds\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#555\" stroke-width=\"1.5\"><title>bounds {}-{}</title></line>\n",
            x(r.lower),
            x(r.upper).max(x(r.lower) + 1.0),
            pct1(r.lower),
            pct1(r.upper)
        ));
        s.push_str(&format!(
            "<rect class=\"interval\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" fill=\"#1f5fa8\" fill-opacity=\"0.45\"><title>90% interval {}-{}</title></rect>\n",
            x(r.p05),
            y - 5.0,
            (x(r.p95) - x(r.p05)).max(2.0),
            pct1(r.p05),
            pct1(r.p95)
        ));
        s.push_str(&format!(
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#0b2e59\"><title>{}: {} ({})</title></circle>\n",
            x(r.point),
            esc(&r.id),
            crate::infer::words::pct(&case.yardstick, r.point),
            esc(&verdict_words(case, &r.placement))
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// `text` broken into at most `max_lines` lines of about `width` characters, at spaces where
/// possible; the last line ends in `…` when the text does not fit.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let overflow = lines.len() > max_lines;
    lines.truncate(max_lines.max(1));
    let n = lines.len();
    for (i, l) in lines.iter_mut().enumerate() {
        let last_cut = overflow && i + 1 == n;
        if l.chars().count() > width || last_cut {
            let kept: String = l.chars().take(width.saturating_sub(1)).collect();
            *l = format!("{}…", kept.trim_end());
        }
    }
    lines
}

/// SVG text at `x`, the first baseline at `y`, lines `dy` apart, with the full text as a
/// tooltip when it had to be shortened.
fn svg_text(x: f64, y: f64, dy: f64, attrs: &str, full: &str, lines: &[String]) -> String {
    let mut out = format!("<text x=\"{x:.1}\" y=\"{y:.1}\" {attrs}>");
    if lines.iter().any(|l| l.ends_with('…')) {
        out.push_str(&format!("<title>{}</title>", esc(full)));
    }
    for (i, l) in lines.iter().enumerate() {
        out.push_str(&format!(
            "<tspan x=\"{x:.1}\" dy=\"{}\">{}</tspan>",
            if i == 0 { 0.0 } else { dy },
            esc(l)
        ));
    }
    out.push_str("</text>\n");
    out
}

/// Tick values between `lo` and `hi` (probabilities), at the smallest round step that gives at
/// most ten intervals.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25]
        .into_iter()
        .find(|s| span / s <= 10.0)
        .unwrap_or(0.25);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

/// A legend row of coloured swatches (or line styles) with their meanings, at `y`.
fn legend(x0: f64, y: f64, entries: &[(&str, &str)]) -> String {
    let mut s = String::new();
    let mut x = x0;
    for (style, text) in entries {
        if let Some(line) = style.strip_prefix("line:") {
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" {line}/>",
                y - 4.0,
                x + 22.0,
            ));
            x += 28.0;
        } else {
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{style}\" stroke=\"#555\"/>",
                y - 9.0
            ));
            x += 14.0;
        }
        s.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"10\">{}</text>\n",
            esc(text)
        ));
        x += 6.5 * text.chars().count() as f64 + 18.0;
    }
    s
}

/// The waterfall from prior to posterior log-odds, in decibans.
pub fn waterfall_chart(x: &Explanation) -> String {
    let Some(w) = x.hypotheses.iter().find(|w| w.id == x.focus) else {
        return String::new();
    };
    let db = |lo: Option<f64>| lo.map_or(0.0, |l| l * 10.0 / std::f64::consts::LN_10);
    let mut steps: Vec<(String, f64, f64, String)> = Vec::new();
    let mut level = db(w.prior_log_odds);
    steps.push(("prior".into(), 0.0, level, "prior odds".into()));
    for c in &w.contributions {
        let d = c.decibans.unwrap_or(0.0);
        steps.push((c.item.clone(), level, level + d, c.words.clone()));
        level += d;
    }
    if let Some(shared) = w.shared_log_odds.filter(|x| x.abs() > 1e-9) {
        let d = db(Some(shared));
        steps.push((
            "shared".into(),
            level,
            level + d,
            "carried by several items together".into(),
        ));
        level += d;
    }
    steps.push(("posterior".into(), 0.0, level, "posterior odds".into()));
    let lo = steps.iter().map(|s| s.1.min(s.2)).fold(0.0f64, f64::min) - 2.0;
    let hi = steps.iter().map(|s| s.1.max(s.2)).fold(0.0f64, f64::max) + 2.0;
    let (wd, left, right, top, row) = (820.0, 170.0, 250.0, 20.0, 30.0);
    let h = top + row * steps.len() as f64 + 30.0;
    let sx = |v: f64| left + (v - lo) / (hi - lo) * (wd - left - right);
    let mut s = format!(
        "<svg class=\"chart waterfall-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {wd} {h}\" width=\"100%\" role=\"img\" aria-label=\"weight of evidence\">\n"
    );
    s.push_str(&format!(
        "<line x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#333\"/>\n",
        sx(0.0),
        top - 6.0,
        h - 24.0
    ));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">even odds</text>\n",
        sx(0.0),
        h - 10.0
    ));
    for (i, (name, from, to, words)) in steps.iter().enumerate() {
        let y = top + row * i as f64;
        let colour = if name == "prior" || name == "posterior" {
            "#0b2e59"
        } else if to >= from {
            "#2e7d32"
        } else {
            "#c62828"
        };
        let (a, b) = (sx(from.min(*to)), sx(from.max(*to)));
        s.push_str(&format!(
            "<rect class=\"bar\" x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {:+.1} dB</title></rect>\n",
            y + 4.0,
            (b - a).max(1.5),
            row - 8.0,
            esc(name),
            to - from
        ));
        s.push_str(&svg_text(
            left - 8.0,
            y + row / 2.0 + 4.0,
            12.0,
            "text-anchor=\"end\" font-size=\"11\"",
            name,
            &wrap(name, 26, 1),
        ));
        let label = if name == "prior" || name == "posterior" {
            format!("{:+.1} dB", to)
        } else {
            format!("{:+.1} dB, {}", to - from, words)
        };
        let lines = wrap(&label, 40, 2);
        let first = y + row / 2.0 + 4.0 - 5.5 * (lines.len() as f64 - 1.0);
        s.push_str(&svg_text(
            wd - right + 8.0,
            first,
            11.0,
            "font-size=\"10\" fill=\"#333\"",
            &label,
            &lines,
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// The tornado: the focus posterior under the largest what-ifs, on a numeric axis, with a
/// legend; labels wrap onto two lines (the full text in a tooltip when even that is short).
pub fn tornado_chart(x: &Explanation) -> String {
    let mut rows: Vec<&crate::explain::WhatIf> = x
        .sensitivity
        .iter()
        .filter(|w| w.posterior.is_some())
        .collect();
    rows.sort_by(|a, b| {
        let d = |w: &crate::explain::WhatIf| (w.posterior.unwrap_or(0.0) - x.focus_posterior).abs();
        d(b).total_cmp(&d(a))
    });
    rows.truncate(12);
    let (wd, left, right, top, row) = (820.0, 330.0, 30.0, 30.0, 30.0);
    let axis_y = top + row * rows.len() as f64 + 4.0;
    let h = axis_y + 58.0;
    let lo = rows
        .iter()
        .filter_map(|w| w.posterior)
        .fold(x.focus_posterior, f64::min);
    let hi = rows
        .iter()
        .filter_map(|w| w.posterior)
        .fold(x.focus_posterior, f64::max);
    let (lo, hi) = ((lo - 0.02).max(0.0), (hi + 0.02).min(1.0));
    let sx = |v: f64| left + (v - lo) / (hi - lo).max(1e-9) * (wd - left - right);
    let mut s = format!(
        "<svg class=\"chart tornado-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {wd} {h}\" width=\"100%\" role=\"img\" aria-label=\"sensitivity\">\n"
    );
    s.push_str(&legend(
        left,
        14.0,
        &[
            ("#c62828", "changes the term (*)"),
            ("#2e7d32", "raises the posterior"),
            ("#ef8a3a", "lowers it"),
        ],
    ));
    // the numeric axis, with the posterior now
    s.push_str(&format!(
        "<line x1=\"{left:.1}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"#333\"/>\n",
        wd - right
    ));
    for t in ticks(lo, hi) {
        s.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#333\"/><text x=\"{0:.1}\" y=\"{3:.1}\" font-size=\"10\" text-anchor=\"middle\">{4}%</text>\n",
            sx(t),
            axis_y,
            axis_y + 4.0,
            axis_y + 15.0,
            crate::format::format_percent(t)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">posterior of {} under each change</text>\n",
        (left + wd - right) / 2.0,
        axis_y + 30.0,
        esc(&x.focus)
    ));
    s.push_str(&format!(
        "<line x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#333\" stroke-dasharray=\"3 2\"/><text x=\"{0:.1}\" y=\"{3:.1}\" font-size=\"10\" text-anchor=\"middle\">now {4}</text>\n",
        sx(x.focus_posterior),
        top - 4.0,
        axis_y,
        axis_y + 44.0,
        pct1(x.focus_posterior)
    ));
    for (i, w) in rows.iter().enumerate() {
        let p = w.posterior.unwrap_or(x.focus_posterior);
        let y = top + row * i as f64;
        let (a, b) = (sx(p.min(x.focus_posterior)), sx(p.max(x.focus_posterior)));
        let colour = if w.flips {
            "#c62828"
        } else if p >= x.focus_posterior {
            "#2e7d32"
        } else {
            "#ef8a3a"
        };
        s.push_str(&format!(
            "<rect class=\"bar\" x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{} -> {} ({})</title></rect>\n",
            y + 4.0,
            (b - a).max(1.5),
            row - 8.0,
            esc(&w.change),
            pct1(p),
            esc(&w.words)
        ));
        let label = format!("{}{}", w.change, if w.flips { " *" } else { "" });
        let lines = wrap(&label, 52, 2);
        let first = y + row / 2.0 + 3.5 - 5.5 * (lines.len() as f64 - 1.0);
        s.push_str(&svg_text(
            left - 8.0,
            first,
            11.0,
            "text-anchor=\"end\" font-size=\"10\"",
            &label,
            &lines,
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// The evidence and source graph in layers (sources, assumptions, then items by depth in the
/// dependency graph), each layer ordered by the barycentre of its neighbours to reduce
/// crossings; boxes are sized to their (wrapped) labels; a legend names every line style.
pub fn graph_chart(case: &Case) -> String {
    let g = evidence_graph(case);
    let n = g.node_count();
    let mut depth = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for e in g.edge_references() {
            if *e.weight() == EdgeKind::DependsOn {
                let d = depth[e.source().index()] + 1;
                if d > depth[e.target().index()] {
                    depth[e.target().index()] = d;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let column = |i: usize| match g[petgraph::graph::NodeIndex::new(i)].0 {
        NodeKind::Source => 0,
        NodeKind::Assumption => 1,
        NodeKind::Item => 2 + depth[i],
    };
    let n_cols = (0..n).map(column).max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); n_cols];
    for i in 0..n {
        layers[column(i)].push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in g.edge_references() {
        neighbours[e.source().index()].push(e.target().index());
        neighbours[e.target().index()].push(e.source().index());
    }
    // barycentre sweeps: each node moves to the mean position of its neighbours in other
    // layers; sorting is stable, so ties keep the file's order
    let mut rank = vec![0.0f64; n];
    for layer in &layers {
        for (r, &i) in layer.iter().enumerate() {
            rank[i] = r as f64;
        }
    }
    for sweep in 0..8 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (0..n_cols).collect()
        } else {
            (0..n_cols).rev().collect()
        };
        for c in order {
            let key = |i: usize| {
                let others: Vec<f64> = neighbours[i]
                    .iter()
                    .filter(|&&j| column(j) != c)
                    .map(|&j| rank[j])
                    .collect();
                if others.is_empty() {
                    rank[i]
                } else {
                    others.iter().sum::<f64>() / others.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = layers[c].iter().map(|&i| (key(i), i)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[c] = keyed.into_iter().map(|(_, i)| i).collect();
            for (r, &i) in layers[c].iter().enumerate() {
                rank[i] = r as f64;
            }
        }
    }
    // boxes sized to their labels (11 px text: about 6.2 px a character)
    let lines: Vec<Vec<String>> = (0..n)
        .map(|i| wrap(&g[petgraph::graph::NodeIndex::new(i)].2, 30, 2))
        .collect();
    let box_w: Vec<f64> = lines
        .iter()
        .map(|ls| {
            let chars = ls.iter().map(|l| l.chars().count()).max().unwrap_or(1);
            (chars as f64 * 6.2 + 18.0).clamp(80.0, 220.0)
        })
        .collect();
    let (row_h, box_h, pad, gap, head) = (56.0, 40.0, 14.0, 60.0, 24.0);
    let col_w: Vec<f64> = layers
        .iter()
        .map(|l| l.iter().map(|&i| box_w[i]).fold(80.0, f64::max))
        .collect();
    let col_x: Vec<f64> = col_w
        .iter()
        .scan(pad, |x, w| {
            let here = *x;
            *x += w + gap;
            Some(here)
        })
        .collect();
    let mut pos = vec![(0.0f64, 0.0f64); n];
    for (c, layer) in layers.iter().enumerate() {
        for (r, &i) in layer.iter().enumerate() {
            pos[i] = (
                col_x[c] + col_w[c] / 2.0,
                pad + head + row_h * r as f64 + box_h / 2.0,
            );
        }
    }
    let max_rows = layers.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let wd = col_x.last().copied().unwrap_or(pad) + col_w.last().copied().unwrap_or(0.0) + pad;
    let legend_y = pad + head + row_h * max_rows as f64 + 12.0;
    let h = legend_y + 26.0;
    let mut s = format!(
        "<svg class=\"chart graph-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {wd:.0} {h:.0}\" width=\"100%\" role=\"img\" aria-label=\"evidence and source graph\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n"
    );
    for (c, title) in ["sources", "assumptions", "evidence"].iter().enumerate() {
        if c < n_cols && !layers[c].is_empty() {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"bold\">{title}</text>\n",
                col_x[c],
                pad + 6.0
            ));
        }
    }
    let style = |k: &EdgeKind| match k {
        EdgeKind::Reports => ("stroke=\"#555\"", "reports"),
        EdgeKind::Echoes => ("stroke=\"#a33\" stroke-dasharray=\"5 3\"", "echoes"),
        EdgeKind::DependsOn => ("stroke=\"#36c\"", "depends on"),
        EdgeKind::Conditions => ("stroke=\"#777\" stroke-dasharray=\"2 3\"", "conditions"),
    };
    for e in g.edge_references() {
        let (i, j) = (e.source().index(), e.target().index());
        let ((x1, y1), (x2, y2)) = (pos[i], pos[j]);
        let (st, label) = style(e.weight());
        let (sx1, sx2) = if x2 > x1 {
            (x1 + box_w[i] / 2.0, x2 - box_w[j] / 2.0)
        } else if x2 < x1 {
            (x1 - box_w[i] / 2.0, x2 + box_w[j] / 2.0)
        } else {
            (x1 + box_w[i] / 2.0, x2 + box_w[j] / 2.0)
        };
        let bend = if (x2 - x1).abs() < 1.0 { 40.0 } else { 0.0 };
        let skips = column(j).abs_diff(column(i)) > 1;
        let path = if skips {
            // an edge that skips a layer runs through the gap above the boxes it passes
            let gap_y = y1.min(y2) - row_h / 2.0;
            format!(
                "M {sx1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {gap_y:.1}, {:.1} {gap_y:.1} S {:.1} {y2:.1}, {sx2:.1} {y2:.1}",
                sx1 + 30.0,
                sx1 + 30.0,
                (sx1 + sx2) / 2.0,
                sx2 - 30.0
            )
        } else {
            format!(
                "M {sx1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {sx2:.1} {y2:.1}",
                (sx1 + sx2) / 2.0 + bend,
                (sx1 + sx2) / 2.0 + bend
            )
        };
        s.push_str(&format!(
            "<path class=\"edge\" d=\"{path}\" fill=\"none\" {st} marker-end=\"url(#arrow)\"><title>{label}</title></path>\n"
        ));
    }
    for i in 0..n {
        let (kind, id, label) = &g[petgraph::graph::NodeIndex::new(i)];
        let (cx, cy) = pos[i];
        let fill = match kind {
            NodeKind::Source => "#e8eef7",
            NodeKind::Assumption => "#fdf3d8",
            NodeKind::Item => "#ffffff",
        };
        let ls = &lines[i];
        let first = cy + 4.0 - 6.5 * (ls.len() as f64 - 1.0);
        s.push_str(&format!(
            "<g class=\"node\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{box_h}\" rx=\"6\" fill=\"{fill}\" stroke=\"#555\"/>",
            cx - box_w[i] / 2.0,
            cy - box_h / 2.0,
            box_w[i],
        ));
        s.push_str(&svg_text(
            cx,
            first,
            13.0,
            "text-anchor=\"middle\" font-size=\"11\"",
            label,
            ls,
        ));
        s.push_str(&format!("<title>{}: {}</title></g>\n", esc(id), esc(label)));
    }
    s.push_str(&legend(
        pad,
        legend_y + 10.0,
        &[
            ("line:stroke=\"#555\"", "reports"),
            (
                "line:stroke=\"#a33\" stroke-dasharray=\"5 3\"",
                "echoes (not independent)",
            ),
            ("line:stroke=\"#36c\"", "depends on"),
            (
                "line:stroke=\"#777\" stroke-dasharray=\"2 3\"",
                "conditions",
            ),
            ("#e8eef7", "source"),
            ("#fdf3d8", "assumption"),
        ],
    ));
    s.push_str("</svg>\n");
    s
}

/// The whole page.
pub fn html(
    case: &Case,
    a: &Assessment,
    x: &Explanation,
    checks: &[JudgmentCheck],
    file: &str,
    timeline: Option<&crate::history::Timeline>,
) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    s.push_str(&format!(
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&case.title)
    ));
    s.push_str(&format!("<h1>{}</h1>\n", esc(&case.title)));
    if let Some(q) = &case.question {
        s.push_str(&format!("<p><strong>Question.</strong> {}</p>\n", esc(q)));
    }
    s.push_str(&format!(
        "<p class=\"muted\">Case file {} · yardstick: {} · assessed {} · Monte Carlo: {}</p>\n",
        esc(file),
        esc(&case.yardstick.title),
        esc(case.assessed.as_deref().unwrap_or("-")),
        esc(&crate::report::assess::monte_carlo_text(a)),
    ));
    s.push_str(&format!(
        "<h2>Bottom line</h2>\n<p class=\"bottom-line\">{}</p>\n",
        esc(&x.narrative)
    ));
    s.push_str(&format!(
        "<p><strong>Analytic confidence: {}.</strong></p>\n<ul>\n",
        a.confidence.level.word()
    ));
    for r in &a.confidence.reasons {
        s.push_str(&format!("<li>{}</li>\n", esc(r)));
    }
    s.push_str("</ul>\n<h2>Hypotheses on the yardstick</h2>\n");
    s.push_str("<p class=\"muted\">Shaded: the yardstick's bands (white gaps are deliberate). Line: bounds over all inputs within their bands. Bar: 5-95% Monte Carlo interval. Dot: the posterior at point values.</p>\n");
    s.push_str(&yardstick_chart(case, a));
    s.push_str("<table><tr><th>hypothesis</th><th>prior</th><th>words with numbers</th><th>posterior</th><th>bounds</th><th>90% interval</th></tr>\n");
    for (r, of) in levels(case, a) {
        s.push_str(&format!(
            "<tr><td>{} <span class=\"muted\">{}{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}-{}</td><td>{}-{}</td></tr>\n",
            esc(&r.id),
            esc(&r.label),
            esc(&of),
            pct1(r.prior),
            esc(&verdict_words(case, &r.placement)),
            crate::infer::words::pct(&case.yardstick, r.point),
            pct1(r.lower).trim_end_matches('%'),
            pct1(r.upper),
            pct1(r.p05).trim_end_matches('%'),
            pct1(r.p95)
        ));
    }
    s.push_str("</table>\n");
    if !a.assumptions.is_empty() {
        s.push_str(
            "<table><tr><th>assumption</th><th>before the evidence</th><th>after</th></tr>\n",
        );
        for r in &a.assumptions {
            s.push_str(&format!(
                "<tr><td>{} <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td></tr>\n",
                esc(&r.id),
                esc(&r.label),
                pct1(r.prior),
                pct1(r.posterior)
            ));
        }
        s.push_str("</table>\n");
    }
    if let Some(t) = timeline {
        s.push_str("<h2>How the judgment grew</h2>\n<p class=\"muted\">The posterior at point values after each date on which evidence was reported (`reported` on items; undated items count from the start), on the yardstick's bands; the shaded boxes are the 5-95% Monte Carlo intervals.</p>\n");
        s.push_str(&crate::report::history::timeline_chart(t, &case.yardstick));
    }
    s.push_str(&format!("<h2>Weight of evidence for {}</h2>\n<p class=\"muted\">Each item's leave-one-out ratio in decibans (10 log10 of the odds against the alternatives with every item over the odds without that item), with the ENFSI words, items in dependency order; \"shared\" is what several items carry together and no single one.</p>\n", esc(&x.focus)));
    s.push_str(&waterfall_chart(x));
    s.push_str("<h2>Sensitivity and linchpins</h2>\n");
    s.push_str(&tornado_chart(x));
    if x.linchpins.is_empty() {
        s.push_str("<p>No single item or assumption changes the term.</p>\n");
    } else {
        s.push_str("<p><strong>Linchpins</strong> (a single change flips the term, marked * above):</p>\n<ul>\n");
        for l in &x.linchpins {
            s.push_str(&format!(
                "<li class=\"flag\">{}</li>\n",
                esc(&l.sentence(&x.focus, &case.yardstick))
            ));
        }
        s.push_str("</ul>\n");
    }
    for f in &x.flip_thresholds {
        s.push_str(&format!(
            "<p>To move {} {} to {}: a new item with likelihood ratio {:.3} ({:+.1} dB, {}).</p>\n",
            esc(&x.focus),
            f.direction,
            esc(&f.target),
            f.likelihood_ratio,
            f.decibans,
            esc(&f.words)
        ));
    }
    s.push_str("<h2>Evidence and sources</h2>\n");
    s.push_str(&graph_chart(case));
    s.push_str("<h2>ACH matrix</h2>\n<p class=\"muted\">Each cell is the item's leave-one-out ratio for that hypothesis against the rest (the ratio the waterfall and the confidence rules use: graded, dependencies applied). CC ≥ 10, C ≥ 2, N, I ≤ 1/2, II ≤ 1/10.</p>\n<table><tr><th>item</th>");
    for h in &x.ach.hypotheses {
        s.push_str(&format!("<th>{}</th>", esc(h)));
    }
    s.push_str("<th>diagnosticity</th></tr>\n");
    for r in &x.ach.rows {
        s.push_str(&format!("<tr><td>{}</td>", esc(&r.item)));
        for c in &r.cells {
            s.push_str(&format!("<td class=\"{c}\">{c}</td>"));
        }
        s.push_str(&format!("<td>{:.1} dB</td></tr>\n", r.diagnosticity));
    }
    s.push_str("<tr><th>inconsistency (Heuer)</th>");
    for v in &x.ach.inconsistency {
        s.push_str(&format!("<td>{v}</td>"));
    }
    s.push_str("<td></td></tr>\n<tr><th>ACH rank / Bayesian rank</th>");
    for (a_rank, b_rank) in x.ach.ach_rank.iter().zip(&x.ach.bayes_rank) {
        s.push_str(&format!("<td>{a_rank} / {b_rank}</td>"));
    }
    s.push_str("<td></td></tr>\n</table>\n");
    if !x.value_of_information.is_empty() {
        s.push_str("<h2>Value of information</h2>\n<table><tr><th>pending item</th><th>P(found)</th><th>if found</th><th>if not</th><th>P(term changes)</th></tr>\n");
        for v in &x.value_of_information {
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} ({})</td><td>{} ({})</td><td>{}</td></tr>\n",
                esc(&v.item),
                pct1(v.p_observed),
                pct1(v.posterior_if_observed),
                esc(&v.verdict_if_observed),
                pct1(v.posterior_if_absent),
                esc(&v.verdict_if_absent),
                pct1(v.p_term_changes)
            ));
        }
        s.push_str("</table>\n");
    }
    if !checks.is_empty() {
        s.push_str("<h2>Judgment checks</h2>\n<table><tr><th>judgment</th><th>claims</th><th>verdict</th><th>the numbers support</th></tr>\n");
        for c in checks {
            let text = case
                .judgments
                .iter()
                .find(|j| j.id == c.id)
                .map_or(String::new(), |j| j.text.clone());
            s.push_str(&format!(
                "<tr><td>{} <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{} (computed {})</td></tr>\n",
                esc(&c.id),
                esc(&text),
                esc(&c.claimed),
                c.verdict,
                esc(&c.supported),
                pct1(c.point)
            ));
        }
        s.push_str("</table>\n");
    }
    let references = case.references();
    let numbers = reference_numbers(&references);
    s.push_str("<h2>Evidence</h2>\n<table><tr><th>item</th><th>description</th><th>grade</th><th>status</th><th>refs</th></tr>\n");
    for e in &case.items {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:?}</td><td>{}</td></tr>\n",
            esc(&e.id),
            esc(&e.description),
            esc(&e.grade_text(case)),
            e.status,
            ref_marks(case, &numbers, e)
        ));
    }
    s.push_str("</table>\n");
    if !references.is_empty() {
        s.push_str("<h2>References</h2>\n<ol>\n");
        for r in &references {
            s.push_str(&format!("<li>{}</li>\n", esc(&reference_text(r))));
        }
        s.push_str("</ol>\n");
    }
    s.push_str("<p class=\"muted\">Generated by acre from the case file; every number can be re-derived with <code>acre assess</code> and <code>acre explain</code>.</p>\n</body>\n</html>\n");
    s
}

/// A reference as a line: "Cisco Talos, 12 Feb 2018 — https://… (source talos)". URLs are
/// printed, not linked: the report makes no network requests.
fn reference_text(r: &crate::model::Reference) -> String {
    let what = match (&r.cite, &r.url) {
        (Some(c), Some(u)) => format!("{c} — {u}"),
        (Some(c), None) => c.clone(),
        (None, Some(u)) => u.clone(),
        (None, None) => String::new(),
    };
    format!("{what} ({} {})", r.kind, r.id)
}

/// Each reference's number by kind and id (made once: a case may have thousands of items).
type ReferenceNumbers<'r> = std::collections::HashMap<(&'static str, &'r str), usize>;

fn reference_numbers(references: &[crate::model::Reference]) -> ReferenceNumbers<'_> {
    let mut numbers = ReferenceNumbers::new();
    for (i, r) in references.iter().enumerate() {
        numbers.entry((r.kind, r.id.as_str())).or_insert(i + 1);
    }
    numbers
}

/// The reference numbers of an item and of its source, e.g. "[2] [5]".
fn ref_marks(case: &Case, numbers: &ReferenceNumbers, item: &crate::model::Item) -> String {
    let source = &case.sources[item.source.idx()];
    [
        numbers.get(&("evidence", item.id.as_str())),
        numbers.get(&("source", source.id.as_str())),
    ]
    .into_iter()
    .flatten()
    .map(|n| format!("[{n}]"))
    .collect::<Vec<_>>()
    .join(" ")
}

/// The rows of the hypotheses table: every hypothesis, then every group with what it
/// holds ("; group of apt31 + other_cn").
fn levels<'a>(
    case: &'a Case,
    a: &'a Assessment,
) -> impl Iterator<Item = (&'a crate::infer::HypothesisResult, String)> {
    let groups = case.groups.iter().zip(&a.groups).map(|(g, r)| {
        let members: Vec<&str> = g.members.iter().map(|m| case.proposition_id(*m)).collect();
        (r, format!("; group of {}", members.join(" + ")))
    });
    a.hypotheses
        .iter()
        .map(|r| (r, String::new()))
        .chain(groups)
}

fn md_escape(s: &str) -> String {
    crate::escape::markdown(s)
}

/// The same content as Markdown.
pub fn markdown(case: &Case, a: &Assessment, x: &Explanation, checks: &[JudgmentCheck]) -> String {
    let mut s = format!("# {}\n\n", md_escape(&case.title));
    if let Some(q) = &case.question {
        s.push_str(&format!("**Question.** {}\n\n", md_escape(q)));
    }
    s.push_str(&format!(
        "## Bottom line\n\n> {}\n\n**Analytic confidence: {}.**\n\n",
        md_escape(&x.narrative),
        a.confidence.level.word()
    ));
    for r in &a.confidence.reasons {
        s.push_str(&format!("- {}\n", md_escape(r)));
    }
    s.push_str(&format!("\n## Hypotheses ({} yardstick)\n\n| hypothesis | prior | words with numbers | posterior | bounds | 90% interval |\n|---|---|---|---|---|---|\n", case.yardstick.name));
    for (r, of) in levels(case, a) {
        s.push_str(&format!(
            "| {} ({}{}) | {} | {} | {} | {}-{} | {}-{} |\n",
            md_escape(&r.id),
            md_escape(&r.label),
            md_escape(&of),
            pct1(r.prior),
            md_escape(&verdict_words(case, &r.placement)),
            pct1(r.point),
            pct1(r.lower).trim_end_matches('%'),
            pct1(r.upper),
            pct1(r.p05).trim_end_matches('%'),
            pct1(r.p95)
        ));
    }
    if !a.assumptions.is_empty() {
        s.push_str("\n| assumption | before | after |\n|---|---|---|\n");
        for r in &a.assumptions {
            s.push_str(&format!(
                "| {} ({}) | {} | {} |\n",
                md_escape(&r.id),
                md_escape(&r.label),
                pct1(r.prior),
                pct1(r.posterior)
            ));
        }
    }
    if let Some(w) = x.hypotheses.iter().find(|w| w.id == x.focus) {
        s.push_str(&format!("\n## Weight of evidence for {}\n\nEach item's leave-one-out ratio (the odds with every item over the odds without it), in decibans.\n\n| item | grade | decibans | words |\n|---|---|---|---|\n", md_escape(&x.focus)));
        for c in &w.contributions {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_escape(&c.item),
                c.grade,
                c.decibans
                    .map_or("rules out".into(), |d| format!("{d:+.1}")),
                md_escape(&c.words)
            ));
        }
        if let Some(shared) = w.shared_log_odds.filter(|x| x.abs() > 1e-9) {
            s.push_str(&format!(
                "| shared | | {:+.1} | carried by several items together, no single one |\n",
                shared * 10.0 / std::f64::consts::LN_10
            ));
        }
    }
    s.push_str("\n## Linchpins\n\n");
    if x.linchpins.is_empty() {
        s.push_str("None: no single item or assumption changes the term.\n");
    }
    for l in &x.linchpins {
        s.push_str(&format!(
            "- {}\n",
            md_escape(&l.sentence(&x.focus, &case.yardstick))
        ));
    }
    for f in &x.flip_thresholds {
        s.push_str(&format!(
            "\nTo move {} {} to {}: a new item with likelihood ratio {:.3} ({:+.1} dB, {}).\n",
            md_escape(&x.focus),
            f.direction,
            md_escape(&f.target),
            f.likelihood_ratio,
            f.decibans,
            md_escape(&f.words)
        ));
    }
    s.push_str("\n## ACH matrix\n\n| item |");
    for h in &x.ach.hypotheses {
        s.push_str(&format!(" {} |", md_escape(h)));
    }
    s.push_str(" diagnosticity |\n|---|");
    for _ in &x.ach.hypotheses {
        s.push_str("---|");
    }
    s.push_str("---|\n");
    for r in &x.ach.rows {
        s.push_str(&format!(
            "| {} | {} | {:.1} dB |\n",
            md_escape(&r.item),
            r.cells
                .iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | "),
            r.diagnosticity
        ));
    }
    if !x.value_of_information.is_empty() {
        s.push_str("\n## Value of information\n\n| pending item | P(found) | if found | if not | P(term changes) |\n|---|---|---|---|---|\n");
        for v in &x.value_of_information {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_escape(&v.item),
                pct1(v.p_observed),
                pct1(v.posterior_if_observed),
                pct1(v.posterior_if_absent),
                pct1(v.p_term_changes)
            ));
        }
    }
    if !checks.is_empty() {
        s.push_str("\n## Judgment checks\n\n| judgment | claims | verdict | the numbers support |\n|---|---|---|---|\n");
        for c in checks {
            s.push_str(&format!(
                "| {} | {} | {} | {} (computed {}) |\n",
                md_escape(&c.id),
                md_escape(&c.claimed),
                md_escape(c.verdict.as_str()),
                md_escape(&c.supported),
                pct1(c.point)
            ));
        }
    }
    let references = case.references();
    if !references.is_empty() {
        s.push_str("\n## References\n\n");
        for (n, r) in references.iter().enumerate() {
            s.push_str(&format!("{}. {}\n", n + 1, md_escape(&reference_text(r))));
        }
    }
    s.push_str(&format!(
        "\n*Bands: {}.*\n",
        case.yardstick
            .terms
            .iter()
            .map(|t| format!("{} {}", md_escape(&t.name), format_band(t.lo, t.hi)))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_marks_what_it_cuts() {
        assert_eq!(wrap("a bb ccc", 4, 3), ["a bb", "ccc"]);
        assert_eq!(wrap("a bb ccc dddd", 4, 2), ["a bb", "ccc…"]);
        assert_eq!(wrap("abcdefgh", 4, 2), ["abc…"]);
        assert_eq!(wrap("short", 40, 2), ["short"]);
    }

    #[test]
    fn ticks_are_round_and_inside_the_range() {
        let t = ticks(0.33, 0.82);
        assert_eq!(t.len(), 10);
        assert!((t[0] - 0.35).abs() < 1e-9 && (t[9] - 0.8).abs() < 1e-9);
        assert_eq!(ticks(0.0, 1.0).len(), 11);
    }

    /// Two sources whose items are declared in the opposite order: in file order their
    /// edges cross; the barycentre ordering uncrosses them.
    #[test]
    fn the_graph_layout_uncrosses_what_file_order_crosses() {
        let text = "hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\nsource s0 \"Zero\" reliability B\nsource s1 \"One\" reliability B\nevidence e0 \"From one\" {\n  from s1 credibility 2\n  given a: likely\n  otherwise: unlikely\n}\nevidence e1 \"From zero\" {\n  from s0 credibility 2\n  given a: likely\n  otherwise: unlikely\n}\n";
        let case = crate::check::check_source(text).case.unwrap();
        let svg = graph_chart(&case);
        let y_of = |id: &str| -> f64 {
            let at = svg.find(&format!("<title>{id}: ")).unwrap();
            let rect = svg[..at].rfind("<rect x=\"").unwrap();
            let y = svg[rect..].split("y=\"").nth(1).unwrap();
            y[..y.find('"').unwrap()].parse().unwrap()
        };
        let sources_down = y_of("s0") < y_of("s1");
        let items_down = y_of("e1") < y_of("e0");
        assert_eq!(sources_down, items_down, "edges cross:\n{svg}");
        // every box is wide enough for its longest line at 6.2 px a character
        for part in svg.split("<g class=\"node\">").skip(1) {
            let w: f64 = part
                .split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let longest = part
                .split("<tspan")
                .skip(1)
                .map(|t| {
                    t.split('>')
                        .nth(1)
                        .unwrap()
                        .split('<')
                        .next()
                        .unwrap()
                        .chars()
                        .count()
                })
                .max()
                .unwrap();
            assert!(w >= longest as f64 * 6.2, "{w} for {longest} characters");
        }
    }
}
