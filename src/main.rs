//! The `metodbok` command: parses arguments, calls the library, maps results to exit codes
//! (0 success, 1 problems in the site, 2 usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use metodbok::diagnostic::{ColorChoice, render_all};

/// mimalloc (version 2) instead of the system's allocator, with the `mimalloc` feature: see
/// the README's "Speed and memory" for what it gains and costs.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Publishes the method "Metod för utveckling i samverkan" as an accessible static handbook.
#[derive(Parser)]
#[command(name = "metodbok", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print each stage's time and the memory after it (for `build` and `check`).
    #[arg(long, global = true)]
    timings: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the handbook into a folder of static files.
    ///
    /// Nothing is written unless the whole site is correct: on any problem the previous
    /// output folder is left exactly as it was.
    Build {
        /// The site folder (the one with metodbok.yaml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Where to write the handbook [default: SITE_DIR/public].
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Check the site as `build` would, writing nothing.
    Check {
        /// The site folder (the one with metodbok.yaml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Record that the copy has been reviewed against its base as it is now: the national
        /// texts it depends on are written to base-review.yaml, and the warnings about
        /// changes in them stop until the base changes again.
        #[arg(long)]
        accept_base: bool,
    },
    /// Preview the site while writing: build it into memory, serve it on this computer and
    /// rebuild and reload open pages on every change; errors show in the browser.
    Serve {
        /// The site folder (the one with metodbok.yaml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; the default serves this computer only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the handbook in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a starter site for an organisation's own copy of the handbook: it builds on a
    /// national edition (by default the newest one built into metodbok) and adds the
    /// organisation's branding, pages, supplements and local changes.
    New {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
        /// The organisation's name, e.g. "Exempel kommun".
        #[arg(long)]
        org: String,
        /// What to build on: a built-in edition by name (see `metodbok editions`) or a folder,
        /// e.g. a checkout of the national handbook [default: the newest built-in edition].
        #[arg(long)]
        base: Option<String>,
        /// The language of the site and of the starter's texts.
        #[arg(long, default_value = "sv", value_parser = ["sv", "en"])]
        language: String,
    },
    /// List the national editions built into this program, for `base:` in metodbok.yaml.
    Editions,
    /// Print how the search index analysed every page (JSON), for the test that the
    /// search client stems exactly as the index did.
    #[command(hide = true)]
    SearchTokens {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
    },
    /// Build into memory for `serve`, which runs every build in a process of its own.
    #[command(name = "__render", hide = true)]
    Render { site_dir: PathBuf },
}

fn main() -> ExitCode {
    // glibc's heap with huge pages: the program starts itself once more (see `heap`).
    #[cfg(not(feature = "mimalloc"))]
    metodbok::heap::settle();
    let cli = Cli::parse();
    if let Command::Serve { site_dir, port, bind, open } = &cli.command {
        return serve(site_dir, *bind, *port, *open);
    }
    if let Command::New { dir, org, base, language } = &cli.command {
        return new(dir, org, base.as_deref(), language);
    }
    if let Command::Editions = &cli.command {
        return editions();
    }
    if let Command::Render { site_dir } = &cli.command {
        return metodbok::serve::worker(site_dir);
    }
    let color = ColorChoice::detect(std::io::stderr().is_terminal());
    if cli.timings {
        metodbok::timings::enable();
    }
    let started = std::time::Instant::now();
    // A page that renders for longer than the limit stops the command, naming the page and
    // its template (the page's thread cannot be stopped, so the process ends).
    let limit = metodbok::limits::page_limit();
    type Work = Box<dyn FnOnce() -> Result<(metodbok::Summary, Option<PathBuf>), metodbok::Error> + Send>;
    let timed = |work: Work| {
        metodbok::limits::within_page_limit(limit, work).unwrap_or_else(|d| {
            eprint!("{}", render_all(&[d], color));
            std::process::exit(1)
        })
    };
    let (result, verb) = match &cli.command {
        Command::Build { site_dir, out } => {
            let out = out.clone().unwrap_or_else(|| site_dir.join("public"));
            let site = site_dir.clone();
            (timed(Box::new(move || metodbok::build(&site, &out).map(|s| (s, Some(out))))), "built")
        }
        Command::Check { site_dir, accept_base } => {
            let site = site_dir.clone();
            let accept = *accept_base;
            (timed(Box::new(move || metodbok::check(&site, accept).map(|s| (s, None)))), "checked")
        }
        Command::Serve { .. } | Command::New { .. } | Command::Render { .. } | Command::Editions => {
            unreachable!("handled above")
        }
        Command::SearchTokens { site_dir } => match metodbok::search_tokens(site_dir) {
            Ok(json) => {
                println!("{json}");
                return ExitCode::SUCCESS;
            }
            Err(e) => (Err(e), ""),
        },
    };
    match result {
        Ok((summary, out)) => {
            eprint!("{}", metodbok::diagnostic::render_warnings(&summary.warnings, color));
            if let Some(note) = &summary.note {
                eprintln!("{note}");
            }
            let into = out.map(|o| format!(" into {}", o.display())).unwrap_or_default();
            eprintln!(
                "{verb} {} pages ({} files){into} in {} ms",
                summary.pages,
                summary.files,
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(metodbok::Error::Content(diagnostics)) => {
            eprint!("{}", render_all(&diagnostics, color));
            ExitCode::from(1)
        }
        Err(metodbok::Error::Unpublishable { problems, warnings }) => {
            eprint!("{}", metodbok::diagnostic::render_warnings(&warnings, color));
            eprint!("{}", render_all(&problems, color));
            ExitCode::from(1)
        }
        Err(e @ metodbok::Error::NotASite(_)) => {
            eprintln!("error: {e}");
            eprintln!("help: give the folder that holds metodbok.yaml, e.g. `metodbok build path/to/site`");
            ExitCode::from(2)
        }
        Err(metodbok::Error::Refused(r)) => {
            eprintln!("error: {r}");
            eprintln!("help: {}", r.help);
            eprintln!("nothing was written");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn new(dir: &std::path::Path, org: &str, base: Option<&str>, language: &str) -> ExitCode {
    use metodbok::starter::StarterBase;
    let base = match base {
        // An edition's name means the edition; anything else is a folder.
        Some(b) if metodbok::edition::find(b).is_some() => StarterBase::Edition(b.to_string()),
        Some(b) => StarterBase::Folder(PathBuf::from(b)),
        None => match metodbok::edition::newest() {
            Some(e) => StarterBase::Edition(e.name.clone()),
            None => {
                eprintln!("error: this metodbok has no national edition built in");
                eprintln!("help: give the site to build on with `--base path/to/national-handbook`");
                return ExitCode::from(2);
            }
        },
    };
    let language = if language == "en" { metodbok::config::Language::En } else { metodbok::config::Language::Sv };
    let options =
        metodbok::starter::Options { dir: dir.to_path_buf(), org: org.to_string(), base: base.clone(), language };
    match metodbok::starter::create(&options) {
        Ok(files) => {
            let on = match &base {
                StarterBase::Edition(name) => format!("the built-in edition {name}"),
                StarterBase::Folder(p) => p.display().to_string(),
            };
            eprintln!("created {} for {org}, building on {on}:", dir.display());
            for f in files {
                eprintln!("  {}", f.display());
            }
            eprintln!(
                "next: fill in the accessibility statement in {} (build refuses it blank), then `metodbok serve {}` \
                 to preview; README.md there says what goes where",
                dir.join("metodbok.yaml").display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `metodbok editions`: what `base:` can name.
fn editions() -> ExitCode {
    println!(
        "National editions built into metodbok {} (write the name as `base:` in metodbok.yaml):",
        env!("CARGO_PKG_VERSION")
    );
    for e in metodbok::edition::all() {
        println!("  {:<12} {} ({})", e.name, e.title, e.date);
    }
    ExitCode::SUCCESS
}

fn serve(site_dir: &std::path::Path, bind: std::net::IpAddr, port: u16, open: bool) -> ExitCode {
    if !site_dir.join("metodbok.yaml").is_file() {
        eprintln!("error: {} is not a metodbok site: it has no metodbok.yaml", site_dir.display());
        eprintln!("help: give the folder that holds metodbok.yaml, e.g. `metodbok serve path/to/site`");
        return ExitCode::from(2);
    }
    let options = metodbok::serve::Options { site: site_dir.to_path_buf(), addr: (bind, port).into(), open };
    match metodbok::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ metodbok::serve::ServeError::AddressInUse(_)) => {
            eprintln!("error: {e}");
            eprintln!("help: choose another port, e.g. `metodbok serve --port {}`", port.wrapping_add(1).max(1024));
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
