//! Timelines and diffs for people: text, Markdown, and the timeline's SVG step chart.

use crate::format::pct1;
use crate::history::Timeline;
use crate::history::diff::{ChangeKind, Diff};
use crate::lexicon::Yardstick;
use crate::report::page::{band_colour, esc};
use std::fmt::Write as _;

/// Natural-log odds in decibans, signed, one decimal (`+4.3 dB`), or `n/a`.
fn db(x: Option<f64>) -> String {
    x.map_or_else(
        || "n/a (a posterior of 0 or 1)".to_string(),
        |v| format!("{:+.1} dB", crate::explain::to_decibans(v)),
    )
}

/// The timeline as a table: per step, its date, the items it adds, and each hypothesis's
/// posterior, 90% interval and words.
pub fn timeline_text(t: &Timeline, yardstick: &Yardstick, file: &str) -> String {
    let mut s = format!("Timeline of {file} (yardstick {})\n\n", yardstick.name);
    for step in &t.steps {
        let when = step.date.as_deref().unwrap_or("start");
        let added = if step.added.is_empty() {
            "the prior".to_string()
        } else {
            step.added.join(", ")
        };
        let _ = writeln!(s, "{when}: + {added}");
        for h in &step.hypotheses {
            let mark = if h.id == step.leading { "*" } else { " " };
            let _ = writeln!(
                s,
                "  {mark} {:<14} {:>7}  (90% interval {}-{})  {}",
                h.id,
                crate::infer::words::pct(yardstick, h.point),
                pct1(h.p05).trim_end_matches('%'),
                pct1(h.p95),
                h.term
            );
        }
    }
    if !t.undated.is_empty() {
        let _ = writeln!(
            s,
            "\nUndated items count from the start: {}.",
            t.undated.join(", ")
        );
    }
    if !t.pending.is_empty() {
        let _ = writeln!(s, "Pending items never count: {}.", t.pending.join(", "));
    }
    s.push_str("* the leading hypothesis at that step\n");
    s
}

/// Colours of the hypotheses' lines.
const LINE_COLOURS: [&str; 8] = [
    "#0b2e59", "#b3261e", "#2e7d32", "#6a1b9a", "#e65100", "#00838f", "#5d4037", "#455a64",
];

/// The timeline as an SVG step chart: the yardstick's bands as the background, one step
/// line per hypothesis, and each step's items named at its date.
pub fn timeline_chart(t: &Timeline, yardstick: &Yardstick) -> String {
    let n = t.steps.len().max(1);
    let (w, left, right, top, plot_h) = (820.0, 56.0, 150.0, 20.0, 300.0);
    let label_h = 110.0;
    let h = top + plot_h + label_h;
    let col = (w - left - right) / n as f64;
    let x = |i: usize| left + col * i as f64;
    let y = |p: f64| top + (1.0 - p) * plot_h;
    let mut s = format!(
        "<svg class=\"chart timeline-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"the posteriors as evidence was reported\">\n"
    );
    for (i, term) in yardstick.terms.iter().enumerate() {
        let colour = band_colour(i);
        let _ = writeln!(
            s,
            "<rect class=\"band\" x=\"{left:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{} ({})</title></rect>",
            y(term.hi),
            w - left - right,
            (y(term.lo) - y(term.hi)).max(1.0),
            esc(&term.name),
            term.band_text()
        );
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#444\">{}</text>",
            w - right + 6.0,
            y((term.lo + term.hi) / 2.0) + 3.0,
            esc(&term.name)
        );
    }
    for p in (0..=10).step_by(2) {
        let py = y(p as f64 / 10.0);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\">{}%</text>",
            left - 6.0,
            py + 3.0,
            p * 10
        );
    }
    let hypotheses = t.steps.first().map_or(0, |st| st.hypotheses.len());
    for k in 0..hypotheses {
        let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
        let mut d = String::new();
        for (i, step) in t.steps.iter().enumerate() {
            let p = step.hypotheses[k].point;
            if i == 0 {
                let _ = write!(d, "M{:.1},{:.1}", x(0), y(p));
            } else {
                let _ = write!(d, " H{:.1} V{:.1}", x(i), y(p));
            }
        }
        let _ = write!(d, " H{:.1}", x(n));
        let id = t.steps[0].hypotheses[k].id.as_str();
        let _ = writeln!(
            s,
            "<path class=\"step\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.2\"><title>{}</title></path>",
            esc(id)
        );
        for (i, step) in t.steps.iter().enumerate() {
            let h = &step.hypotheses[k];
            let _ = writeln!(
                s,
                "<rect class=\"interval\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.12\"><title>{} {}: 90% interval {}-{}</title></rect>",
                x(i),
                y(h.p95),
                col,
                (y(h.p05) - y(h.p95)).max(0.5),
                esc(id),
                esc(step.date.as_deref().unwrap_or("start")),
                pct1(h.p05),
                pct1(h.p95)
            );
        }
        // the legend, beside the last step
        let last = t.steps.last().map_or(0.0, |st| st.hypotheses[k].point);
        let _ = writeln!(
            s,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{colour}\"/>",
            x(n),
            y(last)
        );
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{colour}\">{}</text>",
            left + 8.0 + 90.0 * (k % 6) as f64,
            top + plot_h + label_h - 6.0 - 14.0 * (k / 6) as f64,
            esc(id)
        );
    }
    for (i, step) in t.steps.iter().enumerate() {
        let cx = x(i) + 4.0;
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{top:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-width=\"0.6\"/>",
            x(i),
            x(i),
            top + plot_h + 4.0
        );
        let when = step.date.as_deref().unwrap_or("start");
        let items = if step.added.is_empty() {
            "prior".to_string()
        } else {
            step.added.join(", ")
        };
        let _ = writeln!(
            s,
            "<text class=\"date\" x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" transform=\"rotate(35 {cx:.1} {:.1})\"><tspan font-weight=\"bold\">{}</tspan> {}</text>",
            top + plot_h + 14.0,
            top + plot_h + 14.0,
            esc(when),
            esc(&crate::format::clip(&items, 34))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn change_name(keyword: &str, id: &str) -> String {
    if id.is_empty() {
        keyword.to_string()
    } else {
        format!("{keyword} {id}")
    }
}

/// The diff for people: how each hypothesis moved, then each group of changes with its
/// contribution.
pub fn diff_text(d: &Diff, old: &str, new: &str) -> String {
    let mut s = format!("{old} -> {new}\n\n");
    if d.changes.is_empty() {
        s.push_str("No change in meaning (layout and comments only).\n");
    }
    for m in d.hypotheses.iter().chain(&d.levels) {
        let mark = if m.written_before == m.written_after {
            " "
        } else {
            "!"
        };
        let _ = writeln!(
            s,
            "{mark} {:<14} {} {} -> {} {}  ({})",
            m.id,
            pct1(m.before),
            m.term_before,
            pct1(m.after),
            m.term_after,
            db(m.log_odds_change)
        );
    }
    for h in &d.hypotheses_added {
        let _ = writeln!(s, "+ hypothesis {h} (new)");
    }
    for h in &d.hypotheses_removed {
        let _ = writeln!(s, "- hypothesis {h} (gone)");
    }
    if !d.groups.is_empty() {
        let focus = lead_index(d);
        let name = d.hypotheses.get(focus).map_or("", |m| m.id.as_str());
        let _ = writeln!(
            s,
            "\nChanges, applied in this order (header, hypotheses, assumptions, sources, evidence removed, changed, added, the rest); the effect on {name}'s log-odds against the rest:"
        );
        for g in &d.groups {
            let effect = g.contribution.get(focus).copied().flatten();
            let shapley = g
                .shapley
                .as_ref()
                .and_then(|v| v.get(focus).copied().flatten())
                .map(|v| format!(", Shapley {:+.1} dB", crate::explain::to_decibans(v)))
                .unwrap_or_default();
            let _ = writeln!(s, "  {}{shapley}", db(effect));
            for &c in &g.changes {
                let ch = &d.changes[c];
                let _ = writeln!(
                    s,
                    "    {} {}",
                    kind_word(ch.kind),
                    change_name(&ch.keyword, &ch.id)
                );
                for detail in &ch.details {
                    let _ = writeln!(s, "      {detail}");
                }
            }
        }
    }
    if let Some(note) = &d.shapley_note {
        let _ = writeln!(s, "\nShapley values: {note}.");
    }
    for v in &d.verdicts {
        let _ = writeln!(s, "\n{}", verdict_sentence(v));
    }
    let _ = writeln!(s, "\n{}", term_sentences(d).join("\n"));
    s
}

/// "The verdict on judgment kj1 changed: overclaim -> consistent."
fn verdict_sentence(v: &crate::history::diff::VerdictMove) -> String {
    match (v.before, v.after) {
        (Some(b), Some(a)) => format!("The verdict on judgment {} changed: {b} -> {a}.", v.id),
        (None, Some(a)) => format!("Judgment {} is new: {a}.", v.id),
        (Some(b), None) => format!("Judgment {} is gone (it was {b}).", v.id),
        (None, None) => format!("Judgment {} has no verdict in either version.", v.id),
    }
}

/// One sentence per hypothesis whose yardstick term (its written term) changed, or one
/// saying none did.
fn term_sentences(d: &Diff) -> Vec<String> {
    let mut out: Vec<String> = d
        .hypotheses
        .iter()
        .chain(&d.levels)
        .filter(|m| m.written_before != m.written_after)
        .map(|m| {
            format!(
                "The yardstick term of {} changed: {} -> {}.",
                m.id, m.written_before, m.written_after
            )
        })
        .collect();
    out.extend(
        d.hypotheses_added
            .iter()
            .map(|h| format!("Hypothesis {h} is new.")),
    );
    out.extend(
        d.hypotheses_removed
            .iter()
            .map(|h| format!("Hypothesis {h} is gone.")),
    );
    if out.is_empty() {
        out.push("No hypothesis's yardstick term changed.".to_string());
    }
    out
}

/// The hypothesis the diff is read for: the one that leads in the new version.
fn lead_index(d: &Diff) -> usize {
    (0..d.hypotheses.len())
        .max_by(|&a, &b| d.hypotheses[a].after.total_cmp(&d.hypotheses[b].after))
        .unwrap_or(0)
}

/// The diff in Markdown, for a pull-request comment.
pub fn diff_markdown(d: &Diff, old: &str, new: &str) -> String {
    // everything a case or a file name says is escaped: a pull-request comment renders it
    let md = crate::escape::markdown;
    let mut s = format!("### acre diff: {} → {}\n\n", md(old), md(new));
    for line in term_sentences(d) {
        if d.term_changed {
            let _ = writeln!(s, "**{line}**");
        } else {
            let _ = writeln!(s, "{line}");
        }
    }
    for v in &d.verdicts {
        let _ = writeln!(s, "{}", verdict_sentence(v));
    }
    s.push('\n');
    s.push_str("| hypothesis | before | after | change |\n|---|---|---|---|\n");
    for m in d.hypotheses.iter().chain(&d.levels) {
        let _ = writeln!(
            s,
            "| {} | {} {} | {} {} | {} |",
            md(&m.id),
            pct1(m.before),
            md(&m.term_before),
            pct1(m.after),
            md(&m.term_after),
            db(m.log_odds_change)
        );
    }
    if !d.groups.is_empty() {
        let focus = lead_index(d);
        let name = d.hypotheses.get(focus).map_or("", |m| m.id.as_str());
        let _ = writeln!(
            s,
            "\n| change (applied in order) | effect on {} | Shapley |\n|---|---|---|",
            md(name)
        );
        for g in &d.groups {
            let what: Vec<String> = g
                .changes
                .iter()
                .map(|&c| {
                    let ch = &d.changes[c];
                    let details = if ch.details.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", ch.details.join("; "))
                    };
                    format!(
                        "{} {}{}",
                        kind_word(ch.kind),
                        md(&change_name(&ch.keyword, &ch.id)),
                        md(&details)
                    )
                })
                .collect();
            let shapley = g
                .shapley
                .as_ref()
                .map_or_else(|| "-".to_string(), |v| db(v.get(focus).copied().flatten()));
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                what.join("<br>"),
                db(g.contribution.get(focus).copied().flatten()),
                shapley
            );
        }
    }
    if let Some(note) = &d.shapley_note {
        let _ = writeln!(s, "\nShapley values: {note}.");
    }
    s
}
