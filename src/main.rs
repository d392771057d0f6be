//! The `acre` command line: clap parses the arguments; each command lives in a module of
//! [`cli`], which reads the inputs, calls the library and writes what it returns.

mod cli;

use acre::diagnostic::RenderOptions;
use acre::infer::{DEFAULT_SEED, Options};
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use cli::Term;
use std::io::IsTerminal;
use std::path::PathBuf;

/// mimalloc: checking and reviewing large files allocate many small strings, and it makes
/// `acre check` of a 10 MB case about 1.5 times faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// acre — attribution confidence reasoning engine.
///
/// Checks attribution case files, computes what the evidence supports, and
/// says it in the yardstick's words with their numbers.
#[derive(Parser)]
#[command(name = "acre", version, about, long_about = None)]
struct Cli {
    /// When to use colour: auto, always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    /// The largest input file read, in bytes (suffixes K, M, G; default 256M).
    #[arg(long, value_name = "SIZE", value_parser = cli::io::parse_size, global = true)]
    max_input_size: Option<u64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Monte Carlo settings shared by the commands that assess.
#[derive(ClapArgs, Clone, Copy)]
struct Engine {
    /// Monte Carlo samples, at most (default 10,000, fewer once the percentiles settle, and
    /// fewer or none for cases where one draw is very costly).
    #[arg(long)]
    samples: Option<usize>,
    /// Monte Carlo seed (the default is fixed, so runs repeat exactly).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

impl From<Engine> for Options {
    fn from(e: Engine) -> Options {
        Options {
            samples: e.samples.unwrap_or(acre::infer::AUTO_SAMPLES),
            seed: e.seed,
        }
    }
}

// parsed once per process: the size of the largest variant costs nothing worth a Box
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Check case files for mistakes (exit 0: no errors, 1: errors, 2: unreadable paths).
    Check {
        /// Case files (`.acre`) or folders holding them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::check::Format::Text)]
        format: cli::check::Format,
    },
    /// Lay case files out in the canonical style (in place, atomically; comments kept).
    ///
    /// Exit 0: formatted (or already so); 1: a file has syntax errors (left untouched) or,
    /// with `--check`, would change; 2: unreadable paths.
    Fmt {
        /// Case files (`.acre`) or folders holding them; `-` reads standard input and
        /// writes standard output.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing: print a diff of each file that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Run the language server over standard input and output (for editors).
    ///
    /// Case files get diagnostics as you type, hovers with numbers, completion, go to
    /// definition, references, rename, symbols, formatting, quick fixes, inlay hints and
    /// semantic tokens; Markdown and text drafts get `acre review`'s findings.
    Lsp,
    /// The posterior of every hypothesis after each date on which evidence was reported.
    Timeline {
        /// A case file (items dated with `reported`).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::timeline::Format::Text)]
        format: cli::timeline::Format,
        #[command(flatten)]
        engine: Engine,
    },
    /// What changed between two versions of a case, and how each change moved the judgment.
    ///
    /// Exit 0: the words of the judgment did not change; 1: they did (or a version has
    /// errors); 2: unreadable paths. `FILE@REV` reads a version from git.
    Diff {
        /// The old version (a file, or FILE@REV).
        old: String,
        /// The new version (a file, or FILE@REV).
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::diff::Format::Text)]
        format: cli::diff::Format,
    },
    /// Several analysts' cases on one question: side by side, pooled, and where they disagree.
    ///
    /// Exit 0; 1 when a file has errors or the files do not share their hypotheses.
    Pool {
        /// The analysts' case files (the same hypothesis ids).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A CSV of `file,weight` lines (default: equal weights).
        #[arg(long, value_name = "FILE.csv")]
        weights: Option<PathBuf>,
        /// Add the extremised logarithmic pool with this exponent (e.g. 1.5).
        #[arg(long, value_name = "D")]
        extremize: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::pool::Format::Text)]
        format: cli::pool::Format,
        /// Also write a self-contained HTML page with the analysts on the yardstick.
        #[arg(long, value_name = "OUT.html")]
        html: Option<PathBuf>,
    },
    /// Compute what the evidence supports: posteriors, bounds, Monte Carlo, words and confidence.
    Assess {
        /// A case file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::assess::Format::Text)]
        format: cli::assess::Format,
        #[command(flatten)]
        engine: Engine,
    },
    /// Explain the judgment: waterfall, sensitivity, linchpins, flip thresholds, ACH, value of information, narrative.
    Explain {
        /// A case file.
        file: PathBuf,
        /// The hypothesis to explain (default: the leading one).
        #[arg(long)]
        hypothesis: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::explain::Format::Text)]
        format: cli::explain::Format,
        #[command(flatten)]
        engine: Engine,
    },
    /// Check the confidence wording of a draft (Markdown or text) and of a case's judgments.
    ///
    /// Exit 1 when any error-level finding remains.
    Review {
        /// The draft to review (`-` for standard input).
        draft: Option<PathBuf>,
        /// Apply the mechanical fixes to the draft in place (atomically), then report what remains.
        #[arg(long)]
        fix: bool,
        /// For a Word draft: write a copy with every finding as a Word comment (author "acre")
        /// on its words; the draft itself is never changed.
        #[arg(long, value_name = "OUT.docx")]
        annotate: Option<PathBuf>,
        /// Print a rule's levels, rationale and examples (e.g. `--explain vague-term`).
        #[arg(long, value_name = "RULE")]
        explain: Option<String>,
        /// A case file: flags overclaims and underclaims in the draft, and checks the case's judgments.
        #[arg(long)]
        case: Option<PathBuf>,
        /// The yardstick that governs wording (default: acre.toml, then the case's, then phia).
        #[arg(long)]
        yardstick: Option<String>,
        /// Set a rule's level, e.g. `--rule missing-number=warning` (repeatable).
        #[arg(long = "rule", value_name = "RULE=LEVEL")]
        rules: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::review::Format::Text)]
        format: cli::review::Format,
        #[command(flatten)]
        engine: Engine,
    },
    /// Score resolved cases (or a forecast CSV): Brier with its decomposition, log score,
    /// calibration error, a per-band table, and a recalibration fit.
    Calibrate {
        /// Case files or directories (searched for `.acre` files with an `outcome`).
        paths: Vec<PathBuf>,
        /// Score a CSV of forecasts instead: a probability (or term) column and a 0/1 outcome column.
        #[arg(long, value_name = "FILE.csv")]
        forecasts: Option<PathBuf>,
        /// Name of the probability column (default `probability`).
        #[arg(long)]
        probability_column: Option<String>,
        /// Name of the term column, read at its band's point (default `term`).
        #[arg(long)]
        term_column: Option<String>,
        /// Name of the outcome column (default `outcome`).
        #[arg(long)]
        outcome_column: Option<String>,
        /// Name of the question column (default `question_id`, `question`, `case` or `group` when present).
        #[arg(long, alias = "question-column")]
        group_column: Option<String>,
        /// Name of the forecast id column: rows with one id are the options of one forecast (default `forecast_id`).
        #[arg(long)]
        forecast_id_column: Option<String>,
        /// Name of the option column (default `option`); without one, each row is a binary forecast.
        #[arg(long)]
        option_column: Option<String>,
        /// Name of the forecaster column (default `forecaster_id` or `forecaster`).
        #[arg(long)]
        forecaster_column: Option<String>,
        /// Name of the date column (default `date`).
        #[arg(long)]
        date_column: Option<String>,
        /// A questions file with close dates (GJP's questions.csv), for the daily standing-forecast score.
        #[arg(long, value_name = "FILE.csv")]
        questions: Option<PathBuf>,
        /// How far a forecast's option probabilities may sum from 1.
        #[arg(long, default_value_t = 0.01)]
        sum_tolerance: f64,
        /// Rescale forecasts whose options do not sum to 1 instead of leaving them out.
        #[arg(long)]
        renormalize: bool,
        /// Leave out rows that cannot be read (they are counted and listed) instead of failing.
        #[arg(long)]
        skip_bad_rows: bool,
        /// Field delimiter of the CSV files: `,`, `;` or `tab` (default: detected from the header).
        #[arg(long, value_parser = parse_delimiter)]
        delimiter: Option<u8>,
        /// Bootstrap replicates for the 90% intervals (questions resampled).
        #[arg(long, default_value_t = acre::calibrate::bootstrap::REPLICATES)]
        bootstrap: usize,
        /// Yardstick for the band table (default: the first case's, or phia).
        #[arg(long)]
        yardstick: Option<String>,
        /// Write a reliability diagram (SVG).
        #[arg(long, value_name = "FILE.svg")]
        plot: Option<PathBuf>,
        /// Write the recalibrated yardstick, in case-file syntax.
        #[arg(long, value_name = "FILE.acre")]
        emit_yardstick: Option<PathBuf>,
        /// Write the whole report as one HTML page, with the reliability diagram.
        #[arg(long, value_name = "FILE.html")]
        html: Option<PathBuf>,
        /// Also vary the default grade numbers and term points and score each setting by
        /// leave-one-case-out cross-validation (case files only; changes no default).
        #[arg(long, conflicts_with = "forecasts")]
        sweep: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::calibrate::Format::Text)]
        format: cli::calibrate::Format,
        /// Monte Carlo samples for each case.
        #[arg(long, default_value_t = 2_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// What words mean to readers.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
    /// Write a report people want to look at: one self-contained HTML page, or Markdown.
    Report {
        /// A case file.
        file: PathBuf,
        /// Where to write it (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// html (default) or md.
        #[arg(long, value_enum, default_value_t = cli::report::Format::Html)]
        format: cli::report::Format,
        #[command(flatten)]
        engine: Engine,
    },
    /// Print the evidence and source graph in Graphviz DOT (`acre graph F | dot -Tsvg`).
    Graph {
        /// A case file.
        file: PathBuf,
    },
    /// Export the judgment to CTI tools: a STIX 2.1 bundle or a MISP event (JSON).
    Export {
        /// stix or misp.
        #[arg(value_enum)]
        target: cli::export::Target,
        /// A case file.
        file: PathBuf,
        #[command(flatten)]
        engine: Engine,
    },
    /// Print the JSON Schema of a command's `--format json` output (the list without a name).
    Schema {
        /// check, assess, explain, review, calibrate or lexicon.
        name: Option<String>,
    },
    /// Run the `expect` lines of case files like a test suite (exit 1 when any fails).
    Test {
        /// Case files or directories (searched for `.acre` files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        engine: Engine,
    },
    /// Print a yardstick, scale or grading table (all of them without a name).
    Yardstick {
        /// phia, icd203, kent, ipcc, enfsi, admiralty or stix.
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Fit a Beta distribution to each phrase of a survey (long or wide CSV, values 0-100).
    Fit {
        /// The survey.
        survey: PathBuf,
        /// Write the fitted lexicon as a yardstick, in case-file syntax.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Name of the written yardstick.
        #[arg(long, default_value = "readers")]
        name: String,
        /// Official yardsticks to compare readers with.
        #[arg(long, default_values_t = ["phia".to_string(), "icd203".to_string()])]
        compare: Vec<String>,
        /// The scale of the readings: `0-1` or `0-100` (default: detected from the whole file).
        #[arg(long, value_parser = parse_scale)]
        scale: Option<acre::calibrate::lexicon_fit::Scale>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli::lexicon::Format::Text)]
        format: cli::lexicon::Format,
    },
}

fn main() {
    let args = Cli::parse();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let mut t = Term::new(
        RenderOptions { color, width },
        args.max_input_size.unwrap_or(cli::io::DEFAULT_MAX_INPUT),
    );
    run(&mut t, args.command);
    std::process::exit(t.finish() as i32);
}

fn run(t: &mut Term, command: Command) {
    match command {
        Command::Check { files, format } => cli::check::run(t, &files, format),
        Command::Fmt { files, check } => cli::fmt::run(t, &files, check),
        Command::Lsp => cli::lsp::run(t),
        Command::Pool {
            files,
            weights,
            extremize,
            format,
            html,
        } => cli::pool::run(
            t,
            &cli::pool::Args {
                files,
                weights,
                extremize,
                format,
                html,
            },
        ),
        Command::Timeline {
            file,
            format,
            engine,
        } => cli::timeline::run(t, &file, format, engine.into()),
        Command::Diff { old, new, format } => cli::diff::run(t, &old, &new, format),
        Command::Assess {
            file,
            format,
            engine,
        } => cli::assess::run(t, &file, format, engine.into()),
        Command::Explain {
            file,
            hypothesis,
            format,
            engine,
        } => cli::explain::run(t, &file, hypothesis.as_deref(), format, engine.into()),
        Command::Review {
            draft,
            fix,
            annotate,
            explain,
            case,
            yardstick,
            rules,
            format,
            engine,
        } => cli::review::run(
            t,
            &cli::review::Args {
                draft,
                case,
                yardstick,
                rules,
                format,
                options: engine.into(),
                fix,
                annotate,
                explain,
            },
        ),
        Command::Calibrate {
            paths,
            forecasts,
            probability_column,
            term_column,
            outcome_column,
            group_column,
            forecast_id_column,
            option_column,
            forecaster_column,
            date_column,
            questions,
            sum_tolerance,
            renormalize,
            skip_bad_rows,
            delimiter,
            bootstrap,
            yardstick,
            plot,
            emit_yardstick,
            html,
            sweep,
            format,
            samples,
            seed,
        } => cli::calibrate::run(
            t,
            &cli::calibrate::Args {
                paths,
                forecasts,
                columns: acre::calibrate::sources::Columns {
                    probability: probability_column,
                    term: term_column,
                    outcome: outcome_column,
                    group: group_column,
                    forecast_id: forecast_id_column,
                    option: option_column,
                    forecaster: forecaster_column,
                    date: date_column,
                },
                read: acre::calibrate::sources::ReadOptions {
                    sum_tolerance,
                    renormalize,
                    skip_bad_rows,
                },
                delimiter,
                questions,
                replicates: bootstrap,
                yardstick,
                plot,
                emit_yardstick,
                html,
                sweep,
                format,
                options: Options { samples, seed },
            },
        ),
        Command::Lexicon {
            command:
                LexiconCommand::Fit {
                    survey,
                    output,
                    name,
                    compare,
                    scale,
                    format,
                },
        } => cli::lexicon::fit(
            t,
            &survey,
            output.as_deref(),
            &name,
            &compare,
            scale,
            format,
        ),
        Command::Report {
            file,
            output,
            format,
            engine,
        } => cli::report::run(t, &file, output.as_deref(), format, engine.into()),
        Command::Graph { file } => cli::export::graph(t, &file),
        Command::Export {
            target,
            file,
            engine,
        } => cli::export::export(t, target, &file, engine.into()),
        Command::Schema { name } => cli::schema::run(t, name.as_deref()),
        Command::Test { paths, engine } => cli::test::run(t, &paths, engine.into()),
        Command::Yardstick { name } => cli::yardstick::run(t, name.as_deref()),
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

/// Reads `--scale`.
fn parse_scale(text: &str) -> Result<acre::calibrate::lexicon_fit::Scale, String> {
    use acre::calibrate::lexicon_fit::Scale;
    match text {
        "0-1" | "1" => Ok(Scale::Unit),
        "0-100" | "100" | "percent" => Ok(Scale::Percent),
        t => Err(format!("`{t}` is not a scale (use `0-1` or `0-100`)")),
    }
}
