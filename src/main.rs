//! The `metodbok` command: parses arguments, calls the library, maps results to exit codes
//! (0 success, 1 problems in the site, 2 usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use metodbok::diagnostic::{ColorChoice, render_all};

/// Publishes the method "Metod för utveckling i samverkan" as an accessible static handbook.
#[derive(Parser)]
#[command(name = "metodbok", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Print how the search index analysed every page (JSON), for the test that the
    /// search client stems exactly as the index did.
    #[command(hide = true)]
    SearchTokens {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = ColorChoice::detect(std::io::stderr().is_terminal());
    let started = std::time::Instant::now();
    let (result, verb) = match &cli.command {
        Command::Build { site_dir, out } => {
            let out = out.clone().unwrap_or_else(|| site_dir.join("public"));
            (metodbok::build(site_dir, &out).map(|s| (s, Some(out))), "built")
        }
        Command::Check { site_dir } => (metodbok::check(site_dir).map(|s| (s, None)), "checked"),
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
        Err(e @ metodbok::Error::NotASite(_)) => {
            eprintln!("error: {e}");
            eprintln!("help: give the folder that holds metodbok.yaml, e.g. `metodbok build path/to/site`");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
