//! `acre review` of Word, OpenDocument and HTML drafts: documents made here from a Markdown
//! draft give the same findings on the same words; bad documents get a clear error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use serde_json::Value;
use std::io::Write;
use support::{acre, scratch};

const DRAFT: &str = "tests/fixtures/review/news-apt31-email-reconnaissance.md";

/// The draft's blocks: (heading?, text with its line breaks joined).
pub(crate) fn blocks(md: &str) -> Vec<(bool, String)> {
    md.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| match b.strip_prefix("# ") {
            Some(h) => (true, h.to_string()),
            None => (false, b.split_whitespace().collect::<Vec<_>>().join(" ")),
        })
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn zip_file(parts: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            z.start_file(*name, options).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A Word document of the blocks, the second paragraph carrying a tracked change (a
/// deleted "almost certainly" that must not be reviewed, and the inserted text).
pub(crate) fn docx(blocks: &[(bool, String)]) -> Vec<u8> {
    let mut body = String::new();
    for (i, (heading, text)) in blocks.iter().enumerate() {
        body.push_str("<w:p>");
        if *heading {
            body.push_str("<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>");
        }
        if i == 1 {
            body.push_str(
                "<w:del w:id=\"1\" w:author=\"editor\"><w:r><w:delText>It is almost certainly fake. </w:delText></w:r></w:del>",
            );
        }
        // split into two runs, as Word does
        let cut = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let (a, b) = text.split_at(cut);
        body.push_str(&format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:ins w:id=\"2\" w:author=\"editor\"><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:ins>",
            xml_escape(a),
            xml_escape(b)
        ));
        body.push_str("</w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip_file(&[
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", document),
    ])
}

/// An OpenDocument text of the blocks, with a footnote (not reviewed) in the second one.
fn odt(blocks: &[(bool, String)]) -> Vec<u8> {
    let mut body = String::new();
    for (i, (heading, text)) in blocks.iter().enumerate() {
        let note = if i == 1 {
            "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body><text:p>It is almost certainly fake.</text:p></text:note-body></text:note>"
        } else {
            ""
        };
        if *heading {
            body.push_str(&format!(
                "<text:h text:outline-level=\"1\">{}</text:h>",
                xml_escape(text)
            ));
        } else {
            body.push_str(&format!("<text:p>{}{note}</text:p>", xml_escape(text)));
        }
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    zip_file(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.text".to_string(),
        ),
        ("content.xml", content),
    ])
}

/// A one-page PDF with each line drawn in Helvetica (no lines: a page with no text, as a
/// scan has).
fn pdf(lines: &[&str]) -> Vec<u8> {
    pdf_with(lines, false, &[])
}

/// The content stream that draws `lines`.
fn drawing(lines: &[&str]) -> String {
    let drawn: Vec<String> = lines
        .iter()
        .map(|l| {
            let escaped = l
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            format!("({escaped}) Tj T* T*")
        })
        .collect();
    format!("BT /F1 11 Tf 50 740 Td 14 TL {} ET", drawn.join(" "))
}

/// A stream object: `body` as is, or Flate-compressed.
fn stream(body: &[u8], flate: bool) -> Vec<u8> {
    let (body, filter) = if flate {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, body).unwrap();
        (z.finish().unwrap(), " /Filter /FlateDecode")
    } else {
        (body.to_vec(), "")
    };
    let mut out = format!("<< /Length {}{filter} >>\nstream\n", body.len()).into_bytes();
    out.extend(body);
    out.extend(b"\nendstream");
    out
}

/// The PDF of [`pdf`], its content stream Flate-compressed when `flate`, with `extra`
/// objects after its own.
fn pdf_with(lines: &[&str], flate: bool, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream(drawing(lines).as_bytes(), flate),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    objects.extend(extra.iter().cloned());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn a_pdf_with_compressed_text_is_read_and_hostile_ones_are_refused_in_bounds() {
    let dir = scratch("pdf-bounds");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let good = write(
        "flate.pdf",
        &pdf_with(
            &["There is a high likelihood of further activity."],
            true,
            &[],
        ),
    );
    let found = findings(&good);
    assert!(
        found.contains(&(
            "non-yardstick-term".to_string(),
            "high likelihood".to_string()
        )),
        "{found:?}"
    );
    // arrays nested 50,000 deep overflowed the PDF reader's stack (an abort)
    let nested = [b"[".repeat(50_000), b"]".repeat(50_000)].concat();
    let lines = ["It is likely."];
    let cases = [
        (
            write(
                "deep.pdf",
                &pdf_with(&lines, false, std::slice::from_ref(&nested)),
            ),
            "nests arrays",
            "1M",
        ),
        // the same inside a compressed stream, which only inflating shows
        (
            write(
                "deep-stream.pdf",
                &pdf_with(&lines, false, &[stream(&nested, true)]),
            ),
            "nests arrays",
            "1M",
        ),
        // 256 MiB of spaces in a stream of about 256 KiB: refused at 64 x 512K = 32 MiB
        // inflated (it took 3.2 GB before)
        (
            write(
                "bomb.pdf",
                &pdf_with(&lines, false, &[stream(&vec![b' '; 256 << 20], true)]),
            ),
            "inflate to more than 33554432 bytes",
            "512K",
        ),
    ];
    for (path, message, limit) in cases {
        let out = acre(&["--max-input-size", limit, "review", &path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {stderr}");
        assert!(stderr.contains(message), "{path}: {stderr}");
    }
}

#[test]
fn a_pdf_drafts_text_is_reviewed() {
    let dir = scratch("pdf");
    let path = dir.join("draft.pdf");
    std::fs::write(
        &path,
        pdf(&[
            "Key judgments",
            "APT31 was almost certainly responsible for the campaign.",
            "There is a high likelihood of further activity.",
        ]),
    )
    .unwrap();
    let found = findings(&path.display().to_string());
    assert!(
        found.contains(&(
            "non-yardstick-term".to_string(),
            "high likelihood".to_string()
        )),
        "{found:?}"
    );
}

/// (rule, the words it is about) of every finding of a review.
fn findings(path: &str) -> Vec<(String, String)> {
    let out = acre(&["review", path, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn word_opendocument_and_html_drafts_give_the_markdown_findings() {
    let md = std::fs::read_to_string(DRAFT).unwrap();
    let b = blocks(&md);
    let dir = scratch("documents");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    let page = format!(
        "<!DOCTYPE html><html><head><title>Draft</title><style>p {{ color: red }}</style></head><body>{html}<script>var s = 'it is highly likely';</script></body></html>"
    );
    let want = findings(DRAFT);
    assert!(want.len() >= 3, "{want:?}");
    for path in [
        write("draft.docx", &docx(&b)),
        write("draft.odt", &odt(&b)),
        write("draft.html", page.as_bytes()),
    ] {
        assert_eq!(findings(&path), want, "{path}");
    }
}

#[test]
fn bad_documents_get_a_clear_error() {
    let dir = scratch("bad-documents");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    // a ZIP bomb: 4 MB of zeros in a tiny archive, against a 16 KB input limit (64x = 1 MB)
    let zeros = String::from_utf8(vec![b' '; 4 << 20]).unwrap();
    let bomb = zip_file(&[("word/document.xml", zeros)]);
    assert!(bomb.len() < 16 * 1024, "{}", bomb.len());
    let external = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
    let cases: [(String, &str, &[&str]); 7] = [
        (
            write("corrupt.docx", b"PK\x03\x04 not really a zip"),
            "not a readable ZIP",
            &[],
        ),
        (
            write(
                "encrypted.docx",
                &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0],
            ),
            "encrypted",
            &[],
        ),
        (
            write("bomb.docx", &bomb),
            "ZIP bomb",
            &["--max-input-size", "16K"],
        ),
        (
            write(
                "entity.docx",
                &zip_file(&[("word/document.xml", external.to_string())]),
            ),
            "not well formed",
            &[],
        ),
        (
            write("broken.pdf", b"%PDF-1.7\n"),
            "the PDF could not be read",
            &[],
        ),
        (write("scan.pdf", &pdf(&[])), "holds no text", &[]),
        (
            write("other.odt", &zip_file(&[("mimetype", "x".to_string())])),
            "no `content.xml`",
            &[],
        ),
    ];
    for (path, message, extra) in cases {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(["review", path.as_str()]);
        let out = acre(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {stderr}");
        assert!(stderr.contains(message), "{path}: {stderr}");
        assert!(!stderr.contains("root:"), "{path} read a local file");
    }
}

/// The concatenated `<w:t>` texts of an XML fragment.
fn texts_of(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:t") {
        let after = &rest[i..];
        // `<w:t>` or `<w:t xml:space=...>`, not `<w:tab/>`
        let Some(gt) = after.find('>') else { break };
        let tag = &after[..gt];
        if tag == "<w:t" || tag.starts_with("<w:t ") {
            let body = &after[gt + 1..];
            let end = body.find("</w:t>").unwrap();
            out.push_str(&body[..end]);
            rest = &body[end..];
        } else {
            rest = &after[gt..];
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn unzip(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn annotate_writes_each_finding_as_a_comment_on_its_words() {
    let md = std::fs::read_to_string(DRAFT).unwrap();
    let dir = scratch("annotate");
    let input = dir.join("draft.docx");
    let original = docx(&blocks(&md));
    std::fs::write(&input, &original).unwrap();
    let output = dir.join("reviewed.docx");
    let (i, o) = (input.display().to_string(), output.display().to_string());
    let out = acre(&["review", &i, "--annotate", &o, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("with") && stderr.contains("comment"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&input).unwrap(),
        original,
        "the draft was changed"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["findings"].as_array().unwrap();
    let copy = std::fs::read(&output).unwrap();
    let comments = unzip(&copy, "word/comments.xml");
    assert_eq!(comments.matches("<w:comment ").count(), found.len());
    assert_eq!(comments.matches("w:author=\"acre\"").count(), found.len());
    let document = unzip(&copy, "word/document.xml");
    for (id, f) in found.iter().enumerate() {
        let start = document
            .find(&format!("<w:commentRangeStart w:id=\"{id}\"/>"))
            .unwrap();
        let end = document
            .find(&format!("<w:commentRangeEnd w:id=\"{id}\"/>"))
            .unwrap();
        assert_eq!(texts_of(&document[start..end]), f["text"].as_str().unwrap());
        assert!(comments.contains(&format!("w:id=\"{id}\"")));
    }
    // the text is unchanged: the copy gives the same findings
    assert_eq!(findings(&o), findings(&i));
    assert!(unzip(&copy, "[Content_Types].xml").contains("/word/comments.xml"));
    assert!(unzip(&copy, "word/_rels/document.xml.rels").contains("comments.xml"));
    // never over the draft itself
    let refused = acre(&["review", &i, "--annotate", &i]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(std::fs::read(&input).unwrap(), original);
    // nor over the case compared with (`--case`), nor a file the case includes
    let case = dir.join("case.acre");
    let part = dir.join("part.acre");
    std::fs::write(&part, "source extra \"Extra\" reliability B\n").unwrap();
    let case_text = "case \"t\" { question \"Who?\" }\ninclude \"part.acre\"\n\
        hypothesis apt31 \"APT31\" prior 50%\nhypothesis other \"Other\" prior rest catch-all\n\
        evidence e { from extra credibility 2\n given apt31: likely\n otherwise: unlikely }\n";
    std::fs::write(&case, case_text).unwrap();
    let c = case.display().to_string();
    for target in [&case, &part] {
        let t = target.display().to_string();
        let refused = acre(&["review", &i, "--case", &c, "--annotate", &t]);
        assert_eq!(refused.status.code(), Some(2), "{t}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("is an input of this command"),
            "{t}"
        );
    }
    assert_eq!(std::fs::read_to_string(&case).unwrap(), case_text);
    assert_eq!(
        std::fs::read_to_string(&part).unwrap(),
        "source extra \"Extra\" reliability B\n"
    );
}

/// The annotated copy opens in LibreOffice (headless): it converts to PDF, and as
/// OpenDocument it holds one annotation by acre per finding, with the text unchanged.
/// Runs when `soffice` is installed; CI sets ACRE_REQUIRE_LIBREOFFICE=1 so that a missing
/// LibreOffice fails instead of skipping.
#[test]
fn the_annotated_copy_opens_in_libreoffice() {
    let found = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("ACRE_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice (soffice) is required here"
        );
        eprintln!("skipped: soffice is not installed");
        return;
    }
    let md = std::fs::read_to_string(DRAFT).unwrap();
    let dir = scratch("libreoffice");
    let input = dir.join("draft.docx");
    std::fs::write(&input, docx(&blocks(&md))).unwrap();
    let output = dir.join("reviewed.docx");
    let (i, o) = (input.display().to_string(), output.display().to_string());
    let n = findings(&i).len();
    acre(&["review", &i, "--annotate", &o]);
    let profile = dir.join("profile");
    let convert = |to: &str| {
        let out = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", to, "--outdir"])
            .arg(&dir)
            .arg(&output)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    convert("pdf");
    let pdf = std::fs::read(dir.join("reviewed.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    convert("odt");
    let odt = std::fs::read(dir.join("reviewed.odt")).unwrap();
    let content = unzip(&odt, "content.xml");
    assert_eq!(content.matches("<dc:creator>acre</dc:creator>").count(), n);
    // the text LibreOffice reads is the draft's: the same findings
    assert_eq!(
        findings(&dir.join("reviewed.odt").display().to_string()),
        findings(&i)
    );
}

#[test]
fn json_findings_name_their_paragraph() {
    let md = std::fs::read_to_string(DRAFT).unwrap();
    let dir = scratch("paragraphs");
    let path = dir.join("draft.docx");
    std::fs::write(&path, docx(&blocks(&md))).unwrap();
    let out = acre(&["review", &path.display().to_string(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // "high likelihood" is in the draft's fourth block (title, byline, lead, this one)
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "high likelihood")
        .unwrap();
    let b = blocks(&md);
    assert!(b[3].1.contains("high likelihood"));
    assert_eq!(f["paragraph"], 4);
}

/// A .docx whose package relationships name another main part than `word/document.xml`
/// (a decoy left at the usual name) is reviewed from the part Word reads, and not annotated.
#[test]
fn a_docx_is_read_from_the_main_part_its_relationships_name() {
    let wp = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let doc = |text: &str| {
        format!(
            "<?xml version=\"1.0\"?><w:document {wp}><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        )
    };
    let bytes = zip_file(&[
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"/word/main.xml\"/></Relationships>".to_string()),
        ("word/document.xml", doc("The decoy says nothing estimative.")),
        ("word/main.xml", doc("It is almost certain that APT31 did it.")),
    ]);
    let dir = scratch("docx-main-part");
    let input = dir.join("draft.docx");
    std::fs::write(&input, &bytes).unwrap();
    let i = input.display().to_string();
    let out = acre(&["review", &i, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.to_string().contains("almost certain"), "{v}");
    assert!(!v.to_string().contains("decoy"), "{v}");
    let o = dir.join("out.docx").display().to_string();
    let refused = acre(&["review", &i, "--annotate", &o]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("main part is `word/main.xml`"));
    std::fs::remove_dir_all(&dir).unwrap();
}
