//! Benchmark of `metodbok serve` on the bundled handbook (run: `cargo bench --bench serve`):
//! 1. edit-to-reload: a one-word change in a phase file, timed from the file write to the
//!    reload message on the live-reload channel (what an open page waits for);
//! 2. load: 2,000 GET requests from 8 concurrent clients on loopback, each on a new
//!    connection, over every page of the sitemap; every answer must be 200.
//!
//! `METODBOK_BIN` names another metodbok binary to measure (for a before-and-after run).

#[path = "../tests/all/common.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{http_get, sitemap_locs, spawn_serve};

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    common::copy_dir(repo, site.path());
    let binary =
        std::env::var_os("METODBOK_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_metodbok")), PathBuf::from);
    println!("binary: {}", binary.display());
    let (mut child, addr) = spawn_serve(&binary, site.path());

    let (mut ws, _) = tungstenite::connect(format!("ws://{addr}/__metodbok/ws")).unwrap();
    ws.read().unwrap(); // hello
    let file = site.path().join("content/phases/initiera.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for round in 0..30 {
        std::thread::sleep(Duration::from_millis(300));
        let text =
            if round % 2 == 0 { original.replace("name: Initiera", "name: Initiering") } else { original.clone() };
        let started = Instant::now();
        std::fs::write(&file, text).unwrap();
        loop {
            if let tungstenite::Message::Text(t) = ws.read().unwrap() {
                assert!(t.contains("\"reload\""), "{t}");
                break;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "edit-to-reload over {} edits: median {:.0} ms, p95 {:.0} ms, min {:.0} ms, max {:.0} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[0],
        times[times.len() - 1]
    );

    let mut paths = sitemap_locs(&http_get(&addr, "/sitemap.xml").unwrap().2);
    paths.extend(
        ["css/metodbok.css", "js/search.js", "search-index.js", "mallar/forstudierapport.docx"].map(String::from),
    );
    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (addr, paths) = (addr.clone(), paths.clone());
            std::thread::spawn(move || {
                let mut failures = 0;
                for i in 0..250 {
                    match http_get(&addr, &format!("/{}", paths[(w * 250 + i) % paths.len()])) {
                        Ok((200, _, _)) => {}
                        _ => failures += 1,
                    }
                }
                failures
            })
        })
        .collect();
    let failures: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "load: 2000 requests ({} paths, 8 clients) in {:.2} s ({:.0} requests/s), {failures} not answered 200",
        paths.len(),
        secs,
        2000.0 / secs
    );
    let alive = child.try_wait().unwrap().is_none();
    println!("server still running afterwards: {alive}");
    let _ = child.kill();
    assert!(failures == 0 && alive);
}
