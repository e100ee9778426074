//! `metodbok serve`: the preview loop for authors. Builds the site into memory, serves it on
//! loopback, watches the site's files and rebuilds on a change, and tells every open page
//! over a websocket: reload after a good build, or the errors (file, line, column, message,
//! the offending line) after a failed one, while the last good build keeps being served.
//!
//! Only files of the built output are served, from memory: a path is looked up, never joined
//! onto a folder, so `..`, encoded traversal, absolute paths and symlinks cannot reach
//! anything else. Unknown paths get the site's 404 page with status 404.
//!
//! The server stays correct and safe for as long as it runs:
//! - every build runs in a worker process of its own (`metodbok __render`), so a page that
//!   renders for ever ([`crate::limits`]) or content that crashes the build is reported in
//!   the browser, and the next change builds again;
//! - folders that are removed and come back (`content/` restored by git) are watched again;
//! - bound to loopback, it answers only requests whose `Host` is a loopback name or address,
//!   and accepts live-reload websockets only from its own pages (`Origin`), so no web site
//!   can read the diagnostics (which quote source lines) by DNS rebinding;
//! - a connection that does not send a request's headers within [`HEADER_READ_TIMEOUT`] is
//!   closed, idle or slow.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify::EventKind;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use crate::diagnostic::Diagnostic;

/// How long the watcher waits for more changes before rebuilding: an editor saving several
/// files at once causes one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// How long a connection may take to send a request's headers, and stay idle between
/// requests, before it is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How much longer than the page time limit a whole build may take before its worker is
/// stopped from outside (the worker stops itself at the page limit; this is for anything else).
const BUILD_GRACE: Duration = Duration::from_secs(30);

/// The hidden command that runs one build for the server.
pub const WORKER_COMMAND: &str = "__render";

/// The live-reload client injected into every page served.
const LIVE_JS: &str = include_str!("live.js");
const LIVE_PATH: &str = "/__metodbok/live.js";
const WS_PATH: &str = "/__metodbok/ws";

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: PathBuf,
    pub addr: SocketAddr,
    pub open: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0} is already in use (is another preview running?)")]
    AddressInUse(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot watch {path}: {source}")]
    Watch { path: PathBuf, source: notify::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The state every request reads: the last good build and the errors of the last build,
/// if it failed.
struct Snapshot {
    files: Arc<HashMap<String, Vec<u8>>>,
    build: String,
    errors: Option<Vec<Value>>,
}

struct Shared {
    site: PathBuf,
    /// Where the server listens.
    addr: SocketAddr,
    /// The process that builds (see [`Worker`]); one build at a time.
    worker: std::sync::Mutex<Option<Worker>>,
    snapshot: RwLock<Snapshot>,
    builds: std::sync::atomic::AtomicU64,
    epoch: u64,
    tx: broadcast::Sender<String>,
}

impl Shared {
    fn hello(&self) -> String {
        let s = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        json!({ "type": "hello", "build": s.build, "errors": s.errors }).to_string()
    }
}

/// A problem as the overlay shows it.
fn error_value(d: &Diagnostic) -> Value {
    // A line of thousands of characters is cut around the column: the overlay shows where.
    let source_line = d.source.as_ref().filter(|_| d.line > 0).and_then(|text| text.lines().nth(d.line - 1)).map(|l| {
        let chars: Vec<char> = l.chars().collect();
        if chars.len() <= 500 {
            l.to_string()
        } else {
            let from = d.column.saturating_sub(100).min(chars.len());
            chars[from..(from + 400).min(chars.len())].iter().collect()
        }
    });
    json!({
        "file": d.file.display().to_string(), "line": d.line, "column": d.column,
        "message": d.message, "help": d.help, "source_line": source_line,
    })
}

/// Builds the site into memory (in a worker process) and publishes the result; returns
/// whether it built.
fn rebuild(shared: &Shared) -> bool {
    let started = Instant::now();
    let result = build_in_worker(shared);
    let mut s = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
    let message = match result {
        Ok(files) => {
            let n = shared.builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let pages = files.keys().filter(|p| p.ends_with(".html")).count();
            s.files = Arc::new(files);
            s.build = format!("{:x}-{n}", shared.epoch);
            s.errors = None;
            eprintln!("built {pages} pages in {} ms", started.elapsed().as_millis());
            json!({ "type": "reload", "build": s.build })
        }
        Err(errors) => {
            eprintln!("the last good build is still served");
            s.errors = Some(errors.clone());
            json!({ "type": "errors", "build": s.build, "errors": errors })
        }
    };
    let ok = s.errors.is_none();
    drop(s);
    // No receiver (no page open) is not an error.
    let _ = shared.tx.send(message.to_string());
    ok
}

/// The process that builds the site for the server, one build per request. It is started
/// on the first build and kept for the next (its caches stay warm); it is stopped and a new
/// one started when a build takes too long or the worker dies.
struct Worker {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    /// Answers, read on a thread of their own so a build can be waited for with a deadline.
    answers: std::sync::mpsc::Receiver<Option<Vec<u8>>>,
}

impl Worker {
    fn start(site: &Path) -> std::io::Result<Worker> {
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .arg(WORKER_COMMAND)
            .arg(site)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = std::io::BufReader::new(stdout);
            loop {
                let answer = read_answer(&mut reader);
                let done = answer.is_none();
                if tx.send(answer).is_err() || done {
                    break;
                }
            }
        });
        Ok(Worker { child, stdin, answers })
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(w) = self.worker.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            w.stop();
        }
    }
}

/// Runs one build of the site in the worker process: the files it made, or the problems as
/// the overlay shows them. The worker prints its diagnostics to the terminal itself.
fn build_in_worker(shared: &Shared) -> Built {
    use std::io::Write;
    let site = &shared.site;
    let problem = |message: String| vec![error_value(&Diagnostic::file(site.display().to_string(), message))];
    let mut slot = shared.worker.lock().unwrap_or_else(|e| e.into_inner());
    let mut worker = match slot.take() {
        Some(w) => w,
        None => Worker::start(site).map_err(|e| problem(format!("cannot start a build: {e}")))?,
    };
    if writeln!(worker.stdin, "build").and_then(|()| worker.stdin.flush()).is_err() {
        // It died since the last build: a new one builds.
        worker.stop();
        worker = Worker::start(site).map_err(|e| problem(format!("cannot start a build: {e}")))?;
        writeln!(worker.stdin, "build").map_err(|e| problem(format!("cannot start a build: {e}")))?;
    }
    let deadline = crate::limits::page_limit() + BUILD_GRACE;
    let answer = match worker.answers.recv_timeout(deadline) {
        Ok(Some(answer)) => answer,
        Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            let status = worker.child.wait().map(|s| s.to_string()).unwrap_or_default();
            worker.stop();
            return Err(problem(format!(
                "the build stopped unexpectedly ({status}); the terminal shows why. The next change builds again"
            )));
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            worker.stop();
            return Err(problem(format!(
                "the build did not finish within {} s and was stopped; the next change builds again",
                deadline.as_secs()
            )));
        }
    };
    let result =
        decode(&answer).unwrap_or_else(|| Err(problem("the build answered in a way the server cannot read".into())));
    // A worker that stopped itself (a page past the time limit) is not kept.
    let alive = matches!(worker.child.try_wait(), Ok(None));
    if alive {
        *slot = Some(worker);
    } else {
        worker.stop();
    }
    result
}

/// One answer of the worker: a line `OK <length>` or `ERR <length>`, then that many bytes.
/// `None` at the end of its output.
fn read_answer(reader: &mut impl std::io::BufRead) -> Option<Vec<u8>> {
    let mut head = String::new();
    reader.read_line(&mut head).ok()?;
    let (kind, length) = head.trim_end().split_once(' ')?;
    let length: usize = length.parse().ok()?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut answer = format!("{kind}\n").into_bytes();
    answer.extend(body);
    Some(answer)
}

/// Builds the site for the server once for every line on stdin, each answer on stdout: `OK`
/// and the files (each a 4-byte path length, the path, an 8-byte length, the bytes), or
/// `ERR` and the problems as JSON, each after a line with its kind and length (see
/// [`read_answer`]). Diagnostics are also printed to stderr, as `check` prints them. A page
/// past the time limit ends the worker after its answer.
pub fn worker(site: &Path) -> std::process::ExitCode {
    use std::io::{BufRead, Write};
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
        let owned = site.to_path_buf();
        let result = crate::limits::within_page_limit(crate::limits::page_limit(), move || {
            crate::render_site(&owned, false, "preview")
        });
        let mut stuck = false;
        let diagnostics = match result {
            Ok(Ok(files)) => {
                let mut body = Vec::new();
                for f in files {
                    body.extend_from_slice(&(f.path.len() as u32).to_be_bytes());
                    body.extend_from_slice(f.path.as_bytes());
                    body.extend_from_slice(&(f.bytes.len() as u64).to_be_bytes());
                    body.extend_from_slice(&f.bytes);
                }
                let mut out = std::io::stdout().lock();
                let sent =
                    writeln!(out, "OK {}", body.len()).and_then(|()| out.write_all(&body)).and_then(|()| out.flush());
                if sent.is_err() {
                    break;
                }
                continue;
            }
            Ok(Err(crate::Error::Content(d))) => d,
            Ok(Err(other)) => vec![Diagnostic::file(site.display().to_string(), other.to_string())],
            Err(d) => {
                stuck = true;
                vec![d]
            }
        };
        eprint!("{}", crate::diagnostic::render_all(&diagnostics, crate::diagnostic::ColorChoice::Never));
        let errors = Value::Array(diagnostics.iter().map(error_value).collect()).to_string();
        let mut out = std::io::stdout().lock();
        let sent = write!(out, "ERR {}\n{errors}", errors.len()).and_then(|()| out.flush());
        if sent.is_err() || stuck {
            // A page still rendering (past the limit) must not keep the worker alive.
            break;
        }
    }
    std::process::exit(0)
}

/// What a build gave the server: the files by output path, or the problems as the overlay
/// shows them.
type Built = Result<HashMap<String, Vec<u8>>, Vec<Value>>;

/// Reads an answer of [`worker`]; `None` when it is not a complete one.
fn decode(bytes: &[u8]) -> Option<Built> {
    if let Some(json) = bytes.strip_prefix(b"ERR\n") {
        return serde_json::from_slice::<Vec<Value>>(json).ok().map(Err);
    }
    let mut rest = bytes.strip_prefix(b"OK\n")?;
    let mut files = HashMap::new();
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        let path = std::str::from_utf8(tail.get(..len)?).ok()?.to_string();
        let (size, tail) = tail[len..].split_first_chunk::<8>()?;
        let size = usize::try_from(u64::from_be_bytes(*size)).ok()?;
        files.insert(path, tail.get(..size)?.to_vec());
        rest = &tail[size..];
    }
    Some(Ok(files))
}

/// Whether a changed path can change the site: `metodbok.yaml` and the folders that make
/// the site (its own and its base's), not the output or editor litter.
fn relevant(site: &Path, folders: &[PathBuf], path: &Path) -> bool {
    let own = SITE_FOLDERS.iter().any(|f| path.starts_with(site.join(f)));
    if path != site.join("metodbok.yaml") && !own && !folders.iter().any(|f| path.starts_with(f)) {
        return false;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913")
}

/// Serves the site until interrupted.
pub fn run(options: Options) -> Result<(), ServeError> {
    let std_listener = std::net::TcpListener::bind(options.addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::AddressInUse(options.addr),
        _ => ServeError::Listen { addr: options.addr, source: e },
    })?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let site = std::fs::canonicalize(&options.site)?;

    let epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let (tx, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: site.clone(),
        addr,
        worker: std::sync::Mutex::new(None),
        snapshot: RwLock::new(Snapshot {
            files: Arc::new(HashMap::new()),
            build: format!("{epoch:x}-0"),
            errors: None,
        }),
        builds: 0.into(),
        epoch,
        tx,
    });
    rebuild(&shared);

    // Changes arrive debounced from the watcher's thread.
    let (changed_tx, mut changed_rx) = mpsc::unbounded_channel::<()>();
    let watched = site.clone();
    // The folders watched recursively; shared with the watcher's thread.
    let folders: Arc<std::sync::Mutex<Vec<PathBuf>>> = Arc::default();
    let watched_folders = folders.clone();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        DEBOUNCE,
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            if let Ok(events) = result
                && events.iter().any(|e| {
                    matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                        && e.paths
                            .iter()
                            .any(|p| relevant(&watched, &watched_folders.lock().unwrap_or_else(|e| e.into_inner()), p))
                })
            {
                let _ = changed_tx.send(());
            }
        },
    )
    .map_err(|source| ServeError::Watch { path: site.clone(), source })?;
    // Only what makes the site is watched: a site folder may also hold `public/` or, for
    // the bundled handbook, a whole Rust `target/`, far too many folders to watch.
    let mut watching = Watching::default();
    watch_site(&mut debouncer, &site, &mut watching, &folders)
        .map_err(|source| ServeError::Watch { path: site.clone(), source })?;

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let builder = shared.clone();
        let site_dir = site.clone();
        tokio::spawn(async move {
            while changed_rx.recv().await.is_some() {
                // Everything that arrived meanwhile is covered by this one rebuild.
                while changed_rx.try_recv().is_ok() {}
                // A folder made since (a first template override), or removed and restored,
                // is watched from now on.
                if let Err(e) = watch_site(&mut debouncer, &site_dir, &mut watching, &folders) {
                    eprintln!("warning: cannot watch a new folder: {e}");
                }
                let s = builder.clone();
                let _ = tokio::task::spawn_blocking(move || rebuild(&s)).await;
            }
        });
        let app = Router::new()
            .route(WS_PATH, get(websocket))
            .route(LIVE_PATH, get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS) }))
            .fallback(get(file))
            .layer(axum::middleware::from_fn_with_state(shared.clone(), only_this_machine))
            .with_state(shared);
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        println!("serving {} at http://{addr}/ (Ctrl+C to stop)", options.site.display());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if options.open {
            open_browser(&format!("http://{addr}/"));
        }
        tokio::select! {
            result = accept(listener, app) => result,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    Ok(())
}

/// Serves connections from `listener` with `app`, each closed when it takes longer than
/// [`HEADER_READ_TIMEOUT`] to send a request's headers (also between requests).
async fn accept(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            // Out of file descriptors, or a connection reset before it was accepted: go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: axum::http::Request<hyper::body::Incoming>| {
                app.clone().oneshot(request.map(axum::body::Body::new))
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let _ = connection.await;
        });
    }
}

/// Refuses requests that do not come from this machine's own pages: when the server is bound
/// to loopback, a `Host` that is not a loopback name or address (a DNS rebinding attack names
/// its own host); and always, a websocket whose `Origin` is not the server's own address.
async fn only_this_machine(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if shared.addr.ip().is_loopback() && !is_loopback_host(host) {
        return (StatusCode::FORBIDDEN, "This preview answers only requests to localhost or 127.0.0.1.\n")
            .into_response();
    }
    if request.uri().path() == WS_PATH
        && let Some(origin) = headers.get(header::ORIGIN)
    {
        let own = origin.to_str().ok().is_some_and(|o| is_own_origin(o, host, shared.addr));
        if !own {
            return (StatusCode::FORBIDDEN, "Only the preview's own pages may connect.\n").into_response();
        }
    }
    next.run(request).await
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), an address
/// of 127.0.0.0/8, or `[::1]`, with any port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host
            .rsplit_once(':')
            .map_or(host, |(n, port)| if port.chars().all(|c| c.is_ascii_digit()) { n } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `origin` is the address the page was served from: `http://` and the request's own
/// `Host`, on the server's port.
fn is_own_origin(origin: &str, host: &str, addr: SocketAddr) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else { return false };
    let port_ok = rest.rsplit_once(':').is_some_and(|(_, p)| p == addr.port().to_string());
    rest.eq_ignore_ascii_case(host) && port_ok && (!addr.ip().is_loopback() || is_loopback_host(rest))
}

/// The folders of a site that make it, watched recursively; the site folder itself is
/// watched without its subfolders, for `metodbok.yaml` and for those folders appearing.
/// A site with a base also has the base's folders watched, so an edit in the national
/// handbook shows in the municipal copy being previewed.
const SITE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// What is being watched: each folder with the identity it had when its watch was set, so a
/// folder that was removed and made again (a new folder at the same path) is watched again.
#[derive(Default)]
struct Watching {
    roots: Vec<PathBuf>,
    folders: Vec<(PathBuf, Option<FolderId>)>,
}

/// A folder's identity on disk.
type FolderId = (u64, u64);

fn folder_id(path: &Path) -> Option<FolderId> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        m.created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| (d.as_secs(), d.subsec_nanos() as u64))
    }
}

fn watch_site<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    site: &Path,
    watching: &mut Watching,
    folders: &std::sync::Mutex<Vec<PathBuf>>,
) -> Result<(), notify::Error> {
    let base = crate::config::base_of(site).ok().flatten().and_then(|b| std::fs::canonicalize(b.dir).ok());
    // The site's folder and the base's, without subfolders: for metodbok.yaml, and for the
    // folders that make the site appearing again.
    for root in std::iter::once(site.to_path_buf()).chain(base.clone()) {
        if !watching.roots.contains(&root) {
            debouncer.watch(&root, notify::RecursiveMode::NonRecursive)?;
            watching.roots.push(root);
        }
    }
    let roots = std::iter::once(site.to_path_buf()).chain(base);
    for folder in roots.flat_map(|r| SITE_FOLDERS.map(|f| r.join(f))) {
        let id = folder_id(&folder);
        let known = watching.folders.iter().position(|(f, _)| f == &folder);
        match known {
            Some(i) if watching.folders[i].1 == id => continue,
            Some(i) => {
                // Removed (and perhaps made again): its old watch is gone with it.
                let _ = debouncer.unwatch(&folder);
                watching.folders.remove(i);
            }
            None => {}
        }
        if id.is_some() && folder.is_dir() {
            debouncer.watch(&folder, notify::RecursiveMode::Recursive)?;
            watching.folders.push((folder.clone(), id));
            let mut shared = folders.lock().unwrap_or_else(|e| e.into_inner());
            if !shared.contains(&folder) {
                shared.push(folder);
            }
        }
    }
    Ok(())
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(command.0).args(&command.1).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

async fn websocket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| client(socket, shared))
}

async fn client(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut rx = shared.tx.subscribe();
    if socket.send(Message::Text(shared.hello().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            message = rx.recv() => match message {
                Ok(text) => if socket.send(Message::Text(text.into())).await.is_err() { break },
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if socket.send(Message::Text(shared.hello().into())).await.is_err() { break }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
}

/// `%xx` decoded; `None` where the result is not UTF-8 or has a NUL.
pub(crate) fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = path.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    (!s.contains('\0')).then_some(s)
}

/// The output path a request asks for, or `None` for anything that tries to leave the site.
pub fn output_path(request_path: &str) -> Option<String> {
    let decoded = percent_decode(request_path)?;
    let rel = decoded.strip_prefix('/')?;
    if rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return None;
    }
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(if rel.is_empty() { crate::paths::ListPage::Home.url().to_string() } else { rel.to_string() })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
}

/// A page with the live-reload client added before `</body>`.
fn with_live_client(html: &[u8], build: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = format!("<script src=\"{LIVE_PATH}\" data-build=\"{build}\"></script>");
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let (files, build, failed) = {
        let s = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        (s.files.clone(), s.build.clone(), s.errors.is_some())
    };
    let found = output_path(uri.path()).and_then(|p| files.get(&p).map(|bytes| (p, bytes)));
    let (status, path, bytes) = match found {
        Some((p, bytes)) => (StatusCode::OK, p, bytes.clone()),
        None => match files.get(crate::paths::NOT_FOUND) {
            Some(page) => (StatusCode::NOT_FOUND, crate::paths::NOT_FOUND.to_string(), page.clone()),
            None if failed && files.is_empty() => {
                // Nothing has built yet: a page that shows the errors and reloads when fixed.
                let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>metodbok serve</title></head>\
                            <body><main><h1>The site has not built yet</h1></main></body></html>";
                (StatusCode::SERVICE_UNAVAILABLE, "index.html".to_string(), page.as_bytes().to_vec())
            }
            None => (StatusCode::NOT_FOUND, "404.txt".to_string(), b"Not found\n".to_vec()),
        },
    };
    let mut body = if path.ends_with(".html") { with_live_client(&bytes, &build) } else { bytes };
    if status == StatusCode::NOT_FOUND && path == crate::paths::NOT_FOUND {
        // The 404 page links relative to the root, but is shown at any depth.
        body = String::from_utf8_lossy(&body).replacen("<head>", "<head><base href=\"/\">", 1).into_bytes();
    }
    (
        status,
        [
            (header::CONTENT_TYPE, content_type(&path)),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_output_are_asked_for() {
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(output_path("/faser/initiera.html").as_deref(), Some("faser/initiera.html"));
        assert_eq!(output_path("/s%C3%B6k.html").as_deref(), Some("sök.html"));
        for bad in [
            "/../metodbok.yaml",
            "/%2e%2e/metodbok.yaml",
            "/faser/..%2f..%2fmetodbok.yaml",
            "//etc/passwd",
            "/C:/x",
            "/a\\..\\b",
            "/%00",
            "/./index.html",
            "/%zz",
        ] {
            assert_eq!(output_path(bad), None, "{bad}");
        }
    }
}
