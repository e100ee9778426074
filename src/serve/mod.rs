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

pub mod http;
mod worker;

use http::*;
pub use worker::worker;
use worker::*;

/// How long a change must be followed by none before a build starts: the events of one
/// save (truncate and write, or write a copy and rename it) come within it. A change that
/// comes while the site builds, such as the next file of an editor's "save all", makes that
/// build stale: it is not published, and the site builds again, so a save is one reload.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// How long changes that keep coming may hold back a build and its publishing: a tool that
/// writes a file more often than every DEBOUNCE, or more often than the site builds, would
/// otherwise leave no quiet moment to start a build, or make every build stale, and the
/// preview would show nothing new until it stopped. After this long, the site builds without
/// waiting for quiet, and a build that succeeded is published although a change came while it
/// ran; the site then builds again for that change. A stale build that failed is not
/// published: it may have read a file half written.
pub const PATIENCE: Duration = Duration::from_millis(500);

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
    /// What the last good build found that does not stop a preview: `{unpublishable,
    /// warnings}`, each a list as the overlay shows it.
    notices: Value,
    /// The dialog's own words, in the site's language.
    words: Value,
}

struct Shared {
    site: PathBuf,
    /// Where the server listens.
    addr: SocketAddr,
    /// The process that builds (see [`Worker`]); one build at a time.
    worker: std::sync::Mutex<Option<Worker>>,
    /// The files of the worker's last good answer, published or not: its next answer leaves
    /// out those that did not change since.
    received: std::sync::Mutex<Arc<HashMap<String, Vec<u8>>>>,
    snapshot: RwLock<Snapshot>,
    builds: std::sync::atomic::AtomicU64,
    epoch: u64,
    tx: broadcast::Sender<String>,
    /// The whole handbook's PDF, typeset when first asked for after a build (typesetting
    /// takes longer than the rest of a build, so an edit does not wait for it): the build it
    /// was made from and its bytes.
    pdf: tokio::sync::Mutex<Option<(String, Arc<Vec<u8>>)>>,
}

impl Shared {
    fn hello(&self) -> String {
        let s = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        json!({ "type": "hello", "build": s.build, "errors": s.errors, "notices": s.notices, "t": s.words }).to_string()
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

/// Where the worker hands over a good build's notices, among its files; never served.
const NOTICES_PATH: &str = "\0notices.json";

/// The overlay's words in the site's language: the theme's interface strings (`live_*`)
/// with the site's own, read leniently so a configuration that does not load still gives
/// its language.
fn live_words(site: &Path) -> Value {
    #[derive(serde::Deserialize)]
    struct Lenient {
        #[serde(default)]
        language: Option<String>,
        #[serde(default)]
        strings: std::collections::BTreeMap<String, serde_saphyr::Spanned<String>>,
    }
    let read = std::fs::read_to_string(site.join(crate::config::FILE_NAME))
        .ok()
        .and_then(|t| serde_saphyr::from_str::<Lenient>(&t).ok());
    let lang = if read.as_ref().and_then(|r| r.language.as_deref()) == Some("en") { "en" } else { "sv" };
    let mut words: std::collections::BTreeMap<String, String> = crate::theme::Theme::embedded_strings(lang);
    words.extend(read.into_iter().flat_map(|r| r.strings).map(|(k, v)| (k, v.value)));
    let live: serde_json::Map<String, Value> =
        words.into_iter().filter(|(k, _)| k.starts_with("live_")).map(|(k, v)| (k, Value::String(v))).collect();
    let mut live = Value::Object(live);
    live["lang"] = Value::String(lang.to_string());
    live
}

/// Builds the site into memory (in a worker process) and publishes the result; returns
/// whether it built.
fn rebuild(shared: &Shared) -> bool {
    let started = Instant::now();
    let built = build_only(shared);
    publish(shared, built, started)
}

/// A build's result, before it is published: the files (without the notices), or the
/// problems.
type Made = Result<(Arc<HashMap<String, Vec<u8>>>, Option<Vec<u8>>), Vec<Value>>;

/// Builds the site in the worker and reads its answer, publishing nothing.
fn build_only(shared: &Shared) -> Made {
    let mut files = worker::build_in_worker(shared)?;
    let notices = files.remove(NOTICES_PATH);
    let files = Arc::new(files);
    *shared.received.lock().unwrap_or_else(|e| e.into_inner()) = files.clone();
    Ok((files, notices))
}

/// Serves what a build made (`started` when it began) and tells open pages: reload, or the
/// errors; returns whether it built.
fn publish(shared: &Shared, made: Made, started: Instant) -> bool {
    let words = live_words(&shared.site);
    let mut s = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
    s.words = words;
    let message = match made {
        Ok((files, notices)) => {
            let n = shared.builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            s.notices = notices
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_else(|| json!({ "unpublishable": [], "warnings": [] }));
            let pages = files.keys().filter(|p| p.ends_with(".html")).count();
            s.files = files;
            s.build = format!("{:x}-{n}", shared.epoch);
            s.errors = None;
            eprintln!("built {pages} pages in {} ms", started.elapsed().as_millis());
            json!({ "type": "reload", "build": s.build })
        }
        Err(errors) => {
            eprintln!("the last good build is still served");
            s.errors = Some(errors.clone());
            json!({ "type": "errors", "build": s.build, "errors": errors, "t": s.words })
        }
    };
    let ok = s.errors.is_none();
    drop(s);
    // No receiver (no page open) is not an error.
    let _ = shared.tx.send(message.to_string());
    ok
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(w) = self.worker.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            w.stop();
        }
    }
}

/// Whether a changed path can change the site: `metodbok.yaml` and the folders that make
/// the site (its own and its base's), not the output or editor litter.
fn relevant(site: &Path, folders: &[PathBuf], path: &Path) -> bool {
    let own = SITE_FOLDERS.iter().any(|f| path.starts_with(site.join(f)));
    let review = path == site.join(crate::review::FILE_NAME);
    if path != site.join("metodbok.yaml") && !review && !own && !folders.iter().any(|f| path.starts_with(f)) {
        return false;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // `check --accept-base` writing the review changes the warnings.
    if path == site.join(crate::review::FILE_NAME) {
        return true;
    }
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
        received: std::sync::Mutex::new(Arc::new(HashMap::new())),
        snapshot: RwLock::new(Snapshot {
            files: Arc::new(HashMap::new()),
            build: format!("{epoch:x}-0"),
            errors: None,
            notices: Value::Null,
            words: Value::Null,
        }),
        builds: 0.into(),
        epoch,
        tx,
        pdf: tokio::sync::Mutex::new(None),
    });
    rebuild(&shared);

    // Changes arrive from the watcher's thread.
    let (changed_tx, mut changed_rx) = mpsc::unbounded_channel::<()>();
    let watched = site.clone();
    // The folders watched recursively; shared with the watcher's thread.
    let folders: Arc<std::sync::Mutex<Vec<PathBuf>>> = Arc::default();
    let watched_folders = folders.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        // Events lost (the system's queue overflowed) may have been changes.
        let changed = match result {
            Ok(e) => {
                e.need_rescan()
                    || (matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                        && e.paths
                            .iter()
                            .any(|p| relevant(&watched, &watched_folders.lock().unwrap_or_else(|e| e.into_inner()), p)))
            }
            Err(_) => true,
        };
        if changed {
            let _ = changed_tx.send(());
        }
    })
    .map_err(|source| ServeError::Watch { path: site.clone(), source })?;
    // Only what makes the site is watched: a site folder may also hold `public/` or, for
    // the bundled handbook, a whole Rust `target/`, far too many folders to watch.
    let mut watching = Watching::default();
    watch_site(&mut watcher, &site, &mut watching, &folders)
        .map_err(|source| ServeError::Watch { path: site.clone(), source })?;

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let builder = shared.clone();
        let site_dir = site.clone();
        tokio::spawn(async move {
            // Whether a change came since this was last asked, taking every one that did.
            let more = |rx: &mut mpsc::UnboundedReceiver<()>| {
                let mut any = false;
                while rx.try_recv().is_ok() {
                    any = true;
                }
                any
            };
            while changed_rx.recv().await.is_some() {
                // Since when the preview has not shown the changes.
                let mut behind = Instant::now();
                loop {
                    // The rest of the save: until a moment passes with no change, or the
                    // changes have kept the preview behind for PATIENCE.
                    loop {
                        tokio::time::sleep(DEBOUNCE).await;
                        if !more(&mut changed_rx) || behind.elapsed() >= PATIENCE {
                            break;
                        }
                    }
                    // A folder made since (a first template override), or removed and
                    // restored, is watched from now on.
                    if let Err(e) = watch_site(&mut watcher, &site_dir, &mut watching, &folders) {
                        eprintln!("warning: cannot watch a new folder: {e}");
                    }
                    let s = builder.clone();
                    let started = Instant::now();
                    let Ok(made) = tokio::task::spawn_blocking(move || build_only(&s)).await else { break };
                    // Changed while it built: what it made is already out of date, and is
                    // published only if it built and the changes have kept it waiting for
                    // PATIENCE.
                    let stale = more(&mut changed_rx);
                    if stale && (made.is_err() || behind.elapsed() < PATIENCE) {
                        continue;
                    }
                    let s = builder.clone();
                    let _ = tokio::task::spawn_blocking(move || publish(&s, made, started)).await;
                    if !stale {
                        break;
                    }
                    behind = Instant::now();
                }
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

fn watch_site(
    watcher: &mut impl notify::Watcher,
    site: &Path,
    watching: &mut Watching,
    folders: &std::sync::Mutex<Vec<PathBuf>>,
) -> Result<(), notify::Error> {
    let base = crate::config::base_of(site).ok().flatten().and_then(|b| std::fs::canonicalize(b.folder()?).ok());
    // The site's folder and the base's, without subfolders: for metodbok.yaml, and for the
    // folders that make the site appearing again.
    for root in std::iter::once(site.to_path_buf()).chain(base.clone()) {
        if !watching.roots.contains(&root) {
            watcher.watch(&root, notify::RecursiveMode::NonRecursive)?;
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
                let _ = watcher.unwatch(&folder);
                watching.folders.remove(i);
            }
            None => {}
        }
        if id.is_some() && folder.is_dir() {
            watcher.watch(&folder, notify::RecursiveMode::Recursive)?;
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
    let mut browser = std::process::Command::new(command.0);
    if crate::heap::not_inherited(&mut browser).args(&command.1).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
