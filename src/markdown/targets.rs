//! Where a Markdown link or image points: a reference (`@kind/id`), a file of the output,
//! an anchor of a page, or another site; each checked where it was written.

use super::*;

/// The href of a Markdown link on `page`, and the page and anchor it points to when the
/// anchor is to be checked once every page is rendered.
pub(super) fn resolve(dest: &str, page: ForPage) -> Result<(String, Option<(String, String)>), Problem> {
    if let Some((message, help)) = policy::link_problem(dest) {
        return Err((message, Some(help)));
    }
    match policy::classify(dest) {
        policy::Target::Reference => {
            let t = page.index.resolve(dest).map_err(|u| (u.message, u.help))?;
            let anchor =
                dest.split_once('#').map(|(_, a)| (t.url.split('#').next().unwrap_or("").to_string(), a.to_string()));
            Ok((format!("{}{}", page.root, t.url), anchor))
        }
        policy::Target::Anchor(a) if !a.is_empty() => {
            Ok((dest.to_string(), Some((page.path.to_string(), a.to_string()))))
        }
        policy::Target::Path if !dest.is_empty() => {
            let (path, anchor) = in_handbook(dest, page, "link")?;
            let href = format!("{}{}", page.root, dest.trim_start_matches('/'));
            Ok((href, anchor.filter(|a| !a.is_empty() && path.ends_with(".html")).map(|a| (path, a))))
        }
        _ => Ok((dest.to_string(), None)),
    }
}

/// Checks a path written in Markdown (relative to the handbook's root): it stays inside the
/// handbook and names a file the output will have. Returns that file and the anchor.
pub(super) fn in_handbook(dest: &str, page: ForPage, what: &str) -> Result<(String, Option<String>), Problem> {
    let (rest, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err((
                        format!("the {what} `{dest}` leads outside the handbook"),
                        Some(
                            "paths in Markdown are relative to the handbook's root; images and files go in static/"
                                .into(),
                        ),
                    ));
                }
            }
            s => parts.push(s),
        }
    }
    let target = parts.join("/");
    if target.is_empty() {
        return Ok((page.path.to_string(), anchor));
    }
    let decoded = crate::serve::http::percent_decode(&target).unwrap_or_default();
    if page.files.contains(&target) || page.files.contains(&decoded) {
        return Ok((target, anchor));
    }
    let help = match crate::diagnostic::closest(&target, page.files.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? Paths are relative to the handbook's root"),
        None => "paths in Markdown are relative to the handbook's root; a file of your own goes in static/".into(),
    };
    Err((format!("the {what} `{dest}` leads to `{target}`, which the handbook does not have"), Some(help)))
}

/// The src of a Markdown image on `page`: a file of the handbook itself.
pub(super) fn image(dest: &str, page: ForPage) -> Result<String, (String, String)> {
    let problem = |message: String| {
        (message, "put the image in the site's static/ folder and write its path, e.g. img/figur.png".to_string())
    };
    match policy::classify(dest) {
        policy::Target::Path if !dest.trim().is_empty() => {
            in_handbook(dest, page, "image").map_err(|(m, h)| (m, h.unwrap_or_default()))?;
            Ok(format!("{}{}", page.root, dest.trim_start_matches('/')))
        }
        policy::Target::External | policy::Target::OtherHost => Err(problem(format!(
            "the image `{dest}` is on another host; the handbook makes no requests to other hosts"
        ))),
        policy::Target::Forbidden(scheme) => {
            Err(problem(format!("the image `{dest}` uses the scheme `{scheme}:`; images are files of the handbook")))
        }
        _ => Err(problem(format!("the image `{dest}` is not the path of an image file"))),
    }
}
