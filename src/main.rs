//! The `acre` command line: clap parses the arguments; each command lives in a module of
//! [`cli`], which reads the inputs, calls the library and writes what it returns.

mod cli;

use acre::diagnostic::RenderOptions;
use clap::{Parser, Subcommand, ValueEnum};
use cli::Term;
use std::io::IsTerminal;

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
    /// Follow `include` to files outside the including case's folder tree (absolute paths
    /// and `..` beyond it); by default they are refused.
    #[arg(long, global = true)]
    include_anywhere: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

// parsed once per process: the size of the largest variant costs nothing worth a Box
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Check case files for mistakes (exit 0: no errors, 1: errors, 2: unreadable paths).
    Check(cli::check::Args),
    /// Lay case files out in the canonical style (in place, atomically; comments kept).
    ///
    /// Exit 0: formatted (or already so); 1: a file has syntax errors (left untouched) or,
    /// with `--check`, would change; 2: unreadable paths.
    Fmt(cli::fmt::Args),
    /// Run the language server over standard input and output (for editors).
    ///
    /// Case files get diagnostics as you type, hovers with numbers, completion, go to
    /// definition, references, rename, symbols, formatting, quick fixes, inlay hints and
    /// semantic tokens; Markdown and text drafts get `acre review`'s findings.
    Lsp,
    /// The posterior of every hypothesis after each date on which evidence was reported.
    Timeline(cli::timeline::Args),
    /// What changed between two versions of a case, and how each change moved the judgment.
    ///
    /// Exit 0: no hypothesis's yardstick term (its written term) changed; 1: one did (or a
    /// version has errors); 2: unreadable paths. `FILE@REV` reads a version from git.
    Diff(cli::diff::Args),
    /// Several analysts' cases on one question: side by side, pooled, and where they disagree.
    ///
    /// Exit 0; 1 when a file has errors or the files do not share their hypotheses.
    Pool(cli::pool::Args),
    /// Compute what the evidence supports: posteriors, bounds, Monte Carlo, words and confidence.
    Assess(cli::assess::Args),
    /// Explain the judgment: waterfall, sensitivity, linchpins, flip thresholds, ACH, value of information, narrative.
    Explain(cli::explain::Args),
    /// Check the confidence wording of a draft (Markdown or text) and of a case's judgments.
    ///
    /// Exit 1 when any error-level finding remains.
    Review(cli::review::Args),
    /// Score resolved cases (or a forecast CSV): Brier with its decomposition, log score,
    /// calibration error, a per-band table, and a recalibration fit.
    Calibrate(cli::calibrate::Args),
    /// What words mean to readers.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
    /// Write a report people want to look at: one self-contained HTML page, or Markdown.
    Report(cli::report::Args),
    /// Print the evidence and source graph in Graphviz DOT (`acre graph F | dot -Tsvg`).
    Graph(cli::export::GraphArgs),
    /// Export the judgment to CTI tools: a STIX 2.1 bundle or a MISP event (JSON).
    Export(cli::export::Args),
    /// Start a case from a STIX 2.1 bundle or a MISP event: hypotheses, sources and items,
    /// with what is left for the analyst listed by `acre check`.
    Import(cli::import::Args),
    /// The workbench in the browser: review drafts, edit cases with live numbers, and see
    /// the folder's cases side by side (serves FOLDER on 127.0.0.1; nothing outside it is
    /// read or written).
    Serve(cli::serve::Args),
    /// Print the JSON Schema of a command's `--format json` output (the list without a name).
    Schema(cli::schema::Args),
    /// Run the `expect` lines of case files like a test suite (exit 1 when any fails).
    Test(cli::test::Args),
    /// Print a yardstick, scale or grading table (all of them without a name).
    Yardstick(cli::yardstick::Args),
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Fit a Beta distribution to each phrase of a survey (long or wide CSV, values 0-100).
    Fit(cli::lexicon::FitArgs),
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
    t.include_anywhere = args.include_anywhere;
    run(&mut t, args.command);
    std::process::exit(t.finish() as i32);
}

fn run(t: &mut Term, command: Command) {
    match command {
        Command::Check(args) => cli::check::run(t, &args),
        Command::Fmt(args) => cli::fmt::run(t, &args),
        Command::Lsp => cli::lsp::run(t),
        Command::Pool(args) => cli::pool::run(t, &args),
        Command::Timeline(args) => cli::timeline::run(t, &args),
        Command::Diff(args) => cli::diff::run(t, &args),
        Command::Assess(args) => cli::assess::run(t, &args),
        Command::Explain(args) => cli::explain::run(t, &args),
        Command::Review(args) => cli::review::run(t, &args),
        Command::Calibrate(args) => cli::calibrate::run(t, &args),
        Command::Lexicon {
            command: LexiconCommand::Fit(args),
        } => cli::lexicon::fit(t, &args),
        Command::Report(args) => cli::report::run(t, &args),
        Command::Graph(args) => cli::export::graph(t, &args),
        Command::Export(args) => cli::export::export(t, &args),
        Command::Import(args) => cli::import::run(t, &args),
        Command::Schema(args) => cli::schema::run(t, &args),
        Command::Serve(args) => cli::serve::run(t, &args),
        Command::Test(args) => cli::test::run(t, &args),
        Command::Yardstick(args) => cli::yardstick::run(t, &args),
    }
}
