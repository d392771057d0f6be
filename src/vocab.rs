//! The closed word lists of the case language that every stage shares: whether evidence
//! was seen, what the numbers make of a judgment, and what an `expect` line says they make
//! of it. The syntax tree holds them as written, the resolved case as resolved, and the
//! engine computes the verdicts, so they live below all three.

use serde::Serialize;

/// Whether evidence was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Found.
    Observed,
    /// Looked for and not found.
    Absent,
    /// Not yet collected.
    Pending,
}

/// How a stated term compares with the numbers (semantics section 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The term is the written term of the point posterior: its band holds the point, or
    /// the point lies in a gap nearer that term (semantics section 7).
    Consistent,
    /// The point does not, but the 5-95% interval reaches the band.
    Defensible,
    /// The band lies above the 5-95% interval.
    Overclaim,
    /// The band lies below the 5-95% interval.
    Underclaim,
}

impl Verdict {
    /// The word users see (`consistent`, `defensible`, `overclaim`, `underclaim`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Defensible => "defensible",
            Verdict::Overclaim => "overclaim",
            Verdict::Underclaim => "underclaim",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// What an `expect` line says the numbers make of a judgment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVerdict {
    /// `overclaims`: the claimed band lies above the 5-95% interval.
    Overclaims,
    /// `underclaims`: the claimed band lies below the 5-95% interval.
    Underclaims,
    /// `holds`: consistent or defensible.
    Holds,
}

impl ExpectedVerdict {
    /// Whether a judgment check's verdict is this one.
    pub fn matches(self, verdict: Verdict) -> bool {
        match self {
            ExpectedVerdict::Overclaims => verdict == Verdict::Overclaim,
            ExpectedVerdict::Underclaims => verdict == Verdict::Underclaim,
            ExpectedVerdict::Holds => {
                matches!(verdict, Verdict::Consistent | Verdict::Defensible)
            }
        }
    }

    /// The word as written.
    pub fn word(self) -> &'static str {
        match self {
            ExpectedVerdict::Overclaims => "overclaims",
            ExpectedVerdict::Underclaims => "underclaims",
            ExpectedVerdict::Holds => "holds",
        }
    }
}

/// How firm the resolution of a case is (`outcome h on DATE strength WORD`), firmest
/// first: a court's verdict outweighs an indictment, which outweighs a government's
/// statement, a security vendor's report, the press, and a claim of responsibility.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// A claim of responsibility, or the actor's own account.
    Claim,
    /// Press reporting.
    Press,
    /// A security vendor's or the victim's attribution.
    Vendor,
    /// A government's public attribution.
    Government,
    /// An indictment, criminal complaint, arrest warrant or sanctions designation.
    Indictment,
    /// A court's conviction, or a guilty plea.
    Conviction,
}

impl Strength {
    /// Every strength, firmest first.
    pub const ALL: [Strength; 6] = [
        Strength::Conviction,
        Strength::Indictment,
        Strength::Government,
        Strength::Vendor,
        Strength::Press,
        Strength::Claim,
    ];

    /// The word as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Conviction => "conviction",
            Strength::Indictment => "indictment",
            Strength::Government => "government",
            Strength::Vendor => "vendor",
            Strength::Press => "press",
            Strength::Claim => "claim",
        }
    }

    /// What resolves a case this firmly, for people (an editor's completion).
    pub fn meaning(self) -> &'static str {
        match self {
            Strength::Conviction => "a court's verdict or a guilty plea",
            Strength::Indictment => "an indictment, complaint, arrest warrant or sanctions",
            Strength::Government => "a government's public attribution",
            Strength::Vendor => "a security vendor's or the victim's attribution",
            Strength::Press => "press reporting",
            Strength::Claim => "a claim of responsibility",
        }
    }

    /// The strength a word names.
    pub fn from_word(word: &str) -> Option<Strength> {
        Strength::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The words as help text: "`conviction`, `indictment`, … or `claim`".
    pub fn word_list() -> String {
        let words: Vec<String> = Strength::ALL
            .iter()
            .map(|s| format!("`{}`", s.as_str()))
            .collect();
        match words.split_last() {
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

impl std::fmt::Display for Strength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}
