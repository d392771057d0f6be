//! The language server's base protocol (JSON-RPC over a byte stream): each message is a
//! header block with a `Content-Length`, a blank line, then that many bytes. Read here with
//! bounds, from any buffered reader the caller supplies (the library opens nothing): a header
//! block at most [`MAX_HEADER`] bytes, a body at most the caller's limit, so that a hostile
//! client cannot make the server allocate what it claims.

/// The largest `Content-Length` header line and header block read, in bytes.
pub const MAX_HEADER: usize = 8 * 1024;

/// Reads one framed message: `Ok(None)` at the end of input; an error for a frame that
/// cannot be read (a `Content-Length` above `limit`, a header past [`MAX_HEADER`]), after
/// which nothing more can be read from the stream.
pub fn read_frame(
    input: &mut impl std::io::BufRead,
    limit: u64,
) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::{BufRead as _, Error, ErrorKind, Read as _};
    let mut length: Option<u64> = None;
    let mut header = 0usize;
    loop {
        let mut line = String::new();
        let n = input
            .by_ref()
            .take((MAX_HEADER - header.min(MAX_HEADER)) as u64 + 1)
            .read_line(&mut line)?;
        if n == 0 {
            return if header == 0 {
                Ok(None)
            } else {
                Err(Error::new(
                    ErrorKind::UnexpectedEof,
                    "the input ended inside a header",
                ))
            };
        }
        header += n;
        if header > MAX_HEADER {
            return Err(Error::new(
                ErrorKind::InvalidData,
                "a header longer than 8 KiB",
            ));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse::<u64>().map_err(|_| {
                Error::new(
                    ErrorKind::InvalidData,
                    format!("`Content-Length: {}` is not a length", value.trim()),
                )
            })?);
        }
    }
    let length =
        length.ok_or_else(|| Error::new(ErrorKind::InvalidData, "no Content-Length header"))?;
    if length > limit {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!(
                "a message of {length} bytes, above the input limit of {limit} (`--max-input-size`)"
            ),
        ));
    }
    let mut body = Vec::new();
    input.take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            "the input ended inside a message",
        ));
    }
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_one_by_one_and_bounded() {
        let mut input = std::io::Cursor::new(
            b"Content-Length: 2\r\n\r\n{}content-length:3\r\nX: y\r\n\r\n[1]".to_vec(),
        );
        assert_eq!(read_frame(&mut input, 10).unwrap(), Some(b"{}".to_vec()));
        assert_eq!(read_frame(&mut input, 10).unwrap(), Some(b"[1]".to_vec()));
        assert_eq!(read_frame(&mut input, 10).unwrap(), None);
        for bad in [
            &b"Content-Length: 18446744073709551615\r\n\r\n"[..],
            b"Content-Length: 11\r\n\r\n",
            b"Content-Length: 5\r\n\r\nab",
            b"Content-Length: -1\r\n\r\n",
            b"X: y\r\n\r\n",
            b"Content-Length: 1\r\n",
        ] {
            assert!(read_frame(&mut std::io::Cursor::new(bad), 10).is_err());
        }
        let long = [
            b"X: ".to_vec(),
            vec![b'a'; MAX_HEADER],
            b"\r\n\r\n".to_vec(),
        ]
        .concat();
        assert!(read_frame(&mut std::io::Cursor::new(long), 10).is_err());
    }
}
