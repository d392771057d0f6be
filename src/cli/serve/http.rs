//! HTTP/1.1 for `acre serve`, as little of it as a local workbench needs: one request per
//! connection (`Connection: close`), a head of at most [`MAX_HEAD`] bytes parsed by
//! httparse, a body only with `Content-Length` and within the upload limit, every read under
//! a deadline, and every response with the security headers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers read.
const MAX_HEADERS: usize = 64;
/// How long one read may wait for bytes.
pub const READ_IDLE: Duration = Duration::from_secs(10);

/// A request, read whole.
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

/// A response.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Its media type.
    pub content_type: &'static str,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The Content-Security-Policy (the workbench's own unless a page needs another).
    pub csp: &'static str,
}

/// The policy of the workbench's pages: scripts and styles only from the server itself
/// (no inline script), images from itself or made in the page, requests only to itself,
/// never framed.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

impl Response {
    /// A response with a body of this type.
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body,
            csp: CSP,
        }
    }

    /// JSON.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(
            status,
            "application/json; charset=utf-8",
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    /// An error as JSON: `{"error": message, "help": help}`.
    pub fn error(status: u16, message: &str, help: Option<&str>) -> Response {
        Response::json(
            status,
            &serde_json::json!({ "error": message, "help": help }),
        )
    }

    /// With one more header.
    pub fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a response and closes the exchange (errors writing are the client's problem).
pub fn write(stream: &mut TcpStream, r: &Response) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\nCross-Origin-Resource-Policy: same-origin\r\nContent-Security-Policy: {}\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len(),
        r.csp
    );
    for (name, value) in &r.headers {
        // values are the server's own; a line break would end the head
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&r.body))
        .and_then(|()| stream.flush());
}

/// After refusing a request whose rest is still arriving: stops writing, then reads and
/// drops up to 1 MiB for at most a second, so the close does not reset the connection (and
/// with it the answer) before the client has read it.
pub fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 16 * 1024];
    let mut dropped = 0usize;
    while dropped < (1 << 20) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => dropped += n,
        }
    }
}

/// Why a request could not be read: the status to answer with and why (or nothing to
/// answer, when the client left).
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

/// Reads one request: its head within [`MAX_HEAD`] bytes, its body within `max_body`, all
/// before `deadline` (each read waits at most [`READ_IDLE`]).
pub fn read_request(
    stream: &mut TcpStream,
    max_body: u64,
    deadline: Instant,
) -> Result<Request, Refused> {
    let mut buf = vec![0u8; MAX_HEAD];
    let mut filled = 0;
    let (head_len, mut request) = loop {
        if filled == buf.len() {
            return Err(refused(431, "the request head is larger than 16 KiB"));
        }
        let n = read_some(stream, &mut buf[filled..], deadline)?;
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
    body.reserve(length - body.len());
    let mut chunk = vec![0u8; 64 * 1024];
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        let n = read_some(stream, &mut chunk[..want], deadline)?;
        body.extend_from_slice(&chunk[..n]);
    }
    request.body = body;
    Ok(request)
}

/// One read of at least a byte, waiting no longer than [`READ_IDLE`] nor past `deadline`.
fn read_some(stream: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> Result<usize, Refused> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(refused(408, "the request took too long to arrive"));
    }
    let _ = stream.set_read_timeout(Some(left.min(READ_IDLE)));
    match stream.read(buf) {
        Ok(0) => Err(Refused {
            status: None,
            message: "the client closed the connection".to_string(),
        }),
        Ok(n) => Ok(n),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
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
