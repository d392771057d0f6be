//! The `acre` command line: parses arguments with clap and calls the library.

use acre::commands::{self, Format, Output};
use acre::diagnostic::RenderOptions;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReviewFormatArg {
    Text,
    Json,
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check case files for mistakes (exit 0: no errors, 1: errors, 2: unreadable paths).
    Check {
        /// Case files (`.acre`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
    },
    /// Compute what the evidence supports: posteriors, bounds, Monte Carlo, words and confidence.
    Assess {
        /// A case file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Monte Carlo samples.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed (the default is fixed, so runs repeat exactly).
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
    },
    /// Explain the judgment: waterfall, sensitivity, linchpins, flip thresholds, ACH, value of information, narrative.
    Explain {
        /// A case file.
        file: PathBuf,
        /// The hypothesis to explain (default: the leading one).
        #[arg(long)]
        hypothesis: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Monte Carlo samples (for the confidence level quoted in the narrative).
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
    },
    /// Check the confidence wording of a draft (Markdown or text) and of a case's judgments.
    ///
    /// Exit 1 when any error-level finding remains.
    Review {
        /// The draft to review.
        draft: Option<PathBuf>,
        /// Apply the mechanical fixes to the draft in place (atomically), then report what remains.
        #[arg(long)]
        fix: bool,
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
        #[arg(long, value_enum, default_value_t = ReviewFormatArg::Text)]
        format: ReviewFormatArg,
        /// Monte Carlo samples for the case.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
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
        /// Name of the column grouping forecasts for cross-validation (default `question_id` when present).
        #[arg(long)]
        group_column: Option<String>,
        /// Yardstick for the band table (default: the first case's, or phia).
        #[arg(long)]
        yardstick: Option<String>,
        /// Write a reliability diagram (SVG).
        #[arg(long, value_name = "FILE.svg")]
        plot: Option<PathBuf>,
        /// Write the recalibrated yardstick, in case-file syntax.
        #[arg(long, value_name = "FILE.acre")]
        emit_yardstick: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Monte Carlo samples for each case.
        #[arg(long, default_value_t = 2_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
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
        #[arg(long, value_enum, default_value_t = ReportFormatArg::Html)]
        format: ReportFormatArg,
        /// Monte Carlo samples.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
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
        target: ExportTargetArg,
        /// A case file.
        file: PathBuf,
        /// Monte Carlo samples.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
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
        /// Monte Carlo samples.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = acre::infer::DEFAULT_SEED)]
        seed: u64,
    },
    /// Print a yardstick, scale or grading table (all of them without a name).
    Yardstick {
        /// phia, icd203, kent, ipcc, enfsi, admiralty or stix.
        name: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Html,
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportTargetArg {
    /// A STIX 2.1 bundle.
    Stix,
    /// A MISP event.
    Misp,
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
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
    },
}

fn main() {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let render = RenderOptions { color, width };
    let output: Output = match cli.command {
        Command::Check { files, format } => commands::check(&files, format.into(), render),
        Command::Assess {
            file,
            format,
            samples,
            seed,
        } => commands::assess(
            &file,
            format.into(),
            acre::infer::Options { samples, seed },
            render,
        ),
        Command::Explain {
            file,
            hypothesis,
            format,
            samples,
            seed,
        } => commands::explain(
            &file,
            hypothesis.as_deref(),
            format.into(),
            acre::infer::Options { samples, seed },
            render,
        ),
        Command::Review {
            draft,
            fix,
            explain,
            case,
            yardstick,
            rules,
            format,
            samples,
            seed,
        } => commands::review(
            &commands::ReviewArgs {
                draft,
                case,
                yardstick,
                rules,
                format: match format {
                    ReviewFormatArg::Text => Format::Text,
                    ReviewFormatArg::Json => Format::Json,
                    ReviewFormatArg::Sarif => Format::Sarif,
                },
                options: acre::infer::Options { samples, seed },
                fix,
                explain,
            },
            render,
        ),
        Command::Calibrate {
            paths,
            forecasts,
            probability_column,
            term_column,
            outcome_column,
            group_column,
            yardstick,
            plot,
            emit_yardstick,
            format,
            samples,
            seed,
        } => commands::calibrate(&commands::CalibrateArgs {
            paths,
            forecasts,
            columns: acre::calibrate::sources::Columns {
                probability: probability_column,
                term: term_column,
                outcome: outcome_column,
                group: group_column,
            },
            yardstick,
            plot,
            emit_yardstick,
            format: format.into(),
            options: acre::infer::Options { samples, seed },
        }),
        Command::Lexicon {
            command:
                LexiconCommand::Fit {
                    survey,
                    output,
                    name,
                    compare,
                    format,
                },
        } => commands::lexicon_fit(&survey, output.as_deref(), &name, &compare, format.into()),
        Command::Report {
            file,
            output,
            format,
            samples,
            seed,
        } => commands::report(
            &file,
            output.as_deref(),
            match format {
                ReportFormatArg::Html => commands::ReportFormat::Html,
                ReportFormatArg::Md => commands::ReportFormat::Markdown,
            },
            acre::infer::Options { samples, seed },
            render,
        ),
        Command::Schema { name } => commands::schema(name.as_deref()),
        Command::Graph { file } => commands::graph(&file, render),
        Command::Export {
            target,
            file,
            samples,
            seed,
        } => commands::export(
            match target {
                ExportTargetArg::Stix => commands::ExportTarget::Stix,
                ExportTargetArg::Misp => commands::ExportTarget::Misp,
            },
            &file,
            acre::infer::Options { samples, seed },
            render,
        ),
        Command::Test {
            paths,
            samples,
            seed,
        } => commands::test(&paths, acre::infer::Options { samples, seed }, render),
        Command::Yardstick { name } => commands::yardstick(name.as_deref()),
    };
    // A closed pipe is not an error worth a panic.
    let _ = std::io::stdout().write_all(output.stdout.as_bytes());
    let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    std::process::exit(output.code);
}
