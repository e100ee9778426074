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
    *LAST_CPU.lock().unwrap_or_else(|e| e.into_inner()) = cpu_ns();
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
    let cpu = cpu_ns();
    let mut last_cpu = LAST_CPU.lock().unwrap_or_else(|e| e.into_inner());
    let cpu_ms = cpu.saturating_sub(*last_cpu) as f64 / 1e6;
    *last_cpu = cpu;
    eprintln!("timings: {name:<24} {ms:>8.1} ms   cpu {cpu_ms:>7.1} ms   rss {rss:>5} MB   peak {peak:>5} MB");
}

static LAST_CPU: Mutex<u64> = Mutex::new(0);

/// The CPU time all threads of this process have run, in nanoseconds (Linux's schedstat of
/// each thread; threads that ended are not counted, and rayon's live as long as the process).
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
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
