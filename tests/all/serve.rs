//! `metodbok serve` as an author uses it: pages served from memory, an edit reloads open
//! pages, a broken file shows its error (file, line) on the live-reload channel while the
//! last good pages are still served, a fix recovers, and nothing outside the output can be
//! fetched.

use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::common::*;
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
fn the_preview_offers_the_print_page_and_typesets_the_pdf_when_asked() {
    let server = Server::start();
    let (status, _, print) = server.get("/hela-handboken.html");
    assert_eq!(status, 200);
    assert!(print.contains("Fas ett"), "the print page holds the phases");
    let (_, _, home) = server.get("/index.html");
    assert!(home.contains("href=\"hela-handboken.pdf\""), "pages link to the PDF");
    let (status, ctype, first) = server.get("/hela-handboken.pdf");
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    assert!(first.starts_with("%PDF-"), "a PDF");
    // After an edit, the PDF asked for is the new one.
    let mut live = server.live();
    server.edit("content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett omdöpt");
    assert_eq!(live.next(Duration::from_secs(10)).expect("a reload")["type"], "reload");
    let (_, _, second) = server.get("/hela-handboken.pdf");
    assert!(second.starts_with("%PDF-") && second != first, "the PDF is typeset again after an edit");
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
    // As an editor's "save all" does: the new texts are ready, then written one after another.
    let changes = [
        ("content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett A"),
        ("content/phases/fas-tva.yaml", "name: Fas två", "name: Fas två B"),
        ("content/method.yaml", "version:", "version:"),
    ];
    let texts: Vec<(std::path::PathBuf, String)> = changes
        .iter()
        .map(|(file, from, to)| {
            let path = server.site.path().join(file);
            let text = read(&path);
            assert!(text.contains(from), "{file} has {from:?}");
            (path, text.replacen(from, to, 1))
        })
        .collect();
    for (path, text) in &texts {
        std::fs::write(path, text).unwrap();
    }
    let messages = live.drain(Duration::from_millis(1500));
    assert_eq!(messages.iter().filter(|m| m["type"] == "reload").count(), 1, "{messages:?}");
    let body = server.get("/faser.html").2;
    assert!(body.contains("Fas ett A") && body.contains("Fas två B"), "both edits are in the one rebuild");
}

#[test]
fn a_file_written_again_and_again_still_shows_in_the_preview_while_it_is_written() {
    let server = Server::start();
    let mut live = server.live();
    // As a tool that rewrites a file every few milliseconds does, more often than the site
    // builds: every build sees a change come while it runs.
    let path = server.site.path().join("content/phases/fas-ett.yaml");
    let text = read(&path);
    assert!(text.contains("name: Fas ett\n"));
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (path, writing) = (path.clone(), writing.clone());
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(4);
            let mut n = 0;
            while Instant::now() < until {
                n += 1;
                let _ = std::fs::write(&path, text.replacen("name: Fas ett\n", &format!("name: Fas ett {n}\n"), 1));
                std::thread::sleep(Duration::from_millis(2));
            }
            writing.store(false, std::sync::atomic::Ordering::SeqCst);
            n
        })
    };
    // A build that read the file half written may fail; the preview then waits for the next.
    let reloaded = loop {
        match live.next(Duration::from_secs(15)) {
            Some(m) if m["type"] == "reload" => break writing.load(std::sync::atomic::Ordering::SeqCst),
            Some(_) => {}
            None => panic!("no reload"),
        }
    };
    let shown = server.get("/faser/fas-ett.html").2;
    let last = writer.join().unwrap();
    assert!(reloaded, "a reload came while the file was still being written");
    assert!(shown.contains("Fas ett ") && !shown.contains(&format!("Fas ett {last}<")), "an earlier text is shown");
    // Once the writes stop, the last text is shown.
    let until = Instant::now() + Duration::from_secs(10);
    while !server.get("/faser/fas-ett.html").2.contains(&format!("Fas ett {last}<")) {
        assert!(Instant::now() < until, "the last text is shown once the writes stop");
        let _ = live.next(Duration::from_millis(500));
    }
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

#[test]
fn content_removed_and_restored_is_watched_again() {
    let server = Server::start();
    let mut live = server.live();
    let content = server.site.path().join("content");
    let aside = server.site.path().join("content-aside");
    std::fs::rename(&content, &aside).unwrap();
    let m = live.next(Duration::from_secs(10)).expect("a message once content/ is gone");
    assert_eq!(m["type"], "errors", "{m}");
    std::fs::rename(&aside, &content).unwrap();
    let m = live.next(Duration::from_secs(10)).expect("a message once content/ is back");
    assert_eq!(m["type"], "reload", "{m}");
    // An edit inside the restored folder rebuilds as before.
    server.edit("content/phases/fas-ett.yaml", "name: Fas ett", "name: Fas ett efter återställning");
    let m = live.next(Duration::from_secs(10)).expect("a message after an edit in the restored folder");
    assert_eq!(m["type"], "reload", "{m}");
    assert!(server.get("/faser/fas-ett.html").2.contains("Fas ett efter återställning"));
    // The same for templates/, made, removed and made again.
    let templates = server.site.path().join("templates/partials");
    std::fs::create_dir_all(&templates).unwrap();
    write(&templates.join("footer.html"), "<footer id=\"mb-footer\">Sidfot ett</footer>\n");
    assert_eq!(live.next(Duration::from_secs(10)).expect("a rebuild")["type"], "reload");
    std::fs::remove_dir_all(server.site.path().join("templates")).unwrap();
    assert_eq!(live.next(Duration::from_secs(10)).expect("a rebuild")["type"], "reload");
    std::fs::create_dir_all(&templates).unwrap();
    write(&templates.join("footer.html"), "<footer id=\"mb-footer\">Sidfot två</footer>\n");
    live.drain(Duration::from_millis(1500));
    write(&templates.join("footer.html"), "<footer id=\"mb-footer\">Sidfot tre</footer>\n");
    live.drain(Duration::from_millis(1500));
    assert!(server.get("/index.html").2.contains("Sidfot tre"), "an edit in the remade templates/ is seen");
}

/// The response to `request` sent to `addr`: its head, and its body when the server closes
/// the connection after it.
fn raw(addr: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // Until the server closes, or the head is complete on a connection it keeps open.
    while let Ok(n @ 1..) = stream.read(&mut buf) {
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out);
        let kept_open = !text.to_ascii_lowercase().contains("connection: close");
        if kept_open && text.contains("\r\n\r\n") {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn only_this_machines_pages_may_talk_to_the_preview() {
    let server = Server::start();
    let addr = &server.addr;
    let port = addr.rsplit(':').next().unwrap();
    let get = |host: &str| raw(addr, &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
    // A name that is not this machine's: what a DNS rebinding attack sends.
    for host in ["evil.example", &format!("evil.example:{port}"), "127.0.0.1.evil.example", "10.0.0.1"] {
        let response = get(host);
        assert!(response.starts_with("HTTP/1.1 403"), "Host: {host} → {response}");
        assert!(!response.contains("mb-main"), "no page for Host: {host}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "localhost".to_string()] {
        assert!(get(&host).starts_with("HTTP/1.1 200"), "Host: {host}");
    }
    // The live-reload channel, which carries diagnostics with source lines, only for the
    // preview's own pages.
    let upgrade = |origin: &str| {
        raw(
            addr,
            &format!(
                "GET /__metodbok/ws HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nConnection: Upgrade\r\n\
                 Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
            ),
        )
    };
    for origin in ["http://evil.example", "null", &format!("http://evil.example:{port}"), "https://127.0.0.1"] {
        assert!(upgrade(origin).starts_with("HTTP/1.1 403"), "Origin: {origin}");
    }
    let own = upgrade(&format!("http://{addr}"));
    assert!(own.starts_with("HTTP/1.1 101"), "the preview's own page connects: {own}");
}

#[test]
fn a_template_that_never_finishes_is_reported_and_a_fix_builds_again() {
    let site = site("site");
    let (child, addr) =
        spawn_serve_with(&assert_cmd::cargo::cargo_bin("metodbok"), site.path(), &[("METODBOK_PAGE_TIME_LIMIT", "1")]);
    let server = Server { child, addr, site };
    let mut live = server.live();
    let templates = server.site.path().join("templates/partials");
    std::fs::create_dir_all(&templates).unwrap();
    let footer = read(&repo_root().join("themes/default/templates/partials/footer.html"));
    let looping = "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}\n";
    write(&templates.join("footer.html"), &format!("{looping}{footer}"));
    let m = live.next(Duration::from_secs(30)).expect("a message once the limit has passed");
    assert_eq!(m["type"], "errors", "{m}");
    let message = m["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("did not finish within 1 s"), "{m}");
    assert!(m["errors"][0]["file"].as_str().unwrap().contains("templates/"), "the template is named: {m}");
    // The server still answers, with the last good pages.
    assert_eq!(server.get("/faser/fas-ett.html").0, 200);
    // Fixed: it builds again.
    write(&templates.join("footer.html"), &footer);
    let m = live.next(Duration::from_secs(30)).expect("a message after the fix");
    assert_eq!(m["type"], "reload", "{m}");
}

#[test]
fn idle_and_slow_connections_are_closed() {
    use std::io::{Read, Write};
    let server = Server::start();
    let started = Instant::now();
    // Connections that send nothing, and one that sends a header a byte at a time, slower
    // than a header should take.
    let idle: Vec<TcpStream> = (0..5).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_write_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut slow_closed = None;
    for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter().cycle() {
        if started.elapsed() > Duration::from_secs(40) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
        if slow.write_all(&[*byte]).is_err() {
            slow_closed = Some(started.elapsed());
            break;
        }
        // The server closing shows as end of stream on read.
        slow.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 1];
        let closed = matches!(slow.read(&mut buf), Ok(0));
        slow.set_nonblocking(false).unwrap();
        if closed {
            slow_closed = Some(started.elapsed());
            break;
        }
    }
    let slow_closed = slow_closed.expect("the slow connection is closed");
    assert!(slow_closed < Duration::from_secs(30), "closed after {slow_closed:?}");
    for mut c in idle {
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = [0u8; 16];
        assert!(matches!(c.read(&mut buf), Ok(0)), "an idle connection is closed by the server");
    }
    // And the server still serves.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn content_nested_beyond_any_stack_is_an_error_and_the_server_goes_on() {
    let server = Server::start();
    let mut live = server.live();
    let page = server.site.path().join("content/pages/om.md");
    let original = read(&page);
    write(&page, &format!("{original}\n{} djupt\n", ">".repeat(100_000)));
    let m = live.next(Duration::from_secs(20)).expect("a message after the deep edit");
    assert_eq!(m["type"], "errors", "{m}");
    assert!(m["errors"][0]["file"].as_str().unwrap().ends_with("content/pages/om.md"), "{m}");
    assert!(m["errors"][0]["message"].as_str().unwrap().contains("nested more than 32 levels"), "{m}");
    assert_eq!(server.get("/om.html").0, 200, "the last good page is still served");
    write(&page, &original);
    assert_eq!(live.next(Duration::from_secs(20)).expect("a message after the fix")["type"], "reload");
}

#[test]
fn the_preview_shows_an_unpublishable_statement_and_changed_national_texts_in_the_sites_language() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("site"), &dir.path().join("national"));
    let kommun = dir.path().join("kommun");
    // A copy that replaces a national field and whose statement lacks its date.
    write(
        &kommun.join("metodbok.yaml"),
        "title: Testby\nbase: ../national\naccessibility:\n  status: helt\n  method: Egen bedömning.\n  \
         feedback:\n    email: a@testby.example\n",
    );
    write(&kommun.join("content/overrides.yaml"), "phases:\n  - id: fas-ett\n    purpose: Vårt syfte.\n");
    let (code, _, err) = run(&["check", kommun.to_str().unwrap(), "--accept-base"]);
    assert_eq!(code, 1, "check refuses the statement but records the review:\n{err}");
    let (child, addr) = spawn_serve(&assert_cmd::cargo::cargo_bin("metodbok"), &kommun);
    let server = Server { child, addr, site: dir };
    // It previews all the same, and a page opened hears what keeps it from being published.
    assert_eq!(server.get("/faser/fas-ett.html").0, 200);
    let hello = server.live_hello();
    let blocked = &hello["notices"]["unpublishable"][0];
    assert_eq!(blocked["file"], "metodbok.yaml", "{hello}");
    assert!(blocked["message"].as_str().unwrap().contains("Tillgänglighetsredogörelsen saknar"), "{blocked}");
    assert_eq!(hello["notices"]["warnings"], serde_json::json!([]), "reviewed: nothing changed yet");
    assert_eq!(hello["t"]["live_close"], "Stäng (Esc)", "the overlay speaks Swedish: {hello}");
    // A new national edition changes the replaced field: the open page hears of it, at the
    // copy's line, with the change.
    let mut live = server.live();
    server.edit("national/content/phases/fas-ett.yaml", "purpose: Syftet med fas ett.", "purpose: Nytt syfte.");
    let m = live.next(Duration::from_secs(10)).expect("a reload after the edit in the base");
    assert_eq!(m["type"], "reload", "{m}");
    let hello = server.live_hello();
    let w = &hello["notices"]["warnings"][0];
    assert!(w["file"].as_str().unwrap().ends_with("content/overrides.yaml") && w["line"] == 2, "{hello}");
    assert!(w["message"].as_str().unwrap().contains("[-Syftet med fas ett.-] {+Nytt syfte.+}"), "{w}");
    // With `language: en`, the overlay's words are English.
    server.edit("kommun/metodbok.yaml", "title: Testby\n", "title: Testby\nlanguage: en\n");
    let _ = live.next(Duration::from_secs(10)).expect("a reload after the language changed");
    assert_eq!(server.live_hello()["t"]["live_close"], "Close (Esc)");
}

/// The preview, like every command, runs with glibc's heap on huge pages
/// (`metodbok::heap`): the server the author started becomes the same program with the
/// settings, in the same process and with the same arguments (it serves the site given),
/// and its render worker gets them whole; a user's own `GLIBC_TUNABLES` is left as it was.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_preview_runs_with_its_heap_settings_unless_the_user_set_their_own() {
    // The environment each process's program was started with, as the system shows it:
    // the server's, then its render worker's (started by the first build).
    let environments = |own: Option<&str>| {
        let site = site("site");
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("metodbok"));
        command.env_remove("GLIBC_TUNABLES").env_remove(metodbok::heap::MARKER);
        if let Some(own) = own {
            command.env("GLIBC_TUNABLES", own);
        }
        let (mut child, addr) = spawn_serve_command(command, site.path());
        let (status, _, body) = http_get(&addr, "/").unwrap();
        let environ = |pid: u32| std::fs::read(format!("/proc/{pid}/environ")).unwrap();
        // The worker is a child of whichever of the server's threads started it.
        let children: String = std::fs::read_dir(format!("/proc/{}/task", child.id()))
            .unwrap()
            .filter_map(|task| std::fs::read_to_string(task.unwrap().path().join("children")).ok())
            .collect::<Vec<_>>()
            .join(" ");
        let worker: u32 = children.split_whitespace().next().expect("a render worker").parse().unwrap();
        let found = (environ(child.id()), environ(worker));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(status, 200, "the restarted server serves the site it was given");
        assert!(body.contains("Testhandboken"), "the site's start page: {body:.200}");
        found
    };
    let var = |environ: &[u8], name: &str| {
        let prefix = format!("{name}=");
        environ
            .split(|b| *b == 0)
            .find_map(|kv| kv.strip_prefix(prefix.as_bytes()))
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    let ours = metodbok::heap::TUNABLES;
    let (server, worker) = environments(None);
    // The server's copy is as glibc's loader left it after reading (part of it); the worker
    // is given the whole.
    let seen = var(&server, "GLIBC_TUNABLES").expect("the server runs with settings");
    assert!(!seen.is_empty() && seen.split(':').all(|s| ours.split(':').any(|o| o == s)), "{seen}");
    assert_eq!(var(&server, metodbok::heap::MARKER).as_deref(), Some("1"));
    let given = var(&worker, "GLIBC_TUNABLES").expect("the worker runs with settings");
    assert!(ours.starts_with(&given) && !given.is_empty(), "{given}");
    for own in ["glibc.malloc.tcache_count=7", ""] {
        let (server, worker) = environments(Some(own));
        for environ in [&server, &worker] {
            assert_eq!(var(environ, "GLIBC_TUNABLES").as_deref(), Some(own));
            assert_eq!(var(environ, metodbok::heap::MARKER), None);
        }
    }
}
