//! The bad-input corpus: what a careless author, a new user or a hostile text can do to a
//! site, one case each, in the five classes of failure that must never happen: an output
//! folder that destroys what metodbok did not write, a stack overflow, foreign code or
//! requests in a page, a problem reported anywhere but where the author can fix it, and a
//! starter site that does not build.
//!
//! Every case starts from a site that built (so there is a previous output), makes one
//! mistake, and runs `build` (and `check`, which must catch everything `build` would). It
//! asserts the exit code, the file and line named, that the previous output is
//! byte-identical (bytes and modification times), and that no staging folder is left.

use std::path::{Path, PathBuf};

use crate::common::*;

/// One bad input.
struct Case {
    name: &'static str,
    /// Makes the mistake, in the case's folder (which holds `site/`, built, and `national/`).
    mistake: Box<dyn Fn(&Path) + Sync>,
    /// The arguments after `build`, relative to the case's folder.
    args: &'static [&'static str],
    /// Environment for the command.
    env: &'static [(&'static str, &'static str)],
    /// The exit code expected.
    code: i32,
    /// Where the problem must be reported: `file:line` or `file:line:column`, or for a
    /// refused output folder, the folder as given.
    at: &'static str,
    /// Words the message must hold.
    says: &'static str,
    /// Exactly one problem is reported (no follow-on errors).
    alone: bool,
}

fn case(name: &'static str, at: &'static str, says: &'static str, mistake: impl Fn(&Path) + Sync + 'static) -> Case {
    Case { name, mistake: Box::new(mistake), args: &["site"], env: &[], code: 1, at, says, alone: false }
}

impl Case {
    fn refused(mut self, args: &'static [&'static str]) -> Self {
        self.args = args;
        self.code = 2;
        self
    }
    fn alone(mut self) -> Self {
        self.alone = true;
        self
    }
    fn env(mut self, env: &'static [(&'static str, &'static str)]) -> Self {
        self.env = env;
        self
    }
}

/// Appends `text` to the fixture's page `om.md` as a paragraph of its own, on line 16.
fn page(text: &'static str) -> impl Fn(&Path) + Sync {
    move |d: &Path| {
        let p = d.join("site/content/pages/om.md");
        write(&p, &format!("{}\n{text}\n", read(&p)));
    }
}

/// Makes the purpose of phase `fas-ett` a block of Markdown whose third line (line 7 of the
/// file) is `text`.
fn purpose(text: &'static str) -> impl Fn(&Path) + Sync {
    move |d: &Path| {
        edit(
            &d.join("site/content/phases/fas-ett.yaml"),
            "purpose: Syftet med fas ett.\n",
            &format!("purpose: |\n  Syftet med fas ett.\n\n  {text}\n"),
        )
    }
}

/// Adds `yaml` to the end of the site's `metodbok.yaml` (its line 14 and on).
fn config(yaml: &'static str) -> impl Fn(&Path) + Sync {
    move |d: &Path| {
        let p = d.join("site/metodbok.yaml");
        write(&p, &format!("{}{yaml}\n", read(&p)));
    }
}

/// Writes a template of the site's own.
fn template(name: &'static str, text: &'static str) -> impl Fn(&Path) + Sync {
    move |d: &Path| write(&d.join("site/templates").join(name), text)
}

fn deep(prefix: &str, n: usize, rest: &str) -> String {
    format!("{}{rest}", prefix.repeat(n))
}

fn corpus() -> Vec<Case> {
    vec![
        // 1. The output folder never destroys anything metodbok did not write.
        case("--out the site itself", "site", "it is the site itself", |_| {}).refused(&["site", "--out", "site"]),
        case("--out the site's content/", "site/content", "inside the site's content/ folder", |_| {}).refused(&[
            "site",
            "--out",
            "site/content",
        ]),
        case("--out a folder inside content/", "site/content/pages/ut", "inside the site's content/", |_| {})
            .refused(&["site", "--out", "site/content/pages/ut"]),
        case("--out the site's templates/", "site/templates", "templates/ folder", |d| {
            write(
                &d.join("site/templates/partials/footer.html"),
                &read(&repo_root().join("themes/default/templates/partials/footer.html")),
            )
        })
        .refused(&["site", "--out", "site/templates"]),
        case("--out inside static/", "site/static/ut", "static/ folder", |d| {
            write(&d.join("site/static/img/a.svg"), "<svg/>")
        })
        .refused(&["site", "--out", "site/static/ut"]),
        case("--out the folder holding the site", ".", "it contains the site", |_| {}).refused(&["site", "--out", "."]),
        case("--out the folder above", "..", "it contains the site", |_| {}).refused(&["site", "--out", ".."]),
        case("--out someone's folder", "notes", "metodbok did not write", |d| {
            write(&d.join("notes/plan.txt"), "min plan\n")
        })
        .refused(&["site", "--out", "notes"]),
        case("--out a file", "notes.txt", "it is a file", |d| write(&d.join("notes.txt"), "mina anteckningar\n"))
            .refused(&["site", "--out", "notes.txt"]),
        case("--out metodbok.yaml", "site/metodbok.yaml", "it is a file", |_| {}).refused(&[
            "site",
            "--out",
            "site/metodbok.yaml",
        ]),
        case("--out the base", "national", "the site's base", |d| base(d, "../national"))
            .refused(&["site", "--out", "national"]),
        case("--out the base's content/", "national/content", "inside the site's base's content/", |d| {
            base(d, "../national")
        })
        .refused(&["site", "--out", "national/content"]),
        case("--out a link to the site", "link", "it is the site itself", |d| {
            #[cfg(unix)]
            std::os::unix::fs::symlink(d.join("site"), d.join("link")).unwrap();
        })
        .refused(&["site", "--out", "link"]),
        case(
            "staging folders of a killed build, and a mistake",
            "content/phases/fas-ett.yaml:3:1",
            "unknown key",
            |d| {
                // A build killed while writing, and one killed while swapping, left these.
                for f in [".public.new-999999", ".public.old-999998"] {
                    write(&d.join("site").join(f).join(".metodbok-output"), "");
                    write(&d.join("site").join(f).join("index.html"), "<p>halvfärdig</p>");
                }
                edit(&d.join("site/content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett");
            },
        ),
        // 2. No stack overflow, ever: deep nesting is a diagnostic where it was written.
        case("100,000 block quotes in a page", "content/pages/om.md:16:", "nested more than 32 levels", move |d| {
            let p = d.join("site/content/pages/om.md");
            write(&p, &format!("{}\n{}\n", read(&p), deep(">", 100_000, " djupt")));
        })
        .alone(),
        case("3,000 nested list items in a page", "content/pages/om.md:", "nested more than 32 levels", move |d| {
            let p = d.join("site/content/pages/om.md");
            let list: String = (0..3000).map(|i| format!("{}- punkt\n", "  ".repeat(i))).collect();
            write(&p, &format!("{}\n{list}", read(&p)));
        })
        .alone(),
        case(
            "deep quotes in a YAML Markdown field",
            "content/phases/fas-ett.yaml:7:",
            "nested more than 32 levels",
            move |d| {
                edit(
                    &d.join("site/content/phases/fas-ett.yaml"),
                    "purpose: Syftet med fas ett.\n",
                    &format!("purpose: |\n  Syftet med fas ett.\n\n  {}\n", deep(">", 20_000, " djupt")),
                )
            },
        )
        .alone(),
        case("50,000 nested emphasis marks", "content/pages/om.md:16:", "inline formatting are nested", move |d| {
            let p = d.join("site/content/pages/om.md");
            write(&p, &format!("{}\n{}x{}\n", read(&p), "*a ".repeat(50_000), " a*".repeat(50_000)));
        })
        .alone(),
        case("50,000 nested spans", "content/pages/om.md:16:", "nested more than 32 levels", move |d| {
            let p = d.join("site/content/pages/om.md");
            write(&p, &format!("{}\n{}\n", read(&p), deep("<span>", 50_000, "x")));
        })
        .alone(),
        case("deep lists in the footer", "metodbok.yaml:47:", "nested more than 32 levels", move |d| {
            let p = d.join("site/metodbok.yaml");
            let list: String = (0..200).map(|i| format!("  {}- punkt\n", "  ".repeat(i))).collect();
            write(&p, &format!("{}footer: |\n{list}", read(&p)));
        })
        .alone(),
        case("10,000 nested YAML lists", "content/phases/fas-ett.yaml:11:", "too deeply nested", move |d| {
            let p = d.join("site/content/phases/fas-ett.yaml");
            edit(&p, "results:\n  - document: dokument-ett\n", &format!("results: {}\n", deep("[", 10_000, "")));
        })
        .alone(),
        // 3. Only the handbook's own code runs in its pages; nothing comes from other hosts.
        case(
            "a script in the footer",
            "metodbok.yaml:14:",
            "`<script>` is not allowed",
            config("footer: \"<script>alert(1)</script>\""),
        ),
        case(
            "a script in a page",
            "content/pages/om.md:16:1",
            "`<script>` is not allowed",
            page("<script>alert(1)</script>"),
        ),
        case(
            "an event handler on an image",
            "content/pages/om.md:16:",
            "`<img>` is not allowed",
            page("Se <img src=x onerror=alert(1)> här."),
        ),
        case(
            "an image from another host in raw HTML",
            "content/pages/om.md:16:",
            "`<img>` is not allowed",
            page("<img src=\"https://evil.example/x.png\" alt=\"\">"),
        ),
        case(
            "an event handler on an allowed element",
            "content/pages/om.md:16:",
            "event handler",
            page("<span onmouseover=\"alert(1)\">text</span>"),
        ),
        case(
            "a style that loads from another host",
            "content/pages/om.md:16:",
            "`style`",
            page("<span style=\"background:url(https://evil.example/x)\">text</span>"),
        ),
        case(
            "an iframe",
            "content/pages/om.md:16:",
            "`<iframe>` is not allowed",
            page("<iframe src=\"https://evil.example/\"></iframe>"),
        ),
        case(
            "a raw link with a handler",
            "content/pages/om.md:16:",
            "`<a>` is not allowed",
            page("<a href=\"https://x.example/\" onclick=\"alert(1)\">x</a>"),
        ),
        case(
            "an attribute left open in an HTML block",
            "content/pages/om.md:18:",
            "not well formed",
            page("<details>\n<summary title=\"öppen\n\nText som annars blev en del av attributet."),
        ),
        case(
            "a javascript: link with an encoded line break",
            "content/pages/om.md:16:",
            "`javascript:`",
            page("[klicka](javascript://%0aalert(1))"),
        ),
        case(
            "a JavaScript: link cased oddly in a YAML field",
            "content/phases/fas-ett.yaml:7:",
            "`javascript:`",
            purpose("[klicka](JaVaScRiPt:alert(1))"),
        ),
        case("an autolink with a scheme", "content/pages/om.md:16:", "`vbscript:`", page("<VBScript:msgbox(1)>")),
        case(
            "a data: link",
            "content/pages/om.md:16:",
            "`data:`",
            page("[x](data:text/html,<script>alert(1)</script>)"),
        ),
        case(
            "an image from another host",
            "content/pages/om.md:16:",
            "another host",
            page("![bild](https://evil.example/x.png)"),
        ),
        case(
            "an image from another host without a scheme",
            "content/pages/om.md:16:",
            "another host",
            page("![bild](//evil.example/x.png)"),
        ),
        case("organisation.url with javascript:", "metodbok.yaml:5:", "`javascript:`", |d| {
            edit(
                &d.join("site/metodbok.yaml"),
                "  name: Exempelkommunen\n",
                "  name: Exempelkommunen\n  url: \"javascript://%0aalert(1)\"\n",
            )
        }),
        case(
            "a contact address that is not one",
            "metodbok.yaml:15:",
            "not a web address",
            config("contact:\n  url: www.exempel.se"),
        ),
        case(
            "a site template that loads from another host",
            "templates/partials/footer.html:1:",
            "would load",
            template(
                "partials/footer.html",
                "<footer id=\"mb-footer\"><img src=\"https://evil.example/pixel.png\" alt=\"\"></footer>\n",
            ),
        ),
        // 4. Every problem is reported where the author can fix it.
        case(
            "a broken anchor in a reference",
            "content/pages/om.md:16:4",
            "`#saknas`",
            page("Se [fasen](@phase/fas-ett#saknas)."),
        )
        .alone(),
        case(
            "a broken anchor on the same page",
            "content/phases/fas-ett.yaml:7:",
            "`#saknas`",
            purpose("Se [nedan](#saknas)."),
        )
        .alone(),
        case(
            "a relative link to a missing page",
            "content/pages/om.md:16:4",
            "faser/saknas.html",
            page("Se [x](faser/saknas.html)."),
        )
        .alone(),
        case(
            "an image outside the site",
            "content/pages/om.md:16:",
            "outside the handbook",
            page("![x](../../../etc/passwd)"),
        )
        .alone(),
        case("a missing image", "content/pages/om.md:16:", "img/saknas.png", page("![x](img/saknas.png)")).alone(),
        case(
            "a logo outside static/",
            "metodbok.yaml:15:",
            "not a path inside the static/ folder",
            config("logo:\n  src: ../../../../etc/hostname.svg\n  alt: Logga"),
        )
        .alone(),
        case("base: the site itself", "metodbok.yaml:2:7", "names this site itself", |d| base(d, ".")).alone(),
        case("base: a folder inside the site", "metodbok.yaml:2:7", "inside this site", |d| base(d, "content")).alone(),
        case("base: two sites on each other", "metodbok.yaml:2:7", "two sites cannot build on each other", |d| {
            base(d, "../national");
            edit(&d.join("national/metodbok.yaml"), "title: Testhandboken", "title: Testhandboken\nbase: ../site");
        })
        .alone(),
        case(
            "a template that includes itself",
            "templates/partials/footer.html:1:12",
            "includes itself",
            template("partials/footer.html", "{% include \"partials/footer.html\" %}\n"),
        )
        .alone(),
        case("an unclosed quotation mark", "content/phases/fas-ett.yaml:3:7", "not closed", |d| {
            edit(&d.join("site/content/phases/fas-ett.yaml"), "name: Fas ett", "name: \"Fas ett")
        })
        .alone(),
        case("a file that is not UTF-8", "content/phases/fas-ett.yaml:3:11", "not UTF-8", |d| {
            let p = d.join("site/content/phases/fas-ett.yaml");
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8(bytes).unwrap().replace("name: Fas ett", "name: Fas \u{0}ett");
            let mut bytes = text.into_bytes();
            let at = bytes.iter().position(|b| *b == 0).unwrap();
            bytes[at] = 0xe5; // å in ISO-8859-1
            std::fs::write(&p, bytes).unwrap();
        })
        .alone(),
        case("a second YAML document", "content/phases/fas-ett.yaml:16:1", "second YAML document", |d| {
            let p = d.join("site/content/phases/fas-ett.yaml");
            write(&p, &format!("{}---\nid: mer\n", read(&p)));
        })
        .alone(),
        case("a negative number", "content/phases/fas-ett.yaml:2:9", "expected a whole number", |d| {
            edit(&d.join("site/content/phases/fas-ett.yaml"), "number: 1", "number: -1")
        })
        .alone(),
        case("a list where text belongs", "content/phases/fas-ett.yaml:3:", "expected text", |d| {
            edit(&d.join("site/content/phases/fas-ett.yaml"), "name: Fas ett", "name: [Fas, ett]")
        })
        .alone(),
        // 5. A build that does not finish ends with the page and template named.
        case(
            "a template that loops for ever",
            "templates/",
            "did not finish within 1 s",
            template(
                "index.html",
                "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}\n",
            ),
        )
        .env(&[("METODBOK_PAGE_TIME_LIMIT", "1")])
        .alone(),
    ]
}

/// Makes `site` build on `national` (a copy of the fixture) with `base: path`.
fn base(d: &Path, path: &str) {
    edit(&d.join("site/metodbok.yaml"), "title: Testhandboken\n", &format!("title: Testhandboken\nbase: {path}\n"));
}

/// The folder every case starts from: the fixture site, built, and a copy of it as a base.
fn start() -> &'static Path {
    static START: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    START
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&fixture("site"), &dir.path().join("site"));
            copy_dir(&fixture("site"), &dir.path().join("national"));
            let (code, _, err) = run(&["build", dir.path().join("site").to_str().unwrap()]);
            assert_eq!(code, 0, "the fixture builds: {err}");
            dir
        })
        .path()
}

/// Copies everything under `from` to `to`, output folders included.
fn copy_all(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Staging folders (`.NAME.new-PID`, `.NAME.old-PID`) anywhere in the case's folder.
fn staging(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.starts_with('.') && (n.contains(".new-") || n.contains(".old-"))
        })
        .map(|e| e.into_path())
        .collect()
}

/// Runs `metodbok ARGS` in `dir`.
fn metodbok_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = metodbok().current_dir(dir).args(args).envs(env.iter().copied()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(c: &Case) -> Result<(), String> {
    let d = tempfile::tempdir().unwrap();
    copy_all(start(), d.path());
    (c.mistake)(d.path());
    // Everything that was there before the command, with modification times.
    let before = snapshot(d.path());
    let fail = |what: String| Err(format!("{}: {what}", c.name));

    let (code, err) = metodbok_in(d.path(), &[&["build"][..], c.args].concat(), c.env);
    if code != c.code {
        return fail(format!("build exited with {code}, not {}:\n{err}", c.code));
    }
    if !err.contains(c.at) {
        return fail(format!("build does not name {:?}:\n{err}", c.at));
    }
    if !err.contains(c.says) {
        return fail(format!("build does not say {:?}:\n{err}", c.says));
    }
    for programmer in ["from_str_multiple", "invalid u32", "Option<String>", "panicked", "RUST_BACKTRACE"] {
        if err.contains(programmer) {
            return fail(format!("build says {programmer:?} to an author:\n{err}"));
        }
    }
    if c.alone && !err.contains("1 problem found") {
        return fail(format!("one mistake, one message:\n{err}"));
    }
    // Nothing that was there changed, and nothing was left beside an output.
    let mut after = snapshot(d.path());
    let stale: Vec<PathBuf> = staging(&d.path().join("site"));
    if !stale.is_empty() {
        return fail(format!("staging folders remain: {stale:?}"));
    }
    // The stale staging folders of a killed build are the one thing that goes.
    let mut before = before;
    before.retain(|p, _| !p.components().any(|c| c.as_os_str().to_string_lossy().contains(".public.")));
    after.retain(|p, _| !p.components().any(|c| c.as_os_str().to_string_lossy().contains(".public.")));
    if before != after {
        let changed: Vec<&PathBuf> = before
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .chain(after.keys().filter(|k| !before.contains_key(*k)))
            .collect();
        return fail(format!("files changed or appeared: {changed:?}"));
    }
    // `check` catches everything `build` would, at the same place.
    if c.code == 1 {
        let (code, err) = metodbok_in(d.path(), &["check", "site"], c.env);
        if code != 1 || !err.contains(c.at) {
            return fail(format!("check exited with {code} and does not name {:?} as build does:\n{err}", c.at));
        }
    }
    Ok(())
}

#[test]
fn every_bad_input_is_reported_where_it_was_made_and_destroys_nothing() {
    let cases = corpus();
    assert!(cases.len() >= 40, "the corpus holds {} cases", cases.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[Case]> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| s.spawn(move || chunk.iter().filter_map(|c| run_case(c).err()).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn a_killed_builds_staging_folders_go_with_the_next_build_and_others_stay() {
    let d = tempfile::tempdir().unwrap();
    copy_all(start(), d.path());
    let site = d.path().join("site");
    for f in [".public.new-999999", ".public.old-999998"] {
        write(&site.join(f).join(".metodbok-output"), "");
    }
    // A folder that looks like staging but is someone's: never removed.
    write(&site.join(".public.old-5/mine.txt"), "mitt\n");
    let (code, err) = metodbok_in(d.path(), &["build", "site"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!site.join(".public.new-999999").exists() && !site.join(".public.old-999998").exists());
    assert_eq!(read(&site.join(".public.old-5/mine.txt")), "mitt\n");
    assert!(site.join("public/.metodbok-output").is_file(), "the output is marked as metodbok's");
    // An empty folder may be built into; so may a previous output.
    std::fs::create_dir_all(d.path().join("tom")).unwrap();
    assert_eq!(metodbok_in(d.path(), &["build", "site", "--out", "tom"], &[]).0, 0);
    assert_eq!(metodbok_in(d.path(), &["build", "site", "--out", "tom"], &[]).0, 0);
    assert!(d.path().join("tom/index.html").is_file());
}

include!("organisation_names.rs");

#[test]
fn a_starter_site_builds_for_any_organisation_name() {
    for (i, name) in ORGANISATION_NAMES.iter().enumerate() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join(format!("k{i}"));
        let org = format!("--org={name}");
        let (code, err) =
            metodbok_in(d.path(), &["new", dir.to_str().unwrap(), &org, "--base", repo_root().to_str().unwrap()], &[]);
        assert_eq!(code, 0, "{name:?}: {err}");
        fill_statement(&dir);
        // The first site is built whole; the others without the PDF, which typesets the whole
        // handbook (about 10 s each in a debug build): how every one of these names reaches
        // the PDF is tested on a small document (`pdf::tests`, the cover's names).
        if i > 0 {
            let config = dir.join("metodbok.yaml");
            write(&config, &format!("{}\npdf: false\n", read(&config)));
        }
        let (code, err) = metodbok_in(d.path(), &["build", dir.to_str().unwrap()], &[]);
        assert_eq!(code, 0, "the starter for {name:?} builds:\n{err}");
        assert_eq!(dir.join("public/hela-handboken.pdf").is_file(), i == 0, "{name:?}: the PDF only where asked");
        // The name is shown as written (line breaks as spaces, as HTML shows them), as text.
        let home = scraper::Html::parse_document(&read(&dir.join("public/index.html")));
        let shown: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let header: String = home.select(&scraper::Selector::parse("header").unwrap()).flat_map(|h| h.text()).collect();
        let header = header.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(header.contains(&shown), "{name:?} is in the header: {header}");
        let scripts: Vec<String> =
            home.select(&scraper::Selector::parse("script").unwrap()).map(|s| s.inner_html()).collect();
        assert!(scripts.iter().all(|s| !s.contains("alert")), "the name is text, not markup: {scripts:?}");
    }
    let (code, err) = metodbok_in(Path::new("."), &["new", "/tmp/ingen", "--org", "  "], &[]);
    assert_eq!(code, 2, "an empty name is refused: {err}");
}
