//! The last stage: rendering results for people and machines.
//!
//! Invariant: only `report` knows output formats (terminal text, JSON, ...).

pub mod assess;
pub mod calibrate;
pub mod check;
pub mod explain;
pub mod history;
pub mod html;
pub mod page;
pub mod pool;
pub mod reliability;
pub mod review;
pub mod schemas;
pub mod tables;

pub use tables::yardstick_table;

/// `n` and the noun, singular for one: `counted(1, "source")` is "1 source",
/// `counted(3, "evidence item")` "3 evidence items", `counted(2, "hypothesis")` "2
/// hypotheses".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    match noun.strip_suffix("is") {
        Some(stem) => format!("{n} {stem}es"),
        None => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counted_nouns_agree_with_their_number() {
        assert_eq!(super::counted(1, "source"), "1 source");
        assert_eq!(super::counted(0, "source"), "0 sources");
        assert_eq!(super::counted(2, "hypothesis"), "2 hypotheses");
        assert_eq!(super::counted(1, "hypothesis"), "1 hypothesis");
        assert_eq!(
            super::counted(100_000, "evidence item"),
            "100000 evidence items"
        );
    }
}
