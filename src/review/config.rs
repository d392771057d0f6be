//! Rule levels and boilerplate masks: defaults ([`Rule::default_level`]), `acre.toml`
//! (in the draft's directory or a parent) and `--rule RULE=LEVEL` on the command line,
//! in that order of precedence (last wins).
//!
//! ```toml
//! yardstick = "phia"
//! [rules]
//! vague-term = "info"
//! [mask]
//! builtin = true                       # licence, TLP, reward and contact boilerplate
//! phrases = ["for official use only"]  # sentences holding any of these are skipped
//! ```

use super::rule::{Level, Rule};
use super::rules;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Sentences holding any of these (compared in lower case) are boilerplate: licence
/// text, TLP notices, reward and contact notices. They are not reviewed.
#[rustfmt::skip]
pub const BUILTIN_MASKS: &[&str] = &[
    "licensed under the", "you may not use this file", "except in compliance with the license",
    "without warranties or conditions", "permission is hereby granted", "all rights reserved",
    "tlp:white", "tlp:clear", "tlp:green", "tlp:amber", "tlp:red", "traffic light protocol",
    "disclosure is not limited", "may be distributed without restriction",
    "subject to standard copyright rules", "rewards for justice", "eligible for a reward",
    "may be eligible for", "contact your local", "report suspicious activity",
    "report incidents", "to report an incident", "this document is marked",
    "this report is provided", "provided \"as is\"", "for informational purposes only",
    "does not endorse",
];

/// The levels and masks in force.
#[derive(Clone, Debug)]
pub struct RuleConfig {
    /// Explicit levels (from the file or the command line).
    pub levels: HashMap<Rule, Level>,
    /// The yardstick named in `acre.toml`, if any.
    pub yardstick: Option<String>,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    /// Whether the built-in boilerplate masks apply.
    pub builtin_masks: bool,
    /// More mask phrases (lower case).
    pub masks: Vec<String>,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            levels: HashMap::new(),
            yardstick: None,
            file: None,
            builtin_masks: true,
            masks: Vec::new(),
        }
    }
}

/// The contents of an `acre.toml`, as deserialised (the command line reads the file).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The governing yardstick.
    pub yardstick: Option<String>,
    /// Rule id to level.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// Boilerplate masks.
    #[serde(default)]
    pub mask: MaskConfig,
}

/// The `[mask]` table of an `acre.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskConfig {
    /// Whether the built-in masks apply.
    #[serde(default = "yes")]
    pub builtin: bool,
    /// More phrases: a sentence holding one is not reviewed.
    #[serde(default)]
    pub phrases: Vec<String>,
}

impl Default for MaskConfig {
    fn default() -> Self {
        MaskConfig {
            builtin: true,
            phrases: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// `acre.toml` is not valid.
    #[error("cannot read `{}`: {message}", path.display())]
    #[diagnostic(
        code("acre::config"),
        help(
            "acre.toml holds `yardstick = \"phia\"`, a `[rules]` table of `rule-id = \"error\" | \"warning\" | \"info\" | \"off\"`, and a `[mask]` table (`builtin = true`, `phrases = [...]`)"
        )
    )]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A rule id or level is unknown.
    #[error("{message}")]
    #[diagnostic(code("acre::config"))]
    Rule {
        /// What is wrong.
        message: String,
        /// The rules and levels.
        #[help]
        help: String,
    },
}

fn rule_error(message: String) -> ConfigError {
    let ids: Vec<&str> = rules::ALL
        .iter()
        .filter(|r| r.configurable())
        .map(|r| r.id())
        .collect();
    ConfigError::Rule {
        message,
        help: format!(
            "rules: {}; levels: error, warning, info, off",
            ids.join(", ")
        ),
    }
}

fn check_rule(id: &str, level: &str) -> Result<(Rule, Level), ConfigError> {
    let Some(rule) = rules::from_id(id).filter(|r| r.configurable()) else {
        let hint = crate::text::suggest(
            id,
            rules::ALL
                .iter()
                .filter(|r| r.configurable())
                .map(|r| r.id()),
        )
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
        return Err(rule_error(format!("unknown rule `{id}`{hint}")));
    };
    let level = Level::parse(level)
        .ok_or_else(|| rule_error(format!("unknown level `{level}` for rule `{id}`")))?;
    Ok((rule, level))
}

impl RuleConfig {
    /// The levels and masks of a parsed `acre.toml` (read from `file`, if known).
    pub fn from_file_config(
        parsed: FileConfig,
        file: Option<PathBuf>,
    ) -> Result<RuleConfig, ConfigError> {
        let mut levels = HashMap::new();
        for (id, level) in &parsed.rules {
            let (rule, level) = check_rule(id, level)?;
            levels.insert(rule, level);
        }
        Ok(RuleConfig {
            levels,
            yardstick: parsed.yardstick,
            file,
            builtin_masks: parsed.mask.builtin,
            masks: parsed
                .mask
                .phrases
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
        })
    }

    /// Applies `RULE=LEVEL` from the command line.
    pub fn set(&mut self, spec: &str) -> Result<(), ConfigError> {
        let (id, level) = spec
            .split_once('=')
            .ok_or_else(|| rule_error(format!("`{spec}` is not RULE=LEVEL")))?;
        let (rule, level) = check_rule(id.trim(), level)?;
        self.levels.insert(rule, level);
        Ok(())
    }

    /// The level of `rule` under the yardstick named `yardstick` (in an analytic
    /// sentence or not).
    pub fn level(&self, rule: Rule, yardstick: &str, analytic: bool) -> Level {
        self.levels
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_level(yardstick, analytic))
    }

    /// Every mask phrase in force, lower case.
    pub fn mask_phrases(&self) -> Vec<String> {
        let mut out: Vec<String> = if self.builtin_masks {
            BUILTIN_MASKS.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        };
        out.extend(self.masks.iter().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(
        rules: &[(&str, &str)],
        builtin: bool,
        phrases: &[&str],
    ) -> Result<RuleConfig, ConfigError> {
        RuleConfig::from_file_config(
            FileConfig {
                yardstick: None,
                rules: rules
                    .iter()
                    .map(|(r, l)| (r.to_string(), l.to_string()))
                    .collect(),
                mask: MaskConfig {
                    builtin,
                    phrases: phrases.iter().map(|p| p.to_string()).collect(),
                },
            },
            None,
        )
    }

    #[test]
    fn file_config_sets_levels_and_masks() {
        let c = config(&[("vague-term", "off")], false, &["FOUO"]).unwrap();
        let rule = |id| rules::from_id(id).unwrap();
        assert_eq!(c.level(rule("vague-term"), "phia", true), Level::Off);
        assert_eq!(
            c.level(rule("hedge-stacking"), "phia", true),
            Level::Warning
        );
        assert_eq!(c.mask_phrases(), ["fouo"]);
        assert!(config(&[("vague", "off")], true, &[]).is_err());
        assert!(config(&[("judgment", "off")], true, &[]).is_err());
        assert!(RuleConfig::default().mask_phrases().len() > 10);
    }
}
