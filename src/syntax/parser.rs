//! The parser: tokens to syntax tree, with recovery at declaration and field level.
//!
//! Invariant: the parser never fails. It returns the tree with
//! [`Item::Error`] holes and a list of diagnostics.

use super::ast::*;
use super::kind::SyntaxKind;
use super::lexer::{Token, unquote};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub use super::keyword::{Keyword, is_declaration, is_keyword};

/// A number or percentage token as a value.
fn number_of(tok: Token) -> Option<Prob> {
    match tok.kind {
        SyntaxKind::Number => Some(Prob::Number {
            value: tok.value,
            span: tok.span,
        }),
        SyntaxKind::Percent => Some(Prob::Percent {
            value: tok.value,
            span: tok.span,
        }),
        _ => None,
    }
}

/// The parser state: a cursor over the tokens, and the diagnostics so far.
struct Parser<'s> {
    src: &'s str,
    toks: &'s [Token],
    pos: usize,
    diags: Vec<Diagnostic>,
    /// The nodes read so far, for the lossless tree (when asked for).
    nodes: Vec<NodeRange>,
    /// Whether to record them.
    record: bool,
    /// Whether the fields being read are inside a declaration's `{ }`.
    in_block: bool,
}

/// A node of the lossless tree as the parser saw it: its kind and the tokens it spans
/// (`start..end`, indices into the token list). Nodes nest; the tree adds the trivia.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeRange {
    /// What the node is.
    pub kind: SyntaxKind,
    /// Index of its first token.
    pub start: usize,
    /// One past the index of its last token.
    pub end: usize,
}

/// Marks a parse failure that has already been reported.
#[derive(Debug)]
struct Reported;

type PResult<T> = Result<T, Reported>;

/// Parses tokens into a case file.
pub fn parse_tokens(src: &str, toks: &[Token]) -> (CaseFile, Vec<Diagnostic>) {
    let (file, diags, _) = run(src, toks, false);
    (file, diags)
}

/// Parses tokens into a case file, and says which tokens each declaration, block and field
/// spans (for [`super::tree`]).
pub fn parse_tokens_with_nodes(
    src: &str,
    toks: &[Token],
) -> (CaseFile, Vec<Diagnostic>, Vec<NodeRange>) {
    run(src, toks, true)
}

fn run(src: &str, toks: &[Token], record: bool) -> (CaseFile, Vec<Diagnostic>, Vec<NodeRange>) {
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        diags: Vec::new(),
        nodes: Vec::new(),
        record,
        in_block: false,
    };
    let mut file = CaseFile::default();
    while let Some(tok) = p.peek() {
        let start = tok.span.start;
        let start_token = p.pos;
        let keyword = p.word_text(tok).and_then(Keyword::from_word);
        let result = match keyword {
            Some(Keyword::Case) => p.case_header().map(Item::Case),
            Some(Keyword::Hypothesis) => p.hypothesis().map(Item::Hypothesis),
            Some(Keyword::Group) => p.group().map(Item::Group),
            Some(Keyword::Source) => p.source().map(Item::Source),
            Some(Keyword::Assumption) => p.assumption().map(Item::Assumption),
            Some(Keyword::Evidence) => p.evidence().map(Item::Evidence),
            Some(Keyword::Judgment) => p.judgment().map(Item::Judgment),
            Some(Keyword::Expect) => p.expectation().map(Item::Expect),
            Some(Keyword::Outcome) => p.outcome().map(Item::Outcome),
            Some(Keyword::Yardstick) => p.yardstick().map(Item::Yardstick),
            Some(Keyword::Grading) => p.grading().map(Item::Grading),
            Some(Keyword::Include) => p.include().map(Item::Include),
            _ => {
                if tok.kind != SyntaxKind::ErrorToken {
                    let found = p.describe(tok);
                    let fix = p.word_text(tok).and_then(|w| {
                        crate::text::suggest(w, Keyword::declarations().map(Keyword::as_str))
                    });
                    let suggestion = fix
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    p.diags.push(
                        Diagnostic::error(
                            Code::ExpectedDeclaration,
                            format!("expected a declaration, found {found}"),
                        )
                        .with_label(tok.span, "a declaration starts here")
                        .with_fix_if(tok.span, fix)
                        .with_help(format!(
                            "{suggestion}declarations start with {}",
                            Keyword::declaration_list()
                        )),
                    );
                }
                Err(Reported)
            }
        };
        match result {
            Ok(item) => file.items.push(item),
            Err(Reported) => {
                p.recover_to_item(start_token);
                let end = p.prev_end().max(start);
                file.items.push(Item::Error(Span::new(start, end)));
            }
        }
        // a declaration that failed keeps its kind (it is still a hypothesis, with an
        // error inside); text that starts no declaration is an error node
        let kind = keyword.map_or(SyntaxKind::Error, SyntaxKind::declaration);
        p.node(kind, start_token);
    }
    (file, p.diags, p.nodes)
}

impl<'s> Parser<'s> {
    /// Records a node from token `start` to the current position.
    fn node(&mut self, kind: SyntaxKind, start: usize) {
        if self.record && self.pos > start {
            self.nodes.push(NodeRange {
                kind,
                start,
                end: self.pos,
            });
        }
    }

    fn peek(&self) -> Option<Token> {
        self.toks.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<Token> {
        let tok = self.peek();
        if tok.is_some() {
            self.pos += 1;
        }
        tok
    }

    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn text(&self, tok: Token) -> &'s str {
        tok.span.text(self.src)
    }

    fn word_text(&self, tok: Token) -> Option<&'s str> {
        (tok.kind == SyntaxKind::Word).then(|| self.text(tok))
    }

    fn peek_word(&self) -> Option<&'s str> {
        self.peek().and_then(|t| self.word_text(t))
    }

    fn at(&self, word: &str) -> bool {
        self.peek_word() == Some(word)
    }

    fn eat(&mut self, word: &str) -> Option<Span> {
        if self.at(word) {
            self.bump().map(|t| t.span)
        } else {
            None
        }
    }

    fn eat_kind(&mut self, kind: SyntaxKind) -> Option<Span> {
        match self.peek() {
            Some(t) if t.kind == kind => self.bump().map(|t| t.span),
            _ => None,
        }
    }

    /// Where the next token is, or the end of the text.
    fn here(&self) -> Span {
        match self.peek() {
            Some(t) => t.span,
            None => Span::new(self.src.len(), self.src.len()),
        }
    }

    fn describe(&self, tok: Token) -> String {
        match tok.kind {
            SyntaxKind::Word => format!("`{}`", self.text(tok)),
            SyntaxKind::Number | SyntaxKind::Percent => format!("number `{}`", self.text(tok)),
            SyntaxKind::Date => format!("date `{}`", self.text(tok)),
            SyntaxKind::String | SyntaxKind::TextBlock => "a quoted text".to_string(),
            SyntaxKind::LBrace => "`{`".to_string(),
            SyntaxKind::RBrace => "`}`".to_string(),
            SyntaxKind::Colon => "`:`".to_string(),
            SyntaxKind::Comma => "`,`".to_string(),
            SyntaxKind::DotDot => "`..`".to_string(),
            // the lexer makes no trivia or node tokens
            _ => "unreadable text".to_string(),
        }
    }

    /// Reports that `what` was expected here.
    fn expected<T>(&mut self, what: &str, help: &str) -> PResult<T> {
        let (found, span) = match self.peek() {
            Some(tok) if tok.kind == SyntaxKind::ErrorToken => return Err(Reported),
            Some(tok) => (self.describe(tok), tok.span),
            None => ("the end of the file".to_string(), self.here()),
        };
        self.diags.push(
            Diagnostic::error(
                Code::UnexpectedToken,
                format!("expected {what}, found {found}"),
            )
            .with_label(span, format!("expected {what}"))
            .with_help(help.to_string()),
        );
        Err(Reported)
    }

    /// Skips to the next declaration keyword at the start of a line, past the
    /// declaration that failed (which started at token `start`).
    fn recover_to_item(&mut self, start: usize) {
        // always make progress past the failed declaration's keyword
        if self.pos <= start && self.pos < self.toks.len() {
            self.pos = start + 1;
        }
        while let Some(tok) = self.peek() {
            if tok.line_start && self.word_text(tok).is_some_and(is_declaration) {
                return;
            }
            self.pos += 1;
        }
    }

    /// Skips the rest of a field inside a block: to the next line or to `}`.
    fn recover_to_field(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        while let Some(tok) = self.peek() {
            if tok.line_start || tok.kind == SyntaxKind::RBrace {
                return;
            }
            self.pos += 1;
        }
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        match self.peek() {
            Some(tok) if tok.kind == SyntaxKind::Word => {
                let name = self.text(tok);
                if is_keyword(name) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::KeywordAsName,
                            format!("`{name}` is a keyword and cannot be used as {what}"),
                        )
                        .with_label(tok.span, "reserved word")
                        .with_help(format!("choose another name, e.g. `{name}_`")),
                    );
                    return Err(Reported);
                }
                self.pos += 1;
                Ok(Ident {
                    name: name.to_string(),
                    span: tok.span,
                })
            }
            _ => self.expected(
                what,
                "names are letters, digits, `_` and `-`, starting with a letter",
            ),
        }
    }

    fn ident_list(&mut self, what: &str) -> PResult<Vec<Ident>> {
        let mut ids = vec![self.ident(what)?];
        while self.eat_kind(SyntaxKind::Comma).is_some() {
            ids.push(self.ident(what)?);
        }
        Ok(ids)
    }

    fn opt_text(&mut self) -> Option<Text> {
        match self.peek() {
            Some(tok) if matches!(tok.kind, SyntaxKind::String | SyntaxKind::TextBlock) => {
                self.pos += 1;
                Some(Text {
                    value: unquote(self.text(tok)),
                    span: tok.span,
                })
            }
            _ => None,
        }
    }

    fn text_value(&mut self, what: &str) -> PResult<Text> {
        match self.opt_text() {
            Some(t) => Ok(t),
            None => self.expected(
                what,
                "write text in double quotes, or in `\"\"\"` over several lines",
            ),
        }
    }

    fn text_list(&mut self, what: &str) -> PResult<Vec<Text>> {
        let mut texts = vec![self.text_value(what)?];
        while self.eat_kind(SyntaxKind::Comma).is_some() {
            texts.push(self.text_value(what)?);
        }
        Ok(texts)
    }

    fn date(&mut self) -> PResult<DateLit> {
        match self.peek() {
            Some(tok) if matches!(tok.kind, SyntaxKind::Date | SyntaxKind::Number) => {
                self.pos += 1;
                // `2020-1-15`: a year, then numbers written against it, is a date with a
                // one-digit month or day, not a year and a negative number
                let mut end = tok.span.end;
                while let Some(next) = self.peek()
                    && next.kind == SyntaxKind::Number
                    && next.span.start == end
                    && self.text(next).starts_with('-')
                {
                    end = next.span.end;
                    self.pos += 1;
                }
                if end != tok.span.end {
                    let span = Span::new(tok.span.start, end);
                    let written = &self.src[span.start..span.end];
                    let fixed: Vec<String> = written
                        .split('-')
                        .enumerate()
                        .map(|(i, p)| {
                            if i > 0 && p.len() == 1 {
                                format!("0{p}")
                            } else {
                                p.to_string()
                            }
                        })
                        .collect();
                    let fixed = fixed.join("-");
                    self.diags.push(
                        Diagnostic::error(
                            Code::InvalidDate,
                            format!("`{written}` is not a date: months and days have two digits"),
                        )
                        .with_label(span, "not a date")
                        .with_fix(span, fixed.clone())
                        .with_help(format!(
                            "write `{fixed}` (dates are `2024-03-25`, `2024-03` or `2024`)"
                        )),
                    );
                    // read on as the date meant, so that the rest of the declaration is kept
                    // (no false "says nothing about how expected it is")
                    return Ok(DateLit { text: fixed, span });
                }
                Ok(DateLit {
                    text: self.text(tok).to_string(),
                    span: tok.span,
                })
            }
            _ => self.expected("a date", "write dates as `2024-03-25`, `2024-03` or `2024`"),
        }
    }

    fn grade(&mut self, what: &str) -> PResult<GradeLit> {
        match self.peek() {
            Some(tok)
                if matches!(tok.kind, SyntaxKind::Word | SyntaxKind::Number)
                    && !tok.line_start
                    && !is_keyword(self.text(tok)) =>
            {
                self.pos += 1;
                Ok(GradeLit {
                    text: self.text(tok).to_string(),
                    span: tok.span,
                })
            }
            _ => self.expected(what, "grades are a letter A-F for reliability, a digit 1-6 for credibility, or both, like `B2`"),
        }
    }

    fn colon(&mut self) -> PResult<Span> {
        match self.eat_kind(SyntaxKind::Colon) {
            Some(s) => Ok(s),
            None => self.expected(
                "`:`",
                "write a colon before the value, e.g. `given apt31: likely`",
            ),
        }
    }

    /// A number or percentage, optionally followed by `..` and another: a point or an interval.
    fn prob(&mut self) -> PResult<Prob> {
        let Some(tok) = self.peek() else {
            return self.expected("a probability", PROB_HELP);
        };
        let first = match number_of(tok) {
            Some(p) => p,
            None if tok.kind == SyntaxKind::Word && self.text(tok) == "rest" => {
                self.pos += 1;
                return Ok(Prob::Rest { span: tok.span });
            }
            None if tok.kind == SyntaxKind::Word && !is_keyword(self.text(tok)) => {
                return Ok(self.term());
            }
            None if tok.kind == SyntaxKind::String => {
                if let Some(p) = self.quoted_prob(tok) {
                    self.pos += 1;
                    return Ok(p);
                }
                return self.expected("a probability", PROB_HELP);
            }
            None => return self.expected("a probability", PROB_HELP),
        };
        self.pos += 1;
        if self.eat_kind(SyntaxKind::DotDot).is_none() {
            return Ok(first);
        }
        let Some(tok) = self.peek() else {
            return self.expected("the upper end of the interval", PROB_HELP);
        };
        let Some(second) = number_of(tok) else {
            return self.expected("the upper end of the interval", PROB_HELP);
        };
        self.pos += 1;
        let span = first.span().to(second.span());
        Ok(Prob::Interval {
            lo: Box::new(first),
            hi: Box::new(second),
            span,
        })
    }

    /// A probability written in quotes (`prior "30%"`): reported with the fix, and read as
    /// the value inside so that the declaration is kept (no cascade of unknown names).
    fn quoted_prob(&mut self, tok: Token) -> Option<Prob> {
        let inner = unquote(self.text(tok));
        let inner = inner.trim();
        let span = tok.span;
        let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let p = if let Some(v) = inner.strip_suffix('%').and_then(number) {
            Prob::Percent {
                value: v / 100.0,
                span,
            }
        } else if let Some(value) = number(inner) {
            Prob::Number { value, span }
        } else if !inner.is_empty()
            && inner
                .split_whitespace()
                .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-') && !is_keyword(w))
        {
            Prob::Term {
                phrase: inner.split_whitespace().collect::<Vec<_>>().join(" "),
                span,
            }
        } else {
            return None;
        };
        self.diags.push(
            Diagnostic::error(
                Code::UnexpectedToken,
                "a probability is written without quotes",
            )
            .with_label(span, "quoted, so read as text")
            .with_fix(span, inner.to_string())
            .with_help(format!("write `{inner}`")),
        );
        Some(p)
    }

    /// A phrase: one or more non-reserved words on one line.
    fn term(&mut self) -> Prob {
        let mut phrase = String::new();
        let mut span: Option<Span> = None;
        while let Some(tok) = self.peek() {
            let Some(word) = self.word_text(tok) else {
                break;
            };
            if is_keyword(word) || (span.is_some() && tok.line_start) {
                break;
            }
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.extend(word.chars().flat_map(char::to_lowercase));
            span = Some(span.map_or(tok.span, |s| s.to(tok.span)));
            self.pos += 1;
        }
        Prob::Term {
            phrase,
            span: span.unwrap_or_else(|| self.here()),
        }
    }

    fn condition(&mut self) -> PResult<Option<Condition>> {
        let negated = if let Some(span) = self.eat("if") {
            (false, span)
        } else if let Some(span) = self.eat("unless") {
            (true, span)
        } else {
            return Ok(None);
        };
        let assumption = self.ident("an assumption")?;
        Ok(Some(Condition {
            span: negated.1.to(assumption.span),
            assumption,
            negated: negated.0,
        }))
    }

    fn given_line(&mut self, kw: Span, otherwise: bool) -> PResult<GivenLine> {
        let hypotheses = if otherwise {
            Vec::new()
        } else {
            self.ident_list("a hypothesis")?
        };
        let condition = self.condition()?;
        self.colon()?;
        let value = self.prob()?;
        Ok(GivenLine {
            hypotheses,
            condition,
            value,
            span: kw,
        })
    }

    /// Parses attributes after a declaration's head: inline, then optionally in a
    /// `{ }` block. `field` parses one attribute given its keyword and returns
    /// `None` when the word is not an attribute of this declaration.
    fn attributes(
        &mut self,
        decl: &str,
        keyword: Keyword,
        mut field: impl FnMut(&mut Self, &str, Span) -> Option<PResult<()>>,
    ) -> PResult<()> {
        // inline attributes
        while let Some(tok) = self.peek() {
            let Some(word) = self.word_text(tok) else {
                break;
            };
            if is_declaration(word) && tok.line_start {
                return Ok(());
            }
            let start = self.pos;
            self.pos += 1;
            match field(self, word, tok.span) {
                Some(Ok(())) => self.node(SyntaxKind::Field, start),
                Some(Err(Reported)) => {
                    self.node(SyntaxKind::Field, start);
                    return Err(Reported);
                }
                None => {
                    self.pos -= 1;
                    if tok.line_start {
                        return Ok(());
                    }
                    return self.unknown_field(decl, keyword, tok);
                }
            }
        }
        let block = self.pos;
        let Some(open) = self.eat_kind(SyntaxKind::LBrace) else {
            return Ok(());
        };
        self.in_block = true;
        let result = self.block(decl, keyword, open, &mut field);
        self.in_block = false;
        self.node(SyntaxKind::Block, block);
        result
    }

    /// The fields of a block, after its `{`, to its `}`.
    fn block(
        &mut self,
        decl: &str,
        keyword: Keyword,
        open: Span,
        field: &mut impl FnMut(&mut Self, &str, Span) -> Option<PResult<()>>,
    ) -> PResult<()> {
        loop {
            let Some(tok) = self.peek() else {
                return self.unclosed(decl, open);
            };
            if tok.kind == SyntaxKind::RBrace {
                self.pos += 1;
                return Ok(());
            }
            let start = self.pos;
            let parsed = match self.word_text(tok) {
                Some(word) => {
                    self.pos += 1;
                    match field(self, word, tok.span) {
                        Some(result) => result,
                        None => {
                            self.pos -= 1;
                            if tok.line_start && is_declaration(word) {
                                return self.unclosed(decl, open);
                            }
                            self.unknown_field::<()>(decl, keyword, tok)
                        }
                    }
                }
                None => {
                    if tok.kind == SyntaxKind::ErrorToken {
                        Err(Reported)
                    } else {
                        self.expected(
                            &format!("a field of {decl}"),
                            &format!("the fields of {decl} are {}", keyword.field_list()),
                        )
                    }
                }
            };
            if parsed.is_err() {
                self.recover_to_field();
                self.node(SyntaxKind::Error, start);
            } else {
                self.node(SyntaxKind::Field, start);
            }
        }
    }

    fn unknown_field<T>(&mut self, decl: &str, keyword: Keyword, tok: Token) -> PResult<T> {
        let word = self.text(tok);
        let fields = keyword.field_list();
        let fix = crate::text::suggest(word, keyword.fields().iter().map(|k| k.as_str()));
        let suggestion = fix
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        self.diags.push(
            Diagnostic::error(
                Code::UnknownField,
                format!("`{word}` is not a field of {decl}"),
            )
            .with_label(tok.span, "unknown field")
            .with_fix_if(tok.span, fix)
            .with_help(format!("{suggestion}the fields of {decl} are {fields}")),
        );
        Err(Reported)
    }

    fn unclosed<T>(&mut self, decl: &str, open: Span) -> PResult<T> {
        self.diags.push(
            Diagnostic::error(
                Code::UnclosedBlock,
                format!("the block of this {decl} is never closed"),
            )
            .with_label(open, "this `{` has no matching `}`")
            .with_help("add `}` at the end of the block"),
        );
        Err(Reported)
    }

    fn case_header(&mut self) -> PResult<CaseHeader> {
        let kw = self.bump().map_or(self.here(), |t| t.span);
        let title = self.opt_text();
        let mut fields = Vec::new();
        self.attributes("the case header", Keyword::Case, |p, word, span| {
            let field = match word {
                "question" => p.text_value("the question").map(CaseField::Question),
                "yardstick" => p.ident("a yardstick name").map(CaseField::Yardstick),
                "event" => p.date().map(CaseField::Event),
                "assessed" => p.date().map(CaseField::Assessed),
                "analyst" => p.text_list("an analyst's name").map(CaseField::Analysts),
                "summary" => p.text_value("the summary").map(CaseField::Summary),
                "note" => p.text_value("a note").map(CaseField::Note),
                "rows-equivalent" => Ok(CaseField::RowsEquivalent(span)),
                _ => return None,
            };
            Some(field.map(|f| fields.push(f)))
        })?;
        Ok(CaseHeader {
            title,
            fields,
            span: kw,
        })
    }

    fn hypothesis(&mut self) -> PResult<HypothesisDecl> {
        self.bump();
        let mut decl = HypothesisDecl {
            id: self.ident("a hypothesis name")?,
            label: self.opt_text(),
            prior: None,
            aliases: Vec::new(),
            catch_all: None,
            notes: Vec::new(),
        };
        self.attributes("a hypothesis", Keyword::Hypothesis, |p, word, span| {
            Some(match word {
                "prior" => p.prob().map(|v| decl.prior = Some(v)),
                "alias" => p.text_list("an alias").map(|v| decl.aliases.extend(v)),
                "catch-all" => {
                    decl.catch_all = Some(span);
                    Ok(())
                }
                "note" => p.text_value("a note").map(|v| decl.notes.push(v)),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn group(&mut self) -> PResult<GroupDecl> {
        self.bump();
        let mut decl = GroupDecl {
            id: self.ident("a group name")?,
            label: self.opt_text(),
            members: Vec::new(),
            aliases: Vec::new(),
            notes: Vec::new(),
        };
        self.attributes("a group", Keyword::Group, |p, word, _| {
            Some(match word {
                "members" => p
                    .ident_list("a hypothesis or a group")
                    .map(|v| decl.members.extend(v)),
                "alias" => p.text_list("an alias").map(|v| decl.aliases.extend(v)),
                "note" => p.text_value("a note").map(|v| decl.notes.push(v)),
                // `{ apt31, other_cn }`: a block may list the members without the keyword
                _ if !is_keyword(word) && p.in_block => {
                    p.pos -= 1;
                    p.ident_list("a hypothesis or a group")
                        .map(|v| decl.members.extend(v))
                }
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn source(&mut self) -> PResult<SourceDecl> {
        self.bump();
        let mut decl = SourceDecl {
            id: self.ident("a source name")?,
            label: self.opt_text(),
            reliability: None,
            echoes: None,
            cite: None,
            url: None,
            notes: Vec::new(),
        };
        self.attributes("a source", Keyword::Source, |p, word, _| {
            Some(match word {
                "reliability" => p
                    .grade("a reliability grade")
                    .map(|g| decl.reliability = Some(g)),
                "cite" => p
                    .text_value("where it was published")
                    .map(|t| decl.cite = Some(t)),
                "url" => p.text_value("a URL in quotes").map(|t| decl.url = Some(t)),
                "echoes" | "repeats" | "cites" => {
                    p.ident("a source").map(|s| decl.echoes = Some(s))
                }
                "note" => p.text_value("a note").map(|v| decl.notes.push(v)),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn assumption(&mut self) -> PResult<AssumptionDecl> {
        self.bump();
        let mut decl = AssumptionDecl {
            id: self.ident("an assumption name")?,
            label: self.opt_text(),
            prior: None,
            given: Vec::new(),
            aliases: Vec::new(),
            notes: Vec::new(),
        };
        self.attributes("an assumption", Keyword::Assumption, |p, word, span| {
            Some(match word {
                "prior" => p.prob().map(|v| decl.prior = Some(v)),
                "given" => p.given_line(span, false).map(|g| decl.given.push(g)),
                "alias" => p.text_list("an alias").map(|v| decl.aliases.extend(v)),
                "note" => p.text_value("a note").map(|v| decl.notes.push(v)),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn evidence(&mut self) -> PResult<EvidenceDecl> {
        self.bump();
        let mut decl = EvidenceDecl {
            id: self.ident("an evidence name")?,
            label: self.opt_text(),
            from: None,
            credibility: None,
            grade: None,
            given: Vec::new(),
            supports: Vec::new(),
            status: None,
            depends_on: Vec::new(),
            cite: None,
            url: None,
            reported: None,
            notes: Vec::new(),
        };
        self.attributes("evidence", Keyword::Evidence, |p, word, span| {
            Some(match word {
                "from" => p.ident("a source").map(|s| decl.from = Some(s)),
                "credibility" => p
                    .grade("a credibility grade")
                    .map(|g| decl.credibility = Some(g)),
                "grade" => p.grade("a grade like `B2`").map(|g| decl.grade = Some(g)),
                "given" => p.given_line(span, false).map(|g| decl.given.push(g)),
                "otherwise" => p.given_line(span, true).map(|g| decl.given.push(g)),
                "supports" => p.support_line(span).map(|s| decl.supports.push(s)),
                "observed" => {
                    decl.status = Some((Status::Observed, span));
                    Ok(())
                }
                "absent" => {
                    decl.status = Some((Status::Absent, span));
                    Ok(())
                }
                "pending" => {
                    decl.status = Some((Status::Pending, span));
                    Ok(())
                }
                "depends" => {
                    if p.eat("on").is_none() {
                        p.expected("`on`", "write `depends on other_item`")
                    } else {
                        p.ident_list("an evidence item")
                            .map(|ids| decl.depends_on.extend(ids))
                    }
                }
                "cite" => p
                    .text_value("where it was published")
                    .map(|t| decl.cite = Some(t)),
                "url" => p.text_value("a URL in quotes").map(|t| decl.url = Some(t)),
                "reported" => p.date().map(|d| decl.reported = Some(d)),
                "note" => p.text_value("a note").map(|v| decl.notes.push(v)),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn support_line(&mut self, kw: Span) -> PResult<SupportLine> {
        let supported = self.ident_list("a hypothesis")?;
        let over = if self.eat("over").is_some() {
            self.ident_list("a hypothesis")?
        } else {
            Vec::new()
        };
        self.colon()?;
        let strength = self.prob()?;
        Ok(SupportLine {
            supported,
            over,
            strength,
            span: kw,
        })
    }

    fn judgment(&mut self) -> PResult<JudgmentDecl> {
        self.bump();
        let mut decl = JudgmentDecl {
            id: self.ident("a judgment name")?,
            text: self.opt_text(),
            hypothesis: None,
            term: None,
        };
        self.attributes("a judgment", Keyword::Judgment, |p, word, _| {
            Some(match word {
                "claims" => p.ident("a hypothesis").and_then(|h| {
                    decl.hypothesis = Some(h);
                    p.prob().map(|t| decl.term = Some(t))
                }),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn expectation(&mut self) -> PResult<Expectation> {
        let kw = self.bump().map_or(self.here(), |t| t.span);
        let subject = if let Some(span) = self.eat("confidence") {
            Subject::Confidence(span)
        } else {
            Subject::Name(self.ident("a hypothesis, an assumption or `confidence`")?)
        };
        let op = if self.eat("is").is_some() {
            ExpectOp::Is(self.prob()?)
        } else if self.eat("at").is_some() {
            if self.eat("least").is_some() {
                ExpectOp::AtLeast(self.prob()?)
            } else if self.eat("most").is_some() {
                ExpectOp::AtMost(self.prob()?)
            } else {
                return self.expected(
                    "`least` or `most`",
                    "write `at least likely` or `at most unlikely`",
                );
            }
        } else if self.eat("above").is_some() {
            ExpectOp::Above(self.prob()?)
        } else if self.eat("below").is_some() {
            ExpectOp::Below(self.prob()?)
        } else if self.eat("in").is_some() {
            ExpectOp::Within(self.prob()?)
        } else if let Some(span) = self.eat("leads") {
            ExpectOp::Leads(span)
        } else if let Some(span) = self.eat("overclaims") {
            ExpectOp::Verdict(ExpectedVerdict::Overclaims, span)
        } else if let Some(span) = self.eat("underclaims") {
            ExpectOp::Verdict(ExpectedVerdict::Underclaims, span)
        } else if let Some(span) = self.eat("holds") {
            ExpectOp::Verdict(ExpectedVerdict::Holds, span)
        } else {
            return self.expected(
                "a comparison",
                "write `is`, `at least`, `at most`, `above`, `below`, `in` or `leads`, e.g. `expect apt31 at least likely`; of a judgment, `overclaims`, `underclaims` or `holds`",
            );
        };
        Ok(Expectation {
            subject,
            op,
            span: kw.to(Span::new(self.prev_end(), self.prev_end())),
        })
    }

    fn outcome(&mut self) -> PResult<OutcomeDecl> {
        let kw = self.bump().map_or(self.here(), |t| t.span);
        let hypothesis = self.ident("the hypothesis that turned out true")?;
        let date = if self.eat("on").is_some() {
            Some(self.date()?)
        } else {
            None
        };
        let strength = if self.eat("strength").is_some() {
            Some(self.ident(
                "how firm the resolution is (conviction, indictment, government, vendor, press or claim)",
            )?)
        } else {
            None
        };
        let note = self.opt_text();
        Ok(OutcomeDecl {
            hypothesis,
            date,
            strength,
            note,
            span: kw,
        })
    }

    fn include(&mut self) -> PResult<IncludeDecl> {
        let kw = self.bump().map_or(self.here(), |t| t.span);
        let path = self.text_value("the path of the file to include, in quotes")?;
        Ok(IncludeDecl { path, span: kw })
    }

    fn yardstick(&mut self) -> PResult<YardstickDecl> {
        self.bump();
        let mut decl = YardstickDecl {
            id: self.ident("a yardstick name")?,
            title: self.opt_text(),
            terms: Vec::new(),
            source: None,
        };
        self.attributes("a yardstick", Keyword::Yardstick, |p, word, span| {
            Some(match word {
                "term" => p.term_def(span).map(|t| decl.terms.push(t)),
                "source" => p
                    .text_value("the yardstick's source")
                    .map(|t| decl.source = Some(t)),
                _ => return None,
            })
        })?;
        Ok(decl)
    }

    fn term_def(&mut self, kw: Span) -> PResult<TermDef> {
        let name = self.text_value("the term, in quotes")?;
        let band = Some(self.prob()?);
        let mut def = TermDef {
            name,
            band,
            point: None,
            beta: None,
            aliases: Vec::new(),
            span: kw,
        };
        loop {
            if self.at("point") && !self.peek().is_some_and(|t| t.line_start) {
                self.bump();
                def.point = Some(self.prob()?);
            } else if self.at("beta") && !self.peek().is_some_and(|t| t.line_start) {
                let start = self.bump().map_or(self.here(), |t| t.span);
                let a = self.number("the Beta distribution's alpha")?;
                let b = self.number("the Beta distribution's beta")?;
                def.beta = Some((a, b, start.to(Span::new(self.prev_end(), self.prev_end()))));
            } else if self.at("alias") && !self.peek().is_some_and(|t| t.line_start) {
                self.bump();
                def.aliases.extend(self.text_list("an alias")?);
            } else {
                return Ok(def);
            }
        }
    }

    fn number(&mut self, what: &str) -> PResult<f64> {
        match self.peek() {
            Some(Token {
                kind: SyntaxKind::Number,
                value,
                ..
            }) => {
                self.pos += 1;
                Ok(value)
            }
            _ => self.expected(what, "write a plain number, e.g. `6.5`"),
        }
    }

    fn grading(&mut self) -> PResult<GradingDecl> {
        let kw = self.bump().map_or(self.here(), |t| t.span);
        let mut decl = GradingDecl {
            entries: Vec::new(),
            span: kw,
        };
        self.attributes("the grading", Keyword::Grading, |p, word, span| {
            let axis = match word {
                "reliability" => Axis::Reliability,
                "credibility" => Axis::Credibility,
                _ => return None,
            };
            Some(p.grade("a grade").and_then(|grade| {
                p.prob().map(|value| {
                    decl.entries.push(GradingEntry {
                        axis,
                        grade,
                        value,
                        span,
                    })
                })
            }))
        })?;
        Ok(decl)
    }
}

const PROB_HELP: &str = "write a number (`0.7`), a percentage (`70%`), an interval (`60%..80%`) or a yardstick term (`likely`)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_hypothesis_with_inline_attributes_exactly() {
        let src = "hypothesis apt31 \"APT31\" prior 25% alias \"Zirconium\", \"Violet Typhoon\" catch-all";
        let (file, diags) = crate::syntax::parse(src);
        assert!(diags.is_empty(), "{diags:?}");
        let Item::Hypothesis(h) = &file.items[0] else {
            panic!("not a hypothesis")
        };
        assert_eq!(h.id.name, "apt31");
        assert_eq!(h.label.as_ref().unwrap().value, "APT31");
        assert_eq!(
            h.prior,
            Some(Prob::Percent {
                value: 0.25,
                span: Span::new(31, 34)
            })
        );
        let aliases: Vec<&str> = h.aliases.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(Span::new(31, 34).text(src), "25%");
        assert_eq!(aliases, ["Zirconium", "Violet Typhoon"]);
        assert!(h.catch_all.is_some());
    }

    #[test]
    fn terms_stop_at_keywords_and_line_ends() {
        let src = "evidence e { given a, b if ff: highly likely otherwise: remote\nchance }";
        let (file, diags) = crate::syntax::parse(src);
        // `remote` ends at the line break; `chance` is then an unknown field
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::UnknownField);
        let Item::Evidence(e) = &file.items[0] else {
            panic!("not evidence")
        };
        assert_eq!(e.given.len(), 2);
        assert_eq!(e.given[0].hypotheses.len(), 2);
        assert_eq!(e.given[0].condition.as_ref().unwrap().assumption.name, "ff");
        assert_eq!(
            e.given[0].value,
            Prob::Term {
                phrase: "highly likely".into(),
                span: Span::new(31, 44)
            }
        );
        assert_eq!(
            e.given[1].value,
            Prob::Term {
                phrase: "remote".into(),
                span: Span::new(56, 62)
            }
        );
        assert_eq!(Span::new(31, 44).text(src), "highly likely");
        assert_eq!(Span::new(56, 62).text(src), "remote");
    }

    #[test]
    fn recovers_at_the_next_declaration() {
        let (file, diags) =
            crate::syntax::parse("hypothesis 42\nhypothesis b\nsource s reliability\nsource t");
        assert_eq!(diags.len(), 2, "{diags:?}");
        let kinds: Vec<&str> = file
            .items
            .iter()
            .map(|i| match i {
                Item::Error(_) => "error",
                Item::Hypothesis(_) => "hypothesis",
                Item::Source(_) => "source",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["error", "hypothesis", "error", "source"]);
    }
}
