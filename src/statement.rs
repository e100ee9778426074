//! Whether the accessibility statement can be published. A Swedish public body must publish
//! a statement (lag (2018:1937) om tillgänglighet till digital offentlig service, 12 §) with
//! the content Digg's föreskrifter (MDFFS 2019:2) require: how the site complies, what is not
//! accessible and why, how it was assessed and when, and a way for readers to report
//! problems. `build` and `check` refuse a statement that lacks any of them or still holds a
//! placeholder of `metodbok new`; the preview shows the same problems and keeps previewing.
//! The messages are in the site's language: the preview shows them to the author as written.

use std::collections::BTreeMap;

use crate::config::{Loaded, is_placeholder};
use crate::diagnostic::Diagnostic;
use crate::yaml::Spanned;

/// The feedback routes readers are given: the statement's own, each defaulting to
/// `contact:`'s.
pub struct Routes<'a> {
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// The feedback routes of the site's statement.
pub fn routes(config: &crate::config::Config) -> Routes<'_> {
    let f = &config.accessibility.feedback;
    let c = config.contact.as_ref();
    fn real(v: Option<&Spanned<String>>) -> Option<&str> {
        v.map(|v| v.value.as_str()).filter(|v| !v.trim().is_empty())
    }
    fn usable(v: Option<&str>) -> Option<&str> {
        v.filter(|v| !v.trim().is_empty() && !is_placeholder(v))
    }
    Routes {
        email: usable(real(f.email.as_ref()).or_else(|| real(c.and_then(|c| c.email.as_ref())))),
        phone: usable(real(f.phone.as_ref()).or(c.and_then(|c| c.phone.as_deref()))),
        url: usable(real(f.url.as_ref()).or_else(|| real(c.and_then(|c| c.url.as_ref())))),
    }
}

/// What keeps the statement from being published, each at its line of `metodbok.yaml`.
pub fn problems(loaded: &Loaded, strings: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let t = |key: &str| strings.get(key).cloned().unwrap_or_else(|| key.to_string());
    let file = &loaded.file;
    let a = &loaded.config.accessibility;
    let mut out = Vec::new();
    let spot = |v: &Spanned<String>, message: String| {
        Diagnostic::at(file, v.referenced.line() as usize, v.referenced.column() as usize, message)
            .with_length(v.value.chars().count())
    };
    // Where a missing key belongs: the `accessibility:` line (or `feedback:` under it).
    let key_line = |key: &str| -> (usize, usize) {
        let mut inside = false;
        for (i, line) in file.text.lines().enumerate() {
            if line.starts_with("accessibility:") {
                if key == "accessibility" {
                    return (i + 1, 1);
                }
                inside = true;
            } else if inside && !line.trim().is_empty() && !line.starts_with([' ', '#']) {
                break;
            } else if inside && line.trim_start().starts_with(&format!("{key}:")) {
                return (i + 1, line.len() - line.trim_start().len() + 1);
            }
        }
        file.text.lines().position(|l| l.starts_with("accessibility:")).map_or((0, 0), |i| (i + 1, 1))
    };
    let missing = |key: &str, why: &str| {
        let (line, column) = key_line(key.rsplit('.').next().unwrap_or(key));
        let message =
            t("a11y_check_missing").replace("{key}", &format!("accessibility.{key}")).replace("{why}", &t(why));
        if line == 0 {
            Diagnostic::file(file.display_path.clone(), message)
        } else {
            Diagnostic::at(file, line, column, message)
        }
        .with_help(t("a11y_check_help"))
    };
    // Every fact still holding the starter's placeholder.
    let mut texts: Vec<(String, &Spanned<String>)> = Vec::new();
    for (key, v) in [
        ("organisation", &a.organisation),
        ("service", &a.service),
        ("status", &a.status),
        ("assessed", &a.assessed),
        ("updated", &a.updated),
        ("method", &a.method),
        ("feedback.email", &a.feedback.email),
        ("feedback.phone", &a.feedback.phone),
        ("feedback.url", &a.feedback.url),
        ("feedback.response_time", &a.feedback.response_time),
    ] {
        if let Some(v) = v {
            texts.push((key.to_string(), v));
        }
    }
    for (i, p) in a.known_problems.iter().enumerate() {
        texts.push((format!("known_problems[{}].problem", i + 1), &p.problem));
        texts.push((format!("known_problems[{}].reason", i + 1), &p.reason));
    }
    let mut placeholders = Vec::new();
    for (key, v) in &texts {
        if is_placeholder(&v.value) {
            placeholders.push(key.clone());
            out.push(
                spot(v, t("a11y_check_placeholder").replace("{key}", &format!("accessibility.{key}")))
                    .with_help(t("a11y_check_placeholder_help")),
            );
        }
    }
    let blank = |v: &Option<Spanned<String>>| v.as_ref().is_none_or(|v| v.value.trim().is_empty());
    match &a.status {
        _ if placeholders.iter().any(|k| k == "status") => {}
        None => out.push(missing("status", "a11y_why_status")),
        Some(v) if a.compliance().is_none() => {
            out.push(spot(v, t("a11y_check_status").replace("{value}", &v.value)).with_help(t("a11y_why_status")))
        }
        Some(v) if a.compliance() != Some(crate::config::Compliance::Helt) && a.known_problems.is_empty() => {
            out.push(spot(v, t("a11y_check_no_problems")).with_help(t("a11y_why_problems")))
        }
        Some(_) => {}
    }
    for key in ["assessed", "updated"] {
        let v = if key == "assessed" { &a.assessed } else { &a.updated };
        match v {
            _ if placeholders.iter().any(|k| k == key) => {}
            None if key == "assessed" => out.push(missing("assessed", "a11y_why_assessed")),
            Some(v) if !is_date(&v.value) => out.push(
                spot(
                    v,
                    t("a11y_check_date").replace("{key}", &format!("accessibility.{key}")).replace("{value}", &v.value),
                )
                .with_help(t("a11y_why_assessed")),
            ),
            _ => {}
        }
    }
    if blank(&a.method) && !placeholders.iter().any(|k| k == "method") {
        out.push(missing("method", "a11y_why_method"));
    }
    let r = routes(&loaded.config);
    let placeholder_route = placeholders.iter().any(|k| k.starts_with("feedback.") && k != "feedback.response_time");
    if r.email.is_none() && r.phone.is_none() && r.url.is_none() && !a.example && !placeholder_route {
        out.push(missing("feedback", "a11y_why_feedback"));
    }
    out
}

/// Whether `s` is a calendar date written YYYY-MM-DD.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let num = |p: &str, len: usize| {
        if p.len() == len && p.chars().all(|c| c.is_ascii_digit()) { p.parse::<u32>().ok() } else { None }
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        assert!(is_date("2026-11-30") && is_date("2024-02-29"));
        assert!(!is_date("2026-02-29") && !is_date("2026-13-01") && !is_date("30/11/2026") && !is_date("2026-1-1"));
    }
}
