//! # acre — attribution confidence reasoning engine
//!
//! acre turns an attribution case file into what the evidence supports, in a
//! yardstick's words with their numbers.
//!
//! ## Using the library
//!
//! One call runs the pipeline every command uses ([`analyse`]): a case file, with the
//! files it includes read through a loader you supply (the library itself reads no files),
//! checked, assessed and explained as far as you ask.
//!
//! ```
//! use acre::{Depth, Settings, analyse, decode};
//!
//! let text = r#"
//! case "A test" { question "Who did it?" yardstick phia }
//! hypothesis a "Actor A" prior 50%
//! hypothesis b "Someone else" prior rest catch-all
//! evidence e "A's malware" { grade B2  given a: likely  otherwise: unlikely }
//! "#;
//! let file = decode("test.acre".to_string(), text.as_bytes().to_vec());
//! let no_includes = |_: &str, _: &str| Err("this case includes nothing".to_string());
//! let analysis = analyse(file, "test.acre", &no_includes, &Settings::new(Depth::Explain));
//! assert!(analysis.diagnostics.is_empty());
//! let assessment = analysis.assessment.unwrap();
//! let a = &assessment.hypotheses[0];
//! assert_eq!(a.placement.words, "likely");
//! assert!(a.point > 0.55 && a.point < 0.75);
//! ```
//!
//! Reviewing prose is [`review()`] with a [`review::scan::Scanner`] and
//! [`review::Options`]; the renderers of every output format live in [`report`].
//!
//! ## Bird's-eye view
//!
//! ```text
//! source text ──syntax──▶ syntax tree ──check──▶ checked Case ──infer──▶ Assessment ──explain──▶ Explanation
//!               (lexer,     (ast, spans)  (names, bands,   (model)   (posterior, bounds,
//!                parser)                   graphs, diags)             Monte Carlo, words,
//!                                                                     confidence)
//!                  └──────────────────── analysis: one pipeline, as far as asked ────────────────────┘
//! draft prose ──review::read──▶ phrases, claims ──review::rules──▶ findings
//! every result ──report──▶ text / JSON / SARIF / HTML / Markdown;  ──export──▶ STIX / MISP / DOT
//! ```
//!
//! ## Code map
//!
//! - [`span`]: the one `Copy` byte-range type every node carries (compared by position).
//! - [`code`]: every diagnostic code as one enum with stable ids (`acre::unknown-term`); a
//!   review rule's code comes from its rule.
//! - [`format`](mod@format): one place for each number format people read (percentages,
//!   bands, counts).
//! - [`escape`]: user text made safe for each output format (terminal, HTML and SVG,
//!   Markdown, DOT): control and bidirectional characters shown as visible stand-ins.
//! - [`text`]: edit distance and "did you mean" suggestions.
//! - [`vocab`]: the closed word lists every stage shares (evidence status, verdicts).
//! - `document` (feature `formats`): the text of Word, OpenDocument, HTML and PDF drafts,
//!   within bounds (inflated bytes, nesting), and the Word copy with review comments.
//! - [`frame`]: the language server's base protocol: `Content-Length` frames from a byte
//!   stream, bounded.
//! - [`http`]: an HTTP/1.1 request read from a byte stream (`acre serve`), bounded: the head
//!   by httparse within 16 KiB, the body within the caller's limit, refusals with their status.
//! - [`diagnostic`]: the diagnostic type shared by every stage (code, severity, message,
//!   labels, help), rendered with miette or as JSON.
//! - [`lexicon`]: yardsticks (PHIA, ICD 203, Kent, IPCC), the ENFSI likelihood-ratio scale,
//!   Admiralty grading and STIX mappings, each naming its source; term lookup.
//! - [`source`]: bytes to text (UTF-8 and UTF-16 detection, a diagnostic for bad bytes), and
//!   the files of a case assembled with its includes.
//! - [`syntax`]: stage 1. The lexer (nom 8) turns text into tokens of one kind enum
//!   ([`syntax::kind::SyntaxKind`]); the parser builds the tree in [`syntax::ast`],
//!   recovering at declaration and field level; [`syntax::keyword`] is the one list of
//!   reserved words and of each declaration's fields; [`syntax::tree`] is the lossless tree
//!   (rowan) of the same parse, every byte with comments and whitespace, with typed views
//!   for the formatter and editors; [`syntax::fmt`] lays a file out in the canonical style
//!   (`acre fmt`).
//! - [`model`]: the resolved case: newtype ids indexing plain `Vec`s, every input value a
//!   [`model::Param`] with its band.
//! - [`check`]: stage 2, one file per kind of declaration (header, hypotheses, groups of
//!   hypotheses, sources and assumptions, evidence, judgments; values and graphs apart). Resolves names, turns values
//!   into bands through the governing yardstick, builds the source echo forest and the
//!   evidence dependency graph with petgraph (rejecting cycles), and lowers everything into a
//!   [`model::Case`]. [`check::names`] resolves every reference to its declaration with both
//!   spans, with the queries an editor asks; [`check::includes`] lays a case and the files
//!   it includes end to end (read through the caller's loader) and cuts diagnostics back per
//!   file; [`check::partial`] gives the model of every declaration that checks in a file with
//!   errors, for editors.
//! - [`infer`]: stage 3. [`infer::joint`] computes the exact joint in log space;
//!   [`infer::incremental`] keeps it up to date one input at a time for the bounds'
//!   search; [`infer::vertices`] shares the echo trees' tables between the vertices the
//!   bounds enumerate; [`infer::linear`] computes Monte Carlo draws from scaled products (falling
//!   back to logs); [`infer::bounds`], [`infer::monte_carlo`], [`infer::words`] and the
//!   confidence rules build the [`infer::Assessment`]. With the `parallel` feature (on by
//!   default) the draws, the bounds' searches, the leave-one-out and the tree sums run on
//!   rayon's threads, with results that do not depend on their number.
//! - [`explain`]: the waterfall of evidence, sensitivity and linchpins, flip thresholds,
//!   the ACH view, value of information and the narrative, all recomputed by the engine.
//! - [`review`](mod@review): estimative language in prose and a case's judgments checked against the
//!   yardstick and the posteriors. [`review::scan`] finds wordings (one Aho-Corasick
//!   automaton); the reading (`review::read`) says what each phrase is where it stands and
//!   what claim it makes; each rule is one file under `src/review/rules/`, listed once in
//!   [`review::rules`]; rule levels and masks in [`review::config`].
//! - [`calibrate`]: Brier and its decompositions, log score, ECE, band tables, PAV
//!   recalibration; forecasts from resolved cases or tables ([`calibrate::sources`]); Beta fits
//!   of readers' phrase readings ([`calibrate::lexicon_fit`]); the sweep of the default grade
//!   numbers and term points, scored by leave-one-case-out cross-validation
//!   ([`calibrate::sweep`]).
//! - [`history`]: cases over time: the timeline of an assessment by `reported` dates, and
//!   the diff of two versions with each change's exact contribution and Shapley values.
//! - [`pool`]: several analysts' cases on one question: pools, spread, disagreement.
//! - [`export`]: the evidence graph (petgraph, DOT), STIX 2.1 bundles and MISP events, whose
//!   tags are checked against the two MISP taxonomies vendored in `src/export/misp-taxonomies/`.
//! - [`analysis`]: the one pipeline (check -> judgment warnings -> assess -> explain) that
//!   every command, the language server and the fuzz targets use, and the defaults they
//!   share (the governing yardstick of a review).
//! - [`import`]: case skeletons from a MISP event or a STIX 2.1 bundle (hypotheses from
//!   threat actors, sources from organisations and identities with their grades, one item
//!   per attribute or object with its date and citation; likelihoods left for the analyst,
//!   so `acre check` lists them), laid out by [`syntax::fmt`].
//! - [`editor`]: what an editor asks of a case, without a protocol: one analysis per version
//!   of a file (a fast part for every query, a slow part with the intervals that may run on
//!   another thread), hovers with numbers, completion, definition, references, rename,
//!   symbols, inlay hints, semantic tokens and quick fixes, on files with errors too.
//! - [`report`]: stage 4. Terminal text, JSON (with schemas in [`report::schemas`]), SARIF,
//!   HTML, SVG charts and Markdown for each command; the HTML pages share only one module
//!   (escaping, band colours, the stylesheet), never each other's pieces.
//!
//! The command line is the binary (`src/main.rs` and `src/cli/`, feature `cli`): each
//! command's flags are a clap `Args` struct in its module (the library's option types derive
//! `clap::Args` under the feature where they are the flags); `cli::io` reads inputs (regular
//! files only, up to a size limit) and writes outputs (atomically, never over an input);
//! `cli::analyse` runs the library's pipeline with includes read from disk and draws its
//! diagnostics; `cli::fmt` rewrites files atomically, and `cli::lsp` is the language server
//! (lsp-server with a typed handler per request, the editor analysis, one background thread
//! for slow parts); `cli::serve` is the workbench in the browser (requests read by [`http`]
//! on a thread per connection, every path confined to the served folder, one handler per
//! endpoint calling the code of the command it stands for, pages embedded). Features: `cli` (clap, mimalloc, toml, similar, lsp-server, lsp-types
//! and `formats`: the binary), `formats` (csv, zip, quick-xml, scraper, pdf-extract, flate2:
//! reading drafts and tables, for the binary and the fuzz targets), `parallel` (rayon:
//! Monte Carlo, a review's batches, calibration's resamples and reading across cores, each
//! with the results of one core);
//! `cargo build --lib --no-default-features` is the library alone.
//!
//! ## Layers
//!
//! Each module imports only modules on lines above its own; within a folder, a file never
//! imports a file that imports it. `tests/it/layers.rs` reads every `crate::` path of the
//! library against this list, so an import that runs back up fails the tests:
//!
//! 1. `span`, `code`, `format`, `escape`, `text`, `vocab`, `frame`, `http`
//! 2. `diagnostic`, `lexicon`, `document`
//! 3. `source`, `syntax`, `model`
//! 4. `check`
//! 5. `infer`
//! 6. `explain`, `review`, `history`, `calibrate`
//! 7. `pool`, `export`, `analysis`
//! 8. `editor`, `import`
//! 9. `report`
//!
//! ## Invariants
//!
//! - `syntax` knows nothing about yardsticks or inference; the parser never fails: it returns
//!   the tree, with [`syntax::ast::Item::Error`] holes, and a list of diagnostics. The
//!   lossless tree prints back its input byte for byte.
//! - `check` never fails either; a [`model::Case`] exists only when there is no error (or,
//!   from [`check::partial`], for the declarations that check), and in
//!   it every id is resolved, every likelihood table is complete, and both graphs are acyclic.
//! - `infer` reads only the `Case`; products are sums of logs; an assessment is a pure
//!   function of the case, the number of samples and the seed.
//! - Output formats for people are `report`'s; formats for other tools (STIX, MISP, DOT)
//!   are `export`'s; the engine and the review return typed values (the engine's confidence
//!   reasons and narrative are still English sentences it builds itself). The library does
//!   no I/O: it never opens a file, never prints and never exits; the binary reads, writes
//!   and picks the exit code (0 success, 1 findings, 2 usage or I/O problems).

// The face: what the binary, the language server and library users start from. Every
// module below stays public for what reaches past it (the report renderers, the engine's
// parts that tests check against references), but these are the names to begin with.
pub use analysis::{Analysis, Depth, Settings, Stopped, analyse};
pub use diagnostic::{Diagnostic, Severity};
pub use explain::Explanation;
pub use infer::{Assessment, InferError};
pub use lexicon::Yardstick;
pub use model::Case;
pub use review::{Finding, Review, review};
pub use source::{SourceFile, decode};

/// `into_par_iter()` with the `parallel` feature, `into_iter()` without: the work after it
/// (`map`, `collect`) is written once for both.
macro_rules! maybe_par_iter {
    ($e:expr) => {{
        #[cfg(feature = "parallel")]
        let it = rayon::iter::IntoParallelIterator::into_par_iter($e);
        #[cfg(not(feature = "parallel"))]
        let it = IntoIterator::into_iter($e);
        it
    }};
}

pub mod analysis;
pub mod calibrate;
pub mod check;
pub mod code;
pub mod diagnostic;
#[cfg(feature = "formats")]
pub mod document;
pub mod editor;
pub mod escape;
pub mod explain;
pub mod export;
pub mod format;
pub mod frame;
pub mod history;
pub mod http;
pub mod import;
pub mod infer;
pub mod lexicon;
pub mod model;
pub mod pool;
pub mod report;
pub mod review;
pub mod source;
pub mod span;
pub mod syntax;
pub mod text;
pub mod vocab;
