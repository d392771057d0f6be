//! Any bytes as what a browser (or anyone on the machine) sends `acre serve`: one request
//! read with a 64 KiB body limit, then its parameters, headers and cookies looked up as the
//! server looks them up. Nothing may panic or allocate what a header claims.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = std::io::Cursor::new(data);
    if let Ok(r) = acre::http::read_request(&mut input, 64 * 1024) {
        let _ = (r.param("path"), r.header("host"), r.cookie("acre_token"));
        assert!(r.body.len() <= 64 * 1024);
    }
});
