//! `metodbok serve`: the preview loop for authors. Builds the site into memory, serves it on
//! loopback, watches the site's files and rebuilds on a change, and tells every open page
//! over a websocket: reload after a good build, or the errors (file, line, column, message,
//! the offending line) after a failed one, while the last good build keeps being served.
//!
//! Only files of the built output are served, from memory: a path is looked up, never joined
//! onto a folder, so `..`, encoded traversal, absolute paths and symlinks cannot reach
//! anything else. Unknown paths get the site's 404 page with status 404.

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
    snapshot: RwLock<Snapshot>,
    builds: std::sync::atomic::AtomicU64,
    epoch: u64,
    tx: broadcast::Sender<String>,
}

impl Shared {
    fn hello(&self) -> String {
        let s = self.snapshot.read().expect("snapshot lock");
        json!({ "type": "hello", "build": s.build, "errors": s.errors }).to_string()
    }
}

/// A problem as the overlay shows it.
fn error_value(d: &Diagnostic) -> Value {
    let source_line =
        d.source.as_ref().filter(|_| d.line > 0).and_then(|text| text.lines().nth(d.line - 1).map(|l| l.to_string()));
    json!({
        "file": d.file.display().to_string(), "line": d.line, "column": d.column,
        "message": d.message, "help": d.help, "source_line": source_line,
    })
}

/// Builds the site into memory and publishes the result; returns whether it built.
fn rebuild(shared: &Shared) -> bool {
    let started = Instant::now();
    let result = crate::render_site(&shared.site, false, "preview");
    let mut s = shared.snapshot.write().expect("snapshot lock");
    let message = match result {
        Ok(files) => {
            let n = shared.builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            s.files = Arc::new(files.into_iter().map(|f| (f.path, f.bytes)).collect());
            s.build = format!("{:x}-{n}", shared.epoch);
            s.errors = None;
            eprintln!("built {pages} pages in {} ms", started.elapsed().as_millis());
            json!({ "type": "reload", "build": s.build })
        }
        Err(e) => {
            let diagnostics = match e {
                crate::Error::Content(d) => d,
                other => vec![Diagnostic::file(shared.site.display().to_string(), other.to_string())],
            };
            eprint!("{}", crate::diagnostic::render_all(&diagnostics, crate::diagnostic::ColorChoice::Never));
            eprintln!("the last good build is still served");
            let errors: Vec<Value> = diagnostics.iter().map(error_value).collect();
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
    let mut watching = Vec::new();
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
                // A folder made since (a first template override) is watched from now on.
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
            .with_state(shared);
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        println!("serving {} at http://{addr}/ (Ctrl+C to stop)", options.site.display());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if options.open {
            open_browser(&format!("http://{addr}/"));
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    Ok(())
}

/// The folders of a site that make it, watched recursively; the site folder itself is
/// watched without its subfolders, for `metodbok.yaml` and for those folders appearing.
/// A site with a base also has the base's folders watched, so an edit in the national
/// handbook shows in the municipal copy being previewed.
const SITE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

fn watch_site<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    site: &Path,
    watching: &mut Vec<PathBuf>,
    folders: &std::sync::Mutex<Vec<PathBuf>>,
) -> Result<(), notify::Error> {
    if watching.is_empty() {
        debouncer.watch(site, notify::RecursiveMode::NonRecursive)?;
        watching.push(site.to_path_buf());
    }
    let base = crate::config::base_of(site).ok().flatten().and_then(|b| std::fs::canonicalize(b.dir).ok());
    let roots = std::iter::once(site.to_path_buf()).chain(base);
    for folder in roots.flat_map(|r| SITE_FOLDERS.map(|f| r.join(f))) {
        if folder.is_dir() && !watching.contains(&folder) {
            debouncer.watch(&folder, notify::RecursiveMode::Recursive)?;
            watching.push(folder.clone());
            folders.lock().unwrap_or_else(|e| e.into_inner()).push(folder);
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
fn percent_decode(path: &str) -> Option<String> {
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
    Some(if rel.is_empty() { "index.html".to_string() } else { rel.to_string() })
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
        let s = shared.snapshot.read().expect("snapshot lock");
        (s.files.clone(), s.build.clone(), s.errors.is_some())
    };
    let found = output_path(uri.path()).and_then(|p| files.get(&p).map(|bytes| (p, bytes)));
    let (status, path, bytes) = match found {
        Some((p, bytes)) => (StatusCode::OK, p, bytes.clone()),
        None => match files.get("404.html") {
            Some(page) => (StatusCode::NOT_FOUND, "404.html".to_string(), page.clone()),
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
    if status == StatusCode::NOT_FOUND && path == "404.html" {
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
