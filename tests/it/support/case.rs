//! A case from its text, for tests: checked, with no errors.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::model::Case;

/// The checked case of `text`; panics with the text and its errors when it has any.
pub fn case(text: &str) -> Case {
    let checked = acre::check::check_source(text);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{text}\n{errors:?}");
    checked.case.unwrap()
}
