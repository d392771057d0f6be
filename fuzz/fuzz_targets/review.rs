//! Any text as a draft: reviewed under PHIA with the default rules, fixes applied, and the
//! findings drawn for the terminal, as JSON and as SARIF.

#![no_main]

use acre::review::{self, config::RuleConfig, scan::Scanner};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Built once: the automaton of every yardstick's terms.
static SCANNER: OnceLock<Scanner> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let scanner = SCANNER.get_or_init(|| Scanner::new(&[]));
    let Some(yardstick) = acre::lexicon::builtin_yardstick("phia") else {
        return;
    };
    let options = review::Options {
        yardstick,
        config: RuleConfig::default(),
        case: None,
    };
    let result = review::review(&text, scanner, &options);
    let (fixed, _) = review::apply_fixes(&text, &result.findings);
    let _ = review::review(&fixed, scanner, &options);
    let diagnostics: Vec<_> = result
        .findings
        .iter()
        .map(acre::review::Finding::to_diagnostic)
        .collect();
    let _ = acre::diagnostic::render(
        &diagnostics,
        "fuzz.md",
        &text,
        acre::diagnostic::RenderOptions::default(),
    );
    let _ = serde_json::to_string(&acre::report::review::json(
        "fuzz.md", &text, "phia", &result, None,
    ));
    let _ = acre::report::review::sarif(&[("fuzz.md", &text, &result.findings[..])], "phia");
});
