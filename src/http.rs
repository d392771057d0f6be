//! HTTP/1.1 requests as `acre serve` reads them, from any reader the caller supplies (the
//! library opens nothing; the server hands it a socket under a deadline): a head of at most
//! [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers parsed by httparse, a body only with
//! `Content-Length` and within the caller's limit, read as it arrives (never allocated
//! from what the header claims). Anything else is refused with the status to answer.

use std::io::{ErrorKind, Read};

/// The largest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers read.
pub const MAX_HEADERS: usize = 64;

/// A request, read whole.
#[derive(Debug)]
pub struct Request {
    /// `GET`, `POST`, `PUT`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query's pairs, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// Why a request could not be read: the status to answer with and why (or nothing to
/// answer, when the client left).
#[derive(Debug)]
pub struct Refused {
    /// The status, `None` when the connection is gone.
    pub status: Option<u16>,
    /// Why.
    pub message: String,
}

fn refused(status: u16, message: impl Into<String>) -> Refused {
    Refused {
        status: Some(status),
        message: message.into(),
    }
}

/// Reads one request: its head within [`MAX_HEAD`] bytes, its body within `max_body`. A read
/// that fails with `TimedOut` or `WouldBlock` (the caller's deadline) is refused with 408;
/// the end of input or another error means the client is gone (no status).
pub fn read_request(input: &mut impl Read, max_body: u64) -> Result<Request, Refused> {
    let mut buf = vec![0u8; MAX_HEAD];
    let mut filled = 0;
    let (head_len, mut request) = loop {
        if filled == buf.len() {
            return Err(refused(431, "the request head is larger than 16 KiB"));
        }
        let n = read_some(input, &mut buf[filled..])?;
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf[..filled]) {
            Ok(httparse::Status::Complete(len)) => {
                let target = parsed.path.unwrap_or("/");
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                let request = Request {
                    method: parsed.method.unwrap_or("GET").to_string(),
                    path: percent_decode(path, false),
                    query: parse_query(query),
                    headers: parsed
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_ascii_lowercase(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect(),
                    body: Vec::new(),
                };
                break (len, request);
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(refused(431, "more than 64 headers"));
            }
            Err(e) => return Err(refused(400, format!("not an HTTP request: {e}"))),
        }
    };
    if request
        .header("transfer-encoding")
        .is_some_and(|te| !te.eq_ignore_ascii_case("identity"))
    {
        return Err(refused(
            411,
            "send the body with a Content-Length (chunked uploads are not read)",
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map_err(|_| refused(400, "Content-Length is not a number"))?,
    };
    if length > max_body {
        return Err(refused(
            413,
            format!("the upload is larger than the limit of {max_body} bytes (`--max-input-size`)"),
        ));
    }
    let length = length as usize;
    let mut body = buf[head_len..filled].to_vec();
    body.truncate(length);
    // grown as the bytes arrive, not reserved from what the header claims
    body.reserve((length - body.len()).min(1 << 20));
    let mut chunk = vec![0u8; 64 * 1024];
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        let n = read_some(input, &mut chunk[..want])?;
        body.extend_from_slice(&chunk[..n]);
    }
    request.body = body;
    Ok(request)
}

/// One read of at least a byte.
fn read_some(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, Refused> {
    match input.read(buf) {
        Ok(0) => Err(Refused {
            status: None,
            message: "the client closed the connection".to_string(),
        }),
        Ok(n) => Ok(n),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Err(refused(408, "the request took too long to arrive"))
        }
        Err(e) => Err(Refused {
            status: None,
            message: e.to_string(),
        }),
    }
}

/// `a=1&b=two%20words` as pairs (`+` is a space).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Percent-decoding (bytes that are not UTF-8 replaced); `plus` reads `+` as a space.
pub fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], max_body: u64) -> Result<Request, Refused> {
        read_request(&mut std::io::Cursor::new(bytes.to_vec()), max_body)
    }

    #[test]
    fn reads_a_request_with_its_body() {
        let r = read(b"POST /api/x%20y?a=1&b=%C3%A9 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Two: 2\r\n\r\nhello and more", 100).unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/api/x y"));
        assert_eq!(r.param("b"), Some("é"));
        assert_eq!(r.header("x-two"), Some("2"));
        assert_eq!(r.body, b"hello");
    }

    #[test]
    fn refuses_what_it_will_not_read() {
        let status = |bytes: &[u8], max: u64| read(bytes, max).err().and_then(|e| e.status);
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 10),
            Some(413)
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 10),
            Some(400)
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 10),
            Some(411)
        );
        assert_eq!(status(&[b'a'; MAX_HEAD + 10], 10), Some(431));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(status(many.as_bytes(), 10), Some(431));
        assert_eq!(status(b"\x00\x01 nonsense\r\n\r\n", 10), Some(400));
        // the input ends early: the client is gone, nothing to answer
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nContent-Length: 9\r\n\r\nshort", 10),
            None
        );
        assert_eq!(status(b"GET / HTT", 10), None);
        // a claimed length far beyond what arrives is not allocated up front
        assert_eq!(
            status(
                b"POST / HTTP/1.1\r\nContent-Length: 9000000000\r\n\r\n",
                u64::MAX
            ),
            None
        );
    }

    #[test]
    fn decodes_percent_escapes_and_plus() {
        assert_eq!(percent_decode("a%20b+c", true), "a b c");
        assert_eq!(percent_decode("a%20b+c", false), "a b+c");
        assert_eq!(percent_decode("100%", true), "100%");
        assert_eq!(percent_decode("%zz%4", true), "%zz%4");
        assert_eq!(percent_decode("%C3%A9", true), "é");
        assert_eq!(percent_decode("%FF", true), "\u{FFFD}");
    }

    #[test]
    fn splits_queries() {
        assert_eq!(
            parse_query("path=cases%2Fa.acre&x=&y"),
            vec![
                ("path".to_string(), "cases/a.acre".to_string()),
                ("x".to_string(), String::new()),
                ("y".to_string(), String::new())
            ]
        );
    }
}
