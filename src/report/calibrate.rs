//! `acre calibrate` and `acre lexicon fit` output.

use crate::calibrate::Scores;
use crate::calibrate::lexicon_fit::{Departure, PhraseFit};
use crate::report::tables::columns;

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

use crate::format::pct1 as pct;

/// The side-by-side score table and the per-band tables.
pub fn text(header: &str, scorers: &[Scores]) -> String {
    let mut out = format!("{header}\n");
    if scorers.iter().any(|s| !s.enough) {
        out.push_str("The sample is too small to judge calibration (fewer than 30 forecasts from 10 cases or questions); the numbers are printed all the same.\n");
    }
    out.push('\n');
    let mut rows = vec![
        std::iter::once(String::new())
            .chain(scorers.iter().map(|s| s.name.clone()))
            .collect::<Vec<_>>(),
    ];
    let mut row = |label: &str, f: &dyn Fn(&Scores) -> String| {
        rows.push(
            std::iter::once(label.to_string())
                .chain(scorers.iter().map(f))
                .collect(),
        );
    };
    row("forecasts (groups)", &|s| {
        format!("{} ({})", s.n, s.n_groups)
    });
    row("Brier score", &|s| f4(s.decomposition.brier));
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
    row("log score (nats)", &|s| {
        if s.log_clipped > 0 {
            format!("{} ({} clipped)", f4(s.log_score), s.log_clipped)
        } else {
            f4(s.log_score)
        }
    });
    row("ECE (10 bins)", &|s| f4(s.ece));
    row("recalibrated, cross-validated Brier", &|s| {
        if s.recalibration.folds >= 2 {
            format!(
                "{} -> {} ({} folds)",
                f4(s.recalibration.cv_brier_before),
                f4(s.recalibration.cv_brier_after),
                s.recalibration.folds
            )
        } else {
            "too few groups".to_string()
        }
    });
    out.push_str(&columns(&rows));
    out.push_str("(Brier = reliability - resolution + uncertainty + within-bin variance - within-bin covariance)\n");
    for s in scorers {
        let Some(first) = s.bands.first() else {
            continue;
        };
        out.push_str(&format!("\nPer band ({}), {}\n", first.yardstick, s.name));
        let mut rows = vec![vec![
            "term".to_string(),
            "band".into(),
            "n".into(),
            "mean forecast".into(),
            "observed".into(),
            "90% interval".into(),
            "band holds it".into(),
        ]];
        for b in &s.bands {
            rows.push(vec![
                b.term.clone(),
                crate::format::format_band(b.band[0], b.band[1]),
                b.n.to_string(),
                b.mean_forecast.map_or("-".into(), pct),
                b.observed.map_or("-".into(), pct),
                b.interval
                    .map_or("-".into(), |[lo, hi]| crate::format::band_whole(lo, hi)),
                b.band_contains_observed
                    .map_or("-".into(), |c| if c { "yes".into() } else { "no".into() }),
            ]);
        }
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
    out
}

/// The lexicon fit table and departures.
pub fn lexicon_text(fits: &[PhraseFit], departures: &[Departure]) -> String {
    let mut rows = vec![vec![
        "phrase".to_string(),
        "n".into(),
        "mean".into(),
        "Beta(alpha, beta)".into(),
        "median".into(),
        "10-90%".into(),
    ]];
    for f in fits {
        rows.push(vec![
            f.phrase.clone(),
            f.n.to_string(),
            pct(f.mean),
            format!("({:.2}, {:.2})", f.alpha, f.beta),
            pct(f.median),
            crate::format::band_whole(f.p10, f.p90),
        ]);
    }
    let mut out = columns(&rows);
    if !departures.is_empty() {
        out.push_str("\nWhere readers depart from official yardsticks\n");
        for d in departures {
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
    /// Each forecaster's scores.
    pub forecasters: Vec<Scores>,
}

/// `acre lexicon fit --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct LexiconJson {
    /// Each phrase's fit, in order of median.
    pub phrases: Vec<PhraseFit>,
    /// Where readers depart from official yardsticks.
    pub departures: Vec<Departure>,
}
