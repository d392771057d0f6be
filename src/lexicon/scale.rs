//! What the lexicon is made of: yardsticks and their terms, likelihood-ratio scales, and
//! gradings, with their lookups.

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
    /// The name people write: "PHIA", "ICD 203", "Kent", "IPCC"; a case's own yardstick by
    /// its id.
    pub fn display_name(&self) -> &str {
        match self.name.as_str() {
            "phia" => "PHIA",
            "icd203" => "ICD 203",
            "kent" => "Kent",
            "ipcc" => "IPCC",
            other => other,
        }
    }

    /// "a PHIA term", "an ICD 203 term".
    pub fn a_term(&self) -> String {
        let name = self.display_name();
        let article = if name
            .starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
            && name
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_uppercase() || c == ' ')
            || name.starts_with(['a', 'e', 'i', 'o', 'u'])
        {
            "an"
        } else {
            "a"
        };
        format!("{article} {name} term")
    }

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
