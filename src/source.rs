//! Reading case files and drafts from disk.
//!
//! Files that are not UTF-8 are read lossily and carry a diagnostic that points
//! at the first bad byte; paths that cannot be read are a [`LoadError`].

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use std::path::{Path, PathBuf};

/// A text read from disk.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given.
    pub name: String,
    /// The text (lossily decoded when not UTF-8).
    pub text: String,
    /// Problems with the encoding, if any.
    pub encoding_error: Option<Diagnostic>,
}

/// Why a path could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// The path does not exist.
    #[error("`{}` does not exist", .0.display())]
    #[diagnostic(
        code("acre::no-such-file"),
        help("check the path; case files usually end in `.acre`")
    )]
    NotFound(PathBuf),
    /// The path is a directory.
    #[error("`{}` is a directory, not a file", .0.display())]
    #[diagnostic(
        code("acre::is-a-directory"),
        help("name the files inside it, e.g. `DIR/*.acre`")
    )]
    IsDirectory(PathBuf),
    /// Another I/O failure.
    #[error("cannot read `{}`: {message}", path.display())]
    #[diagnostic(code("acre::io-error"), help("check that the file is readable"))]
    Io {
        /// The path.
        path: PathBuf,
        /// What the OS said.
        message: String,
    },
}

/// Reads a file.
pub fn load(path: &Path) -> Result<SourceFile, LoadError> {
    if path.is_dir() {
        return Err(LoadError::IsDirectory(path.to_path_buf()));
    }
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    })?;
    Ok(decode(path.display().to_string(), bytes))
}

/// Decodes bytes as UTF-8, reporting the first invalid byte.
pub fn decode(name: String, bytes: Vec<u8>) -> SourceFile {
    match String::from_utf8(bytes) {
        Ok(text) => SourceFile {
            name,
            text,
            encoding_error: None,
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
                    Diagnostic::error("acre::invalid-utf8", message)
                        .with_label(Span::new(valid_up_to, valid_up_to + bad), "not UTF-8")
                        .with_help("save the file as UTF-8 text; binary files are not case files"),
                ),
                text,
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
        assert_eq!(d.code, "acre::invalid-utf8");
        assert_eq!(d.primary().unwrap().start, 7);
        let f = decode("x".into(), b"\xff\xfe\x00garbage".to_vec());
        assert!(f.encoding_error.unwrap().message.contains("UTF-16"));
    }
}
