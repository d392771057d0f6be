//! Any bytes as what an editor sends the language server: framed messages read one by one
//! with a 64 KiB body limit until the input ends or a frame cannot be read, each body parsed
//! as JSON. Nothing may panic or allocate what a header claims.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = std::io::Cursor::new(data);
    while let Ok(Some(body)) = acre::frame::read_frame(&mut input, 64 * 1024) {
        let _ = serde_json::from_slice::<serde_json::Value>(&body);
    }
});
