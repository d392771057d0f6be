//! Any text as a MISP event and as a STIX bundle, read the way `acre import` reads them: the
//! import may refuse it, but never panic, and a skeleton it writes must parse without an
//! error (nothing in the input can break out of its strings). The first byte picks a
//! wrapper, so that the fuzzer starts inside a valid event or bundle.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(rest);
    let text = match pick % 4 {
        0 => body.to_string(),
        1 => format!("{{\"Event\": {{\"info\": \"x\", \"Attribute\": [{body}]}}}}"),
        2 => format!("{{\"type\": \"bundle\", \"objects\": [{body}]}}"),
        _ => format!("{{\"Event\": {body}}}"),
    };
    for imported in [acre::import::misp(&text), acre::import::stix(&text)]
        .into_iter()
        .flatten()
    {
        let (_, diagnostics) = acre::syntax::parse(&imported.text);
        assert!(
            diagnostics.iter().all(|d| !d.is_error()),
            "{diagnostics:?}\n{}",
            imported.text
        );
    }
});
