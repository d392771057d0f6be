//! One pipeline for every command, the editor and the fuzz targets: a case file, with the
//! files it includes read through a loader the caller supplies, goes through check ->
//! (the case's judgments as warnings) -> assess -> explain, as far as asked, and every
//! result that could be computed is kept.
//!
//! The defaults that several commands share are decided here once: the governing yardstick
//! of a review ([`governing_yardstick`]) and the yardstick when nothing names one
//! ([`DEFAULT_YARDSTICK`]).
//!
//! ```
//! use acre::analysis::{Depth, Settings, analyse};
//! use acre::source::decode;
//!
//! let text = r#"
//! hypothesis a "A" prior 50%
//! hypothesis b "Someone else" prior rest catch-all
//! evidence e "A's tool" { given a: likely  otherwise: unlikely }
//! "#;
//! let file = decode("case.acre".to_string(), text.as_bytes().to_vec());
//! let no_includes = |_: &str, _: &str| Err("no includes here".to_string());
//! let analysis = analyse(file, "case.acre", &no_includes, &Settings::new(Depth::Assess));
//! let assessment = analysis.assessment.unwrap();
//! assert!(assessment.hypotheses[0].point > 0.5);
//! ```

use crate::check::{self, Checked};
use crate::diagnostic::Diagnostic;
use crate::explain::Explanation;
use crate::infer::{self, Assessment, InferError};
use crate::lexicon::Yardstick;
use crate::model::Case;
use crate::review::{self, JudgmentCheck};
use crate::source::SourceFile;

pub use crate::check::includes::{Loaded, Loader};

/// The yardstick of a case that names none, and of a review that names none.
pub const DEFAULT_YARDSTICK: &str = "phia";

/// How far to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Depth {
    /// Parse and check: the file's diagnostics and, without errors, the case.
    Check,
    /// Also the case's judgments the numbers do not support, as warnings (what `acre check`
    /// prints): the point posterior first, the assessment only when a judgment's point lies
    /// outside its band.
    Judge,
    /// Also the assessment and each judgment's verdict.
    Assess,
    /// Also the explanation of the leading hypothesis (or [`Settings::focus`]).
    Explain,
}

/// What to compute, and how.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How far to go.
    pub depth: Depth,
    /// How to run the engine.
    pub engine: infer::Options,
    /// The hypothesis to explain (its id), instead of the leading one.
    pub focus: Option<String>,
}

impl Settings {
    /// The default engine, as far as `depth`.
    pub fn new(depth: Depth) -> Settings {
        Settings {
            depth,
            engine: infer::Options::default(),
            focus: None,
        }
    }
}

/// Why the pipeline stopped before the depth asked.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum Stopped {
    /// The file has errors (its diagnostics say which).
    #[error("`{0}` has errors; fix them before assessing (see `acre check`)")]
    #[diagnostic(code("acre::case-has-errors"))]
    HasErrors(String),
    /// The engine could not assess or explain the case.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Engine(#[from] InferError),
    /// The hypothesis to explain is not in the case.
    #[error("no hypothesis `{id}` in this case")]
    #[diagnostic(code("acre::usage"), help("the hypotheses are {known}"))]
    NoSuchHypothesis {
        /// As asked.
        id: String,
        /// The case's hypotheses.
        known: String,
    },
}

/// Everything the pipeline computed for one case file.
pub struct Analysis {
    /// The file; a case that includes others holds them after it (its
    /// [`SourceFile::segments`] say where), and the diagnostics' spans point into that text.
    pub file: SourceFile,
    /// Every diagnostic, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The case, when it has no errors.
    pub case: Option<Case>,
    /// The assessment, from [`Depth::Assess`] on.
    pub assessment: Option<Assessment>,
    /// Each judgment of the case against the assessment, from [`Depth::Assess`] on.
    pub judgments: Vec<JudgmentCheck>,
    /// The explanation, at [`Depth::Explain`].
    pub explanation: Option<Explanation>,
    /// Why it stopped short of the depth asked, if it did.
    pub stopped: Option<Stopped>,
}

/// Runs the pipeline on `file` (whose canonical path, for telling includes apart, is
/// `key`), reading included files through `loader`.
pub fn analyse(mut file: SourceFile, key: &str, loader: Loader, settings: &Settings) -> Analysis {
    let Checked {
        case,
        mut diagnostics,
    } = match &file.encoding_error {
        // bytes that are not UTF-8 stop before parsing
        Some(d) => Checked {
            case: None,
            diagnostics: vec![d.clone()],
        },
        None => {
            let (assembled, checked) =
                check::check_with_includes(&file.name, key, &file.text, loader);
            if assembled.segments.len() > 1 {
                file.text = assembled.text;
                file.segments = assembled.segments;
            }
            checked
        }
    };
    let mut analysis = Analysis {
        file,
        diagnostics: Vec::new(),
        case: None,
        assessment: None,
        judgments: Vec::new(),
        explanation: None,
        stopped: None,
    };
    let Some(case) = case else {
        analysis.diagnostics = diagnostics;
        analysis.stopped = Some(Stopped::HasErrors(analysis.file.name.clone()));
        return analysis;
    };
    if settings.depth == Depth::Judge {
        diagnostics.extend(review::judgment_warnings(&case, &analysis.file.text));
        diagnostics.sort_by_key(|d| d.primary().map_or(0, |s| s.start));
    }
    analysis.diagnostics = diagnostics;
    if settings.depth >= Depth::Assess {
        let focus = match &settings.focus {
            None => None,
            Some(id) => match case.hypothesis(id) {
                Some(h) => Some(h),
                None => {
                    let known: Vec<&str> = case.hypotheses.iter().map(|h| h.id.as_str()).collect();
                    let mut known = known.join(", ");
                    if let Some(g) = case.groups.iter().find(|g| &g.id == id) {
                        let members: Vec<&str> = g
                            .hypotheses
                            .iter()
                            .map(|h| case.hypotheses[h.idx()].id.as_str())
                            .collect();
                        known.push_str(&format!(
                            "; `{id}` is a group: explain one of its members ({}), whose narrative states the group's judgment too, or see the group's numbers in `acre assess`",
                            members.join(", ")
                        ));
                    }
                    analysis.stopped = Some(Stopped::NoSuchHypothesis {
                        id: id.clone(),
                        known,
                    });
                    analysis.case = Some(case);
                    return analysis;
                }
            },
        };
        match infer::assess(&case, &settings.engine) {
            Ok(a) => {
                analysis.judgments = judgment_checks(&case, &a, &analysis.file.text);
                if settings.depth >= Depth::Explain {
                    match crate::explain::explain(&case, &a, focus) {
                        Ok(x) => analysis.explanation = Some(x),
                        Err(e) => analysis.stopped = Some(e.into()),
                    }
                }
                analysis.assessment = Some(a);
            }
            Err(e) => analysis.stopped = Some(e.into()),
        }
    }
    analysis.case = Some(case);
    analysis
}

/// The case's judgments against an assessment (each term found in the judgment's own text,
/// for the label).
pub fn judgment_checks(case: &Case, a: &Assessment, text: &str) -> Vec<JudgmentCheck> {
    if case.judgments.is_empty() {
        return Vec::new();
    }
    let scanner = review::scan::Scanner::new(&case.custom_yardsticks);
    review::judgment_checks(case, a, text, &scanner)
}

/// A yardstick asked for by name that acre does not know.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown yardstick `{name}`")]
#[diagnostic(code("acre::unknown-yardstick"))]
pub struct UnknownYardstick {
    /// As given.
    pub name: String,
    /// The names there are, with a suggestion.
    #[help]
    pub help: String,
}

/// A built-in yardstick (or fitted lexicon) by name, or one of `customs` (a case's own).
pub fn yardstick_named(name: &str, customs: &[Yardstick]) -> Result<Yardstick, UnknownYardstick> {
    if let Some(y) = customs
        .iter()
        .find(|y| y.name == name)
        .cloned()
        .or_else(|| crate::lexicon::builtin_yardstick(name))
    {
        return Ok(y);
    }
    let known: Vec<String> = crate::lexicon::builtin_yardsticks()
        .into_iter()
        .chain(crate::lexicon::builtin_lexicons())
        .map(|y| y.name)
        .chain(customs.iter().map(|y| y.name.clone()))
        .collect();
    let hint = crate::text::suggest(name, known.iter().map(String::as_str))
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Err(UnknownYardstick {
        name: name.to_string(),
        help: format!("{hint}known: {}", known.join(", ")),
    })
}

/// The yardstick that governs a review's wording: the one asked for on the command line,
/// else the one `acre.toml` names, else the case's, else [`DEFAULT_YARDSTICK`]. A name is
/// looked up among the built-in yardsticks and the case's own.
pub fn governing_yardstick(
    asked: Option<&str>,
    configured: Option<&str>,
    case: Option<&Case>,
) -> Result<Yardstick, UnknownYardstick> {
    let customs = case.map_or(&[][..], |c| &c.custom_yardsticks[..]);
    match asked.or(configured) {
        Some(name) => yardstick_named(name, customs),
        None => match case {
            Some(c) => Ok(c.yardstick.clone()),
            None => yardstick_named(DEFAULT_YARDSTICK, &[]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode;

    const CASE: &str = "hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n\
        evidence e \"E\" { given a: likely  otherwise: unlikely }\n\
        judgment j \"A did it\" { claims a almost certain }\n";

    fn run(text: &str, depth: Depth) -> Analysis {
        let none = |_: &str, _: &str| Err("none".to_string());
        analyse(
            decode("c.acre".into(), text.as_bytes().to_vec()),
            "c.acre",
            &none,
            &Settings::new(depth),
        )
    }

    #[test]
    fn each_depth_computes_what_it_says() {
        let check = run(CASE, Depth::Check);
        assert!(check.case.is_some() && check.assessment.is_none());
        assert!(
            check
                .diagnostics
                .iter()
                .all(|d| d.code.name() != "overclaim")
        );
        let judge = run(CASE, Depth::Judge);
        assert!(
            judge
                .diagnostics
                .iter()
                .any(|d| d.code.name() == "overclaim")
        );
        let assess = run(CASE, Depth::Assess);
        // a:b = 0.5*0.65 : 0.5*0.30 (the points of likely, 55-75%, and unlikely, 25-35%): 68.4%
        let a = assess.assessment.as_ref().unwrap();
        assert!((a.hypotheses[0].point - 0.65 / 0.95).abs() < 1e-9);
        assert_eq!(assess.judgments.len(), 1);
        assert_eq!(
            assess.judgments[0].verdict,
            crate::vocab::Verdict::Overclaim
        );
        assert!(assess.explanation.is_none());
        assert!(run(CASE, Depth::Explain).explanation.is_some());
    }

    #[test]
    fn a_file_with_errors_stops_after_check() {
        let a = run("hypothesis a \"A\" prior 50%\n", Depth::Explain);
        assert!(a.case.is_none());
        assert!(matches!(a.stopped, Some(Stopped::HasErrors(_))));
        assert!(!a.diagnostics.is_empty());
    }

    #[test]
    fn the_governing_yardstick_is_decided_in_one_order() {
        let case = run(CASE, Depth::Check).case.unwrap();
        let name = |y: Result<Yardstick, UnknownYardstick>| y.unwrap().name;
        assert_eq!(name(governing_yardstick(None, None, None)), "phia");
        assert_eq!(name(governing_yardstick(None, None, Some(&case))), "phia");
        assert_eq!(
            name(governing_yardstick(None, Some("icd203"), Some(&case))),
            "icd203"
        );
        assert_eq!(
            name(governing_yardstick(Some("kent"), Some("icd203"), None)),
            "kent"
        );
        let e = governing_yardstick(Some("icd23"), None, None).unwrap_err();
        assert!(e.help.starts_with("did you mean `icd203`?"), "{}", e.help);
    }
}
