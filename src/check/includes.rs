//! `include "path.acre"`: declarations shared between cases, read from other files.
//!
//! Only what makes sense to share may be included: sources (with their grades), yardsticks
//! (what `acre lexicon fit -o` and `acre calibrate --emit-yardstick` write), gradings, and
//! further includes. The library reads no files: [`assemble`] asks a loader for each
//! included file, and lays the files end to end in one text (each a [`Segment`]) that the
//! checker reads as one case, so spans stay plain byte offsets; [`split`] cuts diagnostics
//! back into one piece per file for drawing. A file included twice (through two paths) is
//! read once; an include that leads back to a file on its own path is a cycle.

use crate::code::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::Item;

pub use crate::source::Segment;

/// A file read for an include.
pub struct Loaded {
    /// The name diagnostics show (the path as resolved).
    pub name: String,
    /// What makes two paths the same file (a canonical path).
    pub key: String,
    /// Its text.
    pub text: String,
}

/// How deep includes may nest (a file including a file including ...): far beyond any
/// real use, and well within the stack.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// Reads the file that `path` (as written in an include) names, from the file `from`.
pub type Loader<'a> = &'a dyn Fn(&str, &str) -> Result<Loaded, String>;

/// A case file with its includes laid end to end.
#[derive(Clone, Debug, Default)]
pub struct Assembled {
    /// The main file, then each included file after a line break.
    pub text: String,
    /// The files, the main one first.
    pub segments: Vec<Segment>,
    /// Problems with the includes themselves.
    pub diagnostics: Vec<Diagnostic>,
}

impl Assembled {
    /// The index of the segment holding `offset`.
    pub fn segment_of(&self, offset: usize) -> usize {
        segment_of(&self.segments, offset)
    }
}

fn segment_of(segments: &[Segment], offset: usize) -> usize {
    segments
        .iter()
        .rposition(|s| s.start <= offset)
        .unwrap_or(0)
}

fn shift(s: Span, by: usize) -> Span {
    Span::new(s.start + by, s.end + by)
}

/// The main file `name` with every file it includes (and they include), read through `loader`.
pub fn assemble(name: &str, key: &str, text: &str, loader: Loader) -> Assembled {
    let mut out = Assembled {
        text: text.to_string(),
        segments: vec![Segment {
            name: name.to_string(),
            start: 0,
            len: text.len(),
            included_at: None,
        }],
        diagnostics: Vec::new(),
    };
    let mut seen = vec![key.to_string()];
    let mut stack = vec![key.to_string()];
    visit(&mut out, 0, &mut stack, &mut seen, loader);
    out
}

fn visit(
    out: &mut Assembled,
    seg: usize,
    stack: &mut Vec<String>,
    seen: &mut Vec<String>,
    loader: Loader,
) {
    let base = out.segments[seg].start;
    let body = out.text[base..base + out.segments[seg].len].to_string();
    let (file, _) = crate::syntax::parse(&body);
    for item in &file.items {
        let Item::Include(inc) = item else {
            continue;
        };
        let at = shift(inc.path.span, base);
        let from = out.segments[seg].name.clone();
        let loaded = match loader(&from, &inc.path.value) {
            Ok(l) => l,
            Err(why) => {
                out.diagnostics.push(
                    Diagnostic::error(
                        Code::IncludeNotFound,
                        format!("cannot include `{}`: {why}", inc.path.value),
                    )
                    .with_label(at, "included here")
                    .with_help("give the path relative to this file, e.g. `include \"shared/sources.acre\"`"),
                );
                continue;
            }
        };
        if stack.len() >= MAX_INCLUDE_DEPTH {
            out.diagnostics.push(
                Diagnostic::error(
                    Code::IncludeCycle,
                    format!(
                        "includes nest more than {MAX_INCLUDE_DEPTH} deep here; `{}` is not read",
                        inc.path.value
                    ),
                )
                .with_label(at, "included here")
                .with_help("include the shared files from the case itself, or from fewer levels"),
            );
            continue;
        }
        if stack.contains(&loaded.key) {
            out.diagnostics.push(
                Diagnostic::error(
                    Code::IncludeCycle,
                    format!(
                        "`{}` includes `{}`, which leads back to it",
                        from, loaded.name
                    ),
                )
                .with_label(at, "this include closes the cycle")
                .with_help(
                    "remove this include: a file cannot include itself, directly or through others",
                ),
            );
            continue;
        }
        if seen.contains(&loaded.key) {
            // read once, through its first path
            continue;
        }
        // a file that does not begin with a declaration is not a case file: it is not read
        // further, so none of its text reaches a diagnostic
        let (inc_file, _) = crate::syntax::parse(&loaded.text);
        if matches!(inc_file.items.first(), Some(Item::Error(_))) {
            out.diagnostics.push(
                Diagnostic::error(
                    Code::IncludeNotFound,
                    format!(
                        "cannot include `{}`: it is not a case file (it does not begin with a declaration)",
                        inc.path.value
                    ),
                )
                .with_label(at, "included here")
                .with_help("include files of sources, yardsticks and gradings written in the case language"),
            );
            continue;
        }
        seen.push(loaded.key.clone());
        out.text.push('\n');
        let start = out.text.len();
        out.text.push_str(&loaded.text);
        out.segments.push(Segment {
            name: loaded.name.clone(),
            start,
            len: loaded.text.len(),
            included_at: Some(at),
        });
        let new_seg = out.segments.len() - 1;
        // only shareable declarations
        for item in &inc_file.items {
            let what = match item {
                Item::Source(_)
                | Item::Yardstick(_)
                | Item::Grading(_)
                | Item::Include(_)
                | Item::Error(_) => continue,
                Item::Case(_) => "a case header",
                Item::Hypothesis(_) => "a hypothesis",
                Item::Group(_) => "a group",
                Item::Assumption(_) => "an assumption",
                Item::Evidence(_) => "an evidence item",
                Item::Judgment(_) => "a judgment",
                Item::Expect(_) => "an expectation",
                Item::Outcome(_) => "an outcome",
            };
            out.diagnostics.push(
                Diagnostic::error(
                    Code::IncludeNotShareable,
                    format!("an included file may not declare {what}"),
                )
                .with_label(shift(item.span(), start), format!("{what}, in an included file"))
                .with_label(at, "included here")
                .with_help("included files share sources, yardsticks and gradings; move the rest into the case"),
            );
        }
        stack.push(loaded.key);
        visit(out, new_seg, stack, seen, loader);
        stack.pop();
    }
}

/// Adds to each diagnostic whose labels lie in included files the `include` that brought
/// each such file in (a name declared twice, once in an included file, points at the
/// include line and at both declarations).
pub fn point_at_includes(diags: &mut [Diagnostic], segments: &[Segment]) {
    if segments.len() < 2 {
        return;
    }
    for d in diags.iter_mut() {
        let segs: Vec<usize> = d
            .labels
            .iter()
            .map(|l| segment_of(segments, l.span.start))
            .collect();
        let mut extra = Vec::new();
        for s in segs.iter().copied().filter(|&s| s > 0) {
            if let Some(at) = segments[s].included_at
                && !d.labels.iter().any(|l| l.span == at)
                && !extra.contains(&at)
            {
                extra.push(at);
            }
        }
        for at in extra {
            d.labels.push(crate::diagnostic::Label {
                span: at,
                text: "included here".to_string(),
            });
        }
    }
}

/// Cuts diagnostics over an assembled text into pieces per file, with spans relative to
/// that file: the piece in the primary label's file keeps the message, severity, help and
/// fixes; labels in other files become advice pieces with the same message.
pub fn split(diags: &[Diagnostic], segments: &[Segment]) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    for d in diags {
        let home = d.primary().map_or(0, |p| segment_of(segments, p.start));
        let mut files: Vec<usize> = vec![home];
        for l in &d.labels {
            let s = segment_of(segments, l.span.start);
            if !files.contains(&s) {
                files.push(s);
            }
        }
        for (n, &s) in files.iter().enumerate() {
            let base = segments.get(s).map_or(0, |x| x.start);
            let local =
                |sp: Span| Span::new(sp.start.saturating_sub(base), sp.end.saturating_sub(base));
            let mut piece = d.clone();
            piece.labels = d
                .labels
                .iter()
                .filter(|l| segment_of(segments, l.span.start) == s)
                .map(|l| crate::diagnostic::Label {
                    span: local(l.span),
                    text: l.text.clone(),
                })
                .collect();
            piece.fixes = d
                .fixes
                .iter()
                .filter(|f| segment_of(segments, f.span.start) == s)
                .map(|f| crate::diagnostic::Fix {
                    span: local(f.span),
                    replacement: f.replacement.clone(),
                })
                .collect();
            if n > 0 {
                piece.severity = Severity::Advice;
                piece.help = None;
                piece.fixes.clear();
                let home_name = segments.get(home).map_or("", |x| x.name.as_str());
                piece.message = format!("{} (see {home_name})", d.message);
            }
            out.push((s, piece));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loader(
        files: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str, &str) -> Result<Loaded, String> {
        move |_from: &str, path: &str| {
            files
                .iter()
                .find(|(n, _)| *n == path)
                .map(|(n, t)| Loaded {
                    name: n.to_string(),
                    key: n.to_string(),
                    text: t.to_string(),
                })
                .ok_or_else(|| "no such file".to_string())
        }
    }

    #[test]
    fn files_are_laid_end_to_end_and_cycles_found() {
        const FILES: &[(&str, &str)] = &[
            (
                "a.acre",
                "source s \"S\" reliability B\ninclude \"b.acre\"\n",
            ),
            (
                "b.acre",
                "include \"a.acre\"\nsource t \"T\" reliability C\n",
            ),
        ];
        let main = "include \"a.acre\"\nhypothesis h \"H\"\n";
        let l = loader(FILES);
        let a = assemble("main.acre", "main.acre", main, &l);
        let names: Vec<&str> = a.segments.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["main.acre", "a.acre", "b.acre"]);
        assert_eq!(&a.text[a.segments[2].start..], FILES[1].1);
        let codes: Vec<Code> = a.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::IncludeCycle]);
        // the cycle is reported at the include in b.acre
        let at = a.diagnostics[0].primary().unwrap();
        assert_eq!(a.segment_of(at.start), 2);
    }
}
