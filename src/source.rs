//! Texts as acre reads them: bytes decoded as UTF-8. Bytes that are not UTF-8 are
//! decoded lossily and the text carries a diagnostic that points at the first bad byte.
//!
//! Invariant: nothing here touches the file system; the command line reads the bytes.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// A text read from a file or from standard input.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given.
    pub name: String,
    /// The text (lossily decoded when not UTF-8).
    pub text: String,
    /// Problems with the encoding, if any.
    pub encoding_error: Option<Diagnostic>,
    /// When [`Self::text`] is a case assembled with its includes: the files it holds (the
    /// file itself first); empty for a text read as it is.
    pub segments: Vec<Segment>,
}

/// One file of an assembled text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The file's name, as diagnostics show it.
    pub name: String,
    /// Where its text starts in the assembled text.
    pub start: usize,
    /// Its length in bytes.
    pub len: usize,
    /// The path of the `include` that brought it in (in the assembled text), for included files.
    pub included_at: Option<Span>,
}

/// Decodes bytes as UTF-8, reporting the first invalid byte.
pub fn decode(name: String, bytes: Vec<u8>) -> SourceFile {
    match String::from_utf8(bytes) {
        Ok(text) => SourceFile {
            name,
            text,
            encoding_error: None,
            segments: Vec::new(),
        },
        Err(err) => {
            let bytes = err.as_bytes();
            let valid_up_to = err.utf8_error().valid_up_to();
            let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
            let text = String::from_utf8_lossy(bytes).into_owned();
            // the lossy text keeps the valid prefix byte for byte
            let bad = text[valid_up_to..].chars().next().map_or(0, char::len_utf8);
            let message = if utf16 {
                "this file is UTF-16 text, not UTF-8".to_string()
            } else {
                format!("this file is not valid UTF-8 (bad byte at offset {valid_up_to})")
            };
            SourceFile {
                name,
                encoding_error: Some(
                    Diagnostic::error(Code::InvalidUtf8, message)
                        .with_label(Span::new(valid_up_to, valid_up_to + bad), "not UTF-8")
                        .with_help("save the file as UTF-8 text; binary files are not case files"),
                ),
                text,
                segments: Vec::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let f = decode("x".into(), b"case \"a\xffb\"".to_vec());
        let d = f.encoding_error.unwrap();
        assert_eq!(d.code, Code::InvalidUtf8);
        assert_eq!(d.primary().unwrap().start, 7);
        let f = decode("x".into(), b"\xff\xfe\x00garbage".to_vec());
        assert!(f.encoding_error.unwrap().message.contains("UTF-16"));
    }
}
