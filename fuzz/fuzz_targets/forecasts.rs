//! Any text as a forecast CSV, read the way `acre calibrate --forecasts` reads it (the first
//! byte picks binary rows or option rows, and the delimiter), then scored. Nothing may panic.

#![no_main]

use acre::calibrate::bootstrap::Bootstrap;
use acre::calibrate::sources::{self, Columns, ReadOptions};
use acre::calibrate::table::Table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let delimiter = [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(pick % 4)];
    let table = Table::from_csv("fuzz.csv", &text, delimiter);
    let columns = Columns {
        option: (pick & 4 != 0).then(|| "option".to_string()),
        term: Some("term".to_string()).filter(|_| pick & 8 != 0),
        ..Columns::default()
    };
    let read = ReadOptions {
        skip_bad_rows: pick & 16 != 0,
        renormalize: pick & 32 != 0,
        ..ReadOptions::default()
    };
    let Some(y) = acre::lexicon::builtin_yardstick("phia") else {
        return;
    };
    let _ = sources::questions_from_table(&table);
    let Ok(found) = sources::from_table(&table, &columns, &y, &read) else {
        return;
    };
    if found.forecasts.is_empty() {
        return;
    }
    let boot = Bootstrap {
        replicates: 20,
        ..Bootstrap::default()
    };
    let _ = acre::calibrate::score_forecasts("fuzz", &found.forecasts, None, &y, &boot);
});
