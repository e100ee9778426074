//! `metodbok serve` as an author uses it: pages served from memory, an edit reloads open
//! pages, a broken file shows its error (file, line) on the live-reload channel while the
//! last good pages are still served, a fix recovers, and nothing outside the output can be
//! fetched.

mod common;

use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// A running `metodbok serve` on a copy of the fixture site, on a free port.
struct Server {
    child: Child,
    addr: String,
    site: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let site = site("site");
        let (child, addr) = spawn_serve(&assert_cmd::cargo::cargo_bin("metodbok"), site.path());
        Server { child, addr, site }
    }

    /// (status, content type, body) of a raw GET of `path`, sent exactly as written.
    fn get(&self, path: &str) -> (u16, String, String) {
        http_get(&self.addr, path).unwrap()
    }

    fn live(&self) -> Live {
        let (mut socket, _) = tungstenite::connect(format!("ws://{}/__metodbok/ws", self.addr)).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_mut() {
            s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        }
        let mut live = Live { socket };
        let hello = live.next(Duration::from_secs(5)).expect("a hello on connecting");
        assert_eq!(hello["type"], "hello");
        live
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        edit(&self.site.path().join(file), from, to);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Live {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
}

impl Live {
    /// The next message within `wait`.
    fn next(&mut self, wait: Duration) -> Option<Value> {
        let until = Instant::now() + wait;
        while Instant::now() < until {
            match self.socket.read() {
                Ok(tungstenite::Message::Text(t)) => return Some(serde_json::from_str(&t).unwrap()),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("live-reload channel: {e}"),
            }
        }
        None
    }

    /// Every message until `wait` passes with none.
    fn drain(&mut self, wait: Duration) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(m) = self.next(wait) {
            out.push(m);
        }
        out
    }
}

#[test]
fn an_edit_reloads_the_page_with_the_new_text() {
    let server = Server::start();
    let (status, ctype, body) = server.get("/faser/fas-ett.html");
    assert_eq!((status, ctype.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("Fas ett") && body.contains("/__metodbok/live.js"), "the page carries the live client");
    let mut live = server.live();
    server.edit("content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett omdöpt");
    let m = live.next(Duration::from_secs(10)).expect("a message after the edit");
    assert_eq!(m["type"], "reload", "{m}");
    assert!(server.get("/faser/fas-ett.html").2.contains("Fas ett omdöpt"));
}

#[test]
fn a_broken_file_is_reported_with_file_and_line_while_the_last_good_pages_stay() {
    let server = Server::start();
    let mut live = server.live();
    server.edit("content/phases/fas-ett.yaml", "name: Fas ett", "name: [Fas ett");
    let m = live.next(Duration::from_secs(10)).expect("a message after the broken edit");
    assert_eq!(m["type"], "errors", "{m}");
    let e = &m["errors"][0];
    assert!(e["file"].as_str().unwrap().ends_with("content/phases/fas-ett.yaml"), "{e}");
    assert_eq!(e["line"], 3, "{e}");
    assert!(e["column"].as_u64().unwrap() > 0 && !e["message"].as_str().unwrap().is_empty());
    assert_eq!(e["source_line"], "name: [Fas ett", "the offending line is sent");
    let (status, _, body) = server.get("/faser/fas-ett.html");
    assert_eq!(status, 200);
    assert!(body.contains("Fas ett"), "the last good page is still served");
    // A page opened now hears about the problem at once.
    let hello = server.live_hello();
    assert_eq!(hello["errors"][0]["line"], 3);
    // Fixed: the pages reload.
    server.edit("content/phases/fas-ett.yaml", "name: [Fas ett", "name: Fas ett lagad");
    let m = live.next(Duration::from_secs(10)).expect("a message after the fix");
    assert_eq!(m["type"], "reload", "{m}");
    assert!(server.get("/faser/fas-ett.html").2.contains("Fas ett lagad"));
    assert!(server.live_hello()["errors"].is_null(), "no errors once fixed");
}

impl Server {
    fn live_hello(&self) -> Value {
        let (mut socket, _) = tungstenite::connect(format!("ws://{}/__metodbok/ws", self.addr)).unwrap();
        match socket.read().unwrap() {
            tungstenite::Message::Text(t) => serde_json::from_str(&t).unwrap(),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn several_files_saved_at_once_cause_one_rebuild() {
    let server = Server::start();
    let mut live = server.live();
    server.edit("content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett A");
    server.edit("content/phases/fas-tva.yaml", "name: Fas två", "name: Fas två B");
    server.edit("content/method.yaml", "version:", "version:");
    let messages = live.drain(Duration::from_millis(1500));
    assert_eq!(messages.iter().filter(|m| m["type"] == "reload").count(), 1, "{messages:?}");
    let body = server.get("/faser.html").2;
    assert!(body.contains("Fas ett A") && body.contains("Fas två B"), "both edits are in the one rebuild");
}

#[test]
fn nothing_outside_the_built_output_is_served() {
    let server = Server::start();
    for path in [
        "/../metodbok.yaml",
        "/%2e%2e/metodbok.yaml",
        "/%2E%2E%2Fmetodbok.yaml",
        "/faser/../../metodbok.yaml",
        "/faser/..%2f..%2fmetodbok.yaml",
        "//etc/passwd",
        "/content/phases/fas-ett.yaml",
        "/metodbok.yaml",
        "/faser/",
        "/css/",
        "/finns-inte.html",
    ] {
        let (status, ctype, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert_eq!(ctype, "text/html; charset=utf-8", "{path}: the site's 404 page");
        assert!(body.contains("mb-main") && !body.contains("fas-ett\nnumber"), "{path}");
        assert!(body.contains("<base href=\"/\">"), "{path}: the 404 page's relative links work at any depth");
    }
    // A symlink among the site's static files, pointing out of the site, is not served.
    #[cfg(unix)]
    {
        let mut live = server.live();
        std::fs::create_dir_all(server.site.path().join("static")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", server.site.path().join("static/leak.txt")).unwrap();
        write(&server.site.path().join("static/real.txt"), "a real file\n");
        live.drain(Duration::from_millis(1500));
        assert_eq!(server.get("/real.txt").0, 200, "the rebuild picked up the static folder");
        assert_eq!(server.get("/leak.txt").0, 404);
    }
    for (path, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/css/metodbok.css", "text/css; charset=utf-8"),
        ("/js/search.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/mallar/mall-ett.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ] {
        let (status, got, _) = server.get(path);
        assert_eq!((status, got.as_str()), (200, ctype), "{path}");
    }
}

#[test]
fn a_taken_port_is_reported_with_a_way_out() {
    let server = Server::start();
    let port = server.addr.rsplit(':').next().unwrap();
    let (code, _, err) = run(&["serve", server.site.path().to_str().unwrap(), "--port", port]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already in use") && err.contains("--port"), "{err}");
}

#[test]
fn an_edit_in_the_base_reloads_a_site_that_builds_on_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("site"), &dir.path().join("national"));
    let kommun = dir.path().join("kommun");
    let config = read(&dir.path().join("national/metodbok.yaml"));
    write(&kommun.join("metodbok.yaml"), &format!("base: ../national\n{config}"));
    let (child, addr) = spawn_serve(&assert_cmd::cargo::cargo_bin("metodbok"), &kommun);
    let server = Server { child, addr, site: dir };
    assert!(server.get("/faser/fas-ett.html").2.contains("Fas ett"));
    let mut live = server.live();
    server.edit("national/content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett i nya utgåvan");
    let m = live.next(Duration::from_secs(10)).expect("a message after the edit in the base");
    assert_eq!(m["type"], "reload", "{m}");
    assert!(server.get("/faser/fas-ett.html").2.contains("Fas ett i nya utgåvan"));
}
