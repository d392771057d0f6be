//! The kinds of the lossless tree's tokens and nodes (shared by the parser, which records
//! nodes, and the tree, which builds them).

use super::keyword::Keyword;
use super::lexer::TokenKind;

/// The kind of a token or a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // tokens
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
    // nodes
    /// The whole file.
    File,
    /// `case`
    CaseDecl,
    /// `hypothesis`
    HypothesisDecl,
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

    /// The number of the last kind.
    pub(super) const LAST: u16 = SyntaxKind::Error as u16;

    /// The kind of a lexer token.
    pub(super) fn token(kind: TokenKind) -> SyntaxKind {
        match kind {
            TokenKind::Word => SyntaxKind::Word,
            TokenKind::Number(_) => SyntaxKind::Number,
            TokenKind::Percent(_) => SyntaxKind::Percent,
            TokenKind::Date => SyntaxKind::Date,
            TokenKind::Str => SyntaxKind::String,
            TokenKind::TextBlock => SyntaxKind::TextBlock,
            TokenKind::LBrace => SyntaxKind::LBrace,
            TokenKind::RBrace => SyntaxKind::RBrace,
            TokenKind::Colon => SyntaxKind::Colon,
            TokenKind::Comma => SyntaxKind::Comma,
            TokenKind::DotDot => SyntaxKind::DotDot,
            TokenKind::Error => SyntaxKind::ErrorToken,
        }
    }
}

/// Every kind, indexed by its number.
pub(super) const ALL_KINDS: [SyntaxKind; SyntaxKind::LAST as usize + 1] = [
    SyntaxKind::Word,
    SyntaxKind::Number,
    SyntaxKind::Percent,
    SyntaxKind::Date,
    SyntaxKind::String,
    SyntaxKind::TextBlock,
    SyntaxKind::LBrace,
    SyntaxKind::RBrace,
    SyntaxKind::Colon,
    SyntaxKind::Comma,
    SyntaxKind::DotDot,
    SyntaxKind::Whitespace,
    SyntaxKind::Comment,
    SyntaxKind::ByteOrderMark,
    SyntaxKind::ErrorToken,
    SyntaxKind::File,
    SyntaxKind::CaseDecl,
    SyntaxKind::HypothesisDecl,
    SyntaxKind::SourceDecl,
    SyntaxKind::AssumptionDecl,
    SyntaxKind::EvidenceDecl,
    SyntaxKind::JudgmentDecl,
    SyntaxKind::ExpectDecl,
    SyntaxKind::OutcomeDecl,
    SyntaxKind::YardstickDecl,
    SyntaxKind::GradingDecl,
    SyntaxKind::IncludeDecl,
    SyntaxKind::Block,
    SyntaxKind::Field,
    SyntaxKind::Error,
];
