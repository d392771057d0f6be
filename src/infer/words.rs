//! From numbers back to words (semantics section 7): where a probability falls on a
//! yardstick, the term an analyst would write for it, and the sentences that say so.
//!
//! **The written term** of a probability is the term whose band holds it, or, in a gap
//! between two bands (or beyond either end of the yardstick), the nearer term, the lower on
//! a tie. Yardsticks such as PHIA leave their gaps on purpose and recommend nothing there:
//! the nearer term is acre's suggestion, and every text that gives it says so. Every
//! comparison of words in acre (linchpins, flips, the confidence rules, what would move a
//! judgment, the verdicts on judgments and on review's `--case`) compares written terms
//! ([`Placement::written`], [`written`]): a change that keeps the written term is not a
//! change of the judgment.

use crate::format::whole_interval;
use crate::lexicon::Yardstick;

/// Where a probability falls on a yardstick.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The term whose band holds the value, if any.
    pub band: Option<usize>,
    /// The written term: the band's term, or outside every band the nearer term (the lower
    /// on a tie), acre's suggestion.
    pub written: usize,
    /// Where the value falls, in plain words: "highly likely", "between highly likely and
    /// almost certain", "below almost no chance".
    pub words: String,
}

impl Placement {
    /// Whether the value falls outside every band (in a gap or beyond an end).
    pub fn outside_bands(&self) -> bool {
        self.band.is_none()
    }
}

/// `p` as a percentage that reads as the same words as `p` itself: one decimal, and more
/// where rounding would carry it across a band edge (94.96%, not 95.0%, beside "very
/// likely").
pub fn pct(y: &Yardstick, p: f64) -> String {
    let words = place(y, p).words;
    // a band holds values within 1e-12 of its edges, so ten decimals of a percentage
    // always tell a value in a gap from the edge beside it
    for decimals in 1..=10 {
        let shown = format!("{:.*}", decimals, p * 100.0);
        let back = shown.parse::<f64>().map_or(p, |x| x / 100.0);
        if place(y, back).words == words {
            return format!("{shown}%");
        }
    }
    format!("{:.10}%", p * 100.0)
}

/// The written term of `p` on `y` (an index into `y.terms`).
pub fn written(y: &Yardstick, p: f64) -> usize {
    place(y, p).written
}

/// The probabilities whose written term is term `idx`: `(from, to)`, where `from` is
/// excluded unless it is 0 and `to` included. The edges are the band edges where bands
/// meet, and the middles of the gaps where they do not (a tie goes to the lower term).
pub fn written_range(y: &Yardstick, idx: usize) -> (f64, f64) {
    let t = &y.terms[idx];
    let from = match idx.checked_sub(1).map(|i| &y.terms[i]) {
        Some(below) if below.hi < t.lo => (below.hi + t.lo) / 2.0,
        Some(_) => t.lo,
        None => 0.0,
    };
    let to = match y.terms.get(idx + 1) {
        Some(above) if t.hi < above.lo => (t.hi + above.lo) / 2.0,
        Some(_) => t.hi,
        None => 1.0,
    };
    (from, to)
}

/// Places `p` on the yardstick.
pub fn place(y: &Yardstick, p: f64) -> Placement {
    match where_(y, p) {
        Where::Band(idx) => Placement {
            band: Some(idx),
            written: idx,
            words: y.terms[idx].name.clone(),
        },
        Where::Below => Placement {
            band: None,
            written: 0,
            words: format!("below {}", y.terms[0].name),
        },
        Where::Above => {
            let last = y.terms.len() - 1;
            Placement {
                band: None,
                written: last,
                words: format!("above {}", y.terms[last].name),
            }
        }
        Where::Gap(lower) => {
            let upper = lower + 1;
            let d_lower = p - y.terms[lower].hi;
            let d_upper = y.terms[upper].lo - p;
            // a tie (within rounding) goes to the lower term
            let written = if d_upper < d_lower - 1e-12 {
                upper
            } else {
                lower
            };
            Placement {
                band: None,
                written,
                words: format!(
                    "between {} and {}",
                    y.terms[lower].name, y.terms[upper].name
                ),
            }
        }
    }
}

/// Where a value falls: in a band, in the gap above band `i`, or beyond an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Where {
    Below,
    Band(usize),
    Gap(usize),
    Above,
}

impl Where {
    /// The order along the yardstick: below, band 0, gap 0, band 1, ...
    fn rank(self) -> usize {
        match self {
            Where::Below => 0,
            Where::Band(i) => 2 * i + 1,
            Where::Gap(i) => 2 * i + 2,
            Where::Above => usize::MAX,
        }
    }
}

fn where_(y: &Yardstick, p: f64) -> Where {
    if let Some(idx) = y.terms.iter().position(|t| t.contains(p)) {
        return Where::Band(idx);
    }
    if p < y.terms[0].lo {
        return Where::Below;
    }
    match y.terms.iter().position(|t| t.lo > p) {
        Some(upper) if upper > 0 => Where::Gap(upper - 1),
        _ => Where::Above,
    }
}

/// `p` with its words, for running text: "almost certain (96.5%)"; in a gap "between highly
/// likely and almost certain (90.2%; the nearer term is highly likely)". A term is never
/// printed beside a number outside its band.
pub fn stated(y: &Yardstick, p: f64) -> String {
    let v = place(y, p);
    match v.band {
        Some(_) => format!("{} ({})", v.words, pct(y, p)),
        None => format!(
            "{} ({}; the nearer term is {})",
            v.words,
            pct(y, p),
            y.terms[v.written].name
        ),
    }
}

/// `p` for a clause that already names what moves: "highly likely (84.6%)"; in a gap "92.3%,
/// in the gap where the nearer term is highly likely".
pub fn written_words(y: &Yardstick, p: f64) -> String {
    let v = place(y, p);
    match v.band {
        Some(_) => format!("{} ({})", v.words, pct(y, p)),
        None => format!(
            "{}, {} where the nearer term is {}",
            pct(y, p),
            match v.words.split_whitespace().next() {
                Some("between") => "in the gap",
                Some("below") => "below the lowest band",
                _ => "above the highest band",
            },
            y.terms[v.written].name
        ),
    }
}

/// The note on a placement outside every band: the yardstick leaves the range without a
/// term, and the nearer term is acre's suggestion. `None` inside a band.
pub fn gap_note(y: &Yardstick, v: &Placement) -> Option<String> {
    v.band.is_none().then(|| {
        format!(
            "{} has no term {}; acre suggests the nearer term, {}",
            y.display_name(),
            v.words,
            y.term_with_band(v.written)
        )
    })
}

/// The sentence on a 90% interval that reaches over more than one band or gap: "the 90%
/// interval (93-97%) reaches from the gap below almost certain into almost certain". `None`
/// when both ends fall in the same band or gap. The interval is shown in whole points
/// (semantics section 6).
pub fn interval_note(y: &Yardstick, p05: f64, p95: f64) -> Option<String> {
    let (lo, hi) = (where_(y, p05), where_(y, p95));
    if lo.rank() >= hi.rank() {
        return None;
    }
    let term = |i: usize| y.terms[i].name.as_str();
    let n = y.terms.len();
    // the bands wholly inside, between the two ends
    let first_inside = match lo {
        Where::Below => 0,
        Where::Band(i) | Where::Gap(i) => i + 1,
        Where::Above => n,
    };
    let last_inside = match hi {
        Where::Below => 0,
        Where::Band(i) => i,
        Where::Gap(i) => i + 1,
        Where::Above => n,
    };
    let inside: Vec<&str> = (first_inside..last_inside).map(term).collect();
    // the band the lower end is read against ("the gap below X"): the next band named
    let next_named = inside.first().copied().or(match hi {
        Where::Band(i) => Some(term(i)),
        _ => None,
    });
    let from = match lo {
        Where::Below => format!("the range below {}", term(0)),
        Where::Band(i) => term(i).to_string(),
        Where::Gap(i) if next_named == Some(term(i + 1)) => {
            format!("the gap below {}", term(i + 1))
        }
        Where::Gap(i) => format!("the gap between {} and {}", term(i), term(i + 1)),
        Where::Above => format!("the range above {}", term(n - 1)),
    };
    // the band named just before the upper end ("the gap above it")
    let previous_named = inside.last().copied().or(match lo {
        Where::Band(i) => Some(term(i)),
        _ => None,
    });
    let to = match hi {
        Where::Band(i) => term(i).to_string(),
        Where::Gap(i) if previous_named == Some(term(i)) => "the gap above it".to_string(),
        Where::Gap(i) => format!("the gap between {} and {}", term(i), term(i + 1)),
        Where::Above if previous_named == Some(term(n - 1)) => "the range above it".to_string(),
        Where::Above => format!("the range above {}", term(n - 1)),
        Where::Below => format!("the range below {}", term(0)),
    };
    let across = match inside.as_slice() {
        [] => " ".to_string(),
        [one] => format!(", across {one}, "),
        [init @ .., last] => format!(", across {} and {last}, ", init.join(", ")),
    };
    Some(format!(
        "the 90% interval ({}) reaches from {from}{across}into {to}",
        whole_interval(p05, p95)
    ))
}

/// A list for running text, at most `keep` entries named and the rest counted: "a, b and
/// c", "a, b, c and 2 more". Entries that hold commas are kept apart by semicolons.
pub fn capped_list(entries: &[String], keep: usize) -> String {
    let keep = keep.max(1);
    let sep = if entries.iter().any(|e| e.contains(',')) {
        "; "
    } else {
        ", "
    };
    let and = if sep == "; " { "; and " } else { " and " };
    match entries {
        [] => String::new(),
        [one] => one.clone(),
        _ if entries.len() <= keep => format!(
            "{}{and}{}",
            entries[..entries.len() - 1].join(sep),
            entries[entries.len() - 1]
        ),
        _ => format!(
            "{}{and}{} more",
            entries[..keep].join(sep),
            entries.len() - keep
        ),
    }
}

/// A hypothesis's or assumption's label as the subject of a sentence: a leading
/// determiner or indefinite pronoun in lower case ("another China state-affiliated actor",
/// "someone else"), names kept as written.
pub fn label_as_subject(label: &str) -> String {
    const LOWER: [&str; 14] = [
        "a", "an", "another", "any", "anyone", "other", "others", "some", "someone", "somebody",
        "the", "one", "no", "none",
    ];
    let first = label.split_whitespace().next().unwrap_or("");
    let bare = first.trim_matches(|c: char| !c.is_alphanumeric());
    // "A" before more words is the article, not a name in capitals
    let article_a = first == "A"
        && label
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| !matches!(w, "or" | "and" | "&" | "/" | "nor"));
    if LOWER.contains(&bare.to_lowercase().as_str()) && (bare != bare.to_uppercase() || article_a) {
        let mut chars = label.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        label.to_string()
    }
}

/// The note on a hypothesis's or assumption's words: the gap note, then the interval note.
pub fn term_note(y: &Yardstick, point: &Placement, p05: f64, p95: f64) -> Option<String> {
    let notes: Vec<String> = gap_note(y, point)
        .into_iter()
        .chain(interval_note(y, p05, p95))
        .collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::builtin_yardstick;

    #[test]
    fn a_label_as_a_subject_lowers_its_article_not_its_names() {
        assert_eq!(
            label_as_subject("A Russian state actor"),
            "a Russian state actor"
        );
        assert_eq!(label_as_subject("Another actor"), "another actor");
        assert_eq!(label_as_subject("APT31"), "APT31");
        assert_eq!(label_as_subject("A"), "A");
        assert_eq!(label_as_subject("A or B"), "A or B");
        assert_eq!(label_as_subject("ONE Group"), "ONE Group");
    }

    #[test]
    fn gaps_write_the_nearer_term_and_the_lower_on_a_tie() {
        let phia = builtin_yardstick("phia").unwrap();
        let v = place(&phia, 0.85);
        assert_eq!((v.band, v.words.as_str()), (Some(5), "highly likely"));
        let v = place(&phia, 0.93);
        assert_eq!(v.words, "between highly likely and almost certain");
        assert_eq!(v.written, 6); // 0.02 from 95%, 0.03 from 90%
        let v = place(&phia, 0.925);
        assert_eq!(v.written, 5); // a tie goes to the lower term
        let v = place(&phia, 0.52);
        assert_eq!(v.words, "between realistic possibility and likely");
        assert_eq!(v.written, 3);
        let icd = builtin_yardstick("icd203").unwrap();
        assert_eq!(place(&icd, 0.995).words, "above almost certain");
        assert_eq!(place(&icd, 0.995).written, 6);
        assert_eq!(place(&icd, 0.001).words, "below almost no chance");
        assert_eq!(place(&icd, 0.001).written, 0);
    }

    #[test]
    fn written_ranges_meet_at_the_middles_of_the_gaps() {
        // PHIA: highly likely 80-90%, almost certain 95-100%, likely 55-75%
        let phia = builtin_yardstick("phia").unwrap();
        let near = |a: (f64, f64), b: (f64, f64)| {
            assert!(
                (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                "{a:?} {b:?}"
            )
        };
        near(written_range(&phia, 5), (0.775, 0.925));
        near(written_range(&phia, 6), (0.925, 1.0));
        near(written_range(&phia, 0), (0.0, 0.075));
        // ICD 203's bands meet: very likely 80-95%, almost certain 95-99%
        let icd = builtin_yardstick("icd203").unwrap();
        near(written_range(&icd, 5), (0.80, 0.95));
        near(written_range(&icd, 6), (0.95, 1.0));
        // every range agrees with `written` on either side of its edges, by brute force
        for y in [&phia, &icd] {
            for i in 0..=1000 {
                let p = f64::from(i) / 1000.0;
                let w = written(y, p);
                let (from, to) = written_range(y, w);
                assert!(p >= from - 1e-12 && p <= to + 1e-12, "{p} {w} {from} {to}");
            }
        }
    }

    #[test]
    fn capped_lists_name_a_few_and_count_the_rest() {
        let l = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(capped_list(&l(&[]), 3), "");
        assert_eq!(capped_list(&l(&["a"]), 3), "a");
        assert_eq!(capped_list(&l(&["a", "b", "c"]), 3), "a, b and c");
        assert_eq!(
            capped_list(&l(&["a", "b", "c", "d", "e"]), 3),
            "a, b, c and 2 more"
        );
        assert_eq!(capped_list(&l(&["a, x", "b"]), 3), "a, x; and b");
    }

    #[test]
    fn stated_never_puts_a_term_beside_a_number_outside_its_band() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(stated(&phia, 0.965), "almost certain (96.5%)");
        assert_eq!(
            stated(&phia, 0.902),
            "between highly likely and almost certain (90.2%; the nearer term is highly likely)"
        );
        assert_eq!(
            gap_note(&phia, &place(&phia, 0.945)).unwrap(),
            "PHIA has no term between highly likely and almost certain; acre suggests the nearer term, almost certain (95-100%)"
        );
        assert_eq!(gap_note(&phia, &place(&phia, 0.85)), None);
    }

    #[test]
    fn interval_notes_name_what_the_interval_reaches_over() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(interval_note(&phia, 0.82, 0.88), None);
        assert_eq!(interval_note(&phia, 0.91, 0.94), None);
        assert_eq!(
            interval_note(&phia, 0.70, 0.96).unwrap(),
            "the 90% interval (70-96%) reaches from likely, across highly likely, into almost certain"
        );
        assert_eq!(
            interval_note(&phia, 0.949, 0.974).unwrap(),
            "the 90% interval (94-98%) reaches from the gap below almost certain into almost certain"
        );
        assert_eq!(
            interval_note(&phia, 0.786, 0.949).unwrap(),
            "the 90% interval (78-95%) reaches from the gap below highly likely, across highly likely, into the gap above it"
        );
    }
}
