//! The reserved words of the case language, as one enum.
//!
//! The parser, the tree's kinds, the help texts and the grammar test all read this list, so a
//! keyword is added in one place.

macro_rules! keywords {
    ($($variant:ident = $word:literal, $starts:literal;)*) => {
        /// A reserved word: no id may be one, and a term never contains one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Keyword {
            $(
                #[doc = concat!("`", $word, "`")]
                $variant,
            )*
        }

        impl Keyword {
            /// Every keyword, in the order of the grammar.
            pub const ALL: &'static [Keyword] = &[$(Keyword::$variant,)*];

            /// The word as written.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Keyword::$variant => $word,)*
                }
            }

            /// The keyword spelled `word` (a `match`, so the lexer's hot path needs no scan).
            pub fn from_word(word: &str) -> Option<Keyword> {
                match word {
                    $($word => Some(Keyword::$variant),)*
                    _ => None,
                }
            }

            /// Whether it starts a declaration (at the start of a line).
            pub fn starts_declaration(self) -> bool {
                match self {
                    $(Keyword::$variant => $starts,)*
                }
            }
        }
    };
}

keywords! {
    Case = "case", true;
    Hypothesis = "hypothesis", true;
    Group = "group", true;
    Source = "source", true;
    Assumption = "assumption", true;
    Evidence = "evidence", true;
    Judgment = "judgment", true;
    Expect = "expect", true;
    Outcome = "outcome", true;
    Yardstick = "yardstick", true;
    Grading = "grading", true;
    Include = "include", true;
    Question = "question", false;
    Event = "event", false;
    Assessed = "assessed", false;
    Analyst = "analyst", false;
    Summary = "summary", false;
    Note = "note", false;
    RowsEquivalent = "rows-equivalent", false;
    Prior = "prior", false;
    Alias = "alias", false;
    CatchAll = "catch-all", false;
    Members = "members", false;
    Reliability = "reliability", false;
    Echoes = "echoes", false;
    Repeats = "repeats", false;
    Cites = "cites", false;
    Given = "given", false;
    Otherwise = "otherwise", false;
    If = "if", false;
    Unless = "unless", false;
    From = "from", false;
    Credibility = "credibility", false;
    Grade = "grade", false;
    Supports = "supports", false;
    Over = "over", false;
    Observed = "observed", false;
    Absent = "absent", false;
    Pending = "pending", false;
    Reported = "reported", false;
    Depends = "depends", false;
    On = "on", false;
    Strength = "strength", false;
    Claims = "claims", false;
    Is = "is", false;
    At = "at", false;
    Least = "least", false;
    Most = "most", false;
    Above = "above", false;
    Below = "below", false;
    In = "in", false;
    Leads = "leads", false;
    Overclaims = "overclaims", false;
    Underclaims = "underclaims", false;
    Holds = "holds", false;
    Confidence = "confidence", false;
    Term = "term", false;
    Point = "point", false;
    Beta = "beta", false;
    Rest = "rest", false;
    Cite = "cite", false;
    Url = "url", false;
}

impl Keyword {
    /// The keywords that start a declaration, in the order of the grammar.
    pub fn declarations() -> impl Iterator<Item = Keyword> {
        Keyword::ALL
            .iter()
            .copied()
            .filter(|k| k.starts_declaration())
    }

    /// The fields a declaration that starts with this keyword may hold, in the order help
    /// texts list them (none for other keywords): the one table the parser's help, the
    /// editor's completion and the grammar test read.
    pub fn fields(self) -> &'static [Keyword] {
        use Keyword::*;
        match self {
            Case => &[
                Question,
                Yardstick,
                Event,
                Assessed,
                Analyst,
                Summary,
                Note,
                RowsEquivalent,
            ],
            Hypothesis => &[Prior, Alias, CatchAll, Note],
            Group => &[Members, Alias, Note],
            Source => &[Reliability, Echoes, Repeats, Cites, Cite, Url, Note],
            Assumption => &[Prior, Given, Alias, Note],
            Evidence => &[
                From,
                Credibility,
                Grade,
                Given,
                Otherwise,
                Supports,
                Observed,
                Absent,
                Pending,
                Depends,
                Reported,
                Cite,
                Url,
                Note,
            ],
            Judgment => &[Claims],
            Yardstick => &[Term, Source],
            Grading => &[Reliability, Credibility],
            _ => &[],
        }
    }

    /// [`Self::fields`] as help text: "`prior`, `alias`, `catch-all`, `note`".
    pub fn field_list(self) -> String {
        let words: Vec<String> = self
            .fields()
            .iter()
            .map(|k| format!("`{}`", k.as_str()))
            .collect();
        words.join(", ")
    }

    /// The declaration keywords as help text: "`case`, `hypothesis`, … or `grading`".
    pub fn declaration_list() -> String {
        let words: Vec<String> = Keyword::declarations()
            .map(|k| format!("`{}`", k.as_str()))
            .collect();
        match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => words.concat(),
        }
    }
}

/// Whether `word` is reserved.
pub fn is_keyword(word: &str) -> bool {
    Keyword::from_word(word).is_some()
}

/// Whether `word` starts a declaration.
pub fn is_declaration(word: &str) -> bool {
    Keyword::from_word(word).is_some_and(Keyword::starts_declaration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_only_keywords_are_reserved() {
        for k in Keyword::ALL {
            assert_eq!(Keyword::from_word(k.as_str()), Some(*k));
        }
        for w in ["apt31", "likely", "Case", "given:", ""] {
            assert!(!is_keyword(w), "{w}");
        }
        let decls: Vec<&str> = Keyword::declarations().map(Keyword::as_str).collect();
        assert_eq!(
            decls,
            [
                "case",
                "hypothesis",
                "group",
                "source",
                "assumption",
                "evidence",
                "judgment",
                "expect",
                "outcome",
                "yardstick",
                "grading",
                "include",
            ]
        );
        assert!(Keyword::declaration_list().ends_with("`grading` or `include`"));
    }
}
