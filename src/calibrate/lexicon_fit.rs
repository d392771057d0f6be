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
    /// Distribution-free 90% interval of the sample median (order statistics).
    pub median_interval: [f64; 2],
    /// The Beta fitted by maximum likelihood, beside the method-of-moments fit above.
    pub maximum_likelihood: Option<BetaFit>,
    /// Whether there are enough readings (at least [`MIN_READINGS`]) to judge departures.
    pub enough: bool,
}

/// Readings a phrase needs before its departures from a yardstick are judged.
pub const MIN_READINGS: usize = 30;

/// A Beta distribution fitted to readings, with how it was fitted.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BetaFit {
    /// `maximum-likelihood` or `method-of-moments`.
    pub method: String,
    /// Alpha.
    pub alpha: f64,
    /// Beta.
    pub beta: f64,
    /// Median.
    pub median: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// A phrase that could not be fitted, and why.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Unfitted {
    /// The phrase as written in the survey.
    pub phrase: String,
    /// Readings.
    pub n: usize,
    /// Why.
    pub why: String,
}

/// A reading left out, and why.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BadReading {
    /// Line in the file.
    pub line: usize,
    /// The phrase.
    pub phrase: String,
    /// What was written.
    pub value: String,
    /// Why it was left out.
    pub why: String,
}

/// The scale readings are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Scale {
    /// 0 to 1.
    #[serde(rename = "0-1")]
    Unit,
    /// 0 to 100.
    #[serde(rename = "0-100")]
    Percent,
}

/// A survey read from a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Survey {
    /// Phrase -> readings on 0-1.
    pub readings: BTreeMap<String, Vec<f64>>,
    /// The scale the file was read on.
    pub scale: Scale,
    /// Whether the scale was detected (not given).
    pub detected: bool,
    /// Readings left out (out of range, not numbers).
    pub bad: Vec<BadReading>,
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
    /// Readers' median (of the sample).
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
        "long format: columns respondent (or response_id), phrase (or term), value (or probability), one reading per row; wide format: one column per phrase, one respondent per row; values 0-100 or 0-1 (--scale)"
    )
)]
pub struct SurveyError {
    /// File.
    pub path: String,
    /// Why.
    pub message: String,
}

/// Reads a survey (a table) in long or wide format. The scale is `scale` when given;
/// otherwise 0-1 when every reading lies in 0..1 and one is fractional, 0-100 otherwise (a
/// 0-100 survey whose answers happen to be only 0 and 1 stays 0-100). Readings that are not
/// numbers or lie outside the scale are left out, each listed with its line.
pub fn survey_from_table(table: &Table, scale: Option<Scale>) -> Result<Survey, SurveyError> {
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
    let mut raw: Vec<(usize, String, String, f64)> = Vec::new();
    let mut bad = Vec::new();
    for record in table.rows() {
        let line = record.line;
        let mut push = |phrase: &str, text: &str| {
            if text.is_empty() || text.eq_ignore_ascii_case("na") {
                return;
            }
            match crate::calibrate::sources::parse_number(text) {
                Some(v) if v.is_finite() => {
                    raw.push((line, phrase.to_string(), text.to_string(), v))
                }
                _ => bad.push(BadReading {
                    line,
                    phrase: phrase.to_string(),
                    value: text.to_string(),
                    why: "not a number".to_string(),
                }),
            }
        };
        match long {
            (Some(p), Some(v)) => push(record.get(p), record.get(v)),
            _ => {
                for (c, h) in headers.iter().enumerate() {
                    push(h, record.get(c));
                }
            }
        }
    }
    if raw.is_empty() {
        return Err(err("no readings found".to_string()));
    }
    let detected = scale.is_none();
    let scale = scale.unwrap_or_else(|| {
        let unit = raw.iter().all(|r| (0.0..=1.0).contains(&r.3))
            && raw.iter().any(|r| r.3.fract() != 0.0);
        if unit { Scale::Unit } else { Scale::Percent }
    });
    let top = match scale {
        Scale::Unit => 1.0,
        Scale::Percent => 100.0,
    };
    let mut readings: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (line, phrase, text, v) in raw {
        if (0.0..=top).contains(&v) {
            readings.entry(phrase).or_default().push(v / top);
        } else {
            bad.push(BadReading {
                line,
                phrase,
                value: text,
                why: format!("outside 0-{top}"),
            });
        }
    }
    Ok(Survey {
        readings,
        scale,
        detected,
        bad,
    })
}

/// Trigamma, the derivative of digamma: recurrence up to 6, then the asymptotic series.
fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 6.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    acc + 1.0 / x
        + x2 / 2.0
        + (1.0 / x) * x2 * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)))
}

fn beta_fit(method: &str, alpha: f64, beta: f64) -> Option<BetaFit> {
    let d = Beta::new(alpha, beta).ok()?;
    Some(BetaFit {
        method: method.to_string(),
        alpha,
        beta,
        median: d.inverse_cdf(0.5),
        p10: d.inverse_cdf(0.1),
        p90: d.inverse_cdf(0.9),
    })
}

/// The maximum-likelihood Beta of clamped readings `xs`: Newton's method on the score
/// equations `digamma(a) - digamma(a + b) = mean ln x` and `digamma(b) - digamma(a + b) =
/// mean ln(1 - x)`, from the method-of-moments start.
pub fn maximum_likelihood(xs: &[f64], start: (f64, f64)) -> Option<BetaFit> {
    use statrs::function::gamma::digamma;
    let n = xs.len() as f64;
    let l1 = xs.iter().map(|x| x.ln()).sum::<f64>() / n;
    let l2 = xs.iter().map(|x| (1.0 - x).ln()).sum::<f64>() / n;
    let (mut a, mut b) = start;
    for _ in 0..200 {
        let g1 = digamma(a) - digamma(a + b) - l1;
        let g2 = digamma(b) - digamma(a + b) - l2;
        let t = trigamma(a + b);
        let (j11, j12, j22) = (trigamma(a) - t, -t, trigamma(b) - t);
        let det = j11 * j22 - j12 * j12;
        if !det.is_finite() || det == 0.0 {
            return None;
        }
        let mut da = (j22 * g1 - j12 * g2) / det;
        let mut db = (j11 * g2 - j12 * g1) / det;
        // stay positive: halve the step until it does
        while a - da <= 0.0 || b - db <= 0.0 {
            da /= 2.0;
            db /= 2.0;
        }
        a -= da;
        b -= db;
        if da.abs() < 1e-12 * a && db.abs() < 1e-12 * b {
            return beta_fit("maximum-likelihood", a, b);
        }
    }
    None
}

/// The distribution-free 90% interval of the median of sorted `xs`: the order statistics
/// `n/2 -+ 1.645 sqrt(n)/2` (normal approximation to the binomial).
pub fn median_interval(sorted: &[f64]) -> [f64; 2] {
    let n = sorted.len();
    if n == 0 {
        return [f64::NAN; 2];
    }
    let half = 1.644_853_626_951_472_2 * (n as f64).sqrt() / 2.0;
    let lo = ((n as f64 / 2.0 - half).floor().max(0.0) as usize).min(n - 1);
    let hi = ((n as f64 / 2.0 + half).ceil() as usize).min(n - 1);
    [sorted[lo], sorted[hi]]
}

/// Fits a Beta to readings by the method of moments (the fit a yardstick carries), and by
/// maximum likelihood beside it; why not, when it cannot be fitted.
pub fn fit(phrase: &str, readings: &[f64]) -> Result<PhraseFit, Unfitted> {
    let n = readings.len();
    let unfitted = |why: &str| Unfitted {
        phrase: phrase.to_string(),
        n,
        why: why.to_string(),
    };
    if n < 2 {
        return Err(unfitted("fewer than two readings"));
    }
    let xs: Vec<f64> = readings
        .iter()
        .map(|v| v.clamp(READING_CLAMP, 1.0 - READING_CLAMP))
        .collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    if variance <= 0.0 {
        return Err(unfitted("every reading is the same"));
    }
    if variance >= mean * (1.0 - mean) {
        return Err(unfitted(
            "the readings are too spread for a Beta (variance at least mean * (1 - mean))",
        ));
    }
    let common = mean * (1.0 - mean) / variance - 1.0;
    let (alpha, beta) = (mean * common, (1.0 - mean) * common);
    let moments = beta_fit("method-of-moments", alpha, beta)
        .ok_or_else(|| unfitted("no Beta has these moments"))?;
    let mut sorted = readings.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(PhraseFit {
        phrase: phrase.to_string(),
        n,
        mean,
        variance,
        alpha,
        beta,
        median: moments.median,
        p10: moments.p10,
        p90: moments.p90,
        sample_median: crate::infer::monte_carlo::quantile(&sorted, 0.5),
        median_interval: median_interval(&sorted),
        maximum_likelihood: maximum_likelihood(&xs, (alpha, beta)),
        enough: n >= MIN_READINGS,
    })
}

/// Fits every phrase, in order of median; the phrases that cannot be fitted are returned
/// beside them.
pub fn fit_all(survey: &BTreeMap<String, Vec<f64>>) -> (Vec<PhraseFit>, Vec<Unfitted>) {
    let mut fits = Vec::new();
    let mut unfitted = Vec::new();
    for (p, r) in survey {
        match fit(p, r) {
            Ok(f) => fits.push(f),
            Err(u) => unfitted.push(u),
        }
    }
    fits.sort_by(|a, b| a.median.total_cmp(&b.median).then(a.phrase.cmp(&b.phrase)));
    (fits, unfitted)
}

/// Where readers depart from the official bands of `yardsticks`: the sample median lies
/// outside the band and so does the whole 90% interval of the median. Phrases with fewer
/// than [`MIN_READINGS`] readings are not judged (they are marked as too few).
pub fn departures(fits: &[PhraseFit], yardsticks: &[Yardstick]) -> Vec<Departure> {
    let mut out = Vec::new();
    for f in fits.iter().filter(|f| f.enough) {
        let phrase = normalize_phrase(&f.phrase);
        for y in yardsticks {
            let Some(m) = y.find(&phrase) else { continue };
            let t = &y.terms[m.term_idx];
            let [lo, hi] = f.median_interval;
            if t.contains(f.sample_median) || (lo <= t.hi + 1e-12 && hi >= t.lo - 1e-12) {
                continue;
            }
            out.push(Departure {
                phrase: phrase.clone(),
                yardstick: y.name.clone(),
                band: [t.lo, t.hi],
                median: f.sample_median,
                message: format!(
                    "readers put '{phrase}' at a median of {}% (90% interval of the median {}-{}%, n={}; readers' 10-90%: {}-{}%); {} defines it as {}",
                    format_percent((f.sample_median * 1000.0).round() / 1000.0),
                    format_percent((lo * 1000.0).round() / 1000.0),
                    format_percent((hi * 1000.0).round() / 1000.0),
                    f.n,
                    format_percent((f.p10 * 100.0).round() / 100.0),
                    format_percent((f.p90 * 100.0).round() / 100.0),
                    y.name.to_uppercase(),
                    t.band_text()
                ),
            });
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
