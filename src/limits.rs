//! The time limit on rendering a page. A template can loop for so long that it never
//! finishes (`{% for %}` over ranges of millions inside each other); no thread can be
//! stopped from outside, so the build runs on the thread pool while the calling thread
//! watches the pages in flight, and names the page and template when one passes the limit.
//! The command then ends the process (`build` and `check` with exit code 1; for `serve`, the
//! build runs in a worker process of its own, which ends the same way while the server goes on).

use std::sync::mpsc;
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// Seconds a page may take to render unless `METODBOK_PAGE_TIME_LIMIT` says otherwise. A
/// page of the bundled handbook takes a few milliseconds.
pub const DEFAULT_PAGE_SECONDS: u64 = 10;

/// The environment variable that sets the limit, in seconds.
pub const PAGE_LIMIT_VARIABLE: &str = "METODBOK_PAGE_TIME_LIMIT";

/// The time a page may take to render.
pub fn page_limit() -> Duration {
    let seconds = std::env::var(PAGE_LIMIT_VARIABLE)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(DEFAULT_PAGE_SECONDS as f64);
    Duration::from_secs_f64(seconds)
}

/// Runs `work` (a build or check) on one of the thread pool's threads and returns what it
/// returns, or, as soon as a page has been rendering for longer than `limit`, a diagnostic
/// that names the page and its template, without waiting for the page: the caller then ends
/// the process. On the pool, the build's own thread takes its share of the pages' work
/// rather than waiting beside the pool's threads, one more thread than there are cores.
pub fn within_page_limit<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Diagnostic> {
    let (tx, rx) = mpsc::channel();
    rayon::spawn(move || {
        if let Ok(result) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            let _ = tx.send(result);
        }
    });
    let tick = (limit / 4).clamp(Duration::from_millis(20), Duration::from_millis(250));
    loop {
        match rx.recv_timeout(tick) {
            Ok(result) => return Ok(result),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The build thread ended without an answer: it panicked, and said so on stderr.
                return Err(Diagnostic::file("metodbok", "the build stopped because of an internal error")
                    .with_help("please report it, with the message above"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(job) = crate::render::longest_in_flight()
                    && job.started.elapsed() > limit
                {
                    return Err(too_slow(&job, limit));
                }
            }
        }
    }
}

fn too_slow(job: &crate::render::InFlight, limit: Duration) -> Diagnostic {
    let seconds = format!("{:.1}", limit.as_secs_f64()).trim_end_matches(".0").to_string();
    let help = format!(
        "a loop in the template that runs for too long (a `{{% for %}}` over a very large range, or loops inside \
         loops) is the usual cause; the limit is {seconds} s, set with {PAGE_LIMIT_VARIABLE}"
    );
    match &job.template {
        Some(template) => Diagnostic::file(
            template,
            format!(
                "rendering the page {} with this template (or one it includes) did not finish within {seconds} s",
                job.page
            ),
        ),
        None => Diagnostic::file(
            &job.page,
            format!("preparing the content of the page {} did not finish within {seconds} s", job.page),
        ),
    }
    .with_help(help)
}
