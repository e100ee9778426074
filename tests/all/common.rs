//! Helpers for the command-line tests: a fresh copy of a fixture site, running the binary,
//! and snapshots of an output folder.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively (skipping `public/` and `target/`).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| {
        let n = e.file_name().to_string_lossy();
        !(e.depth() == 1
            && (n == "public" || n == "target" || n == ".git" || n == "tests" || n == "src" || n == "themes"))
    }) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary copy of the fixture site `name`.
pub fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn metodbok() -> Command {
    let mut cmd = Command::cargo_bin("metodbok").unwrap();
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    cmd
}

/// Runs `metodbok args...` and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = metodbok().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn build(site: &Path) -> (i32, String) {
    let (code, _, err) = run(&["build", site.to_str().unwrap()]);
    (code, err)
}

/// Every file under `dir` with its bytes and modification time.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, (std::fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()))
        })
        .collect()
}

/// Every file under `dir` with its bytes.
pub fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir).into_iter().map(|(k, (b, _))| (k, b)).collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Replaces `from` with `to` in the file, which must contain it.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} does not contain {from:?}", path.display());
    write(path, &text.replacen(from, to, 1));
}

/// The `<loc>` entries of a sitemap's text, in order.
pub fn sitemap_locs(sitemap: &str) -> Vec<String> {
    sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap().to_string()).collect()
}

/// Starts `metodbok serve SITE --port 0` with `binary`; returns the process and the
/// address (`127.0.0.1:PORT`) it printed.
pub fn spawn_serve(binary: &Path, site: &Path) -> (std::process::Child, String) {
    spawn_serve_with(binary, site, &[])
}

/// [`spawn_serve`] with environment variables set for the server.
pub fn spawn_serve_with(binary: &Path, site: &Path, env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut command = std::process::Command::new(binary);
    command.envs(env.iter().copied());
    spawn_serve_command(command, site)
}

/// [`spawn_serve`] with `command` (the binary, with its environment set).
pub fn spawn_serve_command(mut command: std::process::Command, site: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = command
        .args(["serve", site.to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).expect("the address is printed").split('/').next().unwrap().to_string();
    (child, addr)
}

/// (status, content type, body) of a GET of `path` on `addr`, sent exactly as written, on a
/// connection of its own.
pub fn http_get(addr: &str, path: &str) -> std::io::Result<(u16, String, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let ctype = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type: ").map(String::from))
        .unwrap_or_default();
    Ok((status, ctype, body.to_string()))
}

/// The built `search-index.js` of the output folder `out`, as JSON.
pub fn search_index(out: &Path) -> serde_json::Value {
    let js = read(&out.join("search-index.js"));
    let json = js.strip_prefix("window.metodbokSearchIndex=").and_then(|s| s.trim_end().strip_suffix(';')).unwrap();
    serde_json::from_str(json).unwrap()
}

/// The built page `path` of the output folder `out`, parsed.
pub fn page(out: &Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(&out.join(path)))
}

/// Fills in the blanks of the accessibility statement that `metodbok new` leaves in
/// `site/metodbok.yaml` (Swedish or English starter), so the statement is complete: partly
/// compliant with one known problem, assessed 2026-11-30, a method, and a feedback e-mail.
/// Panics if a blank it expects is not there, so a test fails when the starter changes.
pub fn fill_statement(site: &Path) {
    let config = site.join("metodbok.yaml");
    let en = read(&config).lines().any(|l| l == "language: en");
    let (marker, status, assessed, method) = if en {
        (
            "FILL IN",
            "\"FILL IN: helt, delvis or inte\"",
            "\"FILL IN: YYYY-MM-DD\"",
            "\"FILL IN: how the site was assessed, e.g. self-assessment\"",
        )
    } else {
        (
            "FYLL I",
            "\"FYLL I: helt, delvis eller inte\"",
            "\"FYLL I: ÅÅÅÅ-MM-DD\"",
            "\"FYLL I: hur webbplatsen granskades, t.ex. egen bedömning\"",
        )
    };
    edit(&config, &format!("\n  status: {status}\n"), "\n  status: delvis\n");
    edit(
        &config,
        "\n  known_problems: []\n",
        "\n  known_problems:\n    - problem: Filmerna saknar undertexter.\n      reason: De textas under våren.\n",
    );
    edit(&config, &format!("\n  assessed: {assessed}\n"), "\n  assessed: \"2026-11-30\"\n");
    edit(&config, &format!("\n  method: {method}\n"), "\n  method: Egen bedömning mot WCAG 2.1 nivå AA.\n");
    edit(&config, "\n    # email: tillganglighet@example.se\n", "\n    email: tillganglighet@testby.example\n");
    let text = read(&config);
    let left: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains(marker)).collect();
    assert!(left.is_empty(), "blanks left in {}: {left:?}", config.display());
}
