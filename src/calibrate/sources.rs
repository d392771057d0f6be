//! Where forecasts come from: resolved case files (two forecasters: the engine's
//! posteriors and the analysts' judgments) and CSV files.

use super::forecast::{self, ForecastId, ForecastSet, Gather};
use super::table::Table;
use crate::format::clip;
use crate::lexicon::{Yardstick, normalize_phrase};
use crate::model::{Case, Proposition};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Forecasts from resolved cases.
#[derive(Clone, Debug, Default)]
pub struct CaseForecasts {
    /// The engine: one forecast per resolved case at the finest level its outcome reaches,
    /// the point posteriors as the options: its hypotheses when the outcome names one (the
    /// member level), else the groups of the level of the group it names.
    pub engine: ForecastSet,
    /// The engine at the family level: one forecast per resolved case, its families (each
    /// outermost group, and each hypothesis in no group) as the options, a family's
    /// probability the sum of its members'. For a case without groups, as `engine`.
    pub families: ForecastSet,
    /// Resolved cases whose outcome names only a group (scored at that group's level).
    pub resolved_to_group: Vec<String>,
    /// Resolved cases that declare groups (their families differ from their hypotheses).
    pub with_groups: Vec<String>,
    /// The analysts: every judgment, a binary forecast at its term's point value that the
    /// judged hypothesis is the answer.
    pub analysts: ForecastSet,
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
    let (mut engine, mut families, mut analysts) = (Gather::new(), Gather::new(), Gather::new());
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
        let id = ForecastId::Named(name.as_str().into());
        // the engine's forecast among `level`, when `answer` is one of its options
        let forecast = |to: &mut Gather, level: Vec<Proposition>, answer: Proposition| {
            let Some(happened) = level.iter().position(|p| *p == answer) else {
                return;
            };
            let options = level
                .iter()
                .map(|p| (case.proposition_id(*p), a.result(*p).point));
            to.push(&id, &name, "engine", None, options, happened);
        };
        let resolved_to = outcome.proposition;
        forecast(&mut engine, case.resolution_level(resolved_to), resolved_to);
        let family = case.family(case.members(&resolved_to)[0]);
        forecast(&mut families, case.families(), family);
        if matches!(resolved_to, Proposition::Group(_)) {
            out.resolved_to_group.push(name.clone());
        }
        if !case.groups.is_empty() {
            out.with_groups.push(name.clone());
        }
        for (i, j) in case.judgments.iter().enumerate() {
            // a judgment about a member, when the outcome names only its group, is unresolved
            let Some(true_or_false) = case.settles(j.proposition, resolved_to) else {
                continue;
            };
            let p = case.yardstick.terms[j.term_idx].point;
            analysts.push_binary(
                &ForecastId::Named(format!("{name} judgment {}", i + 1).into()),
                &name,
                "analysts",
                None,
                (p, true_or_false),
            );
        }
        if out.yardstick.is_none() {
            out.yardstick = Some(case.yardstick.clone());
        }
        out.resolved.push(name);
    }
    out.engine = engine.finish();
    out.families = families.finish();
    out.analysts = analysts.finish();
    out
}

/// Which columns of a forecast CSV to read (the command line's `--*-column` flags).
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Columns {
    /// Name of the probability column (default `probability`).
    #[cfg_attr(
        feature = "cli",
        arg(long = "probability-column", value_name = "PROBABILITY_COLUMN")
    )]
    pub probability: Option<String>,
    /// Name of the term column, read at its band's point (default `term`).
    #[cfg_attr(feature = "cli", arg(long = "term-column", value_name = "TERM_COLUMN"))]
    pub term: Option<String>,
    /// Name of the outcome column (default `outcome`).
    #[cfg_attr(
        feature = "cli",
        arg(long = "outcome-column", value_name = "OUTCOME_COLUMN")
    )]
    pub outcome: Option<String>,
    /// Name of the question column (default `question_id`, `question`, `case` or `group` when present).
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "group-column",
            value_name = "GROUP_COLUMN",
            alias = "question-column"
        )
    )]
    pub group: Option<String>,
    /// Name of the forecast id column: rows with one id are the options of one forecast (default `forecast_id`).
    #[cfg_attr(
        feature = "cli",
        arg(long = "forecast-id-column", value_name = "FORECAST_ID_COLUMN")
    )]
    pub forecast_id: Option<String>,
    /// Name of the option column (default `option`); without one, each row is a binary forecast.
    #[cfg_attr(
        feature = "cli",
        arg(long = "option-column", value_name = "OPTION_COLUMN")
    )]
    pub option: Option<String>,
    /// Name of the forecaster column (default `forecaster_id` or `forecaster`).
    #[cfg_attr(
        feature = "cli",
        arg(long = "forecaster-column", value_name = "FORECASTER_COLUMN")
    )]
    pub forecaster: Option<String>,
    /// Name of the date column (default `date`).
    #[cfg_attr(feature = "cli", arg(long = "date-column", value_name = "DATE_COLUMN"))]
    pub date: Option<String>,
}

/// How to read a forecast file.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReadOptions {
    /// How far a forecast's option probabilities may sum from 1.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0.01))]
    pub sum_tolerance: f64,
    /// Rescale forecasts whose options do not sum to 1 instead of leaving them out.
    #[cfg_attr(feature = "cli", arg(long))]
    pub renormalize: bool,
    /// Leave out rows that cannot be read (they are counted and listed) instead of failing.
    #[cfg_attr(feature = "cli", arg(long))]
    pub skip_bad_rows: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            sum_tolerance: 0.01,
            renormalize: false,
            skip_bad_rows: false,
        }
    }
}

/// A row or a forecast left out, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    /// The row's line (the header is line 1), or the first line of the forecast.
    pub line: usize,
    /// The forecast id, when it is a whole forecast.
    pub forecast: Option<String>,
    /// Why.
    pub why: String,
}

/// Forecasts read from a file, with everything done to them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadForecasts {
    /// The forecasts, in canonical order.
    pub forecasts: ForecastSet,
    /// Rows that could not be read (with `skip_bad_rows`).
    pub bad_rows: Vec<LeftOut>,
    /// Forecasts left out (options that do not sum to 1, several options marked as
    /// happened, ...).
    pub skipped: Vec<LeftOut>,
    /// Forecasts that gave every option but one, completed with 1 minus the others.
    pub completed: Vec<LeftOut>,
    /// Forecasts rescaled to sum to 1 (with `renormalize`).
    pub renormalized: usize,
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
    /// Rows cannot be read.
    #[error("`{path}`: {count} rows cannot be read:\n{list}")]
    #[diagnostic(
        code("acre::csv-value"),
        help(
            "fix the rows, or pass --skip-bad-rows to leave them out (they are counted); probabilities are numbers from 0 to 1 (0,75 and 75% are read too), outcomes 0 or 1"
        )
    )]
    Rows {
        /// File.
        path: String,
        /// How many.
        count: usize,
        /// The first of them, one per line.
        list: String,
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

/// Reads a number written with a decimal point or a decimal comma (`0.75`, `0,75`).
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.contains(',') && t.matches(',').count() == 1 && !t.contains('.') {
        t.replace(',', ".").parse().ok()
    } else {
        t.parse().ok()
    }
}

/// Reads a probability cell: `0.75`, `0,75` (a decimal comma), `75%`. `None` for an
/// empty or not-available cell (`NA`, `N/A`, `-`).
pub fn parse_probability(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty()
        || ["na", "n/a", "nan", "null", "-"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
    {
        return Ok(None);
    }
    let (num, scale) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (t, 1.0),
    };
    let v = parse_number(num)
        .ok_or_else(|| format!("probability `{}` is not a number", clip(t, 60)))?;
    let v = v / scale;
    if !(0.0..=1.0).contains(&v) {
        return Err(if scale == 1.0 && v > 1.0 && v <= 100.0 {
            format!(
                "probability `{0}` is above 1 (write `{0}%` for a percentage)",
                clip(t, 60)
            )
        } else {
            format!("probability `{}` is outside 0 to 1", clip(t, 60))
        });
    }
    Ok(Some(v))
}

/// One readable row, its names borrowed from the table.
struct Row<'t> {
    line: usize,
    key: ForecastId,
    question: Cow<'t, str>,
    forecaster: &'t str,
    date: Option<i64>,
    option: Option<&'t str>,
    p: f64,
    outcome: bool,
}

/// Reads forecasts from a table (a CSV file). With an option column, rows sharing a
/// forecast id (or, without one, a question, forecaster and date) are the options of one
/// forecast; without one, each row is a binary forecast: a probability (or a term, read at
/// its band's point value on `y`) that the row's event happens, and a 0/1 outcome.
pub fn from_table(
    table: &Table,
    columns: &Columns,
    y: &Yardstick,
    opts: &ReadOptions,
) -> Result<ReadForecasts, CsvError> {
    let (gathered, mut read) = gather_table(table, columns, y, opts)?;
    read.forecasts = gathered.finish();
    Ok(read)
}

/// [`from_table`] up to the canonical order: the forecasts gathered (owning their names,
/// so that the table can be dropped before they are put in order), and what was done to
/// them.
pub fn gather_table(
    table: &Table,
    columns: &Columns,
    y: &Yardstick,
    opts: &ReadOptions,
) -> Result<(Gather, ReadForecasts), CsvError> {
    let name = table.name.clone();
    let find = |want: &str| table.column(&[want]);
    let missing = |c: &str| CsvError::Column {
        path: name.clone(),
        column: c.to_string(),
        columns: table.header_list(),
    };
    let named_or = |given: &Option<String>, defaults: &[&str]| -> Result<Option<usize>, CsvError> {
        match given {
            Some(g) => find(g).map(Some).ok_or_else(|| missing(g)),
            None => Ok(defaults.iter().find_map(|d| find(d))),
        }
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
    let group_col = named_or(
        &columns.group,
        &["question_id", "question", "case", "group"],
    )?;
    let id_col = named_or(&columns.forecast_id, &["forecast_id"])?;
    let option_col = named_or(&columns.option, &["option"])?;
    let who_col = named_or(&columns.forecaster, &["forecaster_id", "forecaster"])?;
    let date_col = named_or(&columns.date, &["date"])?;

    let mut rows = Vec::new();
    let mut binary = if option_col.is_none() {
        Gather::with_capacity(table.len(), 2 * table.len())
    } else {
        Gather::new()
    };
    let mut bad_rows = Vec::new();
    for record in table.rows() {
        let line = record.line;
        let read = || -> Result<Row, String> {
            let outcome = match record.get(outcome_col) {
                "1" | "true" | "yes" | "TRUE" | "True" => true,
                "0" | "false" | "no" | "FALSE" | "False" => false,
                "" => {
                    return Err(format!(
                        "the outcome (`{}`) is empty",
                        clip(&outcome_name, 60)
                    ));
                }
                other => return Err(format!("outcome `{}` is not 0 or 1", clip(other, 60))),
            };
            let p = match prob_col.map(|c| record.get(c)) {
                Some(text) => match parse_probability(text)? {
                    Some(p) => Some(p),
                    None if term_col.is_none() => {
                        return Err(format!(
                            "the probability is missing (`{}`)",
                            if text.is_empty() {
                                "empty".into()
                            } else {
                                clip(text, 60)
                            }
                        ));
                    }
                    None => None,
                },
                None => None,
            };
            let p = match p {
                Some(p) => p,
                None => {
                    let term = term_col.map_or("", |c| record.get(c));
                    if term.is_empty() {
                        return Err("both the probability and the term are empty".to_string());
                    }
                    let m = y.find(&normalize_phrase(term)).ok_or_else(|| {
                        format!(
                            "`{}` is not a term of the {} yardstick",
                            clip(term, 60),
                            y.name
                        )
                    })?;
                    y.terms[m.term_idx].point
                }
            };
            let question = match group_col.map(|c| record.get(c)).filter(|q| !q.is_empty()) {
                Some(q) => Cow::Borrowed(q),
                None => Cow::Owned(format!("row {line}")),
            };
            let forecaster = who_col.map_or("forecasts", |c| {
                super::forecast::forecaster_named(record.get(c))
            });
            let date = match date_col.map(|c| record.get(c)).filter(|d| !d.is_empty()) {
                Some(d) => Some(super::forecast::parse_date(d).ok_or_else(|| {
                    format!(
                        "date `{}` is not a date (2011-08-31 or 8/31/11)",
                        clip(d, 60)
                    )
                })?),
                None => None,
            };
            let option = option_col.map(|c| record.get(c));
            if option == Some("") {
                return Err("the option is empty".to_string());
            }
            let key = match (id_col, option_col) {
                (Some(c), Some(_)) if !record.get(c).is_empty() => {
                    ForecastId::Named(record.get(c).into())
                }
                (_, Some(_)) => ForecastId::Named(
                    format!(
                        "{question} / {forecaster} / {}",
                        date_col.map_or("", |c| record.get(c))
                    )
                    .into(),
                ),
                (_, None) => ForecastId::Line(line),
            };
            Ok(Row {
                line,
                key,
                question,
                forecaster,
                date,
                option,
                p,
                outcome,
            })
        };
        match read() {
            // a row that is a forecast by itself becomes one at once (a million-row file
            // is not held twice)
            Ok(r) if option_col.is_none() => {
                binary.push_binary(&r.key, &r.question, r.forecaster, r.date, (r.p, r.outcome))
            }
            Ok(r) => rows.push(r),
            Err(why) => bad_rows.push(LeftOut {
                line,
                forecast: None,
                why,
            }),
        }
    }
    if !bad_rows.is_empty() && !opts.skip_bad_rows {
        let list: Vec<String> = bad_rows
            .iter()
            .take(20)
            .map(|b| format!("  line {}: {}", b.line, b.why))
            .collect();
        let more = bad_rows.len().saturating_sub(20);
        return Err(CsvError::Rows {
            path: name,
            count: bad_rows.len(),
            list: if more > 0 {
                format!("{}\n  … and {more} more", list.join("\n"))
            } else {
                list.join("\n")
            },
        });
    }
    let (gathered, mut out) = if option_col.is_some() {
        assemble(rows, opts)
    } else {
        (binary, ReadForecasts::default())
    };
    out.bad_rows = bad_rows;
    Ok((gathered, out))
}

/// Groups option rows into forecasts: completes a forecast missing one option, checks that
/// options sum to 1 and that one option happened.
fn assemble(rows: Vec<Row<'_>>, opts: &ReadOptions) -> (Gather, ReadForecasts) {
    let mut out = ReadForecasts::default();
    let mut gathered = Gather::new();
    // each question's options and the option that happened
    let mut options_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut happened_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in &rows {
        let o = r.option.unwrap_or("");
        options_of.entry(&r.question).or_default().insert(o);
        if r.outcome {
            happened_of.entry(&r.question).or_default().insert(o);
        }
    }
    let mut groups: BTreeMap<&ForecastId, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        groups.entry(&r.key).or_default().push(r);
    }
    for (key, list) in groups {
        let first = list.iter().map(|r| r.line).min().unwrap_or(0);
        let mut skip = |why: String| {
            out.skipped.push(LeftOut {
                line: first,
                forecast: Some(key.to_string()),
                why,
            });
        };
        let r0 = list[0];
        if list
            .iter()
            .any(|r| r.question != r0.question || r.forecaster != r0.forecaster)
        {
            skip("its rows name different questions or forecasters".to_string());
            continue;
        }
        let happened: Vec<&str> = happened_of
            .get(&*r0.question)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default();
        let [happened] = happened.as_slice() else {
            skip(if happened.is_empty() {
                format!(
                    "no option of question {} is marked as happened",
                    clip(&r0.question, 60)
                )
            } else {
                format!(
                    "question {} has several options marked as happened ({})",
                    clip(&r0.question, 60),
                    clip(&happened.join(", "), 200)
                )
            });
            continue;
        };
        let mut options: BTreeMap<&str, f64> = BTreeMap::new();
        let mut repeated = false;
        for r in &list {
            repeated |= options.insert(r.option.unwrap_or(""), r.p).is_some();
        }
        if repeated {
            skip("it gives one option twice".to_string());
            continue;
        }
        let known = &options_of[&*r0.question];
        let absent: Vec<&str> = known
            .iter()
            .copied()
            .filter(|o| !options.contains_key(o))
            .collect();
        let sum: f64 = options.values().sum();
        match absent.as_slice() {
            [] => {}
            [one] if sum <= 1.0 + opts.sum_tolerance => {
                options.insert(one, (1.0 - sum).max(0.0));
                out.completed.push(LeftOut {
                    line: first,
                    forecast: Some(key.to_string()),
                    why: format!(
                        "option {} taken as 1 minus the others ({}%)",
                        clip(one, 60),
                        crate::format::format_percent((1.0 - sum).max(0.0))
                    ),
                });
            }
            _ => {
                skip(format!(
                    "it gives {} of the {} options of question {}",
                    options.len(),
                    known.len(),
                    clip(&r0.question, 60)
                ));
                continue;
            }
        }
        let sum: f64 = options.values().sum();
        if (sum - 1.0).abs() > opts.sum_tolerance {
            if opts.renormalize && sum > 0.0 {
                options.values_mut().for_each(|p| *p /= sum);
                out.renormalized += 1;
            } else {
                skip(format!(
                    "its options sum to {:.3} (allowed: 1 ± {})",
                    sum, opts.sum_tolerance
                ));
                continue;
            }
        }
        let Some(h) = options.keys().position(|o| o == happened) else {
            continue;
        };
        gathered.push(key, &r0.question, r0.forecaster, r0.date, options, h);
    }
    (gathered, out)
}

/// Reads a questions file (GJP's `questions.csv`): a question id column (`question_id` or
/// `question`), a close date (`date_closed`, `closed` or `close_date`) and optionally a start
/// date (`date_start`, `start`). Questions without a readable close date are listed.
pub fn questions_from_table(
    table: &Table,
) -> Result<(BTreeMap<String, forecast::QuestionDates>, Vec<LeftOut>), CsvError> {
    let missing = |c: &str| CsvError::Column {
        path: table.name.clone(),
        column: c.to_string(),
        columns: table.header_list(),
    };
    let id = table
        .column(&["question_id", "question"])
        .ok_or_else(|| missing("question_id"))?;
    let closed = table
        .column(&["date_closed", "closed", "close_date", "date_close"])
        .ok_or_else(|| missing("date_closed"))?;
    let start = table.column(&["date_start", "start", "start_date"]);
    let mut out = BTreeMap::new();
    let mut bad = Vec::new();
    for r in table.rows() {
        let Some(c) = forecast::parse_date(r.get(closed)) else {
            bad.push(LeftOut {
                line: r.line,
                forecast: None,
                why: format!("close date `{}` is not a date", clip(r.get(closed), 60)),
            });
            continue;
        };
        out.insert(
            r.get(id).to_string(),
            forecast::QuestionDates {
                start: start.and_then(|s| forecast::parse_date(r.get(s))),
                closed: c,
            },
        );
    }
    Ok((out, bad))
}
