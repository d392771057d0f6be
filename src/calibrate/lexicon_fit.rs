//! What words mean to readers: Beta distributions fitted to survey readings of
//! probability phrases, and where readers depart from an official yardstick.

use super::table::Table;
use crate::format::format_percent;
use crate::lexicon::{Term, Yardstick, normalize_phrase};
use crate::syntax::write::{self, TermLine};
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};
use std::collections::BTreeMap;

/// Readings are clamped this far inside (0, 1) before fitting, so that answers of 0 and
/// 100 do not make the Beta degenerate.
pub const READING_CLAMP: f64 = 0.005;

/// The fit for one phrase.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PhraseFit {
    /// The phrase as written in the survey.
    pub phrase: String,
    /// Readings.
    pub n: usize,
    /// Sample mean (0-1).
    pub mean: f64,
    /// Sample variance.
    pub variance: f64,
    /// Beta alpha (method of moments).
    pub alpha: f64,
    /// Beta beta.
    pub beta: f64,
    /// Median of the fitted Beta.
    pub median: f64,
    /// 10th percentile of the fitted Beta.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Median of the readings themselves.
    pub sample_median: f64,
}

/// A departure of readers from an official band.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Departure {
    /// The phrase.
    pub phrase: String,
    /// The yardstick.
    pub yardstick: String,
    /// Its band there.
    pub band: [f64; 2],
    /// Readers' median.
    pub median: f64,
    /// One sentence.
    pub message: String,
}

/// Why a survey could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot read `{path}`: {message}")]
#[diagnostic(
    code("acre::survey"),
    help(
        "long format: columns respondent (or response_id), phrase (or term), value (or probability), one reading per row; wide format: one column per phrase, one respondent per row; values 0-100"
    )
)]
pub struct SurveyError {
    /// File.
    pub path: String,
    /// Why.
    pub message: String,
}

/// Reads a survey (a table) in long or wide format: phrase -> readings (0-1).
pub fn survey_from_table(table: &Table) -> Result<BTreeMap<String, Vec<f64>>, SurveyError> {
    let name = table.name.clone();
    let err = |m: String| SurveyError {
        path: name.clone(),
        message: m,
    };
    let headers = &table.headers;
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    let col = |names: &[&str]| lower.iter().position(|h| names.contains(&h.as_str()));
    let long = (
        col(&["phrase", "term"]),
        col(&["value", "probability", "reading"]),
    );
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut percent = true;
    for record in &table.rows {
        let line = record.line;
        let mut push = |phrase: &str, text: &str| -> Result<(), SurveyError> {
            if text.is_empty() {
                return Ok(());
            }
            let v: f64 = text
                .parse()
                .map_err(|_| err(format!("line {line}: `{text}` is not a number")))?;
            if !(0.0..=100.0).contains(&v) {
                return Err(err(format!("line {line}: `{text}` is outside 0-100")));
            }
            out.entry(phrase.to_string()).or_default().push(v);
            Ok(())
        };
        match long {
            (Some(p), Some(v)) => push(record.get(p), record.get(v))?,
            _ => {
                for (c, h) in headers.iter().enumerate() {
                    push(h, record.get(c))?;
                }
            }
        }
    }
    if out.is_empty() {
        return Err(err("no readings found".to_string()));
    }
    // readings on a 0-1 scale stay as they are
    if out.values().flatten().all(|v| *v <= 1.0) {
        percent = false;
    }
    for values in out.values_mut() {
        for v in values.iter_mut() {
            if percent {
                *v /= 100.0;
            }
        }
    }
    Ok(out)
}

/// Fits a Beta to readings by the method of moments.
pub fn fit(phrase: &str, readings: &[f64]) -> Option<PhraseFit> {
    let n = readings.len();
    if n < 2 {
        return None;
    }
    let xs: Vec<f64> = readings
        .iter()
        .map(|v| v.clamp(READING_CLAMP, 1.0 - READING_CLAMP))
        .collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    if variance <= 0.0 || variance >= mean * (1.0 - mean) {
        return None;
    }
    let common = mean * (1.0 - mean) / variance - 1.0;
    let (alpha, beta) = (mean * common, (1.0 - mean) * common);
    let dist = Beta::new(alpha, beta).ok()?;
    let mut sorted = readings.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(PhraseFit {
        phrase: phrase.to_string(),
        n,
        mean,
        variance,
        alpha,
        beta,
        median: dist.inverse_cdf(0.5),
        p10: dist.inverse_cdf(0.1),
        p90: dist.inverse_cdf(0.9),
        sample_median: crate::infer::monte_carlo::quantile(&sorted, 0.5),
    })
}

/// Fits every phrase with at least two readings, in order of median.
pub fn fit_all(survey: &BTreeMap<String, Vec<f64>>) -> Vec<PhraseFit> {
    let mut fits: Vec<PhraseFit> = survey.iter().filter_map(|(p, r)| fit(p, r)).collect();
    fits.sort_by(|a, b| a.median.total_cmp(&b.median).then(a.phrase.cmp(&b.phrase)));
    fits
}

/// Where readers' medians fall outside the official bands of `yardsticks`.
pub fn departures(fits: &[PhraseFit], yardsticks: &[Yardstick]) -> Vec<Departure> {
    let mut out = Vec::new();
    for f in fits {
        let phrase = normalize_phrase(&f.phrase);
        for y in yardsticks {
            let Some(m) = y.find(&phrase) else { continue };
            let t = &y.terms[m.term_idx];
            if !t.contains(f.median) {
                out.push(Departure {
                    phrase: phrase.clone(),
                    yardstick: y.name.clone(),
                    band: [t.lo, t.hi],
                    median: f.median,
                    message: format!(
                        "readers put '{phrase}' at a median of {}% (10-90%: {}-{}%); {} defines it as {}",
                        format_percent((f.median * 1000.0).round() / 1000.0),
                        format_percent((f.p10 * 100.0).round() / 100.0),
                        format_percent((f.p90 * 100.0).round() / 100.0),
                        y.name.to_uppercase(),
                        t.band_text()
                    ),
                });
            }
        }
    }
    out
}

/// The fitted lexicon as a yardstick: each phrase's band is its 10-90% range, its point
/// the median, and its Beta the fit.
pub fn as_yardstick(name: &str, title: &str, source: &str, fits: &[PhraseFit]) -> Yardstick {
    Yardstick {
        name: name.to_string(),
        title: title.to_string(),
        source: source.to_string(),
        note: "Fitted to readers' numeric readings; bands are 10-90% ranges and overlap."
            .to_string(),
        terms: fits
            .iter()
            .map(|f| {
                let mut t = Term::new(&normalize_phrase(&f.phrase), &[], f.p10, f.p90);
                t.point = f.median;
                t.beta = Some((f.alpha, f.beta));
                t
            })
            .collect(),
        rows: Vec::new(),
    }
}

/// The fitted lexicon in case-file syntax, for `yardstick ... { }` in a case.
pub fn to_case_syntax(name: &str, title: &str, source: &str, fits: &[PhraseFit]) -> String {
    let terms: Vec<TermLine> = fits
        .iter()
        .map(|f| TermLine {
            name: normalize_phrase(&f.phrase),
            lo: f.p10,
            hi: f.p90,
            point: f.median,
            beta: Some((f.alpha, f.beta)),
        })
        .collect();
    write::yardstick(
        &[
            "Fitted by `acre lexicon fit`: bands are readers' 10-90% ranges, points their medians."
                .to_string(),
        ],
        name,
        title,
        &terms,
        source,
    )
}
