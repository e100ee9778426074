//! How the program's memory allocator is set up on Linux with glibc.
//!
//! A build of the bundled handbook touches about 14 MB of fresh heap. With glibc's
//! defaults each 4 KB page of it costs a page fault (about 3,600 per build), which was a
//! tenth of the build's CPU time. glibc can ask the kernel for transparent huge pages
//! (2 MB) for its heap (`glibc.malloc.hugetlb=1`) if the heap grows in large steps
//! (`glibc.malloc.top_pad`): then the same build takes about 400 page faults. The cost is
//! a few MB of resident memory (README, "Speed and memory").
//!
//! glibc reads these settings only from the environment variable `GLIBC_TUNABLES` when a
//! program starts, before `main`; there is no call that sets them later. So the command
//! starts itself once more with the variable set ([`settle`]), unless the variable is
//! already set: a user's own `GLIBC_TUNABLES`, even an empty one, is left as it is and
//! turns this off.

/// The allocator settings the program runs with (see the module's documentation).
pub const TUNABLES: &str = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216";

/// The environment variable glibc reads its settings from.
const VARIABLE: &str = "GLIBC_TUNABLES";

/// Set beside [`TUNABLES`] when the program starts itself again, so that it knows the
/// settings are its own. glibc's loader rewrites `GLIBC_TUNABLES` in the environment as it
/// reads it (Debian's glibc 2.36 keeps only the first setting there), so the variable's
/// value cannot tell.
pub const MARKER: &str = "METODBOK_HEAP";

/// Replaces this process with the same program and arguments under [`TUNABLES`], when
/// glibc is the allocator and `GLIBC_TUNABLES` is not set; returns (doing nothing)
/// otherwise, or if the program cannot be started again, which only costs speed.
pub fn settle() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os(VARIABLE).is_some() {
            return;
        }
        let mut args = std::env::args_os();
        let Some(arg0) = args.next() else { return };
        // `/proc/self/exe` is this very program even if its file was replaced since. `exec`
        // returns only if it failed; the command then goes on as it is.
        let _ = std::process::Command::new("/proc/self/exe")
            .arg0(arg0)
            .args(args)
            .env(VARIABLE, TUNABLES)
            .env(MARKER, "1")
            .exec();
    }
}

/// Whether this process runs under [`TUNABLES`] because it set them itself.
fn own() -> bool {
    std::env::var_os(MARKER).is_some_and(|v| v == "1") && std::env::var_os(VARIABLE).is_some()
}

/// Gives a metodbok process this one starts (the preview's render worker) the whole of
/// [`TUNABLES`], which the loader's rewriting left only partly in this process's
/// environment; a user's own `GLIBC_TUNABLES` is passed on as it is.
pub fn for_worker(command: &mut std::process::Command) -> &mut std::process::Command {
    if own() {
        command.env(VARIABLE, TUNABLES);
    }
    command
}

/// Takes the settings out of another program this one starts, such as a web browser, so
/// that only metodbok's own processes run with them; a user's own `GLIBC_TUNABLES` is
/// passed on.
pub fn not_inherited(command: &mut std::process::Command) -> &mut std::process::Command {
    if own() {
        command.env_remove(VARIABLE).env_remove(MARKER);
    }
    command
}
