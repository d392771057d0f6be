//! `acre explain` output.

use crate::explain::Explanation;
use crate::format::pct1;
use crate::model::Case;
use crate::report::tables::columns;

const BAR_WIDTH: usize = 24;

fn bar(db: f64, max: f64) -> String {
    if max <= 0.0 || !db.is_finite() {
        return String::new();
    }
    let n = ((db.abs() / max) * BAR_WIDTH as f64).round() as usize;
    let n = n.max(usize::from(db.abs() >= 0.05));
    if db >= 0.0 {
        "█".repeat(n)
    } else {
        "░".repeat(n)
    }
}

fn db_text(db: Option<f64>) -> String {
    db.map_or_else(|| "rules out".to_string(), |d| format!("{d:+.1}"))
}

/// The terminal rendering.
pub fn text(case: &Case, x: &Explanation) -> String {
    let mut out = String::new();
    let focus_idx = case
        .hypotheses
        .iter()
        .position(|h| h.id == x.focus)
        .unwrap_or(0);
    let hyp = &case.hypotheses[focus_idx];
    out.push_str(&format!(
        "Explanation for {} ({}): {}, {}\n",
        hyp.id,
        hyp.label,
        x.focus_words,
        crate::infer::words::pct(&case.yardstick, x.focus_posterior)
    ));

    // waterfall
    let w = &x.hypotheses[focus_idx];
    out.push_str(&format!(
        "\nWeight of evidence for {} against the alternatives (decibans; each item's leave-one-out ratio: the odds with every item over the odds without it; items in dependency order)\n",
        hyp.id
    ));
    let max = w
        .contributions
        .iter()
        .filter_map(|c| c.decibans)
        .fold(0.0f64, |m, d| m.max(d.abs()));
    let to_db = |lo: Option<f64>| lo.map(|l| l * 10.0 / std::f64::consts::LN_10);
    let odds_pct = |lo: Option<f64>| lo.map_or("-".to_string(), |l| pct1(1.0 / (1.0 + (-l).exp())));
    let mut rows = vec![vec![
        "".to_string(),
        "grade".into(),
        "dB".into(),
        "".into(),
        "what it says".into(),
    ]];
    rows.push(vec![
        "prior".into(),
        "".into(),
        db_text(to_db(w.prior_log_odds)),
        "".into(),
        format!("prior {}", odds_pct(w.prior_log_odds)),
    ]);
    for c in &w.contributions {
        let name = if c.given.is_empty() {
            c.item.clone()
        } else {
            format!("{} | {}", c.item, c.given.join(", "))
        };
        rows.push(vec![
            name,
            c.grade.clone(),
            db_text(c.decibans),
            bar(c.decibans.unwrap_or(0.0), max),
            c.words.clone(),
        ]);
    }
    if let Some(shared) = w.shared_log_odds.filter(|x| x.abs() > 1e-9) {
        rows.push(vec![
            "shared".into(),
            "".into(),
            db_text(to_db(Some(shared))),
            bar(to_db(Some(shared)).unwrap_or(0.0), max),
            "carried by several items together, no single one".into(),
        ]);
    }
    rows.push(vec![
        "posterior".into(),
        "".into(),
        db_text(to_db(w.posterior_log_odds)),
        "".into(),
        format!("posterior {}", odds_pct(w.posterior_log_odds)),
    ]);
    out.push_str(&indent(&columns(&rows)));

    // linchpins and sensitivity
    out.push_str("\nLinchpins (a single change that flips the term)\n");
    if x.linchpins.is_empty() {
        out.push_str("  none: no single item or assumption changes the term\n");
    }
    for l in &x.linchpins {
        out.push_str(&format!("  - {}\n", l.sentence(&x.focus, &case.yardstick)));
    }
    out.push_str(&format!(
        "\nSensitivity of {} (now {})\n",
        hyp.id,
        pct1(x.focus_posterior)
    ));
    let mut rows = vec![vec![
        "change".to_string(),
        "posterior".into(),
        "term".into(),
        "".into(),
    ]];
    let mut shown = 0;
    let mut others: Vec<&crate::explain::WhatIf> = Vec::new();
    for s in &x.sensitivity {
        if s.kind.is_structural() {
            rows.push(what_if_row(s));
        } else {
            others.push(s);
        }
    }
    others.sort_by(|a, b| {
        let d = |s: &crate::explain::WhatIf| {
            s.posterior
                .map_or(f64::INFINITY, |p| (p - x.focus_posterior).abs())
        };
        b.flips.cmp(&a.flips).then(d(b).total_cmp(&d(a)))
    });
    for s in others.iter().take(12) {
        rows.push(what_if_row(s));
        shown += 1;
    }
    out.push_str(&indent(&columns(&rows)));
    if others.len() > shown {
        out.push_str(&format!(
            "  ({} smaller changes of terms and grades in --format json)\n",
            others.len() - shown
        ));
    }

    // flip thresholds
    out.push_str("\nWhat would change the judgment (the weakest single new item)\n");
    if x.flip_thresholds.is_empty() {
        out.push_str("  no single new item moves the term\n");
    }
    for f in &x.flip_thresholds {
        let lr = if f.likelihood_ratio >= 1.0 {
            format!("LR {:.3}", f.likelihood_ratio)
        } else {
            format!("LR 1/{:.3}", 1.0 / f.likelihood_ratio)
        };
        out.push_str(&format!(
            "  {:<4} to {}: an item with {lr} ({:+.1} dB, {}); with it {}\n",
            f.direction,
            f.target,
            f.decibans,
            f.words,
            crate::infer::words::written_words(&case.yardstick, f.posterior_with_item)
        ));
    }

    // ACH
    out.push_str("\nACH matrix (each cell: the item's leave-one-out ratio for the hypothesis against the rest, as in the waterfall; CC >= 10, C >= 2, N, I <= 1/2, II <= 1/10)\n");
    let mut header = vec!["item".to_string()];
    header.extend(x.ach.hypotheses.iter().cloned());
    header.push("diagnosticity".into());
    let mut rows = vec![header];
    for r in &x.ach.rows {
        let mut row = vec![r.item.clone()];
        row.extend(r.cells.iter().cloned());
        row.push(if r.diagnosticity.is_finite() {
            format!("{:.1} dB", r.diagnosticity)
        } else {
            "conclusive".into()
        });
        rows.push(row);
    }
    let mut inc = vec!["inconsistency (Heuer)".to_string()];
    inc.extend(x.ach.inconsistency.iter().map(|v| format!("{v}")));
    rows.push(inc);
    let mut ar = vec!["ACH rank".to_string()];
    ar.extend(x.ach.ach_rank.iter().map(|v| v.to_string()));
    rows.push(ar);
    let mut br = vec!["Bayesian rank".to_string()];
    br.extend(x.ach.bayes_rank.iter().map(|v| v.to_string()));
    rows.push(br);
    out.push_str(&indent(&columns(&rows)));

    // value of information
    if !x.value_of_information.is_empty() {
        out.push_str(
            "\nValue of information (pending items, most likely to change the term first)\n",
        );
        for v in &x.value_of_information {
            out.push_str(&format!(
                "  {}: found with P {}; if found {} ({}), if not {} ({}); P(term changes) {}\n",
                v.item,
                pct1(v.p_observed),
                pct1(v.posterior_if_observed),
                v.verdict_if_observed,
                pct1(v.posterior_if_absent),
                v.verdict_if_absent,
                pct1(v.p_term_changes)
            ));
        }
    }
    out.push_str(&format!("\nNarrative\n{}\n", wrap(&x.narrative, 88, "  ")));
    out
}

fn what_if_row(s: &crate::explain::WhatIf) -> Vec<String> {
    vec![
        s.change.clone(),
        s.posterior.map_or("-".into(), pct1),
        s.words.clone(),
        if s.flips {
            "<- term changes".into()
        } else {
            String::new()
        },
    ]
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Wraps words at `width` columns with a prefix.
pub fn wrap(text: &str, width: usize, prefix: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    for word in text.split_whitespace() {
        if line.len() > prefix.len() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(prefix);
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out
}
