//! Where forecasts come from: resolved case files (two forecasters: the engine's
//! posteriors and the analysts' judgments) and CSV files.

use super::Forecast;
use super::table::Table;
use crate::lexicon::{Yardstick, normalize_phrase};
use crate::model::Case;

/// Forecasts from resolved cases.
#[derive(Clone, Debug, Default)]
pub struct CaseForecasts {
    /// The engine: every hypothesis's point posterior.
    pub engine: Vec<Forecast>,
    /// The analysts: every judgment, at its term's point value.
    pub analysts: Vec<Forecast>,
    /// Cases read with an outcome.
    pub resolved: Vec<String>,
    /// Cases without an outcome (skipped).
    pub unresolved: Vec<String>,
    /// Cases that could not be assessed, with why.
    pub failed: Vec<(String, String)>,
    /// The yardstick of the first resolved case (the band table's).
    pub yardstick: Option<Yardstick>,
}

/// Assesses every case (by name, checked, or why it could not be); resolved ones yield
/// forecasts.
pub fn from_cases(
    cases: Vec<(String, Result<Case, String>)>,
    options: &crate::infer::Options,
) -> CaseForecasts {
    let mut out = CaseForecasts::default();
    for (name, case) in cases {
        let case = match case {
            Ok(c) => c,
            Err(why) => {
                out.failed.push((name, why));
                continue;
            }
        };
        let Some(outcome) = &case.outcome else {
            out.unresolved.push(name);
            continue;
        };
        let a = match crate::infer::assess(&case, options) {
            Ok(a) => a,
            Err(e) => {
                out.failed.push((name, e.to_string()));
                continue;
            }
        };
        for (h, r) in a.hypotheses.iter().enumerate() {
            out.engine.push(Forecast {
                p: r.point,
                outcome: h == outcome.hypothesis.idx(),
                group: name.clone(),
            });
        }
        for j in &case.judgments {
            let t = &case.yardstick.terms[j.term_idx];
            out.analysts.push(Forecast {
                p: t.point,
                outcome: j.hypothesis == outcome.hypothesis,
                group: name.clone(),
            });
        }
        if out.yardstick.is_none() {
            out.yardstick = Some(case.yardstick.clone());
        }
        out.resolved.push(name);
    }
    out
}

/// Which columns of a forecast CSV to read.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// Probability column (default `probability`).
    pub probability: Option<String>,
    /// Term column, used when there is no probability (default `term`).
    pub term: Option<String>,
    /// Outcome column (default `outcome`).
    pub outcome: Option<String>,
    /// Group column for cross-validation (default `question_id`, `question` or `case` if present).
    pub group: Option<String>,
}

/// Why a CSV could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CsvError {
    /// A needed column is missing.
    #[error("`{path}` has no column `{column}` (columns: {columns})")]
    #[diagnostic(
        code("acre::csv-column"),
        help("name the columns with --probability-column, --term-column and --outcome-column")
    )]
    Column {
        /// File.
        path: String,
        /// Missing column.
        column: String,
        /// What there is.
        columns: String,
    },
    /// A value cannot be read.
    #[error("`{path}` line {line}: {message}")]
    #[diagnostic(
        code("acre::csv-value"),
        help(
            "probabilities are numbers from 0 to 1 (or percentages), outcomes 0 or 1, terms words of the yardstick"
        )
    )]
    Value {
        /// File.
        path: String,
        /// Line, 1-based with the header as line 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads forecasts from a table (a CSV file): a probability (or a term, read at its band's
/// point value on `y`) and a 0/1 outcome per row.
pub fn from_table(
    table: &Table,
    columns: &Columns,
    y: &Yardstick,
) -> Result<Vec<Forecast>, CsvError> {
    let name = table.name.clone();
    let find = |want: &str| table.column(&[want]);
    let missing = |c: &str| CsvError::Column {
        path: name.clone(),
        column: c.to_string(),
        columns: table.header_list(),
    };
    let outcome_name = columns.outcome.clone().unwrap_or_else(|| "outcome".into());
    let outcome_col = find(&outcome_name).ok_or_else(|| missing(&outcome_name))?;
    let prob_col = find(columns.probability.as_deref().unwrap_or("probability"));
    let term_col = find(columns.term.as_deref().unwrap_or("term"));
    let (prob_col, term_col) = match (prob_col, term_col, &columns.probability, &columns.term) {
        (None, _, Some(p), _) => return Err(missing(p)),
        (_, None, _, Some(t)) => return Err(missing(t)),
        (None, None, _, _) => return Err(missing("probability")),
        (p, t, _, _) => (p, t),
    };
    let group_col = match &columns.group {
        Some(g) => Some(find(g).ok_or_else(|| missing(g))?),
        None => ["question_id", "question", "case", "group"]
            .iter()
            .find_map(|g| find(g)),
    };
    let mut out = Vec::new();
    for record in &table.rows {
        let line = record.line;
        let bad = |message: String| CsvError::Value {
            path: name.clone(),
            line,
            message,
        };
        let outcome = match record.get(outcome_col) {
            "1" | "true" | "yes" | "TRUE" | "True" => true,
            "0" | "false" | "no" | "FALSE" | "False" => false,
            other => return Err(bad(format!("outcome `{other}` is not 0 or 1"))),
        };
        let p = match prob_col.map(|c| record.get(c)).filter(|s| !s.is_empty()) {
            Some(text) => {
                let (num, scale) = match text.strip_suffix('%') {
                    Some(n) => (n, 100.0),
                    None => (text, 1.0),
                };
                let v: f64 = num
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("probability `{text}` is not a number")))?;
                let v = v / scale;
                if !(0.0..=1.0).contains(&v) {
                    return Err(bad(format!("probability `{text}` is outside 0 to 1")));
                }
                v
            }
            None => {
                let term = term_col.map_or("", |c| record.get(c));
                let m = y.find(&normalize_phrase(term)).ok_or_else(|| {
                    bad(format!(
                        "`{term}` is not a term of the {} yardstick",
                        y.name
                    ))
                })?;
                y.terms[m.term_idx].point
            }
        };
        let group = group_col
            .map(|c| record.get(c))
            .map_or_else(|| format!("row {line}"), str::to_string);
        out.push(Forecast { p, outcome, group });
    }
    Ok(out)
}
