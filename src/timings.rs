//! Where a build spends its time and memory: with `--timings`, each stage prints its wall
//! time and the process's memory after it (resident now, and the peak so far) to stderr.
//! Off, a stage mark costs one atomic load.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Turns the stage report on, from now.
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
}

/// Ends the stage `name`: prints the time since the previous mark and the memory now.
pub fn stage(name: &str) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let ms = last.map_or(0.0, |l| (now - l).as_secs_f64() * 1000.0);
    *last = Some(now);
    let (rss, peak) = memory();
    eprintln!("timings: {name:<24} {ms:>8.1} ms   rss {rss:>5} MB   peak {peak:>5} MB");
}

/// Resident and peak resident memory of this process in MB (Linux; 0 where unknown).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
