//! One place for each number format that people read: percentages, bands, probabilities with
//! a decimal, counts of things, plain floats. Every renderer (terminal, JSON notes, HTML, Markdown, STIX, case-file syntax)
//! uses these, so one number never prints two ways.

/// A probability as a percentage number without the sign, with at most one decimal and none
/// when it is whole: 0.95 is `95`, 0.975 is `97.5`.
pub fn format_percent(p: f64) -> String {
    let pct = p * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{}", pct.round())
    } else {
        format!("{:.1}", pct)
    }
}

/// A band `[lo, hi]` as a percentage range: `80-90%`, `2.5-10%`.
pub fn format_band(lo: f64, hi: f64) -> String {
    format!("{}-{}%", format_percent(lo), format_percent(hi))
}

/// A probability as a percentage with one decimal, always: `97.1%`, `95.0%`.
pub fn pct1(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// An interval as a percentage range in whole points, or with as many decimals (up to two)
/// as it takes for its ends to differ: `54-86%`, `3.7-3.9%` (not `4-4%`).
pub fn interval_percent(lo: f64, hi: f64) -> String {
    let shown = |d: usize| (format!("{:.d$}", lo * 100.0), format!("{:.d$}", hi * 100.0));
    let (a, b) = (0..=2)
        .map(shown)
        .find(|(a, b)| a != b)
        .unwrap_or_else(|| shown(0));
    format!("{a}-{b}%")
}

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

/// A float printed without noise: `0.95`, `1.05`, `0.333333`.
pub fn trim_float(x: f64) -> String {
    let s = format!("{:.6}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_agree_with_hand_written_strings() {
        assert_eq!(format_percent(0.95), "95");
        assert_eq!(format_percent(0.975), "97.5");
        assert_eq!(format_percent(0.0), "0");
        assert_eq!(format_band(0.8, 0.9), "80-90%");
        assert_eq!(format_band(0.025, 0.1), "2.5-10%");
        assert_eq!(pct1(0.95), "95.0%");
        assert_eq!(pct1(0.9714), "97.1%");
        assert_eq!(interval_percent(0.539, 0.862), "54-86%");
        assert_eq!(interval_percent(0.0372, 0.0391), "3.7-3.9%");
        assert_eq!(interval_percent(0.15021, 0.15039), "15.02-15.04%");
        // ends that agree to two decimals are one value
        assert_eq!(interval_percent(0.5, 0.5), "50-50%");
    }

    #[test]
    fn counted_nouns_agree_with_their_number() {
        assert_eq!(counted(1, "source"), "1 source");
        assert_eq!(counted(0, "source"), "0 sources");
        assert_eq!(counted(2, "hypothesis"), "2 hypotheses");
        assert_eq!(counted(1, "hypothesis"), "1 hypothesis");
        assert_eq!(counted(100_000, "evidence item"), "100000 evidence items");
    }
}
