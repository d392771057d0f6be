//! HTTP/1.1 on the socket for `acre serve`, as little of it as a local workbench needs: one
//! request per connection (`Connection: close`), read by [`acre::http`] with every read
//! under a deadline, and every response with the security headers.

pub use acre::http::{Refused, Request};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long one read may wait for bytes.
pub const READ_IDLE: Duration = Duration::from_secs(10);

/// Reads one request from a socket: every read waits at most [`READ_IDLE`] and none past
/// `deadline` (then the request is refused with 408).
pub fn read_request(
    stream: &mut TcpStream,
    max_body: u64,
    deadline: Instant,
) -> Result<Request, Refused> {
    acre::http::read_request(&mut Timed { stream, deadline }, max_body)
}

/// A socket whose reads time out at a deadline.
struct Timed<'s> {
    stream: &'s mut TcpStream,
    deadline: Instant,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left.min(READ_IDLE)))?;
        self.stream.read(buf)
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
