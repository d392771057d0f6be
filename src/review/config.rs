//! Rule levels: defaults, `acre.toml` (in the draft's directory or a parent) and
//! `--rule RULE=LEVEL` on the command line, in that order of precedence (last wins).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How a rule reports.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Information.
    Info,
    /// Warning.
    Warning,
    /// Error: `acre review` exits 1.
    Error,
}

impl Level {
    /// Parses `error`, `warning`, `info` (or `note`), `off`.
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "info" | "note" => Some(Level::Info),
            "off" | "none" => Some(Level::Off),
            _ => None,
        }
    }

    /// The word.
    pub fn word(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Every rule: id, default level, and what it checks.
pub const RULES: &[(&str, Level, &str)] = &[
    (
        "non-yardstick-term",
        Level::Error,
        "a likelihood phrase the governing yardstick does not define",
    ),
    (
        "mixed-yardsticks",
        Level::Warning,
        "terms from another yardstick, or ICD 203's two rows mixed without the disclaimer",
    ),
    (
        "conflicting-terms",
        Level::Error,
        "one subject given terms from different bands in different places",
    ),
    (
        "hedge-stacking",
        Level::Warning,
        "an evidential hedge governing an estimative term in one clause",
    ),
    (
        "vague-term",
        Level::Warning,
        "a modal that asserts no probability used for a judgment",
    ),
    (
        "confidence-with-likelihood",
        Level::Warning,
        "a confidence level and a likelihood term in one sentence",
    ),
    (
        "number-term-mismatch",
        Level::Error,
        "a number beside a term, outside the term's band",
    ),
    (
        "overclaim",
        Level::Error,
        "a term above what the case supports",
    ),
    (
        "underclaim",
        Level::Error,
        "a term below what the case supports",
    ),
    (
        "missing-number",
        Level::Off,
        "a term printed without its numeric range",
    ),
];

/// The levels in force.
#[derive(Clone, Debug, Default)]
pub struct RuleConfig {
    /// Explicit levels (from the file or the command line).
    pub levels: BTreeMap<String, Level>,
    /// The yardstick named in `acre.toml`, if any.
    pub yardstick: Option<String>,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    yardstick: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// `acre.toml` is not valid.
    #[error("cannot read `{}`: {message}", path.display())]
    #[diagnostic(
        code("acre::config"),
        help(
            "acre.toml holds `yardstick = \"phia\"` and a `[rules]` table of `rule-id = \"error\" | \"warning\" | \"info\" | \"off\"`"
        )
    )]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A rule id or level is unknown.
    #[error("{0}")]
    #[diagnostic(
        code("acre::config"),
        help(
            "rules: non-yardstick-term, mixed-yardsticks, conflicting-terms, hedge-stacking, vague-term, confidence-with-likelihood, number-term-mismatch, overclaim, underclaim, missing-number; levels: error, warning, info, off"
        )
    )]
    Rule(String),
}

fn check_rule(id: &str, level: &str) -> Result<(String, Level), ConfigError> {
    if !RULES.iter().any(|(r, _, _)| *r == id) {
        let hint = crate::lexicon::suggest(id, RULES.iter().map(|(r, _, _)| *r))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(ConfigError::Rule(format!("unknown rule `{id}`{hint}")));
    }
    let level = Level::parse(level)
        .ok_or_else(|| ConfigError::Rule(format!("unknown level `{level}` for rule `{id}`")))?;
    Ok((id.to_string(), level))
}

impl RuleConfig {
    /// Reads `acre.toml` from `start`'s directory or the nearest parent holding one.
    pub fn discover(start: &Path) -> Result<RuleConfig, ConfigError> {
        let dir = if start.is_dir() {
            Some(start)
        } else {
            start.parent()
        };
        let mut dir = dir
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .map(Path::to_path_buf);
        // canonical, so that parents can be walked from a relative path
        if let Some(d) = &dir {
            dir = d.canonicalize().ok().or(dir.clone());
        }
        while let Some(d) = dir {
            let candidate = d.join("acre.toml");
            if candidate.is_file() {
                return RuleConfig::from_file(&candidate);
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        Ok(RuleConfig::default())
    }

    /// Reads one config file.
    pub fn from_file(path: &Path) -> Result<RuleConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let parsed: FileConfig = toml::from_str(&text).map_err(|e| ConfigError::File {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut levels = BTreeMap::new();
        for (id, level) in &parsed.rules {
            let (id, level) = check_rule(id, level)?;
            levels.insert(id, level);
        }
        Ok(RuleConfig {
            levels,
            yardstick: parsed.yardstick,
            file: Some(path.to_path_buf()),
        })
    }

    /// Applies `RULE=LEVEL` from the command line.
    pub fn set(&mut self, spec: &str) -> Result<(), ConfigError> {
        let (id, level) = spec
            .split_once('=')
            .ok_or_else(|| ConfigError::Rule(format!("`{spec}` is not RULE=LEVEL")))?;
        let (id, level) = check_rule(id.trim(), level)?;
        self.levels.insert(id, level);
        Ok(())
    }

    /// The level of `rule`, given the rule's default under the governing yardstick.
    pub fn level(&self, rule: &str, default: Level) -> Level {
        self.levels.get(rule).copied().unwrap_or(default)
    }
}
