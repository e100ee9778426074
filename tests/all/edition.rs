//! A municipality's copy with nothing but the program: the national edition built into the
//! binary, a starter whose accessibility statement must be completed before it is
//! published, and new national editions taken with eyes open (`base-review.yaml`).

use std::path::{Path, PathBuf};

use crate::common::*;

/// Runs `binary` with `args` in `dir`: (exit code, stderr).
fn run_in(binary: &Path, dir: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(binary)
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        // Nothing of the repository's reaches the program: not its folder, not Cargo's.
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The paths of the HTML pages of the output in `out`, relative to it.
fn html_pages(out: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn a_copy_starts_builds_and_holds_the_whole_handbook_with_only_the_program() {
    let dir = tempfile::tempdir().unwrap();
    // The program alone, in a folder of its own, run from an empty folder elsewhere.
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let program = bin.join("metodbok");
    std::fs::copy(assert_cmd::cargo::cargo_bin("metodbok"), &program).unwrap();
    let work = dir.path().join("arbete");
    std::fs::create_dir_all(&work).unwrap();

    let (code, err) = run_in(&program, &work, &["editions"]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_in(&program, &work, &["new", "kommun", "--org", "Testby kommun"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("metod-1.0"), "it says what it builds on: {err}");
    let site = work.join("kommun");
    let config = read(&site.join("metodbok.yaml"));
    assert!(config.lines().any(|l| l == "base: \"metod-1.0\""), "the built-in edition is the base:\n{config}");
    assert!(site.join("base-review.yaml").is_file(), "the review file is made, to be committed");

    // As written, the statement's blanks keep it from being published, each at its line.
    let (code, err) = run_in(&program, &work, &["build", "kommun"]);
    assert_eq!(code, 1, "a statement with blanks is not published:\n{err}");
    for key in ["accessibility.status", "accessibility.assessed", "accessibility.method", "accessibility.feedback"] {
        assert!(err.contains(key), "{key} is reported:\n{err}");
    }
    let status_line = config.lines().position(|l| l.starts_with("  status:")).unwrap() + 1;
    assert!(err.contains(&format!("metodbok.yaml:{status_line}:")), "the status is reported at its line:\n{err}");
    assert!(!site.join("public").exists(), "nothing was written");

    fill_statement(&site);
    let (code, err) = run_in(&program, &work, &["check", "kommun"]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_in(&program, &work, &["build", "kommun"]);
    assert_eq!(code, 0, "{err}");

    // Every page of the national handbook is there, as a build of this repository has it.
    let national = tempfile::tempdir().unwrap();
    let out = national.path().join("public");
    let (code, _, err) = run(&["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let copy = html_pages(&site.join("public"));
    let missing: Vec<String> = html_pages(&out).into_iter().filter(|p| !copy.contains(p)).collect();
    assert!(missing.is_empty(), "pages of the national handbook missing from the copy: {missing:?}");
    assert!(copy.contains("om-testby-kommuns-utgava.html"), "with the copy's own page");
    // The published statement gives the route readers use, and no placeholder.
    let statement = read(&site.join("public/tillganglighet.html"));
    assert!(statement.contains("mailto:tillganglighet@testby.example"), "the feedback route is shown");
    assert!(!statement.contains("FYLL I") && !statement.contains("Exempelutgåva"));
}

#[test]
fn the_feedback_route_defaults_to_the_contact_and_the_statement_must_be_complete() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kommun");
    let (code, _, err) = run(&["new", site.to_str().unwrap(), "--org", "Testby kommun"]);
    assert_eq!(code, 0, "{err}");
    fill_statement(&site);
    let config = site.join("metodbok.yaml");
    // No route of the statement's own: `contact:` gives it.
    edit(&config, "\n    email: tillganglighet@testby.example\n", "\n    # email: tillganglighet@testby.example\n");
    let (code, err) = build(&site);
    assert_eq!(code, 1, "no feedback route at all is refused:\n{err}");
    let feedback_line = read(&config).lines().position(|l| l == "  feedback:").unwrap() + 1;
    assert!(
        err.contains(&format!("metodbok.yaml:{feedback_line}:3")) && err.contains("accessibility.feedback"),
        "{err}"
    );
    edit(
        &config,
        "# contact:\n#   name: Digitaliseringsenheten\n#   email: digitalisering@example.se",
        "contact:\n  name: Digitaliseringsenheten\n  email: digitalisering@testby.example",
    );
    let (code, err) = build(&site);
    assert_eq!(code, 0, "{err}");
    let statement = page(&site.join("public"), "tillganglighet.html");
    let links: Vec<String> = statement
        .select(&scraper::Selector::parse("main a[href^='mailto:']").unwrap())
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(links, ["digitalisering@testby.example"], "the contact's address is the route");

    // A placeholder left, a missing date, a date that is none, a status without problems.
    let cases: [(&str, &str, &str); 4] = [
        ("  assessed: \"2026-11-30\"\n", "  assessed: \"FYLL I: ÅÅÅÅ-MM-DD\"\n", "platshållaren"),
        ("  assessed: \"2026-11-30\"\n", "", "accessibility.assessed"),
        ("  assessed: \"2026-11-30\"\n", "  assessed: \"30/11/2026\"\n", "ÅÅÅÅ-MM-DD"),
        (
            "  known_problems:\n    - problem: Filmerna saknar undertexter.\n      reason: De textas under våren.\n",
            "  known_problems: []\n",
            "known_problems",
        ),
    ];
    let good = read(&config);
    for (from, to, said) in cases {
        write(&config, &good.replacen(from, to, 1));
        let (code, err) = build(&site);
        assert_eq!(code, 1, "{to:?} is refused:\n{err}");
        assert!(err.contains(said) && err.contains("metodbok.yaml:"), "{to:?}: {err}");
    }
    // The preview shows such problems but keeps previewing: `check` fails, the pages render.
    let files = metodbok::render_site(&site, false, "preview", metodbok::PdfWhen::Asked).expect("it previews");
    assert!(!files.unpublishable.is_empty() && files.files.iter().any(|f| f.path == "index.html"));
}

/// The fixture handbook as a base folder, and a copy that replaces the purpose of phase
/// `fas-ett`, attaches a supplement to milestone `milstolpe-1` and hides the checklist item
/// `aktivitet-b` of `fas-ett`.
fn reviewed_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let national = dir.path().join("national");
    copy_dir(&fixture("site"), &national);
    let kommun = dir.path().join("kommun");
    write(
        &kommun.join("metodbok.yaml"),
        "title: Testby\nbase: ../national\naccessibility:\n  status: helt\n  assessed: \"2026-11-30\"\n  \
         method: Egen bedömning.\n  feedback:\n    email: a@testby.example\n",
    );
    write(
        &kommun.join("content/overrides.yaml"),
        "phases:\n  - id: fas-ett\n    purpose: Vårt eget syfte.\nhide:\n  - \"@phase/fas-ett#aktivitet-b\"\n",
    );
    write(
        &kommun.join("content/supplements/lokal.yaml"),
        "id: lokal\nname: Testbys tillägg\npublisher: Testby\nadditions:\n  - id: vart-tillagg\n    \
         to: \"@milestone/milstolpe-1\"\n    title: Vårt tillägg\n    text: Text.\n",
    );
    (dir, national, kommun)
}

fn check(site: &Path, accept: bool) -> String {
    let mut args = vec!["check", site.to_str().unwrap()];
    if accept {
        args.push("--accept-base");
    }
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "changes in the base are warnings, not errors:\n{err}");
    err
}

#[test]
fn a_changed_national_text_the_copy_depends_on_is_a_warning_until_reviewed() {
    let (_dir, national, kommun) = reviewed_copy();
    // Not yet reviewed: one warning says so and how to record it.
    let err = check(&kommun, false);
    assert!(err.contains("base-review.yaml") && err.contains("--accept-base") && err.contains("3 nationella"), "{err}");
    let err = check(&kommun, true);
    assert!(err.contains("recorded the 3 national text(s)"), "{err}");
    let err = check(&kommun, false);
    assert!(!err.contains('⚠') && !err.contains("warning"), "reviewed, nothing to say:\n{err}");

    let phase = national.join("content/phases/fas-ett.yaml");
    let milestone = national.join("content/milestones/milstolpe-1.yaml");
    // Each of the three national texts changes in a new edition.
    edit(&phase, "purpose: Syftet med fas ett.", "purpose: Det nya syftet med fas ett.");
    edit(&milestone, "purpose: Syftet med milstolpen.", "purpose: Syftet med milstolpen, skärpt.");
    edit(&phase, "text: \"Aktivitet B som omfattar:\"", "text: \"Aktivitet B, nu med tre delar:\"");
    let err = check(&kommun, false);
    let expected = [
        // The field it replaces: at the override's id, with the national change.
        ("content/overrides.yaml:2:9", "fältet purpose i @phase/fas-ett", "[-Syftet-] {+Det nya syftet+} med fas ett."),
        // The page it supplements: at the addition's `to:`.
        (
            "content/supplements/lokal.yaml:6:9",
            "@milestone/milstolpe-1, som ni kompletterar",
            "[-milstolpen.-] {+milstolpen, skärpt.+}",
        ),
        // The checklist item it hides: at the hidden reference.
        (
            "content/overrides.yaml:5:5",
            "@phase/fas-ett#aktivitet-b, som ni döljer",
            "Aktivitet [-B som omfattar:-] {+B, nu med tre delar:+}",
        ),
    ];
    for (place, what, diff) in expected {
        let at = err.find(place).unwrap_or_else(|| panic!("a warning at {place}:\n{err}"));
        let warning = &err[err[..at].rfind('⚠').unwrap_or(0)..];
        assert!(warning.contains(what) && warning.contains(diff), "{place} says {what} and {diff}:\n{err}");
    }
    assert!(err.contains("3 warnings to review"), "{err}");

    // Reviewed: silent until the next change.
    check(&kommun, true);
    let err = check(&kommun, false);
    assert!(!err.contains('⚠'), "{err}");
    edit(&phase, "text: \"Aktivitet B, nu med tre delar:\"", "text: \"Aktivitet B:\"");
    let err = check(&kommun, false);
    assert!(err.contains("content/overrides.yaml:5:5") && err.contains("1 warning to review"), "{err}");
    // An id that vanished stays an error.
    edit(&phase, "  - id: aktivitet-b", "  - id: aktivitet-c");
    let (code, _, err) = run(&["check", kommun.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/overrides.yaml:5:5") && err.contains("aktivitet-b"), "{err}");
}

#[test]
fn a_base_is_a_built_in_edition_by_name_or_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("fel");
    let (code, _, err) = run(&["new", wrong.to_str().unwrap(), "--org", "K", "--base", "metod-9.9"]);
    assert_eq!(code, 2, "no such edition or folder:\n{err}");
    assert!(err.contains("metod-9.9") && !wrong.join("metodbok.yaml").exists(), "{err}");
    let site = dir.path().join("kommun");
    let (code, _, err) = run(&["new", site.to_str().unwrap(), "--org", "K"]);
    assert_eq!(code, 0, "{err}");
    fill_statement(&site);
    // Neither an edition nor a folder: the error names the built-in ones.
    edit(&site.join("metodbok.yaml"), "base: \"metod-1.0\"", "base: metod-9.9");
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("neither a built-in edition nor a folder") && err.contains("`metod-1.0`"), "{err}");
    // The folder of a national checkout works as before, and gives the same site as the
    // edition in the binary: every file alike but for the fingerprint of the inputs (which
    // include metodbok.yaml, whose `base:` line differs) in the search index's address.
    let render = || {
        let files = metodbok::render_site(&site, false, "public", metodbok::PdfWhen::Asked).expect("it renders").files;
        files
            .into_iter()
            .map(|f| {
                let text = String::from_utf8_lossy(&f.bytes).into_owned();
                let cut = text
                    .split("search-index.js?v=")
                    .enumerate()
                    .map(|(i, part)| if i == 0 { part } else { &part[10..] });
                (f.path, cut.collect::<Vec<_>>().join("search-index.js?v="))
            })
            .collect::<Vec<_>>()
    };
    edit(&site.join("metodbok.yaml"), "base: metod-9.9", "base: metod-1.0");
    let from_edition = render();
    let base = metodbok::starter::relative_path(&site, &repo_root());
    edit(&site.join("metodbok.yaml"), "base: metod-1.0", &format!("base: {base}"));
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let from_folder = render();
    assert_eq!(from_edition.len(), from_folder.len());
    for (a, b) in from_edition.iter().zip(&from_folder) {
        assert!(a == b, "{} differs between the edition and the folder", a.0);
    }
}
