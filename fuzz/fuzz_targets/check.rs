//! Any bytes as a case file: decoding, checking, and every diagnostic drawn for the
//! terminal and as JSON. Nothing may panic.

#![no_main]

use acre::diagnostic::{RenderOptions, render, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = acre::source::decode("fuzz.acre".to_string(), data.to_vec());
    let no_includes = |_: &str, _: &str| Err("no includes while fuzzing".to_string());
    let settings = acre::analysis::Settings::new(acre::analysis::Depth::Check);
    let analysis = acre::analysis::analyse(file, "fuzz.acre", &no_includes, &settings);
    let (diagnostics, file) = (analysis.diagnostics, analysis.file);
    let _ = render(
        &diagnostics,
        &file.name,
        &file.text,
        RenderOptions::default(),
    );
    let _ = to_json(&diagnostics, &file.name, &file.text);
});
