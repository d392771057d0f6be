//! Yardsticks, likelihood-ratio scales and gradings: the data every stage may read.
//!
//! Invariant: this module holds facts and lookups only; it knows nothing about
//! case files, inference or output formats. Every built-in table names its source
//! and edition (see `../shared/domain/yardsticks.md`, copied into the docs).

mod builtin;

pub use builtin::{StixRow, admiralty, builtin_lexicons, builtin_yardsticks, enfsi, stix_tables};

/// One term of a yardstick: a word (with synonyms) standing for a band of probability.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// Canonical name, lower case ("highly likely").
    pub name: String,
    /// Accepted synonyms and inflections, lower case ("probably", "almost certainly").
    pub synonyms: Vec<String>,
    /// Lower edge of the band, as a probability.
    pub lo: f64,
    /// Upper edge of the band, as a probability.
    pub hi: f64,
    /// The representative value used for point computations.
    pub point: f64,
    /// A Beta distribution `(alpha, beta)` for Monte Carlo, when the yardstick carries one.
    pub beta: Option<(f64, f64)>,
    /// For yardsticks with several rows of words (ICD 203), which row the name belongs to.
    pub row: Option<u8>,
    /// Row of each synonym (same length as `synonyms` when `row` is set).
    pub synonym_rows: Vec<Option<u8>>,
}

impl Term {
    /// A term whose band is `[lo, hi]` and whose point is the band's midpoint.
    pub fn new(name: &str, synonyms: &[&str], lo: f64, hi: f64) -> Self {
        Term {
            name: name.to_string(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            lo,
            hi,
            point: (lo + hi) / 2.0,
            beta: None,
            row: None,
            synonym_rows: Vec::new(),
        }
    }

    /// The band as "55-75%".
    pub fn band_text(&self) -> String {
        crate::format::format_band(self.lo, self.hi)
    }

    /// Whether `p` lies in the closed band.
    pub fn contains(&self, p: f64) -> bool {
        p >= self.lo - 1e-12 && p <= self.hi + 1e-12
    }
}

/// An ordered scale of estimative terms, such as the UK PHIA Probability Yardstick.
#[derive(Clone, Debug, PartialEq)]
pub struct Yardstick {
    /// Short name used in case files and on the command line (`phia`).
    pub name: String,
    /// Full title.
    pub title: String,
    /// Where the table comes from, with edition.
    pub source: String,
    /// Notes on how the figures were sourced.
    pub note: String,
    /// Terms in ascending order of probability.
    pub terms: Vec<Term>,
    /// Names of the rows, when the yardstick has several rows of words (ICD 203).
    pub rows: Vec<String>,
}

/// Where a phrase was found in a yardstick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermMatch {
    /// Index of the term in [`Yardstick::terms`].
    pub term_idx: usize,
    /// The row of the exact wording matched, if the yardstick has rows.
    pub row: Option<u8>,
}

/// Lower-cases and collapses whitespace, so that "Highly\n  Likely" reads "highly likely".
pub fn normalize_phrase(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    for word in phrase.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

impl Yardstick {
    /// "almost certain (95-100%)": term `idx` with its band (empty when there is none).
    pub fn term_with_band(&self, idx: usize) -> String {
        self.terms
            .get(idx)
            .map_or_else(String::new, |t| format!("{} ({})", t.name, t.band_text()))
    }

    /// Finds a phrase (already normalised) among the terms and synonyms.
    pub fn find(&self, phrase: &str) -> Option<TermMatch> {
        for (term_idx, term) in self.terms.iter().enumerate() {
            if term.name == phrase {
                return Some(TermMatch {
                    term_idx,
                    row: term.row,
                });
            }
            if let Some(pos) = term.synonyms.iter().position(|s| s == phrase) {
                let row = term.synonym_rows.get(pos).copied().flatten().or(term.row);
                return Some(TermMatch { term_idx, row });
            }
        }
        None
    }

    /// The term at `term_idx`.
    pub fn term(&self, term_idx: usize) -> Option<&Term> {
        self.terms.get(term_idx)
    }

    /// The canonical names of its terms, comma-separated: "remote chance, highly unlikely, ...".
    pub fn term_names(&self) -> String {
        self.terms
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every wording this yardstick accepts, with the index of its term.
    pub fn wordings(&self) -> impl Iterator<Item = (&str, usize)> {
        self.terms.iter().enumerate().flat_map(|(idx, term)| {
            std::iter::once((term.name.as_str(), idx))
                .chain(term.synonyms.iter().map(move |s| (s.as_str(), idx)))
        })
    }
}

/// A verbal scale for likelihood ratios (the ENFSI scale for evaluative reporting).
#[derive(Clone, Debug, PartialEq)]
pub struct RatioScale {
    /// Short name (`enfsi`).
    pub name: String,
    /// Full title.
    pub title: String,
    /// Source and edition.
    pub source: String,
    /// Steps in ascending order of strength.
    pub steps: Vec<RatioStep>,
}

/// One step of a likelihood-ratio scale.
#[derive(Clone, Debug, PartialEq)]
pub struct RatioStep {
    /// The strength word as used in case files ("moderately strong").
    pub name: String,
    /// Synonyms ("limited" for "weak").
    pub synonyms: Vec<String>,
    /// Lower edge of the likelihood ratio.
    pub lo: f64,
    /// Upper edge of the likelihood ratio.
    pub hi: f64,
}

impl RatioStep {
    /// Representative ratio: the geometric midpoint of the band.
    pub fn point(&self) -> f64 {
        (self.lo * self.hi).sqrt()
    }
}

impl RatioScale {
    /// Finds a strength word (normalised), also accepting a trailing "support".
    pub fn find(&self, phrase: &str) -> Option<usize> {
        let phrase = phrase.strip_suffix(" support").unwrap_or(phrase);
        self.steps
            .iter()
            .position(|s| s.name == phrase || s.synonyms.iter().any(|x| x == phrase))
    }

    /// The words for a likelihood ratio `lr` in favour of `h`, e.g. "moderate support for apt31".
    pub fn describe(&self, lr: f64, h: &str, against: &str) -> String {
        if !lr.is_finite() || lr <= 0.0 {
            return if lr > 0.0 {
                format!("conclusive support for {h}")
            } else {
                format!("conclusive support for {against}")
            };
        }
        let (strength, for_whom) = if lr >= 1.0 {
            (lr, h)
        } else {
            (1.0 / lr, against)
        };
        if strength < 1.0 + 1e-9 {
            return "no support either way".to_string();
        }
        // between 1 and the first step: a gap in the published scale, worded as the
        // yardsticks' gaps are
        if let Some(first) = self.steps.first()
            && strength < first.lo
        {
            return format!(
                "between no support and {} support for {for_whom}",
                first.name
            );
        }
        let step = self
            .steps
            .iter()
            .rev()
            .find(|s| strength >= s.lo)
            .or(self.steps.first());
        match step {
            Some(step) => format!("{} support for {}", step.name, for_whom),
            None => "no support either way".to_string(),
        }
    }
}

/// The Admiralty reliability grades A-F in words.
pub const RELIABILITY_WORDS: [&str; 6] = [
    "completely reliable",
    "usually reliable",
    "fairly reliable",
    "not usually reliable",
    "unreliable",
    "reliability cannot be judged",
];

/// The Admiralty credibility grades 1-6 in words.
pub const CREDIBILITY_WORDS: [&str; 6] = [
    "confirmed by other sources",
    "probably true",
    "possibly true",
    "doubtful",
    "improbable",
    "truth cannot be judged",
];

/// Numbers for Admiralty grades: reliability A-F and credibility 1-6.
#[derive(Clone, Debug, PartialEq)]
pub struct Grading {
    /// Probability that a source graded A, B, C, D, E, F is sound.
    pub reliability: [f64; 6],
    /// Probability that an item graded 1..6 is accurate.
    pub credibility: [f64; 6],
}

impl Grading {
    /// Reliability of letter `A`..`F`.
    pub fn reliability_of(&self, letter: char) -> Option<f64> {
        reliability_index(letter).map(|i| self.reliability[i])
    }

    /// Credibility of digit 1..6.
    pub fn credibility_of(&self, digit: u8) -> Option<f64> {
        credibility_index(digit).map(|i| self.credibility[i])
    }
}

/// Index 0..6 of a reliability letter.
pub fn reliability_index(letter: char) -> Option<usize> {
    match letter.to_ascii_uppercase() {
        c @ 'A'..='F' => Some(c as usize - 'A' as usize),
        _ => None,
    }
}

/// Index 0..6 of a credibility digit.
pub fn credibility_index(digit: u8) -> Option<usize> {
    (1..=6).contains(&digit).then(|| digit as usize - 1)
}

/// The built-in yardstick (or fitted lexicon) called `name`, if any.
pub fn builtin_yardstick(name: &str) -> Option<Yardstick> {
    builtin_yardsticks()
        .into_iter()
        .chain(builtin_lexicons())
        .find(|y| y.name == name)
}

/// A yardstick term never means impossibility or certainty: band edges at 0 or 1
/// are taken as this far inside, so that no term alone can rule a hypothesis out.
pub const TERM_EDGE: f64 = 0.001;

/// Phrases that are not yardstick terms but are often used as if they were,
/// with the nearest defined term and why.
pub fn known_non_terms() -> &'static [(&'static str, &'static str, &'static str)] {
    &[
        (
            "high likelihood",
            "highly likely",
            "`high likelihood` is risk-matrix language, not a yardstick term",
        ),
        (
            "low likelihood",
            "unlikely",
            "`low likelihood` is risk-matrix language, not a yardstick term",
        ),
        (
            "strong possibility",
            "likely",
            "`strong possibility` is not a yardstick term; readers read it anywhere from 40% to 80%",
        ),
        (
            "good chance",
            "likely",
            "`good chance` is not a yardstick term; readers disagree widely on what it means",
        ),
        (
            "real possibility",
            "realistic possibility",
            "`real possibility` was read as anything from 20% to 80% (Mauboussin & Mauboussin, 2018)",
        ),
        (
            "fair chance",
            "realistic possibility",
            "`fair chance` was read as anything from 15% to 75% (Mauboussin & Mauboussin, 2018)",
        ),
        (
            "certain",
            "almost certain",
            "no yardstick term means certainty: intelligence judgments are never 100%",
        ),
        (
            "certainly",
            "almost certain",
            "no yardstick term means certainty: intelligence judgments are never 100%",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::suggest;

    #[test]
    fn phia_has_seven_terms_with_gaps() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(phia.terms.len(), 7);
        let names: Vec<&str> = phia.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "remote chance",
                "highly unlikely",
                "unlikely",
                "realistic possibility",
                "likely",
                "highly likely",
                "almost certain"
            ]
        );
        // every band is followed by a deliberate gap
        for pair in phia.terms.windows(2) {
            assert!(
                pair[1].lo > pair[0].hi,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
        let m = phia.find("almost certainly").unwrap();
        assert_eq!(phia.terms[m.term_idx].name, "almost certain");
        assert_eq!(phia.find("probably").unwrap().term_idx, 4);
        assert_eq!(phia.find("high likelihood"), None);
    }

    #[test]
    fn icd203_rows_are_told_apart() {
        let icd = builtin_yardstick("icd203").unwrap();
        assert_eq!(icd.find("very likely").unwrap().row, Some(0));
        assert_eq!(icd.find("highly probable").unwrap().row, Some(1));
        assert_eq!(
            icd.find("highly probable").unwrap().term_idx,
            icd.find("very likely").unwrap().term_idx
        );
    }

    #[test]
    fn suggestions_come_from_edit_distance() {
        let phia = builtin_yardstick("phia").unwrap();
        assert_eq!(
            suggest("highly likly", phia.wordings().map(|(w, _)| w)),
            Some("highly likely")
        );
        assert_eq!(suggest("zebra", phia.wordings().map(|(w, _)| w)), None);
    }

    #[test]
    fn enfsi_words_for_ratios() {
        let scale = enfsi();
        assert_eq!(scale.describe(50.0, "a", "b"), "moderate support for a");
        assert_eq!(
            scale.describe(1.0 / 500.0, "a", "b"),
            "moderately strong support for b"
        );
        assert_eq!(
            scale.describe(1.5, "a", "b"),
            "between no support and weak support for a"
        );
        assert_eq!(scale.describe(1.0, "a", "b"), "no support either way");
        assert_eq!(scale.find("moderately strong support"), Some(2));
        assert!((scale.steps[1].point() - 1000f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn normalize_collapses_space_and_case() {
        assert_eq!(normalize_phrase("  Highly\n\tLikely "), "highly likely");
    }
}
