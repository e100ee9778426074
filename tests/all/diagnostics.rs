//! A mistake in a site fails the build with exit code 1, names the file, line and column,
//! says what would be right, and leaves the previous output exactly as it was.

use crate::common::*;

/// Builds the fixture once (so there is a previous output), applies `mistake`, builds again,
/// and returns the error output after checking the exit code and the untouched output.
fn build_fails_after(mistake: impl FnOnce(&std::path::Path)) -> String {
    let dir = site("site");
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "the fixture must build: {err}");
    let before = snapshot(&dir.path().join("public"));
    assert!(!before.is_empty());

    mistake(dir.path());
    let (code, err) = build(dir.path());
    assert_eq!(code, 1, "a content mistake exits with 1; stderr:\n{err}");
    assert_eq!(snapshot(&dir.path().join("public")), before, "the previous output must be left exactly as it was");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders are left behind: {leftovers:?}");
    err
}

fn assert_has(err: &str, needle: &str) {
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let err = build_fails_after(|d| {
        edit(&d.join("content/phases/fas-ett.yaml"), "items: [Del ett, Del två]", "items: [Del ett, Del två")
    });
    assert_has(&err, "content/phases/fas-ett.yaml:11:8");
    assert_has(&err, "line 10 opens a `[` that is not closed");
}

#[test]
fn an_unknown_key_suggests_the_key_that_was_meant() {
    let err = build_fails_after(|d| edit(&d.join("content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett"));
    assert_has(&err, "content/phases/fas-ett.yaml:3:1");
    assert_has(&err, "unknown key `nmae`");
    assert_has(&err, "did you mean `name`?");
}

#[test]
fn an_unknown_key_in_the_configuration_suggests_the_key_that_was_meant() {
    let err = build_fails_after(|d| edit(&d.join("metodbok.yaml"), "title: Testhandboken", "titel: Testhandboken"));
    assert_has(&err, "metodbok.yaml:1:1");
    assert_has(&err, "unknown key `titel`");
    assert_has(&err, "did you mean `title`?");
}

#[test]
fn a_missing_required_field_is_named_with_its_mapping() {
    let err = build_fails_after(|d| edit(&d.join("content/phases/fas-ett.yaml"), "purpose: Syftet med fas ett.\n", ""));
    assert_has(&err, "content/phases/fas-ett.yaml:1:1");
    assert_has(&err, "missing required key `purpose`");
}

#[test]
fn a_duplicate_id_points_at_the_second_use_and_names_the_first() {
    let err =
        build_fails_after(|d| edit(&d.join("content/documents.yaml"), "- id: dokument-tva", "- id: dokument-ett"));
    assert_has(&err, "content/documents.yaml:5:7");
    assert_has(&err, "duplicate document id `dokument-ett`");
    assert_has(&err, "already used at content/documents.yaml:1:7");
}

#[test]
fn a_dangling_reference_in_yaml_suggests_the_closest_id() {
    let err = build_fails_after(|d| {
        edit(&d.join("content/phases/fas-ett.yaml"), "document: dokument-ett", "document: dokument-et")
    });
    assert_has(&err, "content/phases/fas-ett.yaml:12:15");
    assert_has(&err, "there is no document with id `dokument-et`");
    assert_has(&err, "did you mean `dokument-ett`?");
}

#[test]
fn a_dangling_reference_in_a_pages_front_matter_is_located_in_the_page_file() {
    let err =
        build_fails_after(|d| edit(&d.join("content/pages/om.md"), r#"["@phase/fas-ett"]"#, r#"["@phase/fas-et"]"#));
    assert_has(&err, "content/pages/om.md:4:11");
    assert_has(&err, "there is no phase with id `fas-et`");
    assert_has(&err, "did you mean `fas-ett`?");
}

#[test]
fn a_dangling_reference_in_a_markdown_link_is_located_at_the_link() {
    let err = build_fails_after(|d| {
        edit(&d.join("content/pages/om.md"), "(@document/dokument-ett)", "(@document/dokument-noll)")
    });
    assert_has(&err, "content/pages/om.md:6:23");
    assert_has(&err, "there is no document with id `dokument-noll`");
}

#[test]
fn a_template_syntax_error_in_a_site_override_names_the_template_line_and_column() {
    let err = build_fails_after(|d| {
        write(
            &d.join("templates/404.html"),
            "{% extends \"base.html\" %}\n{% block content %}\n<p>{% if %}x{% endif %}</p>\n{% endblock content %}\n",
        )
    });
    assert_has(&err, "templates/404.html:3:10");
    assert_has(&err, "template error");
}

#[test]
fn three_separate_mistakes_are_all_reported_in_one_run() {
    let err = build_fails_after(|d| {
        edit(&d.join("content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett");
        edit(&d.join("content/documents.yaml"), "phase: fas-tva", "phase: fas-trea");
        edit(&d.join("content/milestones/milstolpe-1.yaml"), "role: styrgrupp", "role: styrgrup");
    });
    assert_has(&err, "content/phases/fas-ett.yaml:3:1");
    assert_has(&err, "content/documents.yaml:7:10");
    assert_has(&err, "content/milestones/milstolpe-1.yaml:15:9");
    assert_has(&err, "3 problems found");
}

#[test]
fn check_reports_the_same_problems_and_writes_nothing() {
    let dir = site("site");
    edit(&dir.path().join("content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett");
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_has(&err, "content/phases/fas-ett.yaml:3:1");
    assert!(!dir.path().join("public").exists(), "check must not write an output folder");
}

#[test]
fn colour_only_when_asked_for_and_never_with_no_color() {
    let dir = site("site");
    edit(&dir.path().join("content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett");
    let site = dir.path().to_str().unwrap();
    let forced = metodbok().args(["check", site]).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(String::from_utf8_lossy(&forced.stderr).contains("\u{1b}["), "CLICOLOR_FORCE gives colour");
    let plain = metodbok().args(["check", site]).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("\u{1b}["), "no colour when not on a terminal");
    let no_color = metodbok().args(["check", site]).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stderr).contains("\u{1b}["), "NO_COLOR wins");
}

#[test]
fn a_brand_colour_with_too_little_contrast_fails_with_the_ratio() {
    let err = build_fails_after(|d| {
        edit(&d.join("metodbok.yaml"), "language: sv\n", "language: sv\ncolours:\n  primary: \"#9ab8e0\"\n")
    });
    assert_has(&err, "metodbok.yaml:4:12");
    // The worst of the pairs the theme draws it on is named, with its ratio.
    assert_has(
        &err,
        "colours.primary #9ab8e0 against the panel background #f3f5f8 has contrast 1.86:1; at least 4.5:1 is needed",
    );
}

#[test]
fn a_brand_colour_that_is_readable_on_white_but_not_on_panels_fails() {
    // #767676 is the classic 4.54:1 grey on white; the footer and contents panels are darker.
    let err = build_fails_after(|d| {
        edit(&d.join("metodbok.yaml"), "language: sv\n", "language: sv\ncolours:\n  primary: \"#767676\"\n")
    });
    assert_has(&err, "colours.primary #767676 against the panel background #f3f5f8 has contrast 4.15:1");
}

/// The whole report as an author reads it: each problem with its file, line and column, the
/// offending line marked, and what would be right.
#[test]
fn the_report_of_several_mistakes_reads_well() {
    let dir = site("site");
    edit(&dir.path().join("content/phases/fas-ett.yaml"), "name: Fas ett", "nmae: Fas ett");
    edit(&dir.path().join("content/documents.yaml"), "phase: fas-tva", "phase: fas-trea");
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn a_content_file_in_an_unknown_place_is_reported_with_the_layout() {
    let err = build_fails_after(|d| write(&d.join("content/phase/fas-tre.yaml"), "id: fas-tre\n"));
    assert_has(&err, "content/phase/fas-tre.yaml");
    assert_has(&err, "not in a place where content is read");
    assert_has(&err, "phases/");
}

#[test]
fn a_level_one_heading_in_a_page_body_is_reported_at_its_line() {
    let err = build_fails_after(|d| edit(&d.join("content/pages/om.md"), "## Konfiguration", "# Konfiguration"));
    assert_has(&err, "content/pages/om.md:8:1");
    assert_has(&err, "start headings in the text at `##`");
}
