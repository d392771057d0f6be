//! `acre calibrate` and `acre lexicon fit` output.

use crate::calibrate::lexicon_fit::{BadReading, Departure, PhraseFit, Scale, Unfitted};
use crate::calibrate::sources::LeftOut;
use crate::calibrate::{Scores, Scoring};
use crate::report::tables::columns;

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

use crate::format::pct1 as pct;

/// What reading a forecast file did: rows it could not read, forecasts it left out or
/// completed.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ReadReport {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that could not be read, left out (`--skip-bad-rows`).
    pub bad_rows: Vec<LeftOut>,
    /// Forecasts left out, with why.
    pub skipped: Vec<LeftOut>,
    /// Forecasts completed with the one option they did not give.
    pub completed: Vec<LeftOut>,
    /// Forecasts rescaled to sum to 1 (`--renormalize`).
    pub renormalized: usize,
}

fn interval(i: Option<[f64; 2]>) -> String {
    i.map_or(String::new(), |[lo, hi]| {
        format!(" ({}-{})", f4(lo), f4(hi))
    })
}

fn listed(out: &mut String, title: &str, items: &[LeftOut]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("{title} ({}):\n", items.len()));
    for l in items.iter().take(10) {
        let what = l.forecast.as_ref().map_or(format!("line {}", l.line), |f| {
            format!("forecast {f} (line {})", l.line)
        });
        out.push_str(&format!("  - {what}: {}\n", l.why));
    }
    if items.len() > 10 {
        out.push_str(&format!(
            "  … and {} more (all in --format json)\n",
            items.len() - 10
        ));
    }
}

/// The side-by-side score tables, the per-band tables, the forecasters and the questions.
pub fn text(x: &CalibrateJson) -> String {
    let (header, scorers, read) = (&x.summary, &x.forecasters, x.read.as_ref());
    let mut out = format!("{header}\n");
    if let Some(r) = read {
        listed(&mut out, "Rows left out", &r.bad_rows);
        listed(&mut out, "Forecasts left out", &r.skipped);
        listed(&mut out, "Forecasts completed", &r.completed);
        if r.renormalized > 0 {
            out.push_str(&format!(
                "Forecasts rescaled to sum to 1: {}\n",
                r.renormalized
            ));
        }
    }
    for s in scorers.iter().filter(|s| !s.calibration.enough) {
        out.push_str(&format!(
            "Too small a sample to judge {} calibration: {} stated probabilities from {} (at least 30 from 10 are needed); the numbers are printed all the same.\n",
            possessive(&s.name),
            s.calibration.n,
            crate::format::counted(s.calibration.n_groups, "question"),
        ));
    }
    if let Some(l) = &x.leads {
        out.push_str(&leads_text(l));
    }
    out.push_str("\nWhole forecasts (the options of a question scored together; 90% intervals resample questions)\n");
    let rows = whole_forecast_rows(scorers);
    out.push_str(&columns(&rows));

    out.push_str(
        "\nStated probabilities (every option's probability against whether it happened)\n",
    );
    let mut rows = vec![
        std::iter::once(String::new())
            .chain(scorers.iter().map(|s| s.name.clone()))
            .collect::<Vec<_>>(),
    ];
    let mut row = |label: &str, f: &dyn Fn(&Scores) -> String| {
        rows.push(
            std::iter::once(label.to_string())
                .chain(scorers.iter().map(|s| f(&s.calibration)))
                .collect(),
        );
    };
    row("probabilities (questions)", &|s| {
        format!("{} ({})", s.n, s.n_groups)
    });
    row("mean squared error", &|s| f4(s.decomposition.brier));
    row("  reliability", &|s| f4(s.decomposition.reliability));
    row("  resolution", &|s| f4(s.decomposition.resolution));
    row("  uncertainty", &|s| f4(s.decomposition.uncertainty));
    row("  within-bin variance", &|s| {
        f4(s.decomposition.within_bin_variance)
    });
    row("  within-bin covariance", &|s| {
        f4(s.decomposition.within_bin_covariance)
    });
    row("  binning", &|s| s.decomposition.binning.to_string());
    row("ECE (10 bins)", &|s| f4(s.ece));
    row("recalibrated, cross-validated error", &|s| {
        if s.recalibration.folds >= 2 {
            format!(
                "{} -> {} ({} folds by question)",
                f4(s.recalibration.cv_brier_before),
                f4(s.recalibration.cv_brier_after),
                s.recalibration.folds
            )
        } else {
            "too few questions".to_string()
        }
    });
    out.push_str(&columns(&rows));
    out.push_str("(error = reliability - resolution + uncertainty + within-bin variance - within-bin covariance)\n");
    for s in scorers.iter().map(|s| &s.calibration) {
        let Some(first) = s.bands.first() else {
            continue;
        };
        out.push_str(&format!("\nPer band ({}), {}\n", first.yardstick, s.name));
        let rows = band_rows(s);
        out.push_str(
            &columns(&rows)
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>(),
        );
        for line in &s.lines {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    for s in scorers {
        if s.by_forecaster.len() > 1 {
            // a leaderboard of one-question forecasters says little: show those with the
            // most questions when enough of them have several
            let most = s
                .by_forecaster
                .iter()
                .map(|f| f.questions)
                .max()
                .unwrap_or(1);
            let min_q = [10, 5, 3, 1]
                .into_iter()
                .find(|q| s.by_forecaster.iter().filter(|f| f.questions >= *q).count() >= 10)
                .unwrap_or(1)
                .min(most);
            let eligible: Vec<_> = s
                .by_forecaster
                .iter()
                .filter(|f| f.questions >= min_q)
                .collect();
            let shown = eligible.len().min(10);
            out.push_str(&format!(
                "\nForecasters{}, best Brier first ({shown} of {}; all {} in --format json)\n",
                if min_q > 1 {
                    format!(" with at least {min_q} questions")
                } else {
                    String::new()
                },
                eligible.len(),
                s.by_forecaster.len()
            ));
            let mut rows = vec![vec![
                "forecaster".to_string(),
                "forecasts".into(),
                "questions".into(),
                "Brier".into(),
                "daily standing".into(),
            ]];
            for f in eligible.iter().take(shown) {
                rows.push(vec![
                    f.forecaster.clone(),
                    f.forecasts.to_string(),
                    f.questions.to_string(),
                    f4(f.brier),
                    f.standing_brier.map_or("-".into(), f4),
                ]);
            }
            out.push_str(
                &columns(&rows)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>(),
            );
        }
        if s.by_question.len() > 1 {
            out.push_str(&format!("\nQuestions, {}\n", s.name));
            let mut rows = vec![vec![
                "question".to_string(),
                "happened".into(),
                "forecasts".into(),
                "forecasters".into(),
                "Brier".into(),
            ]];
            for q in &s.by_question {
                rows.push(vec![
                    q.question.clone(),
                    format!("{} of {}", q.happened, q.options),
                    q.forecasts.to_string(),
                    q.forecasters.to_string(),
                    f4(q.brier),
                ]);
            }
            out.push_str(
                &columns(&rows)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>(),
            );
        }
    }
    if let Some(sw) = &x.sweep {
        out.push_str(&sweep_text(sw));
    }
    out
}

/// "the engine's", "the analysts'": a forecaster's name as a possessive.
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("the {name}'")
    } else {
        format!("the {name}'s")
    }
}

/// The whole-forecast table: one column per forecaster.
fn whole_forecast_rows(scorers: &[Scoring]) -> Vec<Vec<String>> {
    let mut rows = vec![
        std::iter::once(String::new())
            .chain(scorers.iter().map(|s| s.name.clone()))
            .collect::<Vec<_>>(),
    ];
    let mut row = |label: &str, f: &dyn Fn(&Scoring) -> String| {
        rows.push(
            std::iter::once(label.to_string())
                .chain(scorers.iter().map(f))
                .collect(),
        );
    };
    row("forecasts / questions / forecasters", &|s| {
        let unknown = match s.headline.no_forecaster {
            0 => String::new(),
            n => format!(" ({n} of the forecasts by no known forecaster)"),
        };
        format!(
            "{} / {} / {}{unknown}",
            s.headline.forecasts, s.headline.questions, s.headline.forecasters
        )
    });
    row("Brier score (0-2, sum over options)", &|s| {
        format!(
            "{}{}",
            f4(s.headline.brier),
            interval(s.headline.brier_interval)
        )
    });
    if scorers.iter().any(|s| s.headline.binary_brier.is_some()) {
        row("  binary Brier (0-1)", &|s| {
            s.headline.binary_brier.map_or("-".into(), f4)
        });
    }
    if scorers.iter().any(|s| s.headline.standing.is_some()) {
        row("  daily standing forecasts", &|s| {
            s.headline.standing.as_ref().map_or("-".into(), |st| {
                format!(
                    "{} ({} forecaster-questions, {} days)",
                    f4(st.brier),
                    st.pairs,
                    st.days
                )
            })
        });
    }
    row("skill vs uniform forecast", &|s| {
        format!(
            "{}{}",
            f4(s.headline.skill_uniform),
            interval(s.headline.skill_uniform_interval)
        )
    });
    row("skill vs base rate", &|s| {
        format!(
            "{}{}",
            f4(s.headline.skill_base_rate),
            interval(s.headline.skill_base_rate_interval)
        )
    });
    row("log score (nats, option that happened)", &|s| {
        if s.headline.log_clipped > 0 {
            format!(
                "{} ({} clipped)",
                f4(s.headline.log_score),
                s.headline.log_clipped
            )
        } else {
            f4(s.headline.log_score)
        }
    });
    row("sharpness", &|s| f4(s.headline.sharpness));
    row("discrimination (AUC, two-option)", &|s| {
        s.headline.auc.map_or("-".into(), f4)
    });
    rows
}

/// A forecaster's per-band table.
fn band_rows(s: &Scores) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "term".to_string(),
        "band".into(),
        "n (questions)".into(),
        "mean forecast".into(),
        "observed".into(),
        "90% interval".into(),
        "band holds it".into(),
    ]];
    for b in &s.bands {
        rows.push(vec![
            b.term.clone(),
            crate::format::format_band(b.band[0], b.band[1]),
            format!("{} ({})", b.n, b.questions),
            b.mean_forecast.map_or("-".into(), pct),
            b.observed.map_or("-".into(), pct),
            b.interval.map_or("-".into(), |[lo, hi]| {
                crate::format::interval_percent(lo, hi)
            }),
            b.band_contains_observed
                .map_or("-".into(), |c| if c { "yes".into() } else { "no".into() }),
        ]);
    }
    rows
}
/// Whether each case's eventual outcome led at its assessed date, and the cases where it
/// did not, named.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CaseLeads {
    /// Resolved cases.
    pub cases: usize,
    /// Cases whose eventual outcome had the highest posterior (ties count).
    pub led: usize,
    /// The others.
    pub misses: Vec<CaseMiss>,
    /// Resolved cases with no `assessed` date: scored on all their evidence, not as of a
    /// date (named, so that their lead is not read as made in advance).
    pub undated: Vec<String>,
    /// Resolved cases left out by `--min-strength`: resolved less firmly than asked, or
    /// without a `strength`.
    pub below_strength: Vec<String>,
    /// Resolved cases whose outcome names only a group ("a Chinese state actor"): scored,
    /// and their lead judged, among the groups of that group's level.
    pub resolved_to_group: Vec<String>,
    /// Resolved cases that declare groups: scored at the family level too (the forecaster
    /// `engine, families`).
    pub with_groups: Vec<String>,
    /// Cases whose outcome's family (its outermost group) had the highest posterior among
    /// the families, when some case declares groups.
    pub family_led: Option<usize>,
}

/// A resolved case whose eventual outcome did not lead.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CaseMiss {
    /// The case file.
    pub case: String,
    /// The hypothesis that led, and its posterior.
    pub leading: (String, f64),
    /// The hypothesis that turned out true, and its posterior.
    pub outcome: (String, f64),
}

impl CaseLeads {
    /// From the engine's forecasts (one per case).
    pub fn of(engine: &crate::calibrate::forecast::ForecastSet) -> Self {
        let mut misses = Vec::new();
        for f in engine.iter() {
            let Some(top) = f
                .options()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
            else {
                continue;
            };
            let Some(happened) = f.options().nth(f.happened()) else {
                continue;
            };
            if happened.1 < top.1 {
                misses.push(CaseMiss {
                    case: f.question().to_string(),
                    leading: (top.0.to_string(), top.1),
                    outcome: (happened.0.to_string(), happened.1),
                });
            }
        }
        CaseLeads {
            cases: engine.len(),
            led: engine.len() - misses.len(),
            misses,
            undated: Vec::new(),
            below_strength: Vec::new(),
            resolved_to_group: Vec::new(),
            with_groups: Vec::new(),
            family_led: None,
        }
    }
}

/// The cases whose outcome did not lead, one row each.
fn miss_rows(l: &CaseLeads) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "case".to_string(),
        "led".into(),
        "turned out true".into(),
    ]];
    for m in &l.misses {
        rows.push(vec![
            m.case.clone(),
            format!("{} {}", m.leading.0, pct(m.leading.1)),
            format!("{} {}", m.outcome.0, pct(m.outcome.1)),
        ]);
    }
    rows
}

fn leads_text(l: &CaseLeads) -> String {
    let mut out = format!(
        "\nThe eventual outcome led at the assessed date in {} of {} cases ({})",
        l.led,
        l.cases,
        pct(l.led as f64 / l.cases.max(1) as f64)
    );
    if !l.undated.is_empty() {
        out.push_str(&format!(
            " ({} with no `assessed` date, scored on all their evidence: {})",
            crate::format::counted(l.undated.len(), "case"),
            crate::format::clip(&l.undated.join(", "), 300)
        ));
    }
    if !l.below_strength.is_empty() {
        out.push_str(&format!(
            " ({} left out as resolved less firmly than --min-strength asks: {})",
            crate::format::counted(l.below_strength.len(), "case"),
            crate::format::clip(&l.below_strength.join(", "), 300)
        ));
    }
    if !l.resolved_to_group.is_empty() {
        out.push_str(&format!(
            " ({} resolved only to a group, judged among the groups of its level: {})",
            crate::format::counted(l.resolved_to_group.len(), "case"),
            crate::format::clip(&l.resolved_to_group.join(", "), 300)
        ));
    }
    let levels = if l.with_groups.is_empty() {
        String::new()
    } else {
        format!(
            "{} declare groups of hypotheses, so they are scored at two levels: `engine` on the finest level each outcome reaches, `engine, families` on the outermost groups (the outcome's family led in {} of {}): {}.\n",
            crate::format::counted(l.with_groups.len(), "case"),
            l.family_led.unwrap_or(0),
            l.cases,
            crate::format::clip(&l.with_groups.join(", "), 300)
        )
    };
    if l.misses.is_empty() {
        out.push_str(".\n");
        out.push_str(&levels);
        return out;
    }
    out.push_str("; it did not in:\n");
    let rows = miss_rows(l);
    out.push_str(
        &columns(&rows)
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>(),
    );
    out.push_str(&levels);
    out
}

fn setting_cells(s: &crate::calibrate::sweep::Setting) -> [String; 3] {
    let g = crate::calibrate::sweep::grading(s);
    let mark = |on: bool| if on { " (default)" } else { "" };
    [
        format!(
            "B {:.2}, C {:.2}{}",
            g.reliability[1],
            g.reliability[2],
            mark(s.reliability == 1.0)
        ),
        format!(
            "2: {:.2}, 3: {:.2}{}",
            g.credibility[1],
            g.credibility[2],
            mark(s.credibility == 1.0)
        ),
        format!(
            "{:.0}%{}",
            s.term_position * 100.0,
            mark(s.term_position == 0.5)
        ),
    ]
}

fn setting_words(s: &crate::calibrate::sweep::Setting) -> String {
    if s.is_default() {
        return "the defaults".to_string();
    }
    let [r, c, t] = setting_cells(s);
    format!("reliability {r}; credibility {c}; term points at {t} of their bands")
}

fn sweep_rows(rows: &[crate::calibrate::sweep::SweepRow], cases: usize) -> String {
    columns(&sweep_table(rows, cases))
        .lines()
        .map(|l| format!("  {l}\n"))
        .collect()
}

fn sweep_table(rows: &[crate::calibrate::sweep::SweepRow], cases: usize) -> Vec<Vec<String>> {
    let mut t = vec![vec![
        "reliability".to_string(),
        "credibility".into(),
        "term points".into(),
        "Brier (0-2)".into(),
        "outcome led".into(),
    ]];
    for r in rows {
        let [rel, cred, terms] = setting_cells(&r.setting);
        t.push(vec![
            rel,
            cred,
            terms,
            f4(r.brier),
            format!("{} of {cases}", r.led),
        ]);
    }
    t
}

const SWEEP_TITLES: [&str; 3] = [
    "Reliability alone (A-E numbers raised to a power: below 1 trusts sources more)",
    "Credibility alone (1-5 numbers raised to a power: below 1 trusts items more)",
    "Term points alone (0% = band edge nearest 50%, 100% = farthest; defaults at 50%)",
];

fn table_html(rows: &[Vec<String>]) -> String {
    use crate::report::page::esc;
    let mut out = String::from("<table>\n");
    for (i, r) in rows.iter().enumerate() {
        let cell = if i == 0 { "th" } else { "td" };
        out.push_str("<tr>");
        for c in r {
            out.push_str(&format!("<{cell}>{}</{cell}>", esc(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// A self-contained HTML page: the scores, the reliability diagram (`diagram`, an SVG),
/// the cases whose outcome did not lead, the band tables and the sweep.
pub fn html(x: &CalibrateJson, diagram: &str) -> String {
    use crate::report::page::{CSS, esc};
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Calibration</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>Calibration</h1>\n<p>{}</p>\n",
        esc(&x.summary)
    );
    for s in x.forecasters.iter().filter(|s| !s.calibration.enough) {
        out.push_str(&format!(
            "<p class=\"muted\">Too small a sample to judge {} calibration: {} stated probabilities from {} (at least 30 from 10 are needed).</p>\n",
            esc(&possessive(&s.name)),
            s.calibration.n,
            crate::format::counted(s.calibration.n_groups, "question")
        ));
    }
    let rows = whole_forecast_rows(&x.forecasters);
    out.push_str("<h2>Scores</h2>\n");
    out.push_str(&table_html(&rows));
    out.push_str("<h2>Reliability diagram</h2>\n<p class=\"muted\">Each stated probability against how often it came true; the diagonal is perfect calibration, the shaded bands the yardstick's terms.</p>\n");
    out.push_str(diagram);
    if let Some(l) = &x.leads {
        out.push_str(&format!(
            "<h2>Did the eventual outcome lead?</h2>\n<p>In {} of {} cases ({}) at the assessed date.</p>\n",
            l.led,
            l.cases,
            pct(l.led as f64 / l.cases.max(1) as f64)
        ));
        if !l.misses.is_empty() {
            let rows = miss_rows(l);
            out.push_str(&table_html(&rows));
        }
    }
    for s in &x.forecasters {
        out.push_str(&format!("<h2>Per band, {}</h2>\n", esc(&s.name)));
        let rows = band_rows(&s.calibration);
        out.push_str(&table_html(&rows));
        if !s.calibration.lines.is_empty() {
            out.push_str("<ul>\n");
            for line in &s.calibration.lines {
                out.push_str(&format!("<li>{}</li>\n", esc(line)));
            }
            out.push_str("</ul>\n");
        }
    }
    if let Some(sw) = &x.sweep {
        out.push_str("<h2>Sweep of the default numbers</h2>\n");
        for (title, rows) in SWEEP_TITLES.iter().zip(&sw.one_at_a_time) {
            out.push_str(&format!("<h3>{}</h3>\n", esc(title)));
            out.push_str(&table_html(&sweep_table(rows, sw.cases)));
        }
        out.push_str("<h3>Best settings of the whole grid (in-sample)</h3>\n");
        out.push_str(&table_html(&sweep_table(&sw.top, sw.cases)));
        out.push_str(&format!("<p>{}</p>\n", esc(sweep_verdict(sw).trim())));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The sweep's tables and what they mean, in words.
pub fn sweep_text(sw: &crate::calibrate::sweep::Sweep) -> String {
    let mut out = format!(
        "\nSweep of the default numbers over {} (multi-option Brier, mean per case; lower is better)\n",
        crate::format::counted(sw.cases, "case")
    );
    for (name, _) in &sw.left_out {
        out.push_str(&format!("  left out: {name}\n"));
    }
    if !sw.own_grading.is_empty() {
        out.push_str(&format!(
            "  with their own grading table (grade numbers not swept): {}\n",
            sw.own_grading.join(", ")
        ));
    }
    for (title, rows) in SWEEP_TITLES.iter().zip(&sw.one_at_a_time) {
        out.push_str(&format!("\n{title}\n"));
        out.push_str(&sweep_rows(rows, sw.cases));
    }
    out.push_str("\nBest settings of the whole grid (180 settings, on all cases: in-sample)\n");
    out.push_str(&sweep_rows(&sw.top, sw.cases));
    out.push('\n');
    out.push_str(&sweep_verdict(sw));
    out
}

/// The cross-validation result and what it means, in words.
fn sweep_verdict(sw: &crate::calibrate::sweep::Sweep) -> String {
    let mut out = String::new();
    let cv = &sw.cross_validation;
    let [lo, hi] = cv.difference_interval;
    out.push_str(&format!(
        "Leave-one-case-out: choosing the setting on the other cases scores {} against {} for the defaults (difference {:+.4}, 90% interval {:+.4} to {:+.4}).\n",
        f4(cv.tuned_brier),
        f4(cv.default_brier),
        cv.tuned_brier - cv.default_brier,
        lo,
        hi
    ));
    if let Some((most, k)) = cv.chosen.first() {
        out.push_str(&format!(
            "The setting chosen most often ({k} of {} folds): {}.\n",
            sw.cases,
            setting_words(most)
        ));
    }
    let in_sample = sw.default.brier - sw.best.brier;
    let edges = crate::calibrate::sweep::at_edges(&sw.best.setting);
    if !edges.is_empty() {
        out.push_str(&format!(
            "The best setting lies at the edge of the grid ({}): the optimum may lie beyond it.\n",
            edges.join(", ")
        ));
    }
    out.push_str(&if hi < 0.0 {
        format!(
            "In words: tuning would have helped beyond chance on these cases (in-sample gain {in_sample:.4}); consider the setting above, on more cases, before changing a default.\n"
        )
    } else {
        format!(
            "In words: the best setting gains {in_sample:.4} in-sample, but chosen out of sample it does not beat the defaults beyond chance: the evidence does not call for changing them.\n"
        )
    });
    out
}

/// The lexicon fit table, what could not be fitted or read, and the departures.
pub fn lexicon_text(x: &LexiconJson) -> String {
    let mut out = format!(
        "Readings on a {} scale{}\n\n",
        match x.scale {
            Scale::Unit => "0-1",
            Scale::Percent => "0-100",
        },
        if x.scale_detected {
            " (detected from the whole file; --scale sets it)"
        } else {
            ""
        }
    );
    let mut rows = vec![vec![
        "phrase".to_string(),
        "n".into(),
        "median (90% interval)".into(),
        "Beta, moments (a, b)".into(),
        "its median".into(),
        "its 10-90%".into(),
        "Beta, max. likelihood (a, b)".into(),
    ]];
    for f in &x.phrases {
        rows.push(vec![
            if f.enough {
                f.phrase.clone()
            } else {
                format!("{} (too few readings)", f.phrase)
            },
            f.n.to_string(),
            format!(
                "{} ({})",
                pct(f.sample_median),
                crate::format::interval_percent(f.median_interval[0], f.median_interval[1])
            ),
            format!("({:.2}, {:.2})", f.alpha, f.beta),
            pct(f.median),
            crate::format::interval_percent(f.p10, f.p90),
            f.maximum_likelihood
                .as_ref()
                .map_or("-".into(), |m| format!("({:.2}, {:.2})", m.alpha, m.beta)),
        ]);
    }
    out.push_str(&columns(&rows));
    if x.phrases.iter().any(|f| !f.enough) {
        out.push_str(&format!(
            "Phrases with fewer than {} readings are fitted but not judged against yardsticks.\n",
            crate::calibrate::lexicon_fit::MIN_READINGS
        ));
    }
    for u in &x.unfitted {
        out.push_str(&format!(
            "Not fitted: '{}' ({} readings): {}\n",
            u.phrase, u.n, u.why
        ));
    }
    if !x.bad_readings.is_empty() {
        out.push_str(&format!("Readings left out ({}):\n", x.bad_readings.len()));
        for b in x.bad_readings.iter().take(10) {
            out.push_str(&format!(
                "  - line {}: '{}' = `{}`: {}\n",
                b.line, b.phrase, b.value, b.why
            ));
        }
        if x.bad_readings.len() > 10 {
            out.push_str(&format!(
                "  … and {} more (all in --format json)\n",
                x.bad_readings.len() - 10
            ));
        }
    }
    if !x.departures.is_empty() {
        out.push_str("\nWhere readers depart from official yardsticks (the sample median and its whole 90% interval outside the band)\n");
        for d in &x.departures {
            out.push_str(&format!("  - {}\n", d.message));
        }
    }
    out
}

/// `acre calibrate --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct CalibrateJson {
    /// One line on what was scored.
    pub summary: String,
    /// The yardstick of the band tables.
    pub yardstick: String,
    /// What reading a forecast file did (absent for case files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<ReadReport>,
    /// Each forecaster's scores.
    pub forecasters: Vec<Scoring>,
    /// Whether each case's eventual outcome led (case files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leads: Option<CaseLeads>,
    /// The sweep of the default numbers (`--sweep`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<crate::calibrate::sweep::Sweep>,
}

/// `acre lexicon fit --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct LexiconJson {
    /// The scale the readings were on.
    pub scale: Scale,
    /// Whether it was detected from the file (not given with --scale).
    pub scale_detected: bool,
    /// Each phrase's fit, in order of the fitted median.
    pub phrases: Vec<PhraseFit>,
    /// Phrases that could not be fitted, with why.
    pub unfitted: Vec<Unfitted>,
    /// Readings left out, with their lines.
    pub bad_readings: Vec<BadReading>,
    /// Where readers depart from official yardsticks.
    pub departures: Vec<Departure>,
}
