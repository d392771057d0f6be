//! Any bytes as a case file: decoding, checking, and every diagnostic drawn for the
//! terminal and as JSON. Nothing may panic.

#![no_main]

use acre::diagnostic::{RenderOptions, render, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = acre::source::decode("fuzz.acre".to_string(), data.to_vec());
    let diagnostics = match &file.encoding_error {
        Some(d) => vec![d.clone()],
        None => acre::check::check_source(&file.text).diagnostics,
    };
    let _ = render(
        &diagnostics,
        &file.name,
        &file.text,
        RenderOptions::default(),
    );
    let _ = to_json(&diagnostics, &file.name, &file.text);
});
