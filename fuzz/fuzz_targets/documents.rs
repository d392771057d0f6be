//! Any bytes as a draft of each kind acre reads (the first byte picks Word, OpenDocument,
//! HTML or PDF): its text within the bounds `acre review` uses, the text reviewed, and for
//! Word the copy with the findings as comments. Nothing may panic, overflow the stack or
//! inflate past the bound.

#![no_main]

use acre::document::{self, Kind, Note};
use acre::review::{self, config::RuleConfig, scan::Scanner};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SCANNER: OnceLock<Scanner> = OnceLock::new();

/// The inflation bound: 64 times a 16 KiB input limit.
const MAX: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = [Kind::Docx, Kind::Odt, Kind::Html, Kind::Pdf][usize::from(pick % 4)];
    let Ok(text) = document::text(kind, bytes, MAX) else {
        return;
    };
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
    if kind == Kind::Docx {
        let notes: Vec<Note> = result
            .findings
            .iter()
            .map(|f| Note {
                span: f.span,
                text: f.message.clone(),
            })
            .collect();
        let _ = document::annotate(bytes, &notes, MAX);
    }
});
