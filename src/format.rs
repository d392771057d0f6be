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

/// An interval from draws in whole points, its ends rounded outwards (semantics section 6):
/// `94-98%` for 94.9-97.4%. An end below 1% is "<1%" and an end above 99% ">99%" (rounded
/// outwards they would read as 0% and 100%, impossible and certain): `<1% to 3%`,
/// `97% to >99%`, and `<1%` or `>99%` when both ends are.
pub fn whole_interval(lo: f64, hi: f64) -> String {
    // a hair of tolerance so that 95% computed as 94.999999... stays 95
    let lo_pts = (lo * 100.0 + 1e-9).floor().max(1.0);
    let hi_pts = (hi * 100.0 - 1e-9).ceil().min(99.0);
    if hi < 0.01 {
        return "<1%".to_string();
    }
    if lo > 0.99 {
        return ">99%".to_string();
    }
    let (from, to) = (
        if lo < 0.01 {
            "<1%".to_string()
        } else {
            format!("{lo_pts}%")
        },
        if hi > 0.99 {
            ">99%".to_string()
        } else {
            format!("{hi_pts}%")
        },
    );
    if from == to {
        from
    } else if from.starts_with('<') || to.starts_with('>') {
        format!("{from} to {to}")
    } else {
        format!("{}-{to}", from.trim_end_matches('%'))
    }
}

/// `s` cut to at most `max` characters, the last one "…" when it was cut: what a message
/// quotes of a value it did not write (a CSV cell of 600 MB is quoted by its start).
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if s[at..].chars().nth(1).is_some() => format!("{}…", &s[..at]).into(),
        _ => s.into(),
    }
}

/// One figure from draws in whole points: `95%`; `<1%` below 1% and `>99%` above 99%.
pub fn whole_percent(p: f64) -> String {
    if p < 0.01 {
        "<1%".to_string()
    } else if p > 0.99 {
        ">99%".to_string()
    } else {
        format!("{}%", (p * 100.0).round())
    }
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
    fn draws_are_shown_in_whole_points_rounded_outwards() {
        assert_eq!(whole_interval(0.949, 0.974), "94-98%");
        assert_eq!(whole_interval(0.95, 0.97), "95-97%");
        assert_eq!(whole_interval(0.004, 0.015), "<1% to 2%");
        assert_eq!(whole_interval(0.001, 0.003), "<1%");
        assert_eq!(whole_interval(0.985, 0.9999), "98% to >99%");
        assert_eq!(whole_interval(0.985, 0.99), "98-99%");
        assert_eq!(whole_interval(0.992, 0.9999), ">99%");
        assert_eq!(whole_interval(0.001, 0.9999), "<1% to >99%");
        assert_eq!(whole_interval(0.5, 0.5), "50%");
        assert_eq!(whole_interval(0.0, 0.012), "<1% to 2%");
        assert_eq!(whole_percent(0.9449), "94%");
        assert_eq!(whole_percent(0.0049), "<1%");
        assert_eq!(whole_percent(0.995), ">99%");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abcd", 4), "abcd");
        assert_eq!(clip("ééééé", 3), "éé…");
        assert_eq!(clip(&"x".repeat(1 << 20), 60).chars().count(), 60);
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
