//! The lossless syntax tree: every byte of a case file, comments and whitespace included.
//!
//! Built with rowan (rust-analyzer's red-green tree) from the lexer's tokens, the gaps
//! between them (whitespace, comments, a byte-order mark) and the nodes the parser
//! recorded. Parsing never fails: text that starts no declaration is an [`SyntaxKind::Error`]
//! node, a field that could not be read is one inside its block, and a declaration with an
//! error keeps its kind. Printing the tree gives back the input exactly
//! (`tree.syntax().to_string() == source`).
//!
//! On top of the untyped nodes sit typed views ([`Declaration`], [`Field`]) for tools that
//! work on the text as written: the formatter and the language server. The checker reads
//! the lowered [`super::ast`], which the same parse produces.

use super::keyword::Keyword;
use super::kind::ALL_KINDS;
pub use super::kind::SyntaxKind;
use super::lexer::Token;
use super::parser::NodeRange;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use rowan::{GreenNodeBuilder, NodeOrToken};

/// The case language, for rowan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Acre {}

impl rowan::Language for Acre {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        // every raw kind in a tree was written by `kind_to_raw`
        ALL_KINDS
            .get(usize::from(raw.0))
            .copied()
            .unwrap_or(SyntaxKind::Error)
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        rowan::SyntaxKind(kind as u16)
    }
}

/// A node of the tree.
pub type SyntaxNode = rowan::SyntaxNode<Acre>;
/// A token of the tree (trivia included).
pub type SyntaxToken = rowan::SyntaxToken<Acre>;
/// A node or a token.
pub type SyntaxElement = rowan::SyntaxElement<Acre>;

/// The largest text a tree can hold (rowan counts offsets in `u32`); larger texts are cut
/// here, which only an editor would see: the command line refuses inputs over 256 MB unless
/// told otherwise.
pub const MAX_TREE_BYTES: usize = u32::MAX as usize;

/// A parsed file: its lossless tree and every diagnostic of lexing and parsing.
#[derive(Clone, Debug)]
pub struct Parse {
    green: rowan::GreenNode,
    /// Lexer and parser diagnostics, as [`super::parse`] gives them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parse {
    /// The root node (kind [`SyntaxKind::File`]).
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The declarations in order.
    pub fn declarations(&self) -> impl Iterator<Item = Declaration> {
        self.syntax().children().filter_map(Declaration::cast)
    }
}

/// Parses `source` into its lossless tree. Never fails.
pub fn parse(source: &str) -> Parse {
    parse_with_ast(source).0
}

/// The lossless tree and the lowered [`super::ast`] of one parse (an editor wants both).
pub fn parse_with_ast(source: &str) -> (Parse, super::ast::CaseFile) {
    let source = match source.get(..MAX_TREE_BYTES) {
        Some(cut) if cut.len() < source.len() => {
            let mut end = MAX_TREE_BYTES;
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            &source[..end]
        }
        _ => source,
    };
    let mut diagnostics = Vec::new();
    let tokens = super::lexer::lex(source, &mut diagnostics);
    let (file, mut parse_diags, nodes) = super::parser::parse_tokens_with_nodes(source, &tokens);
    diagnostics.append(&mut parse_diags);
    let parse = Parse {
        green: build(source, &tokens, nodes),
        diagnostics,
    };
    (parse, file)
}

/// Builds the green tree: nodes opened and closed around tokens, trivia in the gaps.
fn build(source: &str, tokens: &[Token], mut nodes: Vec<NodeRange>) -> rowan::GreenNode {
    // outer nodes first: by start, then the longest; among equal ranges the parser
    // recorded the inner one first
    let order: Vec<usize> = {
        let mut idx: Vec<usize> = (0..nodes.len()).collect();
        idx.sort_by_key(|&i| {
            (
                nodes[i].start,
                std::cmp::Reverse(nodes[i].end),
                usize::MAX - i,
            )
        });
        idx
    };
    nodes = order.into_iter().map(|i| nodes[i]).collect();
    let mut b = GreenNodeBuilder::new();
    b.start_node(rowan::SyntaxKind(SyntaxKind::File as u16));
    let mut open: Vec<usize> = Vec::new(); // end token of each open node
    let mut next = nodes.iter().peekable();
    let mut at = 0usize;
    for (i, tok) in tokens.iter().enumerate() {
        while open.last().is_some_and(|&end| end <= i) {
            open.pop();
            b.finish_node();
        }
        trivia(&mut b, &source[at..tok.span.start]);
        while let Some(n) = next.next_if(|n| n.start <= i) {
            // a node that starts before this token but was not opened is malformed; keep
            // the tree well nested by never opening it
            if n.start == i && open.last().is_none_or(|&end| n.end <= end) {
                b.start_node(rowan::SyntaxKind(n.kind as u16));
                open.push(n.end);
            }
        }
        b.token(
            rowan::SyntaxKind(tok.kind as u16),
            &source[tok.span.start..tok.span.end],
        );
        at = tok.span.end;
    }
    for _ in open.drain(..) {
        b.finish_node();
    }
    trivia(&mut b, &source[at..]);
    b.finish_node();
    b.finish()
}

/// Splits a gap between tokens into whitespace, comments and the byte-order mark (anything
/// else, which the lexer never leaves, would be an error token: the tree stays lossless).
fn trivia(b: &mut GreenNodeBuilder<'_>, mut gap: &str) {
    let mut push = |kind: SyntaxKind, text: &str| {
        b.token(rowan::SyntaxKind(kind as u16), text);
    };
    while !gap.is_empty() {
        let (kind, len) = if let Some(rest) = gap.strip_prefix('\u{feff}') {
            (SyntaxKind::ByteOrderMark, gap.len() - rest.len())
        } else if gap.starts_with('#') || gap.starts_with("//") {
            (
                SyntaxKind::Comment,
                memchr::memchr(b'\n', gap.as_bytes()).unwrap_or(gap.len()),
            )
        } else {
            let ws = gap.len() - gap.trim_start_matches(char::is_whitespace).len();
            if ws > 0 {
                (SyntaxKind::Whitespace, ws)
            } else {
                let other = gap
                    .char_indices()
                    .find(|&(_, c)| c.is_whitespace() || c == '#' || c == '\u{feff}')
                    .map_or(gap.len(), |(i, _)| i.max(1));
                (SyntaxKind::ErrorToken, other)
            }
        };
        let len = (1..=len)
            .rev()
            .find(|&l| gap.is_char_boundary(l))
            .unwrap_or(gap.len());
        push(kind, &gap[..len]);
        gap = &gap[len..];
    }
}

/// The byte span of a node or token.
pub fn span_of(element: &SyntaxElement) -> Span {
    let r = element.text_range();
    Span::new(usize::from(r.start()), usize::from(r.end()))
}

/// The tokens of a node that are not trivia, in order.
fn significant(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> + use<> {
    node.descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|t| !t.kind().is_trivia())
}

/// A declaration, as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Declaration(SyntaxNode);

impl Declaration {
    /// The declaration a node is, if it is one.
    pub fn cast(node: SyntaxNode) -> Option<Declaration> {
        node.kind().is_declaration().then_some(Declaration(node))
    }

    /// The node.
    pub fn syntax(&self) -> &SyntaxNode {
        &self.0
    }

    /// Its keyword.
    pub fn keyword(&self) -> Option<Keyword> {
        significant(&self.0)
            .next()
            .and_then(|t| Keyword::from_word(t.text()))
    }

    /// The id it declares (the word after the keyword), for declarations that have one.
    pub fn name(&self) -> Option<SyntaxToken> {
        match self.keyword()? {
            Keyword::Case | Keyword::Expect => None,
            _ => significant(&self.0)
                .nth(1)
                .filter(|t| t.kind() == SyntaxKind::Word),
        }
    }

    /// Its label, the first quoted text of its head.
    pub fn label(&self) -> Option<SyntaxToken> {
        self.0
            .children_with_tokens()
            .filter_map(NodeOrToken::into_token)
            .find(|t| matches!(t.kind(), SyntaxKind::String | SyntaxKind::TextBlock))
    }

    /// Its `{ … }` block, if it has one.
    pub fn block(&self) -> Option<SyntaxNode> {
        self.0.children().find(|n| n.kind() == SyntaxKind::Block)
    }

    /// Its fields, inline and in the block, in order.
    pub fn fields(&self) -> impl Iterator<Item = Field> + use<> {
        self.0
            .descendants()
            .filter(|n| matches!(n.kind(), SyntaxKind::Field | SyntaxKind::Error))
            .map(Field)
    }

    /// The comments inside the declaration and right after it on its last line.
    pub fn comments(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        self.0
            .descendants_with_tokens()
            .filter_map(NodeOrToken::into_token)
            .filter(|t| t.kind() == SyntaxKind::Comment)
    }
}

/// A field of a declaration (or a field that could not be read: [`Field::is_error`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field(SyntaxNode);

impl Field {
    /// The field a node is, if it is one (or an unreadable one).
    pub fn cast(node: SyntaxNode) -> Option<Field> {
        matches!(node.kind(), SyntaxKind::Field | SyntaxKind::Error).then_some(Field(node))
    }

    /// The node.
    pub fn syntax(&self) -> &SyntaxNode {
        &self.0
    }

    /// Whether the field could not be read.
    pub fn is_error(&self) -> bool {
        self.0.kind() == SyntaxKind::Error
    }

    /// Its keyword (`given`, `prior`, …).
    pub fn keyword(&self) -> Option<Keyword> {
        significant(&self.0)
            .next()
            .and_then(|t| Keyword::from_word(t.text()))
    }

    /// Its tokens after the keyword, trivia left out.
    pub fn value(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        significant(&self.0).skip(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_back_exactly_with_comments_and_errors() {
        let src = "\u{feff}# a case\ncase \"t\" { yardstick phia } // trailing\n\nhypothesis a \"A\" prior 20%  # why\nhypothesis b \"B\" prior rest catch-all\n@@ junk\nevidence e {\n  given a: likely\n  bogus field\n  otherwise: unlikely\n}\n";
        let p = parse(src);
        assert_eq!(p.syntax().to_string(), src);
        let kinds: Vec<SyntaxKind> = p.syntax().children().map(|n| n.kind()).collect();
        assert_eq!(
            kinds,
            [
                SyntaxKind::CaseDecl,
                SyntaxKind::HypothesisDecl,
                SyntaxKind::HypothesisDecl,
                SyntaxKind::Error,
                SyntaxKind::EvidenceDecl
            ]
        );
        let e = p.declarations().last().unwrap();
        assert_eq!(e.keyword(), Some(Keyword::Evidence));
        assert_eq!(e.name().unwrap().text(), "e");
        let fields: Vec<(Option<Keyword>, bool)> =
            e.fields().map(|f| (f.keyword(), f.is_error())).collect();
        assert_eq!(
            fields,
            [
                (Some(Keyword::Given), false),
                (None, true),
                (Some(Keyword::Otherwise), false)
            ]
        );
        let given: Vec<String> = e
            .fields()
            .next()
            .unwrap()
            .value()
            .map(|t| t.text().to_string())
            .collect();
        assert_eq!(given, ["a", ":", "likely"]);
        let h = p.declarations().nth(1).unwrap();
        assert_eq!(h.label().unwrap().text(), "\"A\"");
        // the trailing comment of a line follows its declaration at file level
        let comments: Vec<String> = p
            .syntax()
            .descendants_with_tokens()
            .filter_map(NodeOrToken::into_token)
            .filter(|t| t.kind() == SyntaxKind::Comment)
            .map(|t| t.text().to_string())
            .collect();
        assert_eq!(comments, ["# a case", "// trailing", "# why"]);
        let bom = p.syntax().first_token().unwrap();
        assert_eq!(bom.kind(), SyntaxKind::ByteOrderMark);
        assert_eq!(span_of(&NodeOrToken::Token(bom)), Span::new(0, 3));
    }

    #[test]
    fn every_kind_round_trips_through_rowan() {
        use rowan::Language;
        for (i, k) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*k as usize, i);
            assert_eq!(Acre::kind_from_raw(Acre::kind_to_raw(*k)), *k);
        }
    }

    #[test]
    fn unclosed_blocks_and_empty_files_stay_lossless() {
        for src in [
            "",
            "   \n",
            "evidence e {\n  given a: likely\n",
            "\"unterminated",
            "}}}",
        ] {
            assert_eq!(parse(src).syntax().to_string(), src);
        }
    }
}
