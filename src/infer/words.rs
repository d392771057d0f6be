//! From numbers back to words (semantics section 7).

use crate::format::{format_band, format_percent};
use crate::lexicon::Yardstick;

/// Where a probability falls on a yardstick.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The term whose band holds the value, if any.
    pub term_idx: Option<usize>,
    /// The term to use: the one holding the value, or the nearer neighbour (the lower on a tie).
    pub recommended: usize,
    /// Plain words: "highly likely", "between highly likely and almost certain", "below remote chance".
    pub words: String,
}

/// `p` as a percentage that reads as the same words as `p` itself: one decimal, and more
/// where rounding would carry it across a band edge (94.96%, not 95.0%, beside "very
/// likely").
pub fn pct(y: &Yardstick, p: f64) -> String {
    let words = place(y, p).words;
    for decimals in 1..=6 {
        let shown = format!("{:.*}", decimals, p * 100.0);
        let back = shown.parse::<f64>().map_or(p, |x| x / 100.0);
        if place(y, back).words == words {
            return format!("{shown}%");
        }
    }
    format!("{:.6}%", p * 100.0)
}

/// Places `p` on the yardstick.
pub fn place(y: &Yardstick, p: f64) -> Placement {
    if let Some(idx) = y.terms.iter().position(|t| t.contains(p)) {
        return Placement {
            term_idx: Some(idx),
            recommended: idx,
            words: y.terms[idx].name.clone(),
        };
    }
    let n = y.terms.len();
    let first = &y.terms[0];
    if p < first.lo {
        return Placement {
            term_idx: None,
            recommended: 0,
            words: format!("below {}", first.name),
        };
    }
    let last = &y.terms[n - 1];
    if p > last.hi {
        return Placement {
            term_idx: None,
            recommended: n - 1,
            words: format!("above {}", last.name),
        };
    }
    // in a gap between two bands
    let upper = y.terms.iter().position(|t| t.lo > p).unwrap_or(n - 1);
    let lower = upper.saturating_sub(1);
    let d_lower = p - y.terms[lower].hi;
    let d_upper = y.terms[upper].lo - p;
    // a tie (within rounding) goes to the lower term
    let recommended = if d_upper < d_lower - 1e-12 {
        upper
    } else {
        lower
    };
    Placement {
        term_idx: None,
        recommended,
        words: format!(
            "between {} and {}",
            y.terms[lower].name, y.terms[upper].name
        ),
    }
}

/// "almost certain (95-100%)": a term with its numbers.
pub fn term_with_band(y: &Yardstick, idx: usize) -> String {
    match y.terms.get(idx) {
        Some(t) => format!("{} ({})", t.name, format_band(t.lo, t.hi)),
        None => String::new(),
    }
}

/// The note on a point verdict: the recommendation in a gap, and whether the
/// 5-95% interval spans several bands.
pub fn term_note(y: &Yardstick, point: &Placement, p05: f64, p95: f64) -> Option<String> {
    let mut notes = Vec::new();
    if point.term_idx.is_none() {
        notes.push(format!(
            "{} has no term of its own: {} recommends {}",
            point.words,
            y.name,
            term_with_band(y, point.recommended)
        ));
    }
    let lo = place(y, p05);
    let hi = place(y, p95);
    if lo.words != hi.words {
        let where_ = |v: &Placement| match v.term_idx {
            Some(_) => v.words.clone(),
            None => format!("the gap {}", v.words),
        };
        notes.push(format!(
            "the 90% interval ({}-{}%) spans {} to {}",
            format_percent(p05),
            format_percent(p95),
            where_(&lo),
            where_(&hi)
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::builtin_yardstick;

    #[test]
    fn gaps_recommend_the_nearer_term_and_the_lower_on_a_tie() {
        let phia = builtin_yardstick("phia").unwrap();
        let v = place(&phia, 0.85);
        assert_eq!((v.term_idx, v.words.as_str()), (Some(5), "highly likely"));
        let v = place(&phia, 0.93);
        assert_eq!(v.words, "between highly likely and almost certain");
        assert_eq!(v.recommended, 6); // 0.02 from 95%, 0.03 from 90%
        let v = place(&phia, 0.925);
        assert_eq!(v.recommended, 5); // a tie goes to the lower term
        let v = place(&phia, 0.52);
        assert_eq!(v.words, "between realistic possibility and likely");
        assert_eq!(v.recommended, 3);
        let icd = builtin_yardstick("icd203").unwrap();
        assert_eq!(place(&icd, 0.995).words, "above almost certain");
        assert_eq!(place(&icd, 0.001).words, "below almost no chance");
    }

    #[test]
    fn notes_say_when_the_interval_spans_bands() {
        let phia = builtin_yardstick("phia").unwrap();
        let v = place(&phia, 0.85);
        assert_eq!(term_note(&phia, &v, 0.82, 0.88), None);
        assert_eq!(
            term_note(&phia, &v, 0.70, 0.96).unwrap(),
            "the 90% interval (70-96%) spans likely to almost certain"
        );
    }
}
