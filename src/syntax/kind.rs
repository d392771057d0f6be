//! The kinds of the lossless tree's tokens and nodes (shared by the parser, which records
//! nodes, and the tree, which builds them).

use super::keyword::Keyword;

macro_rules! syntax_kinds {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// The kind of a token or a node.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u16)]
        pub enum SyntaxKind {
            $($(#[$doc])* $kind,)*
        }

        /// Every kind, indexed by its number (written by the same list as the enum).
        pub(super) const ALL_KINDS: &[SyntaxKind] = &[$(SyntaxKind::$kind,)*];
    };
}

syntax_kinds! {
    /// A word: an id, a keyword, a grade or a word of a term.
    Word,
    /// A plain number.
    Number,
    /// A percentage.
    Percent,
    /// A date.
    Date,
    /// A quoted string.
    String,
    /// A triple-quoted text block.
    TextBlock,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// `..`
    DotDot,
    /// Spaces, tabs and line breaks.
    Whitespace,
    /// A comment, `#` or `//` to the end of the line.
    Comment,
    /// The byte-order mark at the start of a file.
    ByteOrderMark,
    /// Text that could not be read as a token (already reported).
    ErrorToken,
    /// The whole file.
    File,
    /// `case`
    CaseDecl,
    /// `hypothesis`
    HypothesisDecl,
    /// `group`
    GroupDecl,
    /// `source`
    SourceDecl,
    /// `assumption`
    AssumptionDecl,
    /// `evidence`
    EvidenceDecl,
    /// `judgment`
    JudgmentDecl,
    /// `expect`
    ExpectDecl,
    /// `outcome`
    OutcomeDecl,
    /// `yardstick`
    YardstickDecl,
    /// `grading`
    GradingDecl,
    /// `include`
    IncludeDecl,
    /// `{ … }` after a declaration's head.
    Block,
    /// One field: its keyword and its value (`given apt31: likely`, `prior 20%`).
    Field,
    /// Text that could not be read as a declaration or a field.
    Error,
}

impl SyntaxKind {
    /// The node kind of a declaration that starts with `keyword` (an error node for
    /// keywords that start none).
    pub fn declaration(keyword: Keyword) -> SyntaxKind {
        match keyword {
            Keyword::Case => SyntaxKind::CaseDecl,
            Keyword::Hypothesis => SyntaxKind::HypothesisDecl,
            Keyword::Group => SyntaxKind::GroupDecl,
            Keyword::Source => SyntaxKind::SourceDecl,
            Keyword::Assumption => SyntaxKind::AssumptionDecl,
            Keyword::Evidence => SyntaxKind::EvidenceDecl,
            Keyword::Judgment => SyntaxKind::JudgmentDecl,
            Keyword::Expect => SyntaxKind::ExpectDecl,
            Keyword::Outcome => SyntaxKind::OutcomeDecl,
            Keyword::Yardstick => SyntaxKind::YardstickDecl,
            Keyword::Grading => SyntaxKind::GradingDecl,
            Keyword::Include => SyntaxKind::IncludeDecl,
            _ => SyntaxKind::Error,
        }
    }

    /// Whether this kind is a declaration node.
    pub fn is_declaration(self) -> bool {
        (SyntaxKind::CaseDecl..=SyntaxKind::IncludeDecl).contains(&self)
    }

    /// Whether this kind is trivia: whitespace, a comment or the byte-order mark.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            SyntaxKind::Whitespace | SyntaxKind::Comment | SyntaxKind::ByteOrderMark
        )
    }
}
