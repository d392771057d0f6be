//! Any bytes as a case with its includes: the input is cut at each line `@@@` into files
//! `0.acre`, `1.acre`, ... (the first is the main file), which the loader serves by name,
//! so includes may nest, repeat, cycle and name files that do not exist. The assembled case
//! is checked and its diagnostics cut back per file. Nothing may panic.

#![no_main]

use acre::check::includes::{self, Loaded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<&str> = text.split("\n@@@\n").collect();
    let loader = |path: &str, _from: &str| -> Result<Loaded, String> {
        let n: usize = path
            .trim_end_matches(".acre")
            .parse()
            .map_err(|_| format!("no file `{path}`"))?;
        let text = files.get(n).ok_or_else(|| format!("no file `{path}`"))?;
        Ok(Loaded {
            name: format!("{n}.acre"),
            key: format!("{n}.acre"),
            text: (*text).to_string(),
        })
    };
    let (assembled, checked) = acre::check::check_with_includes("0.acre", "0.acre", files[0], &loader);
    let _ = includes::split(&checked.diagnostics, &assembled.segments);
});
