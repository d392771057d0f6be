//! `acre serve [FOLDER]`: the workbench in the browser. The binary serves its own pages
//! (embedded: no network, no CDN) and a JSON API over one folder:
//!
//! - [`http`]: HTTP/1.1, one request per connection, bounded and under deadlines;
//! - [`folder`]: the only folder read and written, every path confined to it;
//! - [`api`]: one handler per endpoint, each calling the same code as its command.
//!
//! Each connection is read and answered on a thread of its own (at most
//! [`MAX_CONNECTIONS`] at once), so a slow upload or a long analysis never holds up another
//! request. Requests are checked before anything is read from the folder: the `Host` must be
//! the server's own (no DNS rebinding), the token must come with every request when one is
//! set, and a request that changes or computes anything must come from the workbench's own
//! pages (same origin, and the `X-Acre` header a cross-site form cannot send).

pub mod api;
pub mod folder;
pub mod http;

use super::{Engine, Exit, Term, UsageError};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Connections answered at once; more wait for a moment, then get 503.
pub const MAX_CONNECTIONS: usize = 32;

/// `acre serve`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The folder of cases and drafts (default: the current folder); nothing outside it is
    /// read or written.
    pub folder: Option<PathBuf>,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 8750)]
    pub port: u16,
    /// The address to listen on. Any address other than the loopback needs a token.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// A token every request must carry (in the page's address the first time; a cookie
    /// after). With `--host` and no token, one is made and printed.
    #[arg(long)]
    pub token: Option<String>,
    /// Open the workbench in the default browser.
    #[arg(long)]
    pub open: bool,
    /// How long a request may take to arrive, in seconds (a client silent for 10 s is
    /// dropped sooner).
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
    #[command(flatten)]
    pub engine: Engine,
}

/// What every request handler shares.
pub struct State {
    /// The served folder.
    pub folder: folder::Folder,
    /// The token, if any.
    pub token: Option<String>,
    /// The `Host` values accepted (`127.0.0.1:8750`, `localhost:8750`, ...).
    pub hosts: Vec<String>,
    /// The origin pages are served from (`http://127.0.0.1:8750`).
    pub origins: Vec<String>,
    /// The largest upload and file read.
    pub max_input: u64,
    /// Monte Carlo settings.
    pub engine: Engine,
    /// How long a request may take to arrive.
    pub request_timeout: Duration,
    /// The library's last answer, with the stamps of the case files it was made from.
    pub library: api::LibraryCache,
}

/// Runs `acre serve` until the process is stopped.
pub fn run(t: &mut Term, args: &Args) {
    if t.include_anywhere {
        // the workbench reads nothing outside its folder, includes included
        t.fail(
            &UsageError::Usage {
                message: "`acre serve` reads nothing outside its folder, so it does not take `--include-anywhere`".to_string(),
                help: Some(
                    "serve the folder that holds the cases and what they include, or run `acre check --include-anywhere` on the case".to_string(),
                ),
            },
            Exit::Usage,
        );
        return;
    }
    let dir = args.folder.clone().unwrap_or_else(|| PathBuf::from("."));
    let folder = match folder::Folder::new(&dir) {
        Ok(f) => f,
        Err(message) => {
            t.fail(
                &UsageError::Usage {
                    message,
                    help: Some(
                        "name a folder of cases and drafts: `acre serve cases/`".to_string(),
                    ),
                },
                Exit::Usage,
            );
            return;
        }
    };
    if let Some(token) = &args.token
        && (token.len() < 16
            || !token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        t.fail(
            &UsageError::Usage {
                message: "the token must be at least 16 letters, digits, `-` or `_`".to_string(),
                help: Some("leave `--token` out to have one made".to_string()),
            },
            Exit::Usage,
        );
        return;
    }
    let token = match (&args.token, args.host.is_loopback()) {
        (Some(token), _) => Some(token.clone()),
        (None, true) => None,
        (None, false) => match new_token() {
            Some(t) => Some(t),
            None => {
                t.fail(
                    &UsageError::Usage {
                        message:
                            "no token could be made (the system's random source is not readable)"
                                .to_string(),
                        help: Some("give one: `--token SECRET`".to_string()),
                    },
                    Exit::Usage,
                );
                return;
            }
        },
    };
    let listener = match TcpListener::bind(SocketAddr::new(args.host, args.port)) {
        Ok(l) => l,
        Err(e) => {
            t.fail(
                &UsageError::Usage {
                    message: format!("cannot listen on {}:{}: {e}", args.host, args.port),
                    help: Some(
                        "pick another port with `--port N` (0 picks a free one)".to_string(),
                    ),
                },
                Exit::Usage,
            );
            return;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            t.fail(
                &UsageError::Usage {
                    message: format!("cannot read the address listened on: {e}"),
                    help: None,
                },
                Exit::Usage,
            );
            return;
        }
    };
    let port = addr.port();
    let shown_host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let mut hosts = vec![format!("{shown_host}:{port}")];
    if args.host.is_loopback() {
        hosts.push(format!("localhost:{port}"));
        hosts.push(format!("127.0.0.1:{port}"));
        hosts.push(format!("[::1]:{port}"));
    }
    let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
    let url = match &token {
        Some(tok) => format!("http://{shown_host}:{port}/?token={tok}"),
        None => format!("http://{shown_host}:{port}/"),
    };
    let state = Arc::new(State {
        folder,
        token,
        hosts,
        origins,
        max_input: t.max_input,
        engine: args.engine,
        request_timeout: Duration::from_secs(args.request_timeout),
        library: api::LibraryCache::default(),
    });
    t.out(&format!(
        "acre serve: the workbench for {} is at {url}\n(Ctrl-C stops it)\n",
        state.folder.root.display()
    ));
    t.flush();
    if args.open
        && let Err(why) = open_browser(&url)
    {
        t.err(&format!(
            "acre serve: could not open a browser ({why}); open {url} yourself\n"
        ));
    }
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            continue;
        };
        accept(stream, &state, &active);
    }
}

/// Answers one connection on a thread of its own, or 503 when too many are open.
fn accept(mut stream: TcpStream, state: &Arc<State>, active: &Arc<AtomicUsize>) {
    if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
        active.fetch_sub(1, Ordering::SeqCst);
        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        http::write(
            &mut stream,
            &http::Response::error(503, "the workbench is busy; try again", None)
                .with_header("Retry-After", "1".to_string()),
        );
        return;
    }
    let (state, active_here) = (Arc::clone(state), Arc::clone(active));
    let spawned = std::thread::Builder::new()
        .name("acre-serve".to_string())
        // the analyses recurse as deep as the command line's main thread lets them
        .stack_size(64 << 20)
        .spawn(move || {
            connection(stream, &state);
            active_here.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads one request, checks it, answers it.
fn connection(mut stream: TcpStream, state: &State) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let deadline = Instant::now() + state.request_timeout;
    let response = match http::read_request(&mut stream, state.max_input, deadline) {
        Ok(request) => match admit(&request, state) {
            Ok(()) => {
                let mut response = api::route(&request, state);
                // the token, once given in the page's address, stays as a cookie
                if let (Some(token), Some(given)) = (&state.token, request.param("token"))
                    && given == token
                {
                    response = response.with_header(
                        "Set-Cookie",
                        format!("acre_token={token}; Path=/; HttpOnly; SameSite=Strict"),
                    );
                }
                response
            }
            Err(refusal) => refusal,
        },
        Err(refused) => match refused.status {
            Some(status) => {
                let response = http::Response::error(status, &refused.message, None);
                http::write(&mut stream, &response);
                // what the client is still sending is read and dropped for a moment, so
                // that closing does not reset the connection before it reads the answer
                http::linger(&mut stream);
                return;
            }
            None => return,
        },
    };
    http::write(&mut stream, &response);
}

/// Whether a request may be answered: the server's own `Host`, the token when one is set,
/// and for anything but reading a page, the workbench's own origin.
fn admit(request: &http::Request, state: &State) -> Result<(), http::Response> {
    let host_ok = request
        .header("host")
        .is_some_and(|h| state.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)));
    if !host_ok {
        return Err(http::Response::error(
            403,
            "this server answers only to its own address",
            Some("open the address `acre serve` printed"),
        ));
    }
    if let Some(token) = &state.token {
        let given = request
            .header("x-acre-token")
            .or_else(|| request.cookie("acre_token"))
            .or_else(|| request.param("token"));
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            return Err(http::Response::error(
                401,
                "this workbench needs its token",
                Some("open the address with `?token=…` that `acre serve` printed"),
            ));
        }
    }
    let reads_a_page = request.method == "GET" && !request.path.starts_with("/api/");
    if !reads_a_page {
        // a page of another site can send GETs and simple POSTs, but not this header
        if request.header("x-acre") != Some("1") {
            return Err(http::Response::error(
                403,
                "requests to the API come from the workbench's own pages",
                None,
            ));
        }
        if let Some(origin) = request.header("origin")
            && !state.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
        {
            return Err(http::Response::error(
                403,
                "requests from another origin are refused",
                None,
            ));
        }
        if let Some(site) = request.header("sec-fetch-site")
            && site != "same-origin"
            && site != "none"
        {
            return Err(http::Response::error(
                403,
                "requests from another site are refused",
                None,
            ));
        }
    }
    Ok(())
}

/// Compares two secrets in time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A token of 32 hexadecimal digits from the system's random source.
fn new_token() -> Option<String> {
    use std::io::Read as _;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Opens the address in the desktop's browser (no shell: the opener is run directly).
/// Opens `url` in the default browser (`open`, `explorer`, or `xdg-open`, found on the
/// `PATH`); the opener is waited for on a thread of its own, so it leaves no zombie.
fn open_browser(url: &str) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("`{opener}`: {e}"))?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(constant_time_eq(b"abcdef", b"abcdef"));
        assert!(!constant_time_eq(b"abcdef", b"abcdeg"));
        assert!(!constant_time_eq(b"abcdef", b"abcde"));
    }

    #[test]
    fn tokens_are_fresh_hex() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
