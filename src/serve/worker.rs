//! The preview's render worker: a process of its own (`metodbok __render`) that builds the
//! site on request and answers with the files or the diagnostics, so that a template that
//! never finishes or a crash costs a worker, never the server.

use super::*;

/// The process that builds the site for the server, one build per request. It is started
/// on the first build and kept for the next (its caches stay warm); it is stopped and a new
/// one started when a build takes too long or the worker dies.
pub(super) struct Worker {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    /// Answers, read on a thread of their own so a build can be waited for with a deadline.
    answers: std::sync::mpsc::Receiver<Option<Vec<u8>>>,
}

impl Worker {
    fn start(site: &Path) -> std::io::Result<Worker> {
        let mut command = std::process::Command::new(std::env::current_exe()?);
        let mut child = crate::heap::for_worker(&mut command)
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

    pub(super) fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs one build of the site in the worker process: the files it made, or the problems as
/// the overlay shows them. The worker prints its diagnostics to the terminal itself.
pub(super) fn build_in_worker(shared: &Shared) -> Built {
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
    // Files the worker did not send are as its last good answer had them.
    let previous = shared.received.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let decoded = decode(&answer, &previous);
    let readable = decoded.is_some();
    let result = decoded.unwrap_or_else(|| Err(problem("the build answered in a way the server cannot read".into())));
    // A worker that stopped itself (a page past the time limit) is not kept, nor one whose
    // answer could not be read: a new one sends every file.
    let alive = readable && matches!(worker.child.try_wait(), Ok(None));
    if alive {
        *slot = Some(worker);
    } else {
        worker.stop();
    }
    result
}

/// One answer of the worker: a line `OK <length>` or `ERR <length>`, then that many bytes.
/// `None` at the end of its output.
pub(super) fn read_answer(reader: &mut impl std::io::BufRead) -> Option<Vec<u8>> {
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
/// and the files (each a 4-byte path length, the path, an 8-byte length, the bytes; a file
/// the same as in the last `OK` answer has the length [`UNCHANGED`] and no bytes), or
/// `ERR` and the problems as JSON, each after a line with its kind and length (see
/// [`read_answer`]). Diagnostics are also printed to stderr, as `check` prints them. A page
/// past the time limit ends the worker after its answer.
pub fn worker(site: &Path) -> std::process::ExitCode {
    use std::io::{BufRead, Write};
    // What each build keeps for the next (see [`crate::Memo`]): after an edit, only the pages
    // whose inputs changed are rendered again.
    let memo = std::sync::Arc::new(std::sync::Mutex::new(crate::Memo::default()));
    // The files of the last good answer: a file the same as there is sent as "unchanged".
    let mut sent: HashMap<String, Vec<u8>> = HashMap::new();
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
        let owned = site.to_path_buf();
        let kept = memo.clone();
        let result = crate::limits::within_page_limit(crate::limits::page_limit(), move || {
            let mut memo = kept.lock().unwrap_or_else(|e| e.into_inner());
            crate::render_site_again(&owned, false, "preview", crate::PdfWhen::Asked, &mut memo)
        });
        let mut stuck = false;
        let diagnostics = match result {
            Ok(Ok(rendered)) => {
                let shown: Vec<Diagnostic> = rendered.unpublishable.iter().chain(&rendered.warnings).cloned().collect();
                eprint!("{}", crate::diagnostic::render_warnings(&shown, crate::diagnostic::ColorChoice::Never));
                let notices = json!({
                    "unpublishable": rendered.unpublishable.iter().map(error_value).collect::<Vec<_>>(),
                    "warnings": rendered.warnings.iter().map(error_value).collect::<Vec<_>>(),
                });
                let notices =
                    crate::output::File { path: NOTICES_PATH.into(), bytes: notices.to_string().into_bytes() };
                let mut body = Vec::new();
                let mut now = HashMap::new();
                for f in rendered.files.into_iter().chain([notices]) {
                    body.extend_from_slice(&(f.path.len() as u32).to_be_bytes());
                    body.extend_from_slice(f.path.as_bytes());
                    // The server keeps no notices from the last build: they are always sent.
                    if f.path != NOTICES_PATH && sent.get(&f.path) == Some(&f.bytes) {
                        body.extend_from_slice(&UNCHANGED.to_be_bytes());
                    } else {
                        body.extend_from_slice(&(f.bytes.len() as u64).to_be_bytes());
                        body.extend_from_slice(&f.bytes);
                    }
                    now.insert(f.path, f.bytes);
                }
                sent = now;
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

/// The length that marks a file as unchanged since the worker's last good answer.
const UNCHANGED: u64 = u64::MAX;

/// Reads an answer of [`worker`], taking the files it marks unchanged from `previous` (the
/// files of the last good build); `None` when it is not a complete one.
pub(super) fn decode(bytes: &[u8], previous: &HashMap<String, Vec<u8>>) -> Option<Built> {
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
        let size = u64::from_be_bytes(*size);
        if size == UNCHANGED {
            let bytes = previous.get(&path)?.clone();
            files.insert(path, bytes);
            rest = tail;
            continue;
        }
        let size = usize::try_from(size).ok()?;
        files.insert(path, tail.get(..size)?.to_vec());
        rest = &tail[size..];
    }
    Some(Ok(files))
}
