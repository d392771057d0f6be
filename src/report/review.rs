//! `acre review` output: miette diagnostics, JSON, and SARIF 2.1.0.

use crate::review::rules;
use crate::review::{Finding, JudgmentCheck, Level, Review};
use crate::span::{LineIndex, line_column};
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use serde_json::{Value, json};

/// A place in a text.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct RelatedJson<'a> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The text there.
    pub text: &'a str,
    /// What is said about it.
    pub label: &'a str,
}

/// A machine-applicable edit: replace bytes `start..end` with `replacement`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FixJson<'a> {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The new text.
    pub replacement: &'a str,
}

/// A finding in `acre review --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FindingJson<'a> {
    /// Rule id.
    pub rule: &'static str,
    /// error, warning or info.
    pub severity: Level,
    /// One sentence.
    pub message: &'a str,
    /// How to fix it.
    pub suggestion: Option<&'a str>,
    /// 1-based paragraph (blocks separated by blank lines; for Word, OpenDocument, HTML
    /// and PDF drafts, the document's paragraphs).
    pub paragraph: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The text found.
    pub text: &'a str,
    /// The mechanical fix (`acre review --fix` applies it), when there is one.
    pub fix: Option<FixJson<'a>>,
    /// Other places involved.
    pub related: Vec<RelatedJson<'a>>,
    /// With `--case`: the hypothesis the finding compares the text with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hypothesis: Option<&'a str>,
    /// With `--case`: the assumption the finding compares the text with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<&'a str>,
}

/// An estimative phrase.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct PhraseJson<'a> {
    /// As written.
    pub text: &'a str,
    /// likelihood, confidence or hedge.
    pub kind: crate::review::PhraseKind,
    /// The canonical term.
    pub term: Option<&'a str>,
    /// The yardstick defining it.
    pub yardstick: Option<&'a str>,
    /// Its band.
    pub band: Option<[f64; 2]>,
    /// How it reads where it stands: `comparative`, `negated`, `non-term`, `number`, or a
    /// confidence level.
    pub reading: Option<&'a str>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// For a likelihood term: the proposition it is said of, as the review read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposition: Option<&'a crate::review::Said>,
}

/// Counts.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct SummaryJson {
    /// Error-level findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Info-level findings.
    pub info: usize,
    /// Estimative phrases found.
    pub phrases: usize,
}

/// A judgment check with its finding.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JudgmentJson<'a> {
    /// The check.
    #[serde(flatten)]
    pub check: JudgmentCheck,
    /// The finding on the case file.
    pub finding: Option<FindingJson<'a>>,
}

/// `acre review --format json`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ReviewJson<'a> {
    /// The draft.
    pub file: String,
    /// The governing yardstick.
    pub yardstick: String,
    /// Findings in text order.
    pub findings: Vec<FindingJson<'a>>,
    /// Every estimative phrase, problem or not.
    pub phrases: Vec<PhraseJson<'a>>,
    /// Counts.
    pub summary: SummaryJson,
    /// The case file, with `--case`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The case's judgments, with `--case`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgments: Option<Vec<JudgmentJson<'a>>>,
    /// With `--case`: every term of the draft compared with the case, consistent ones
    /// included (a term that states no proposition the case computes is not compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparisons: Option<Vec<ComparisonJson<'a>>>,
}

/// A term of the draft compared with the case.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ComparisonJson<'a> {
    /// The term as written.
    pub text: &'a str,
    /// Byte offset of the term.
    pub start: usize,
    /// Byte offset after the term.
    pub end: usize,
    /// 1-based line of the term.
    pub line: usize,
    /// Its sentence.
    pub sentence: &'a str,
    /// The hypothesis compared with (on the case's question), if it was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hypothesis: Option<&'a str>,
    /// The assumption compared with, if it was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<&'a str>,
    /// Its label.
    pub label: &'a str,
    /// What the sentence says of it (`responsible`, `access`, ...).
    pub predicate: &'a str,
    /// The term's band.
    pub band: [f64; 2],
    /// The point posterior.
    pub point: f64,
    /// The 5th percentile.
    pub p05: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// `consistent`, `defensible`, `overclaim` or `underclaim`.
    pub verdict: crate::vocab::Verdict,
}

/// Where things are in one text: lines and columns, and paragraphs, each indexed once.
struct Places<'a> {
    lines: LineIndex<'a>,
    paragraphs: Vec<u32>,
}

impl<'a> Places<'a> {
    fn new(text: &'a str) -> Self {
        let lines = LineIndex::new(text);
        let paragraphs = lines.paragraphs();
        Places { lines, paragraphs }
    }

    /// The 1-based paragraph holding `offset`: blocks of text separated by blank lines.
    fn paragraph(&self, offset: usize) -> usize {
        self.paragraphs
            .get(self.lines.line_of(offset))
            .map_or(1, |&p| p as usize)
    }
}

fn finding_json<'a>(f: &'a Finding, text: &'a str, places: &Places) -> FindingJson<'a> {
    let (line, column) = places.lines.line_column(f.span.start);
    FindingJson {
        rule: f.rule.id(),
        severity: f.level,
        message: &f.message,
        suggestion: f.suggestion.as_deref(),
        paragraph: places.paragraph(f.span.start),
        line,
        column,
        start: f.span.start,
        end: f.span.end,
        text: f.span.text(text),
        fix: f.fix.as_ref().map(|x| FixJson {
            start: x.span.start,
            end: x.span.end,
            replacement: &x.replacement,
        }),
        related: f
            .related
            .iter()
            .map(|(s, label)| {
                let (line, column) = places.lines.line_column(s.start);
                RelatedJson {
                    line,
                    column,
                    start: s.start,
                    end: s.end,
                    text: s.text(text),
                    label,
                }
            })
            .collect(),
        hypothesis: f
            .about
            .as_ref()
            .filter(|a| !a.assumption)
            .map(|a| a.id.as_str()),
        assumption: f
            .about
            .as_ref()
            .filter(|a| a.assumption)
            .map(|a| a.id.as_str()),
    }
}

/// The case file a review checked, with its judgment checks and their findings.
pub struct CaseReview<'a> {
    /// The case file's name.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Every judgment check.
    pub checks: &'a [JudgmentCheck],
    /// The findings, each with the index of its check.
    pub findings: &'a [(usize, Finding)],
}

/// The JSON document.
pub fn json<'a>(
    file: &str,
    text: &'a str,
    yardstick: &str,
    review: &'a Review,
    judgments: Option<CaseReview<'a>>,
) -> ReviewJson<'a> {
    let count = |l: Level| {
        review
            .findings
            .iter()
            .chain(
                judgments
                    .as_ref()
                    .map_or(&[][..], |j| j.findings)
                    .iter()
                    .map(|(_, f)| f),
            )
            .filter(|f| f.level == l)
            .count()
    };
    let places = Places::new(text);
    let index = &places.lines;
    ReviewJson {
        file: file.to_string(),
        yardstick: yardstick.to_string(),
        findings: maybe_par_iter!(&review.findings[..])
            .map(|f| finding_json(f, text, &places))
            .collect(),
        phrases: maybe_par_iter!(&review.phrases[..])
            .map(|p| {
                let (line, column) = index.line_column(p.span.start);
                PhraseJson {
                    text: &p.text,
                    kind: p.kind,
                    term: p.term.as_deref(),
                    yardstick: p.yardstick.as_deref(),
                    band: p.band,
                    reading: p.reading.as_deref(),
                    line,
                    column,
                    start: p.span.start,
                    end: p.span.end,
                    proposition: p.proposition.as_deref(),
                }
            })
            .collect(),
        summary: SummaryJson {
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            info: count(Level::Info),
            phrases: review.phrases.len(),
        },
        case: judgments.as_ref().map(|j| j.file.to_string()),
        comparisons: judgments.is_some().then(|| {
            review
                .comparisons
                .iter()
                .map(|c| ComparisonJson {
                    text: c.term.text(text),
                    start: c.term.start,
                    end: c.term.end,
                    line: index.line_column(c.term.start).0,
                    sentence: c.sentence.text(text).trim(),
                    hypothesis: (!c.assumption).then_some(c.id.as_str()),
                    assumption: c.assumption.then_some(c.id.as_str()),
                    label: &c.label,
                    predicate: &c.predicate,
                    band: [c.band.0, c.band.1],
                    point: c.numbers.0,
                    p05: c.numbers.1,
                    p95: c.numbers.2,
                    verdict: c.verdict,
                })
                .collect()
        }),
        judgments: judgments.map(
            |CaseReview {
                 text: case_text,
                 checks,
                 findings,
                 ..
             }| {
                let case_places = Places::new(case_text);
                checks
                    .iter()
                    .enumerate()
                    .map(|(i, c)| JudgmentJson {
                        check: c.clone(),
                        finding: findings
                            .iter()
                            .find(|(at, _)| *at == i)
                            .map(|(_, f)| finding_json(f, case_text, &case_places)),
                    })
                    .collect()
            },
        ),
    }
}

/// Elements of a long array rendered together, a part on each core at a time.
const PART: usize = 2048;

/// Writes `doc` as `serde_json::to_writer_pretty` does, byte for byte, its findings and
/// phrases rendered part by part on every core (a review of 100 MB writes 60 MB of them).
pub fn write_json<W: std::io::Write + ?Sized>(
    out: &mut W,
    mut doc: ReviewJson,
) -> std::io::Result<()> {
    let findings = std::mem::take(&mut doc.findings);
    let phrases = std::mem::take(&mut doc.phrases);
    // the document with both arrays empty, and the arrays written in their places
    let skeleton = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    let rest = splice(out, &skeleton, "findings", &findings)?;
    let rest = splice(out, rest, "phrases", &phrases)?;
    out.write_all(rest.as_bytes())
}

/// Writes `skeleton` up to its top-level member `key` (an empty array there), then `items`
/// as that array; returns the rest of `skeleton`.
fn splice<'s, W: std::io::Write + ?Sized, T: serde::Serialize + Sync>(
    out: &mut W,
    skeleton: &'s str,
    key: &str,
    items: &[T],
) -> std::io::Result<&'s str> {
    // a line starting with two spaces and a quote is a top-level member (a string's line
    // break is written `\n`)
    let member = format!("\n  \"{key}\": []");
    let Some(at) = skeleton.find(&member) else {
        return Err(std::io::Error::other(format!("no `{key}` in the review")));
    };
    let (before, after) = skeleton.split_at(at + member.len() - "[]".len());
    out.write_all(before.as_bytes())?;
    write_array(out, items)?;
    Ok(&after["[]".len()..])
}

/// `items` as the pretty printer writes an array two levels deep.
fn write_array<W: std::io::Write + ?Sized, T: serde::Serialize + Sync>(
    out: &mut W,
    items: &[T],
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let threads = {
        #[cfg(feature = "parallel")]
        let n = rayon::current_num_threads();
        #[cfg(not(feature = "parallel"))]
        let n = 1;
        n
    };
    let mut first = true;
    for window in items.chunks(PART * threads) {
        let parts: Vec<&[T]> = window.chunks(PART).collect();
        let rendered: Vec<std::io::Result<Vec<u8>>> = maybe_par_iter!(parts)
            .enumerate()
            .map(|(i, part)| render_part(part, first && i == 0))
            .collect();
        for r in rendered {
            out.write_all(&r?)?;
        }
        first = false;
    }
    out.write_all(b"\n  ]")
}

/// The elements of `part`, each after its separator, indented as two levels deep.
fn render_part<T: serde::Serialize>(part: &[T], first: bool) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut one = Vec::new();
    for (i, item) in part.iter().enumerate() {
        out.extend_from_slice(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        one.clear();
        serde_json::to_writer_pretty(&mut one, item).map_err(std::io::Error::other)?;
        let mut from = 0;
        for nl in memchr::memchr_iter(b'\n', &one) {
            out.extend_from_slice(&one[from..=nl]);
            out.extend_from_slice(b"    ");
            from = nl + 1;
        }
        out.extend_from_slice(&one[from..]);
    }
    Ok(out)
}

fn sarif_level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Off => "note",
    }
}

fn region(text: &str, start: usize, end: usize) -> Value {
    let (start_line, start_column) = line_column(text, start);
    let (end_line, end_column) = line_column(text, end);
    json!({
        "startLine": start_line, "startColumn": start_column,
        "endLine": end_line, "endColumn": end_column,
        "charOffset": text[..start.min(text.len())].chars().count(),
        "charLength": text.get(start..end).map_or(0, |s| s.chars().count()),
        "snippet": { "text": text.get(start..end).unwrap_or("") },
    })
}

/// SARIF 2.1.0: one run, the rules with their default levels, one result per finding,
/// with the mechanical fixes.
pub fn sarif(files: &[(&str, &str, &[Finding])], yardstick: &str) -> Value {
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let level = r.default_level(yardstick, true);
            let doc = r.doc();
            json!({
                "id": r.id(),
                "name": r.id().split('-').map(|w| { let mut c = w.chars(); c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect()) }).collect::<String>(),
                "shortDescription": { "text": doc.summary },
                "fullDescription": { "text": doc.rationale },
                "defaultConfiguration": { "level": sarif_level(level), "enabled": level != Level::Off },
            })
        })
        .collect();
    let rule_index = rules::position;
    let mut results = Vec::new();
    for (file, text, findings) in files {
        let uri = percent_encode_uri(file);
        for f in findings.iter() {
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": rule_index(f.rule),
                "level": sarif_level(f.level),
                "message": { "text": match &f.suggestion { Some(s) => format!("{} ({s})", f.message), None => f.message.clone() } },
                "locations": [ { "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region(text, f.span.start, f.span.end) } } ],
                "relatedLocations": f.related.iter().enumerate().map(|(i, (s, label))| json!({
                    "id": i,
                    "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region(text, s.start, s.end) },
                    "message": { "text": label },
                })).collect::<Vec<_>>(),
            });
            if let Some(fix) = &f.fix {
                result["fixes"] = json!([ {
                    "description": { "text": format!("replace `{}` with `{}`", fix.span.text(text), fix.replacement) },
                    "artifactChanges": [ {
                        "artifactLocation": { "uri": uri },
                        "replacements": [ {
                            "deletedRegion": region(text, fix.span.start, fix.span.end),
                            "insertedContent": { "text": fix.replacement },
                        } ],
                    } ],
                } ]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": { "name": "acre", "version": env!("CARGO_PKG_VERSION"), "semanticVersion": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "artifacts": files.iter().map(|(file, _, _)| json!({ "location": { "uri": percent_encode_uri(file) } })).collect::<Vec<_>>(),
            "results": results,
            "columnKind": "unicodeCodePoints",
        } ],
    })
}

/// A path as a URI reference: every byte outside RFC 3986's unreserved set and `/` is
/// percent-encoded ("draft with space#1%.md" becomes "draft%20with%20space%231%25.md").
pub fn percent_encode_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Places, ReviewJson, json, write_json};

    fn written(doc: ReviewJson) -> String {
        let mut out = Vec::new();
        write_json(&mut out, doc).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_json_written_in_parts_is_the_pretty_printed_document() {
        // findings and phrases over several parts and windows, strings with line breaks,
        // quotes and non-ASCII text
        let sentence = |i: usize| match i % 4 {
            0 => format!("APT{i} was almost certainly \"responsible\" for the intrusion. "),
            1 => "It is highly likely that the group may possibly have used tracking links.\n"
                .to_string(),
            2 => "The agency assesses with high likelihood that Sandworm – \u{1F600} – did it.\n\n"
                .to_string(),
            _ => {
                "There is a real possibility of a false flag; it is probably unlikely. ".to_string()
            }
        };
        let text: String = (0..10_000).map(sentence).collect();
        let scanner = crate::review::scan::Scanner::new(&[]);
        let options = crate::review::Options {
            yardstick: crate::lexicon::builtin_yardstick("phia").unwrap(),
            config: crate::review::config::RuleConfig::default(),
            case: None,
        };
        let review = crate::review::review(&text, &scanner, &options);
        assert!(
            review.findings.len() > 2 * super::PART && review.phrases.len() > 2 * super::PART,
            "{} {}",
            review.findings.len(),
            review.phrases.len()
        );
        let doc = || json("draft \"one\".md", &text, "phia", &review, None);
        assert_eq!(
            written(doc()),
            serde_json::to_string_pretty(&doc()).unwrap()
        );
        // the members after the arrays, as with a case
        let with_case = || ReviewJson {
            case: Some("case\n.acre".to_string()),
            judgments: Some(Vec::new()),
            comparisons: Some(Vec::new()),
            ..doc()
        };
        assert_eq!(
            written(with_case()),
            serde_json::to_string_pretty(&with_case()).unwrap()
        );
        // nothing found
        let empty = crate::review::Review::default();
        let doc = || json("x.md", "", "phia", &empty, None);
        assert_eq!(
            written(doc()),
            serde_json::to_string_pretty(&doc()).unwrap()
        );
    }

    /// The 1-based paragraph holding `offset`: blocks of text separated by blank lines.
    fn paragraph_of(text: &str, offset: usize) -> usize {
        let mut at = offset.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut n = 1;
        let mut blank_run = false;
        let mut seen_text = false;
        for line in text[..line_start].lines() {
            if line.trim().is_empty() {
                blank_run = seen_text;
            } else {
                if blank_run {
                    n += 1;
                }
                blank_run = false;
                seen_text = true;
            }
        }
        // the offset's own line holds text: after a blank line it starts a new paragraph
        if blank_run {
            n += 1;
        }
        n
    }

    #[test]
    fn paragraphs_are_blocks_between_blank_lines() {
        let t = "\n# Title\n\nOne line\nand another.\n\n\nThird block.\n";
        let places = Places::new(t);
        for (word, n) in [("Title", 1), ("One", 2), ("another", 2), ("Third", 3)] {
            assert_eq!(paragraph_of(t, t.find(word).unwrap()), n, "{word}");
            assert_eq!(places.paragraph(t.find(word).unwrap()), n, "{word}");
        }
    }

    #[test]
    fn the_paragraph_table_agrees_with_a_scan_from_the_start_everywhere() {
        // every offset of texts with blank runs, CRLF, trailing spaces and no final break
        for t in [
            "a\n\nb\n \n\nc",
            "\r\n\r\nx\r\ny\r\n\r\nz\r\n",
            "  \n\t\none\n\n\n\ntwo\nthree\n\n",
            "no breaks at all",
            "x\n\u{a0}\n\u{2003} \ny\n\u{e9}t\u{e9}\n\n\tz\n",
        ] {
            let places = Places::new(t);
            for at in 0..=t.len() {
                assert_eq!(places.paragraph(at), paragraph_of(t, at), "{t:?} at {at}");
            }
        }
    }
}
