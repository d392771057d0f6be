//! `acre calibrate PATH...` (resolved cases) or `acre calibrate --forecasts FILE.csv`:
//! Brier with its decomposition, log score, calibration error, a per-band table and a
//! recalibration fit.

use super::{Exit, Term, UsageError, analyse_file, io, table};
use acre::analysis::{Depth, Settings, yardstick_named};
use acre::calibrate::bootstrap::Bootstrap;
use acre::calibrate::forecast::QuestionDates;
use acre::calibrate::{Scores, Scoring, score_forecasts, sources};
use acre::lexicon::Yardstick;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Output formats of `acre calibrate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    Text,
    /// The scores as data.
    Json,
}

/// `acre calibrate`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Case files or directories (searched for `.acre` files with an `outcome`).
    pub paths: Vec<PathBuf>,
    /// Score a CSV of forecasts instead: a probability (or term) column and a 0/1 outcome column.
    #[arg(long, value_name = "FILE.csv")]
    pub forecasts: Option<PathBuf>,
    /// Column names.
    #[command(flatten)]
    pub columns: sources::Columns,
    /// A questions file with close dates (GJP's questions.csv), for the daily standing-forecast score.
    #[arg(long, value_name = "FILE.csv")]
    pub questions: Option<PathBuf>,
    /// How to read forecasts.
    #[command(flatten)]
    pub read: sources::ReadOptions,
    /// Field delimiter of the CSV files: `,`, `;` or `tab` (default: detected from the header).
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Bootstrap replicates for the 90% intervals (questions resampled).
    #[arg(long = "bootstrap", value_name = "BOOTSTRAP", default_value_t = acre::calibrate::bootstrap::REPLICATES)]
    pub replicates: usize,
    /// Yardstick for the band table (default: the first case's, or phia).
    #[arg(long)]
    pub yardstick: Option<String>,
    /// Write a reliability diagram (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Write the recalibrated yardstick, in case-file syntax.
    #[arg(long, value_name = "FILE.acre")]
    pub emit_yardstick: Option<PathBuf>,
    /// Write the whole report as one HTML page, with the reliability diagram.
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,
    /// Also vary the default grade numbers and term points and score each setting by
    /// leave-one-case-out cross-validation (case files only; changes no default).
    #[arg(long, conflicts_with = "forecasts")]
    pub sweep: bool,
    /// Score the cases at a fixed setting of the default numbers instead of the defaults: a
    /// JSON file such as a `setting` object of `--sweep --format json`
    /// (`{"reliability": 0.75, "credibility": 1.0, "term_position": 0.7}`).
    #[arg(long, value_name = "FILE.json", conflicts_with_all = ["forecasts", "sweep"])]
    pub setting: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Score only cases resolved at least this firmly (firmest first: conviction,
    /// indictment, government, vendor, press, claim); cases without a `strength` are left out.
    #[arg(
        long,
        value_enum,
        value_name = "STRENGTH",
        conflicts_with = "forecasts"
    )]
    pub min_strength: Option<acre::vocab::Strength>,
    /// Monte Carlo samples for each case.
    #[arg(long, default_value_t = 2_000)]
    pub samples: usize,
    /// Monte Carlo seed.
    #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
    pub seed: u64,
}

impl Args {
    /// How to run the engine on each case.
    fn options(&self) -> acre::infer::Options {
        acre::infer::Options {
            samples: self.samples,
            seed: self.seed,
        }
    }
}

/// Reads `--delimiter`: one ASCII character, or `tab`.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() => Ok(t.as_bytes()[0]),
        t => Err(format!(
            "`{t}` is not one character (use `,`, `;` or `tab`)"
        )),
    }
}

impl Args {
    /// The arguments of `acre calibrate FOLDER --bootstrap 200` (the workbench's library
    /// page: resolved cases, with fewer resamples so the page comes quickly).
    pub fn for_folder(folder: &Path) -> Option<Args> {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            args: Args,
        }
        let folder = folder.as_os_str().to_os_string();
        let argv: [std::ffi::OsString; 4] = [
            "calibrate".into(),
            folder,
            "--bootstrap".into(),
            "200".into(),
        ];
        <Only as clap::Parser>::try_parse_from(argv)
            .ok()
            .map(|o| o.args)
    }
}

/// The calibration report of `args` (cases or a forecast table), its reliability diagram
/// and the yardstick it was scored on; `None` when it could not be made (reported on `t`).
pub fn report(
    t: &mut Term,
    args: &Args,
) -> Option<(acre::report::calibrate::CalibrateJson, String, Yardstick)> {
    let named = match &args.yardstick {
        Some(n) => match yardstick_named(n, &[]) {
            Ok(y) => Some(y),
            Err(e) => {
                t.fail(&e, Exit::Usage);
                return None;
            }
        },
        None => None,
    };
    let scored = match &args.forecasts {
        Some(csv) => from_forecasts(t, csv, args, named),
        None => from_cases(t, args, named),
    };
    let Scored {
        header,
        scorers,
        yardstick,
        read,
        leads,
        sweep,
    } = scored?;
    let refs: Vec<&Scores> = scorers.iter().map(|s| &s.calibration).collect();
    let diagram =
        acre::report::reliability::reliability_diagram("Reliability diagram", &yardstick, &refs);
    let report = acre::report::calibrate::CalibrateJson {
        summary: header,
        yardstick: yardstick.name.clone(),
        read,
        forecasters: scorers,
        leads,
        sweep,
    };
    Some((report, diagram, yardstick))
}

/// Runs `acre calibrate`.
pub fn run(t: &mut Term, args: &Args) {
    let Some((report, diagram, yardstick)) = report(t, args) else {
        return;
    };
    // every file read: the cases found in the folders named, and the tables
    let expanded = io::expand(&args.paths, "acre").unwrap_or_default();
    let inputs: Vec<&Path> = args
        .paths
        .iter()
        .chain(&expanded)
        .chain(args.forecasts.iter())
        .map(PathBuf::as_path)
        .collect();
    let recalibrated = args.emit_yardstick.as_ref().and_then(|_| {
        let s = &report.forecasters.first()?.calibration;
        Some(acre::calibrate::recalibrated_yardstick(
            &yardstick,
            &s.recalibration.blocks,
            s.n,
        ))
    });
    let page = args
        .html
        .as_ref()
        .map(|_| acre::report::calibrate::html(&report, &diagram));
    let files = [
        (&args.plot, Some(diagram)),
        (&args.emit_yardstick, recalibrated),
        (&args.html, page),
    ];
    for (path, content) in files {
        if let (Some(path), Some(content)) = (path, content)
            && let Err(e) = io::write(path, content.as_bytes(), &inputs)
        {
            t.fail(&e, Exit::Usage);
            return;
        }
    }
    match args.format {
        Format::Text => t.out(&acre::report::calibrate::text(&report)),
        Format::Json => t.json(&report),
    }
}

/// What scoring produced, before it is written.
struct Scored {
    header: String,
    scorers: Vec<Scoring>,
    yardstick: Yardstick,
    read: Option<acre::report::calibrate::ReadReport>,
    leads: Option<acre::report::calibrate::CaseLeads>,
    sweep: Option<acre::calibrate::sweep::Sweep>,
}

fn bootstrap(args: &Args) -> Bootstrap {
    Bootstrap {
        replicates: args.replicates,
        seed: args.options().seed,
    }
}

fn phia() -> Yardstick {
    acre::lexicon::builtin_yardsticks().remove(0)
}

/// Scores a CSV of forecasts.
fn from_forecasts(
    t: &mut Term,
    csv: &Path,
    args: &Args,
    named: Option<Yardstick>,
) -> Option<Scored> {
    let y = named.unwrap_or_else(phia);
    let table = table::read_with(t, csv, args.delimiter)?;
    let (gathered, mut read) = match sources::gather_table(&table, &args.columns, &y, &args.read) {
        Ok(f) => f,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return None;
        }
    };
    let rows = table.len();
    // the table goes before the forecasts are put in order (a million rows are not held twice)
    drop(table);
    read.forecasts = gathered.finish();
    if read.forecasts.is_empty() {
        t.fail(
            &UsageError::Usage {
                message: format!("`{}` holds no forecasts that can be scored", csv.display()),
                help: Some(
                    "the file needs a header row and one forecast (or one option of a forecast) per row"
                        .to_string(),
                ),
            },
            Exit::Findings,
        );
        return None;
    }
    let questions = match &args.questions {
        Some(path) => Some(questions(t, path, args.delimiter)?),
        None => None,
    };
    let header = format!(
        "Calibration of {} forecasts ({} rows) from {}",
        read.forecasts.len(),
        rows,
        csv.display()
    );
    let scoring = score_forecasts(
        "forecasts",
        &read.forecasts,
        questions.as_ref(),
        &y,
        &bootstrap(args),
    );
    let report = acre::report::calibrate::ReadReport {
        rows,
        bad_rows: read.bad_rows,
        skipped: read.skipped,
        completed: read.completed,
        renormalized: read.renormalized,
    };
    Some(Scored {
        header,
        scorers: vec![scoring],
        yardstick: y,
        read: Some(report),
        leads: None,
        sweep: None,
    })
}

/// Reads a questions file; rows without a close date are warned about.
fn questions(
    t: &mut Term,
    path: &Path,
    delimiter: Option<u8>,
) -> Option<BTreeMap<String, QuestionDates>> {
    let table = table::read_with(t, path, delimiter)?;
    match sources::questions_from_table(&table) {
        Ok((q, bad)) => {
            for b in bad {
                t.err(&format!(
                    "warning: `{}` line {}: {}\n",
                    path.display(),
                    b.line,
                    b.why
                ));
            }
            Some(q)
        }
        Err(e) => {
            t.fail(&e, Exit::Findings);
            None
        }
    }
}

/// Scores the resolved cases among `args.paths`.
fn from_cases(t: &mut Term, args: &Args, named: Option<Yardstick>) -> Option<Scored> {
    let files = match io::expand(&args.paths, "acre") {
        Ok(f) => f,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return None;
        }
    };
    let cases: Vec<(String, Result<acre::model::Case, String>)> = files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let case = match io::read(path, t.max_input) {
                Ok(file) => analyse_file(t, file, &Settings::new(Depth::Check))
                    .case
                    .ok_or_else(|| "has errors (see `acre check`)".to_string()),
                Err(e) => Err(e.to_string()),
            };
            (name, case)
        })
        .collect();
    // at a fixed setting of the default numbers, when asked
    let cases = match &args.setting {
        None => cases,
        Some(path) => {
            let file = match io::read(path, t.max_input) {
                Ok(f) => f,
                Err(e) => {
                    t.fail(&e, Exit::Usage);
                    return None;
                }
            };
            let setting = match acre::calibrate::sweep::Setting::from_json(&file.text) {
                Ok(s) => s,
                Err(why) => {
                    t.fail(
                        &UsageError::Usage {
                            message: format!("`{}` is not a setting: {why}", path.display()),
                            help: Some(
                                "copy a `setting` object from `acre calibrate --sweep --format json`"
                                    .to_string(),
                            ),
                        },
                        Exit::Usage,
                    );
                    return None;
                }
            };
            cases
                .into_iter()
                .map(|(name, c)| (name, c.map(|c| acre::calibrate::sweep::apply(&c, &setting))))
                .collect()
        }
    };
    // cases resolved less firmly than asked are left out (and named)
    let mut below_strength = Vec::new();
    let cases: Vec<(String, Result<acre::model::Case, String>)> = match args.min_strength {
        None => cases,
        Some(min) => cases
            .into_iter()
            .filter(|(name, c)| {
                let weak = matches!(c, Ok(c) if c.outcome.as_ref().is_some_and(|o| o.strength.is_none_or(|s| s < min)));
                if weak {
                    below_strength.push(name.clone());
                }
                !weak
            })
            .collect(),
    };
    let resolved: Vec<(String, acre::model::Case)> = if args.sweep {
        cases
            .iter()
            .filter_map(|(name, c)| match c {
                Ok(c) if c.outcome.is_some() => Some((name.clone(), c.clone())),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    // resolved cases without an `assessed` date are scored on all their evidence
    let undated: Vec<String> = cases
        .iter()
        .filter_map(|(name, c)| match c {
            Ok(c) if c.outcome.is_some() && c.assessed.is_none() => Some(name.clone()),
            _ => None,
        })
        .collect();
    let found = sources::from_cases(cases, &args.options());
    for (file, why) in &found.failed {
        t.err(&format!("warning: skipped `{file}`: {why}\n"));
    }
    if found.resolved.is_empty() {
        t.fail(
            &UsageError::Usage {
                message: if below_strength.is_empty() {
                    format!(
                        "none of the {} case files has an `outcome`; calibration needs resolved cases",
                        files.len()
                    )
                } else {
                    format!(
                        "none of the {} case files is resolved as firmly as --min-strength asks ({} resolved less firmly)",
                        files.len(),
                        below_strength.len()
                    )
                },
                help: Some(if below_strength.is_empty() {
                    "add `outcome HYPOTHESIS on DATE strength WORD` to cases whose answer became known"
                        .to_string()
                } else {
                    "ask for a weaker --min-strength, or add `strength WORD` to the outcomes that lack one".to_string()
                }),
            },
            Exit::Findings,
        );
        return None;
    }
    let y = named.or(found.yardstick.clone()).unwrap_or_else(phia);
    let header = format!(
        "Calibration over {} ({} unresolved skipped): {} engine forecasts (one per case, its hypotheses as the options{}), {} analysts' judgments",
        acre::format::counted(found.resolved.len(), "resolved case"),
        found.unresolved.len(),
        found.engine.len(),
        if found.resolved_to_group.is_empty() {
            ""
        } else {
            ", or the groups of its level where the outcome names only a group"
        },
        found.analysts.len()
    );
    let boot = bootstrap(args);
    let mut scorers = vec![score_forecasts("engine", &found.engine, None, &y, &boot)];
    if !found.with_groups.is_empty() {
        scorers.push(score_forecasts(
            "engine, families",
            &found.families,
            None,
            &y,
            &boot,
        ));
    }
    if !found.analysts.is_empty() {
        scorers.push(score_forecasts(
            "analysts",
            &found.analysts,
            None,
            &y,
            &boot,
        ));
    }
    let sweep = if args.sweep {
        acre::calibrate::sweep::sweep(&resolved, &boot)
    } else {
        None
    };
    Some(Scored {
        header,
        leads: Some(acre::report::calibrate::CaseLeads {
            undated,
            below_strength,
            resolved_to_group: found.resolved_to_group.clone(),
            with_groups: found.with_groups.clone(),
            family_led: (!found.with_groups.is_empty())
                .then(|| acre::report::calibrate::CaseLeads::of(&found.families).led),
            ..acre::report::calibrate::CaseLeads::of(&found.engine)
        }),
        scorers,
        yardstick: y,
        read: None,
        sweep,
    })
}
