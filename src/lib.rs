//! # acre — attribution confidence reasoning engine
//!
//! acre turns an attribution case file into what the evidence supports, in a
//! yardstick's words with their numbers.
//!
//! ## Bird's-eye view
//!
//! ```text
//! source text ──syntax──▶ syntax tree ──check──▶ checked Case ──infer──▶ Assessment ──report──▶ text / JSON /
//!               (lexer,     (ast, spans)  (names, bands,   (model)   (posterior, bounds,       SARIF / HTML
//!                parser)                   graphs, diags)             Monte Carlo, words,
//!                                                                     confidence)
//!                                                     Assessment ──explain / review / calibrate / export──▶ report
//! draft prose ──review::scan──▶ phrases ──review──▶ findings ──report──▶ miette / JSON / SARIF
//! ```
//!
//! ## Code map
//!
//! - [`span`]: the one `Copy` byte-range type every node carries (compared by position).
//! - [`diagnostic`]: the diagnostic type shared by every stage (code, severity, message,
//!   labels, help), rendered with miette or as JSON.
//! - [`code`]: every diagnostic code as one enum with stable ids (`acre::unknown-term`).
//! - [`format`](mod@format): one place for each number format people read (percentages, bands).
//! - [`escape`]: user text made safe for each output format (terminal, HTML and SVG,
//!   Markdown, DOT): control and bidirectional characters shown as visible stand-ins.
//! - [`lexicon`]: yardsticks (PHIA, ICD 203, Kent, IPCC), the ENFSI likelihood-ratio scale,
//!   Admiralty grading and STIX mappings, each naming its source; term lookup and suggestions.
//! - [`syntax`]: stage 1. [`syntax::lexer`] (nom 8) turns text into tokens;
//!   [`syntax::parser`] builds the tree in [`syntax::ast`], recovering at declaration and
//!   field level; [`syntax::keyword`] is the one list of reserved words, [`syntax::kind`]
//!   the kinds of tree nodes and tokens;
//!   [`syntax::tree`] is the lossless tree (rowan) of the same parse, every byte with
//!   comments and whitespace, with typed views for the formatter and editors;
//!   [`syntax::write`] writes the case-file syntax acre emits (quoting, ids, yardsticks);
//!   [`syntax::fmt`] lays a file out in the canonical style from the lossless tree (`acre fmt`).
//! - [`check`]: stage 2, one file per kind of declaration (header, hypotheses, sources and
//!   assumptions, evidence, judgments; values and graphs apart). Resolves names, turns values into bands through the governing
//!   yardstick, builds the source echo forest and the evidence dependency graph with petgraph
//!   (rejecting cycles), and lowers everything into a [`model::Case`]. [`check::names`]
//!   resolves every reference to its declaration with both spans, with the queries an
//!   editor asks (definition at an offset, references, symbols), on files with errors too;
//!   [`check::includes`] lays a case and the files it includes end to end (the library
//!   reads no files: the binary's loader does) and cuts diagnostics back per file;
//!   [`check::partial::check_partial`] gives the model of every declaration that checks in a file
//!   with errors (the broken ones left out with what names them), for editors.
//! - [`model`]: the resolved case: newtype ids indexing plain `Vec`s, every input value a
//!   [`model::Param`] with its band.
//! - [`infer`]: stage 3. [`infer::joint`] computes the exact joint in log space;
//!   [`infer::incremental`] keeps it up to date one input at a time for the bounds'
//!   search; [`infer::linear`] computes Monte Carlo draws from scaled products (falling
//!   back to logs); [`infer::bounds`], [`infer::monte_carlo`], [`infer::words`] and the
//!   confidence rules build the [`infer::Assessment`]. With the `parallel` feature (on by
//!   default) the draws, the bounds' searches, the leave-one-out and the tree sums run on
//!   rayon's threads, with results that do not depend on their number.
//! - [`editor`]: what an editor asks of a case, without a protocol: one analysis per version
//!   of a file (a fast part for every query, a slow part with the intervals that may run on
//!   another thread), hovers with numbers, completion, definition, references, rename,
//!   symbols, inlay hints, semantic tokens and quick fixes, on files with errors too.
//! - [`explain`]: the waterfall of evidence, sensitivity and linchpins, flip thresholds,
//!   the ACH view, value of information and the narrative, all recomputed by the engine.
//! - [`review`]: estimative language in prose ([`review::scan`]: one Aho-Corasick automaton)
//!   and a case's judgments checked against the yardstick and the posteriors; rule levels in
//!   [`review::config`].
//! - [`calibrate`]: Brier and its decompositions, log score, ECE, band tables, PAV
//!   recalibration; forecasts from resolved cases or tables ([`calibrate::sources`]); Beta fits
//!   of readers' phrase readings ([`calibrate::lexicon_fit`]); the reliability diagram; the
//!   sweep of the default grade numbers and term points, scored by leave-one-case-out
//!   cross-validation ([`calibrate::sweep`]).
//! - [`history`]: cases over time: the timeline of an assessment by `reported` dates, and
//!   the diff of two versions with each change's exact contribution and Shapley values.
//! - [`pool`]: several analysts' cases on one question: pools, spread, disagreement.
//! - [`export`]: the evidence graph (petgraph, DOT), STIX 2.1 bundles and MISP events.
//! - [`report`]: stage 4. Terminal text, JSON (with schemas in [`report::schemas`]), SARIF,
//!   HTML and Markdown for each command; the HTML pages share only [`report::page`]
//!   (escaping, band colours, the stylesheet), never each other's pieces. A review finding
//!   becomes a diagnostic in [`review`] itself ([`review::Finding::to_diagnostic`]), so no
//!   stage imports `report`.
//! - [`source`]: bytes to text (UTF-8 and UTF-16 detection, a diagnostic for bad bytes).
//!
//! The command line is the binary (`src/main.rs` and `src/cli/`, feature `cli`): clap
//! parses arguments; `cli::io` reads inputs (regular files only, up to a size limit) and
//! writes outputs (atomically, never over an input); `cli::table` reads CSV into
//! [`calibrate::table::Table`]; one module per command calls the library and draws what it
//! returns; `cli::fmt` rewrites files atomically, and `cli::lsp` is the language server
//! (lsp-server, the editor analysis, one background thread for slow parts). Features:
//! `cli` (clap, mimalloc, csv, toml, similar, lsp-server, lsp-types: the binary),
//! `parallel` (rayon: Monte Carlo across cores); `cargo build --lib --no-default-features`
//! is the library alone.
//!
//! ## Layers
//!
//! Each module imports only modules on lines above its own; within a folder, a file never
//! imports a file that imports it. `tests/it/layers.rs` reads every `crate::` path of the
//! library against this list, so an import that runs back up fails the tests:
//!
//! 1. `span`, `code`, `format`, `escape`, `text`, `vocab`
//! 2. `diagnostic`, `lexicon`
//! 3. `source`, `syntax`, `model`
//! 4. `check`
//! 5. `infer`
//! 6. `explain`, `review`, `history`, `calibrate`
//! 7. `pool`, `export`, `analysis`
//! 8. `editor`
//! 9. `report`
//!
//! ## Invariants
//!
//! - `syntax` knows nothing about yardsticks or inference; the parser never fails: it returns
//!   the tree, with [`syntax::ast::Item::Error`] holes, and a list of diagnostics. The
//!   lossless tree prints back its input byte for byte.
//! - `check` never fails either; a [`model::Case`] exists only when there is no error (or,
//!   from `check_partial`, for the declarations that check), and in
//!   it every id is resolved, every likelihood table is complete, and both graphs are acyclic.
//! - `infer` reads only the `Case`; products are sums of logs; an assessment is a pure
//!   function of the case, the number of samples and the seed.
//! - Only `report` knows output formats. The library does no I/O: it never opens a file,
//!   never prints and never exits; the binary reads, writes and picks the exit code (0
//!   success, 1 findings, 2 usage or I/O problems).

pub mod analysis;
pub mod calibrate;
pub mod check;
pub mod code;
pub mod diagnostic;
pub mod editor;
pub mod escape;
pub mod explain;
pub mod export;
pub mod format;
pub mod history;
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
