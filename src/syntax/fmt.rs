//! The canonical layout of case files (`acre fmt`), written from the lossless tree.
//!
//! The formatter only moves whitespace: the significant tokens (keywords, names, values,
//! strings and text blocks, verbatim) and the comments come out in the order they went in,
//! which [`format()`] verifies before it returns. The rules, which `grammar/README.md`
//! documents for users:
//!
//! - declarations start in column 0; tokens are one space apart, with no space before `:`
//!   and `,` and none around `..`;
//! - a line break the author put inside a declaration's head is kept, and the continuation
//!   is indented by two spaces;
//! - a block written on one line stays on one line (`{ a  b }`, fields two spaces apart);
//!   any other block has one field per line, indented by two spaces, and `}` alone on the
//!   last line; one blank line between fields is kept where the author left one;
//! - one blank line at most between declarations, and always one around a declaration
//!   whose block takes several lines; no blank lines at the start or the end;
//! - consecutive one-line declarations of one kind (a list of hypotheses, of sources) are
//!   aligned in columns: names, then labels; the fields of a `case` header and of a
//!   `source` block are aligned on their values;
//! - comments stay where they were: own-line comments on their own line at the indentation
//!   of what follows, trailing comments at the end of their line, aligned across
//!   consecutive lines that carry one (two spaces after the longest line).

use super::keyword::Keyword;
use super::tree::{self, Declaration, SyntaxKind, SyntaxNode, SyntaxToken};
use crate::diagnostic::Diagnostic;
use rowan::NodeOrToken;

/// One piece of a line and the spaces before it.
#[derive(Clone, Debug)]
struct Part<'a> {
    spaces: usize,
    /// A slice of the source (or a fixed word): no copy per token.
    text: &'a str,
}

/// An output line before alignment.
#[derive(Clone, Debug, Default)]
struct Line<'a> {
    indent: usize,
    parts: Vec<Part<'a>>,
    comment: Option<&'a str>,
    /// The first line of a top-level declaration whose lines are all head lines
    /// (no block, or a one-line block): its keyword, for column alignment.
    head_of: Option<Keyword>,
    /// Whether the declaration's second part is its name, and its third its label.
    named: bool,
    labelled: bool,
    /// The first line of a field in a `case` or `source` block (aligned on values).
    header_field: bool,
    /// A blank line.
    blank: bool,
}

impl<'a> Line<'a> {
    fn at(indent: usize) -> Line<'a> {
        Line {
            indent,
            ..Line::default()
        }
    }

    fn blank() -> Line<'a> {
        Line {
            blank: true,
            ..Line::default()
        }
    }

    fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.comment.is_none()
    }

    /// Appends a token with the spacing rules: none before `:` and `,`, none around `..`.
    fn push(&mut self, text: &'a str, kind: SyntaxKind) {
        let spaces = match self.parts.last() {
            None => 0,
            Some(prev) => {
                if matches!(
                    kind,
                    SyntaxKind::Colon | SyntaxKind::Comma | SyntaxKind::DotDot
                ) || prev.text == ".."
                {
                    0
                } else {
                    1
                }
            }
        };
        self.parts.push(Part { spaces, text });
    }

    /// The content without indentation or comment.
    fn content(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            s.extend(std::iter::repeat_n(' ', p.spaces));
            s.push_str(p.text);
        }
        s
    }

    /// The width of the line's last row (a text block spans rows), indentation included.
    fn width(&self) -> usize {
        let content = self.content();
        match content.rfind('\n') {
            Some(at) => content[at + 1..].chars().count(),
            None => self.indent + content.chars().count(),
        }
    }

    fn spans_rows(&self) -> bool {
        self.parts.iter().any(|p| p.text.contains('\n'))
    }
}

/// Formats a case file in the canonical layout. A file with syntax errors is not
/// formatted: its lexer and parser errors come back instead (with the warnings).
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parse = tree::parse(source);
    if parse.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(parse.diagnostics);
    }
    let root = parse.syntax();
    let lines = layout(&root, source);
    // what must survive, as ranges of the source; the tree goes before the output's is built
    // (the lines borrow the source, not the tree), so two trees never coexist
    let before: Vec<(SyntaxKind, u32, u32)> = significant(&root)
        .map(|t| {
            let r = t.text_range();
            (t.kind(), r.start().into(), r.end().into())
        })
        .collect();
    drop(root);
    drop(parse);
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    if source.starts_with('\u{feff}') {
        out.push('\u{feff}');
    }
    out.push_str(&render(lines, newline));
    if !same_significant(source, &before, &tree::parse(&out).syntax()) {
        // never reached: the layout only moves whitespace; refuse rather than lose text
        return Err(vec![Diagnostic::error(
            crate::code::Code::NotFormatted,
            "acre fmt could not lay this file out without changing its text; it was left as it is (please report this file)",
        )]);
    }
    Ok(out)
}

/// The significant tokens and comments, in order.
fn significant(root: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    root.descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|t| !matches!(t.kind(), SyntaxKind::Whitespace | SyntaxKind::ByteOrderMark))
}

/// Whether a tree holds the significant tokens and comments `before` lists (ranges of
/// `source`), in order, trailing spaces aside (no copy of any text).
fn same_significant(source: &str, before: &[(SyntaxKind, u32, u32)], after: &SyntaxNode) -> bool {
    let mut after = significant(after);
    let all_kept = before.iter().all(|(kind, start, end)| {
        let text = source
            .get(*start as usize..*end as usize)
            .unwrap_or_default();
        after
            .next()
            .is_some_and(|t| t.kind() == *kind && t.text().trim_end() == text.trim_end())
    });
    all_kept && after.next().is_none()
}

/// A token's text as a slice of the source the tree was built from (the tree is lossless,
/// so its ranges are the source's).
fn token_text<'a>(source: &'a str, t: &SyntaxToken) -> &'a str {
    let range = t.text_range();
    source
        .get(usize::from(range.start())..usize::from(range.end()))
        .unwrap_or_default()
}

/// The number of line breaks in a whitespace token.
fn breaks(t: &SyntaxToken) -> usize {
    t.text().matches('\n').count()
}

/// Lays out the file: declarations, comments and blank lines at the top level.
fn layout<'a>(root: &SyntaxNode, source: &'a str) -> Vec<Line<'a>> {
    let mut lines: Vec<Line<'a>> = Vec::new();
    // breaks seen since the last thing written; whether the last thing was a
    // declaration whose block takes several lines
    let mut gap = 0usize;
    let mut after_block = false;
    for element in root.children_with_tokens() {
        match element {
            NodeOrToken::Token(t) => match t.kind() {
                SyntaxKind::Whitespace => gap += breaks(&t),
                SyntaxKind::Comment => {
                    let trailing = gap == 0 && lines.last().is_some_and(|l| !l.blank);
                    if trailing && let Some(last) = lines.last_mut() {
                        last.comment = Some(token_text(source, &t).trim_end());
                    } else {
                        if !lines.is_empty() && (gap >= 2 || after_block) {
                            lines.push(Line::blank());
                        }
                        let mut line = Line::at(0);
                        line.comment = Some(token_text(source, &t).trim_end());
                        lines.push(line);
                        after_block = false;
                    }
                    gap = 0;
                }
                // the byte-order mark is written back by `format`
                _ => {}
            },
            NodeOrToken::Node(node) => {
                let multi = node
                    .children()
                    .find(|n| n.kind() == SyntaxKind::Block)
                    .is_some_and(|b| !one_line(&b));
                let follows_comment = lines.last().is_some_and(|l| l.parts.is_empty());
                if !lines.is_empty() && (gap >= 2 || after_block || (multi && !follows_comment)) {
                    lines.push(Line::blank());
                } else if multi && follows_comment && gap < 2 {
                    // the comments right above a long declaration lead it: the blank
                    // line goes before them
                    let lead = lines
                        .iter()
                        .rev()
                        .take_while(|l| l.parts.is_empty() && !l.blank)
                        .count();
                    let at = lines.len() - lead;
                    if at > 0 && !lines[at - 1].blank {
                        lines.insert(at, Line::blank());
                    }
                }
                lines.extend(declaration(&node, source));
                after_block = multi;
                gap = 0;
            }
        }
    }
    lines
}

/// Whether a block was written on one line with no comment inside.
fn one_line(block: &SyntaxNode) -> bool {
    !block.descendants_with_tokens().any(|e| {
        e.as_token().is_some_and(|t| {
            t.kind() == SyntaxKind::Comment
                || (t.kind() == SyntaxKind::Whitespace && t.text().contains('\n'))
        })
    })
}

/// The lines of one declaration.
fn declaration<'a>(node: &SyntaxNode, source: &'a str) -> Vec<Line<'a>> {
    let decl = Declaration::cast(node.clone());
    let keyword = decl.as_ref().and_then(Declaration::keyword);
    let block = node.children().find(|n| n.kind() == SyntaxKind::Block);
    let inline_block = block.as_ref().is_some_and(one_line);
    let mut lines: Vec<Line<'a>> = Vec::new();
    let mut line = Line::at(0);
    // line breaks since the last token, inside the block or not
    let mut gap = 0usize;
    let mut in_block = false;
    let mut fields_seen = 0usize;
    let mut previous_field: Option<Keyword> = None;
    for element in node.descendants_with_tokens() {
        let NodeOrToken::Token(t) = element else {
            continue;
        };
        let parent = t.parent();
        match t.kind() {
            SyntaxKind::Whitespace => gap += breaks(&t),
            SyntaxKind::Comment => {
                let text = token_text(source, &t).trim_end();
                if gap == 0 && !line.parts.is_empty() {
                    line.comment = Some(text);
                    lines.push(std::mem::replace(&mut line, Line::at(2)));
                } else {
                    if !line.is_empty() {
                        lines.push(std::mem::replace(&mut line, Line::at(2)));
                    }
                    if gap >= 2 && in_block && fields_seen > 0 {
                        lines.push(Line::blank());
                    }
                    let mut own = Line::at(2);
                    own.comment = Some(text);
                    lines.push(own);
                    line = Line::at(2);
                }
                gap = 0;
            }
            SyntaxKind::ByteOrderMark => {}
            SyntaxKind::LBrace if parent.as_ref().is_some_and(is_block) => {
                line.push("{", SyntaxKind::LBrace);
                in_block = true;
                if !inline_block {
                    lines.push(std::mem::replace(&mut line, Line::at(2)));
                }
                gap = 0;
            }
            SyntaxKind::RBrace if parent.as_ref().is_some_and(is_block) => {
                if inline_block {
                    line.push("}", SyntaxKind::RBrace);
                } else {
                    if !line.is_empty() {
                        lines.push(std::mem::replace(&mut line, Line::at(0)));
                    }
                    line = Line::at(0);
                    line.push("}", SyntaxKind::RBrace);
                }
                in_block = false;
                gap = 0;
            }
            kind => {
                let field = if in_block { starts_field(&t) } else { None };
                let field_keyword = field.as_ref().and_then(tree::Field::keyword);
                // `from s credibility 2`: the grade stays beside its source
                let joins = field_keyword == Some(Keyword::Credibility)
                    && previous_field == Some(Keyword::From);
                let starts_field = field.is_some();
                if starts_field {
                    previous_field = field_keyword;
                }
                if starts_field && !inline_block && !joins {
                    if !line.is_empty() {
                        lines.push(std::mem::replace(&mut line, Line::at(2)));
                    }
                    if gap >= 2 && fields_seen > 0 && lines.last().is_some_and(|l| !l.blank) {
                        lines.push(Line::blank());
                    }
                    line = Line::at(2);
                    line.header_field = matches!(keyword, Some(Keyword::Case | Keyword::Source));
                } else if gap > 0 && !line.parts.is_empty() && !joins {
                    // the author's line break inside a head or a field
                    let indent = if in_block && !inline_block { 4 } else { 2 };
                    lines.push(std::mem::replace(&mut line, Line::at(indent)));
                }
                line.push(token_text(source, &t), kind);
                if starts_field {
                    if inline_block && fields_seen > 0 {
                        // fields of a one-line block: two spaces apart
                        if let Some(p) = line.parts.last_mut() {
                            p.spaces = 2;
                        }
                    }
                    fields_seen += 1;
                }
                gap = 0;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if let (Some(first), Some(decl)) = (lines.first_mut(), decl.as_ref())
        && (block.is_none() || inline_block)
    {
        first.head_of = keyword;
        first.named = decl.name().is_some();
        first.labelled = first.named
            && first
                .parts
                .get(2)
                .is_some_and(|p| p.text.starts_with('"') && !p.text.starts_with("\"\"\""));
    }
    lines
}

fn is_block(node: &SyntaxNode) -> bool {
    node.kind() == SyntaxKind::Block
}

/// The field (or unreadable field) whose first significant token `t` is.
fn starts_field(t: &SyntaxToken) -> Option<tree::Field> {
    let parent = t.parent()?;
    let field = parent
        .ancestors()
        .take_while(|n| !is_block(n))
        .filter(|n| matches!(n.kind(), SyntaxKind::Field | SyntaxKind::Error))
        .last();
    let field = field?;
    field
        .descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .find(|x| !x.kind().is_trivia())
        .is_some_and(|first| first == *t)
        .then(|| tree::Field::cast(field.clone()))
        .flatten()
}

/// Aligns columns and comments, and joins the lines.
fn render(mut lines: Vec<Line<'_>>, newline: &str) -> String {
    align_heads(&mut lines);
    align_header_fields(&mut lines);
    let columns = comment_columns(&lines);
    let mut out = String::new();
    for (line, column) in lines.iter().zip(columns) {
        if !line.blank {
            let content = line.content();
            if !content.is_empty() {
                out.extend(std::iter::repeat_n(' ', line.indent));
                // text blocks keep their own line breaks, verbatim
                out.push_str(&content);
            }
            if let Some(comment) = &line.comment {
                if content.is_empty() {
                    out.extend(std::iter::repeat_n(' ', line.indent));
                } else {
                    let pad = column.saturating_sub(line.width()).max(2);
                    out.extend(std::iter::repeat_n(' ', pad));
                }
                out.push_str(comment);
            }
        }
        out.push_str(newline);
    }
    out
}

/// Pads names and labels of runs of one-line declarations of one kind.
fn align_heads(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        let Some(keyword) = lines[i].head_of else {
            i += 1;
            continue;
        };
        // the run: heads of this kind, with only their continuation lines between
        let mut members = vec![i];
        let mut j = i + 1;
        while j < lines.len() {
            let l = &lines[j];
            if l.head_of == Some(keyword) {
                members.push(j);
            } else if l.head_of.is_some() || l.blank || l.indent == 0 || l.parts.is_empty() {
                break;
            }
            j += 1;
        }
        if members.len() > 1 {
            pad_column(lines, &members, 1, |l| l.named);
            pad_column(lines, &members, 2, |l| l.labelled);
        }
        i = j;
    }
}

/// Pads part `at` of every member line so that the part after it starts in one column,
/// when every member has the part (`has`) and something after it.
fn pad_column(lines: &mut [Line], members: &[usize], at: usize, has: fn(&Line) -> bool) {
    if !members.iter().all(|&m| has(&lines[m])) {
        return;
    }
    let width = members
        .iter()
        .filter_map(|&m| lines[m].parts.get(at))
        .map(|p| p.text.chars().count())
        .max()
        .unwrap_or(0);
    for &m in members {
        let w = lines[m].parts[at].text.chars().count();
        if let Some(next) = lines[m].parts.get_mut(at + 1) {
            next.spaces = width - w + 1;
        }
    }
}

/// Aligns the values of the fields of each `case` and `source` block.
fn align_header_fields(lines: &mut [Line]) {
    let members: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].header_field && lines[i].parts.len() > 1)
        .collect();
    // each block separately: its field lines are consecutive but for comments,
    // blank lines and continuation lines
    let mut start = 0;
    while start < members.len() {
        let mut end = start + 1;
        while end < members.len()
            && lines[members[start]..members[end]]
                .iter()
                .all(|l| l.indent > 0 || l.blank)
        {
            end += 1;
        }
        pad_column(lines, &members[start..end], 0, |_| true);
        start = end;
    }
}

/// The column of each line's trailing comment: consecutive lines with trailing comments
/// (and one indentation) share the column two spaces after the longest of them.
fn comment_columns(lines: &[Line]) -> Vec<usize> {
    let mut columns = vec![0; lines.len()];
    let trailing = |l: &Line| l.comment.is_some() && !l.parts.is_empty() && !l.spans_rows();
    let mut i = 0;
    while i < lines.len() {
        if !trailing(&lines[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && trailing(&lines[j]) && lines[j].indent == lines[i].indent {
            j += 1;
        }
        let column = lines[i..j].iter().map(Line::width).max().unwrap_or(0) + 2;
        for c in &mut columns[i..j] {
            *c = column;
        }
        i = j;
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format(s).unwrap()
    }

    #[test]
    fn spacing_blocks_and_blank_lines() {
        let src = "case   \"t\"{yardstick phia\nquestion \"q\"}\nhypothesis a \"A\"   prior 20%..40%\n\n\n\nhypothesis bb \"Bee\" prior rest catch-all\nevidence e { from s credibility 2  given a , bb:likely\notherwise : unlikely }";
        let want = "case \"t\" {\n  yardstick phia\n  question  \"q\"\n}\n\nhypothesis a \"A\" prior 20%..40%\n\nhypothesis bb \"Bee\" prior rest catch-all\n\nevidence e {\n  from s credibility 2\n  given a, bb: likely\n  otherwise: unlikely\n}\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn runs_of_declarations_align_in_columns() {
        let src = "hypothesis a \"Alpha\" prior 20%\nhypothesis bee \"B\" prior rest catch-all\nsource s \"S\" reliability B\nsource long \"A longer label\" reliability A echoes s\n";
        let want = "hypothesis a   \"Alpha\" prior 20%\nhypothesis bee \"B\"     prior rest catch-all\nsource s    \"S\"              reliability B\nsource long \"A longer label\" reliability A echoes s\n";
        assert_eq!(fmt(src), want);
    }

    #[test]
    fn comments_stay_where_they_were() {
        let src = "# head\n\nhypothesis a \"A\" # why a\nhypothesis b \"B\" prior rest # why b\n# before e\nevidence e {\n  # own line\n  given a: likely # trailing\n\n  otherwise: unlikely\n} # after\n";
        let want = "# head\n\nhypothesis a \"A\"             # why a\nhypothesis b \"B\" prior rest  # why b\n\n# before e\nevidence e {\n  # own line\n  given a: likely  # trailing\n\n  otherwise: unlikely\n}  # after\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn one_line_blocks_and_continuations_are_kept() {
        let src = "judgment kj \"K\" {claims a likely}\nevidence m \"M\" { absent given a: likely otherwise: remote chance }\nhypothesis a \"A\" prior 20%\n    alias \"x\",\n \"y\"\n";
        let want = "judgment kj \"K\" { claims a likely }\nevidence m \"M\" { absent  given a: likely  otherwise: remote chance }\nhypothesis a \"A\" prior 20%\n  alias \"x\",\n  \"y\"\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn text_blocks_are_verbatim_and_crlf_is_kept() {
        let src = "case \"t\" {\r\n  summary \"\"\"\r\n    two\r\n      lines\r\n  \"\"\"\r\n}\r\n";
        assert_eq!(fmt(src), src);
    }

    #[test]
    fn files_with_syntax_errors_are_refused() {
        let err = format("evidence e {\n  given a likely\n").unwrap_err();
        assert!(err.iter().any(Diagnostic::is_error));
    }
}
