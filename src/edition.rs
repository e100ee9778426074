//! The national editions built into the binary. A municipality's copy names one as its base
//! (`base: metod-1.0`) instead of a folder, so one installed program is all it needs: the
//! edition's `content/` is read from the binary exactly as it would be from a checkout of
//! this repository.
//!
//! The binary carries the edition this repository holds (`content/`, embedded by
//! `build.rs`); its name is `metod-` and the method's version from `content/method.yaml`.

use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/edition_files.rs"));
}

/// A national edition in the binary.
#[derive(Debug)]
pub struct Edition {
    /// What `base:` names it by, e.g. `metod-1.0`.
    pub name: String,
    /// The method's name and version, as its `method.yaml` gives them.
    pub title: String,
    /// The edition's date (`method.yaml`'s `date`).
    pub date: String,
    /// Its files, by path inside `content/`.
    pub files: &'static [(&'static str, &'static [u8])],
}

/// Every edition in the binary, newest last.
pub fn all() -> &'static [Edition] {
    static EDITIONS: OnceLock<Vec<Edition>> = OnceLock::new();
    EDITIONS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Head {
            name: String,
            version: String,
            #[serde(default)]
            date: String,
        }
        let method = embedded::CONTENT
            .iter()
            .find(|(p, _)| *p == "method.yaml")
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
            .and_then(|t| serde_saphyr::from_str::<Head>(t).ok());
        // The bundled content is checked by every test run; without a readable method.yaml
        // no edition is offered rather than a nameless one.
        method
            .map(|h| Edition {
                name: format!("metod-{}", h.version),
                title: format!("{} {}", h.name, h.version),
                date: h.date,
                files: embedded::CONTENT,
            })
            .into_iter()
            .collect()
    })
}

/// The edition `base:` names, if it is one in the binary.
pub fn find(name: &str) -> Option<&'static Edition> {
    all().iter().find(|e| e.name == name)
}

/// The newest edition in the binary: what `metodbok new` builds on by default.
pub fn newest() -> Option<&'static Edition> {
    all().last()
}

/// The names of the editions, for messages: `metod-1.0`.
pub fn names() -> String {
    all().iter().map(|e| format!("`{}`", e.name)).collect::<Vec<_>>().join(", ")
}
