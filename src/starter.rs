//! `metodbok new`: a municipality's starter site. It builds on a base (a national edition
//! built into metodbok, or a folder such as a checkout of the national handbook) and holds
//! only what is the municipality's own: configuration with every key explained, one example
//! page, a commented `overrides.yaml`, an empty `templates/` folder with a note on
//! overriding, a README for the people who run it, and `base-review.yaml`, the record of the
//! national edition the copy's own texts were last reviewed against.
//!
//! Every text the starter writes is in the site's language, Swedish (the default) or English.
//! The starter writes no guidance and no facts it cannot know: its one page says what the copy
//! is and is marked as local content on every build, and the accessibility statement's facts
//! are blanks marked `FYLL I` (`FILL IN`), which the build refuses until they are filled in.

use std::path::{Path, PathBuf};

use crate::yaml::double_quoted as q;

use crate::config::Language;

/// Why a starter site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{0} already exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    #[error("the base {0} is not a metodbok site (it has no metodbok.yaml and no content/ folder)")]
    BadBase(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the organisation's name is empty; give it with --org, e.g. --org \"Exempel kommun\"")]
    NoName,
}

/// What to make.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    /// The organisation's name, e.g. "Exempel kommun".
    pub org: String,
    /// What the copy builds on.
    pub base: StarterBase,
    /// The language of the starter's texts and of the site (`language:` in metodbok.yaml).
    pub language: Language,
}

/// What a starter site builds on: its `base:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StarterBase {
    /// A national edition built into the binary, by name, e.g. "metod-1.0" (written as
    /// `base: metod-1.0`).
    Edition(String),
    /// A folder (a checkout of the national handbook); written relative to the new site.
    Folder(PathBuf),
}

/// The marker that starts every blank of the accessibility statement, in `language`; the
/// build refuses a value that starts with it.
pub fn blank_marker(language: Language) -> &'static str {
    let [sv, en] = crate::config::PLACEHOLDERS;
    match language {
        Language::Sv => sv,
        Language::En => en,
    }
}

/// Writes the starter site; returns the files written, relative to `dir`.
pub fn create(o: &Options) -> Result<Vec<PathBuf>, NewError> {
    if one_line(&o.org).is_empty() {
        return Err(NewError::NoName);
    }
    if let StarterBase::Folder(folder) = &o.base
        && !(folder.join(crate::config::FILE_NAME).is_file() || folder.join("content").is_dir())
    {
        return Err(NewError::BadBase(folder.clone()));
    }
    if o.dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(NewError::NotEmpty(o.dir.clone()));
    }
    let write = |rel: &str, text: &str| -> Result<(), NewError> {
        let path = o.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| NewError::Write { path: parent.into(), source })?;
        }
        std::fs::write(&path, text).map_err(|source| NewError::Write { path, source })
    };
    std::fs::create_dir_all(&o.dir).map_err(|source| NewError::Write { path: o.dir.clone(), source })?;
    // The base as `base:` names it: the edition, or the folder relative to the new site
    // (resolved once the new site's folder exists).
    let base = match &o.base {
        StarterBase::Edition(name) => name.clone(),
        StarterBase::Folder(folder) => relative_path(&o.dir, folder),
    };
    let slug = crate::slug::slugify(&o.org);
    let page = format!("content/pages/om-{slug}s-utgava.md");
    let files: Vec<(String, String)> = vec![
        ("metodbok.yaml".into(), config(o, &base)),
        (page.clone(), example_page(o, &slug)),
        ("content/overrides.yaml".into(), overrides(o.language).into()),
        ("templates/README.md".into(), templates_note(o.language).into()),
        ("README.md".into(), readme(o, &base, &page)),
        ("base-review.yaml".into(), crate::review::starter_file(&base, o.language)),
        (".gitignore".into(), "/public/\n".into()),
    ];
    for (rel, text) in &files {
        write(rel, text)?;
    }
    Ok(files.into_iter().map(|(r, _)| PathBuf::from(r)).collect())
}

/// The path from folder `from` to `to`, relative when both can be resolved (so the two
/// folders can move together), with `/` separators as YAML files are shared across systems.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let abs =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p));
    let (from, to) = (abs(from), abs(to));
    match pathdiff::diff_paths(&to, &from) {
        Some(rel) if rel.as_os_str().is_empty() => ".".into(),
        Some(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        None => to.display().to_string(),
    }
}

/// `s` on one line, for comments and Markdown: line breaks and other control characters
/// become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` as Markdown text that shows exactly `s`: every ASCII punctuation mark escaped.
fn md_text(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `base:` entry of metodbok.yaml, with its comment: `base` is the edition's name or the
/// folder's path relative to the new site.
fn base_entry(o: &Options, base: &str) -> String {
    let shown = one_line(base);
    let comment = match (&o.base, o.language) {
        (StarterBase::Edition(_), Language::Sv) => format!(
            "# Den nationella utgåva av handboken som er utgåva bygger på. {shown} är inbyggd i
# metodbok, och `metodbok editions` visar vilka utgåvor som finns inbyggda. Det går också att
# bygga på en mapp, skriven relativt den här filen, till exempel en kopia av den nationella
# handboken. Den nationella texten kommer först; det ni lägger i content/ läggs till. Hur ni
# tar in en ny nationell utgåva står i README.md."
        ),
        (StarterBase::Folder(_), Language::Sv) => {
            "# Det som er utgåva bygger på: här en mapp, skriven relativt den här filen, till exempel
# en kopia av den nationella handboken. Dess innehåll kommer först; det ni lägger i content/
# läggs till. Ni kan också bygga på en nationell utgåva som är inbyggd i metodbok, till
# exempel base: metod-1.0; `metodbok editions` visar vilka som finns. Hur ni tar in en ny
# nationell utgåva står i README.md."
                .to_string()
        }
        (StarterBase::Edition(_), Language::En) => format!(
            "# The national edition of the handbook this copy builds on. {shown} is built into
# metodbok, and `metodbok editions` lists the editions built in. A folder also works, written
# relative to this file, for example a checkout of the national handbook. The national text
# comes first; what you put in content/ adds to it. README.md says how to take a new national
# edition."
        ),
        (StarterBase::Folder(_), Language::En) => {
            "# What this copy builds on: here a folder, written relative to this file, for example a
# checkout of the national handbook. Its content comes first; what you put in content/ adds
# to it. A national edition built into metodbok also works, for example base: metod-1.0;
# `metodbok editions` lists them. README.md says how to take a new national edition."
                .to_string()
        }
    };
    format!("{comment}\nbase: {}\n", q(base))
}

/// metodbok.yaml: every key the copy may set, explained, the optional ones commented out,
/// and the accessibility statement with its facts left as marked blanks.
fn config(o: &Options, base: &str) -> String {
    let org = &one_line(&o.org);
    let base_entry = base_entry(o, base);
    match o.language {
        Language::Sv => format!(
            r##"# Inställningarna för {org}s utgåva av handboken. Rader som börjar med # är
# kommentarer som metodbok hoppar över. Ta bort # framför en inställning för att använda den,
# och behåll mellanslagen i början av raden: de visar vad som hör ihop. README.md förklarar
# resten.

# Handbokens namn, i sidhuvudet och i varje sidas titel.
title: {title}

{base_entry}
# Webbplatsens språk, det som menyer, knappar och rubriker visas på: sv (svenska) eller en
# (engelska).
language: sv

# En mening om er utgåva, för startsidan och för sökmotorer.
# description: {description}

# Adressen där utgåvan publiceras. Bara sitemap.xml och sidan som visas för en adress som
# inte finns (404) använder den. Alla andra länkar är relativa, så webbplatsen fungerar var
# den än läggs, och även när den öppnas direkt från disken.
# url: https://www.example.se/metod/

# Vem som ger ut utgåvan: visas i sidhuvudet, i sidfoten, på era egna sidor och i sidhuvudet
# på dokumentmallarna (Word, OpenDocument).
organisation:
  name: {org_q}
  # url: https://www.example.se/

# Logotypen i sidhuvudet, på webbplatsen och på dokumentmallarna: en SVG- eller PNG-fil i
# mappen static/, och vad den föreställer (texten läses upp för den som inte ser bilden).
# logo:
#   src: img/logo.svg
#   alt: {org_q}

# Era färger, skrivna som #rrggbb. Sidhuvudets vita text ligger på huvudfärgen (primary), som
# också är länkarnas färg; kontrasten måste vara minst 4,5:1. Accentfärgen (accent) används
# för fokusramar och kanter och måste ha minst 3:1. Är kontrasten för låg stoppas bygget, och
# felet talar om hur låg den är.
# colours:
#   primary: "#1d4e89"
#   accent: "#b35900"

# Vart läsarna vänder sig med frågor om utgåvan (visas i sidfoten).
# contact:
#   name: Digitaliseringsenheten
#   email: digitalisering@example.se
#   phone: 010-000 00 00
#   url: https://www.example.se/kontakt

# Egen text i sidfoten, i Markdown.
# footer: |
#   {org_md}s utgåva av E-delegationens vägledning *Metod för Utveckling i Samverkan*.

# Texter i gränssnittet: varje nyckel i temats i18n/sv.yaml kan bytas ut här.
# strings:
#   start_intro: {intro}

# Tillgänglighetsredogörelsen. Lagen (2018:1937) om tillgänglighet till digital offentlig
# service kräver att varje offentlig webbplats har en, och Diggs föreskrifter (MDFFS 2019:2)
# säger vad den ska innehålla: hur väl webbplatsen uppfyller kraven, vilket innehåll som inte
# är tillgängligt och varför, hur och när webbplatsen granskades, och hur läsarna meddelar
# brister. Länken till Diggs tillsyn, dit läsarna kan vända sig om de inte får svar, lägger
# metodbok till själv.
#
# Varje värde som börjar med FYLL I är ett tomrum som ni fyller i med det som gäller för er.
# metodbok bygger inte webbplatsen så länge något av dem är kvar; `metodbok check .` visar
# vilka som återstår.
accessibility:
  # Den organisation som ansvarar för webbplatsen.
  organisation: {org_q}
  # Vad redogörelsen gäller. Utan den här raden används title ovan.
  # service: Metodhandboken
  # Hur väl webbplatsen uppfyller lagens krav: helt, delvis eller inte (förenlig).
  status: "FYLL I: helt, delvis eller inte"
  # Är status delvis eller inte måste ni räkna upp det som inte är tillgängligt och varför.
  # Byt då [] mot en lista, som i exemplet nedan:
  known_problems: []
  #  - problem: Filmerna saknar undertexter.
  #    reason: Filmerna publicerades innan kravet gällde och textas nu i tur och ordning.
  # Dagen då webbplatsen senast granskades, skriven ÅÅÅÅ-MM-DD.
  assessed: "FYLL I: ÅÅÅÅ-MM-DD"
  # Dagen då redogörelsen senast uppdaterades. Utan den här raden används assessed.
  # updated: ÅÅÅÅ-MM-DD
  # Hur webbplatsen granskades, till exempel egen bedömning eller granskning av en konsult.
  method: "FYLL I: hur webbplatsen granskades, t.ex. egen bedömning"
  # Hur läsarna meddelar brister i tillgängligheten. Minst ett sätt krävs. Lämnar ni e-post,
  # telefon och webbadress tomma här används de ur contact: ovan.
  feedback:
    # email: tillganglighet@example.se
    # phone: 010-000 00 00
    # url: https://www.example.se/kontakt
    # response_time: Vi svarar inom två arbetsdagar.
"##,
            title = q(&format!("Metod för utveckling i samverkan – {}", o.org)),
            org_q = q(&o.org),
            description = q(&format!("{org}s utgåva av handboken Metod för utveckling i samverkan.")),
            org_md = md_text(&o.org),
            intro = q(&format!("Här finns metoden med {org}s tillägg.")),
        ),
        Language::En => format!(
            r##"# The settings of {org}'s edition of the handbook. Lines starting with # are comments,
# which metodbok skips. Remove the # in front of a setting to use it, and keep the spaces at
# the start of the line: they show what belongs together. README.md explains the rest.

# The handbook's name, in the header and in every page title.
title: {title}

{base_entry}
# The site's language, the one its menus, buttons and headings are shown in: sv (Swedish) or
# en (English).
language: en

# One sentence about your edition, for the start page and search engines.
# description: {description}

# The address where the edition is published. Only sitemap.xml and the page shown for an
# address that does not exist (404) use it. All other links are relative, so the site works
# wherever it is put, and also when opened straight from disk.
# url: https://www.example.se/metod/

# Who publishes the edition: shown in the header, the footer, on your own pages and in the
# header of the document skeletons (Word, OpenDocument).
organisation:
  name: {org_q}
  # url: https://www.example.se/

# The logo in the header, on the site and on the document skeletons: an SVG or PNG file in
# the static/ folder, and what it shows (the text is read out to those who cannot see it).
# logo:
#   src: img/logo.svg
#   alt: {org_q}

# Your colours, written as #rrggbb. The header's white text is drawn on the primary colour,
# which is also the colour of links; the contrast must be at least 4.5:1. The accent colour
# draws focus outlines and borders and needs at least 3:1. A colour with too little contrast
# stops the build, and the error says how low it is.
# colours:
#   primary: "#1d4e89"
#   accent: "#b35900"

# Whom readers contact about the edition (shown in the footer).
# contact:
#   name: Digitaliseringsenheten
#   email: digitalisering@example.se
#   phone: 010-000 00 00
#   url: https://www.example.se/kontakt

# Extra text in the footer, in Markdown.
# footer: |
#   {org_md}'s edition of E-delegationen's guidance *Metod för Utveckling i Samverkan*.

# Interface texts: any key of the theme's i18n/en.yaml can be replaced here.
# strings:
#   start_intro: {intro}

# The accessibility statement (tillgänglighetsredogörelse). The Swedish law on accessibility
# to digital public services, lag (2018:1937) om tillgänglighet till digital offentlig
# service, requires one of every public sector site, and Digg's regulations (MDFFS 2019:2)
# say what it must contain: how far the site meets the requirements, which content is not
# accessible and why, how and when the site was assessed, and how readers report problems.
# metodbok adds the link to Digg's supervision itself, where readers can turn if they get no
# answer.
#
# Every value starting with FILL IN is a blank for you to fill in with what is true for you.
# metodbok does not build the site while one is left; `metodbok check .` lists those that
# remain.
accessibility:
  # The organisation responsible for the site.
  organisation: {org_q}
  # What the statement is about. Without this line the title above is used.
  # service: Metodhandboken
  # How far the site meets the law's requirements, in the statement's Swedish words: helt
  # (fully), delvis (partially) or inte (not compliant).
  status: "FILL IN: helt, delvis or inte"
  # When status is delvis or inte, you must list what is not accessible and why. Replace []
  # with a list then, as in the example below:
  known_problems: []
  #  - problem: The videos have no subtitles.
  #    reason: They were published before the requirement applied and are being subtitled.
  # The day the site was last assessed, written YYYY-MM-DD.
  assessed: "FILL IN: YYYY-MM-DD"
  # The day the statement was last updated. Without this line, assessed is used.
  # updated: YYYY-MM-DD
  # How the site was assessed, for example a self-assessment or a review by a consultant.
  method: "FILL IN: how the site was assessed, e.g. self-assessment"
  # How readers report problems with accessibility. At least one way is required. If you
  # leave e-mail, phone and web address out here, those of contact: above are used.
  feedback:
    # email: tillganglighet@example.se
    # phone: 010-000 00 00
    # url: https://www.example.se/kontakt
    # response_time: We answer within two working days.
"##,
            title = q(&format!("Metod för utveckling i samverkan – {}", o.org)),
            org_q = q(&o.org),
            description = q(&format!("{org}'s edition of the handbook Metod för utveckling i samverkan.")),
            org_md = md_text(&o.org),
            intro = q(&format!("The method, with {org}'s additions.")),
        ),
    }
}

/// The example page: what the copy is, in the site's language, to be rewritten by its
/// editors. Its id and file name are the same in both languages.
fn example_page(o: &Options, slug: &str) -> String {
    let org = one_line(&o.org);
    let org_md = md_text(&o.org);
    match o.language {
        Language::Sv => format!(
            r#"---
id: om-{slug}s-utgava
title: {title}
order: 100
description: {description}
related: ["@phases"]
---
Det här är {org_md}s utgåva av handboken [Metod för utveckling i samverkan](@home). Metodens
text är den nationella; det {org_md} lägger till är märkt som lokalt innehåll på varje sida.

Skriv här vad er utgåva innehåller utöver metoden, vem som ansvarar för den och vart man
vänder sig med frågor. Sidan finns i `content/pages/` och är skriven i Markdown.
"#,
            title = q(&format!("Om {org}s utgåva")),
            description = q(&format!("Vad {org} har lagt till i handboken.")),
        ),
        Language::En => format!(
            r#"---
id: om-{slug}s-utgava
title: {title}
order: 100
description: {description}
related: ["@phases"]
---
This is {org_md}'s edition of the handbook [Metod för utveckling i samverkan](@home). The
method's text is the national one; what {org_md} adds is marked as local content on every
page.

Write here what your edition holds beyond the method, who is responsible for it and whom to
ask about it. The page is in `content/pages/` and is written in Markdown.
"#,
            title = q(&format!("About {org}'s edition")),
            description = q(&format!("What {org} has added to the handbook.")),
        ),
    }
}

/// `content/overrides.yaml`: every entry commented out, with what it does.
fn overrides(language: Language) -> &'static str {
    match language {
        Language::Sv => {
            r#"# Lokala ändringar av den nationella texten som er utgåva bygger på. Allt här är frivilligt:
# ta bort # framför de rader ni vill använda. Varje post anger id:t för något i den nationella
# handboken och de fält ni vill ersätta; resten står kvar som i den nationella texten. På
# sidorna ser läsarna vilka fält som har ändrats lokalt. Finns ett id inte längre (efter en ny
# nationell utgåva) stoppas bygget med ett fel som pekar på raden i den här filen; ingenting
# försvinner i tysthet.
#
# phases:
#   - id: identifiera-behov
#     summary: |
#       Er egen sammanfattning av fasen.
# milestones:
#   - id: milstolpe-1
#     prepared_by: Digitaliseringsrådet
# areas, documents, roles, concepts, templates och faq fungerar på samma sätt. Skriver ni ett
# fält som inte går att ersätta, visar felet vilka fält som går.
#
# Det ni inte vill publicera: hela delar (`@faq/id`, `@page/id`, `@document/id`, `@area/id`
# och så vidare) eller enstaka punkter i en checklista (`@phase/id#aktivitet`). Det som döljs
# försvinner från alla sidor, från sökningen och från webbplatskartan.
# hide:
#   - "@page/version-1-1"
"#
        }
        Language::En => {
            r#"# Local changes to the national text this edition builds on. Everything here is optional:
# remove the # in front of the lines you want to use. An entry names the id of something in
# the national handbook and the fields to replace; the rest stays as the national text has it.
# Pages show readers which fields were changed locally. An id that no longer exists (after a
# new national edition) stops the build with an error pointing at the line in this file;
# nothing disappears silently.
#
# phases:
#   - id: identifiera-behov
#     summary: |
#       Your own summary of the phase.
# milestones:
#   - id: milstolpe-1
#     prepared_by: Digitaliseringsrådet
# areas, documents, roles, concepts, templates and faq work the same way. For a field that
# cannot be replaced, the error lists the fields that can.
#
# What you do not publish: whole items (`@faq/id`, `@page/id`, `@document/id`, `@area/id`
# and so on) or single checklist items (`@phase/id#activity`). Hidden items disappear from
# every page, the search and the sitemap.
# hide:
#   - "@page/version-1-1"
"#
        }
    }
}

/// `templates/README.md`: why the folder is empty and how to override one template.
fn templates_note(language: Language) -> &'static str {
    match language {
        Language::Sv => {
            r#"# Mallar

Mappen är tom med flit. Sidornas utseende kommer från standardtemat som är inbyggt i
metodbok, och från basens mapp `templates/` om den har en.

Vill ni ändra en mall kopierar ni den från temat (`themes/default/templates/` i metodboks
källkod) till den här mappen, med samma namn och under samma undermapp, till exempel
`partials/footer.html`, och ändrar i kopian. En fil här ersätter temats fil med samma
sökväg; allt annat fortsätter att komma från nya versioner av metodbok. Kopiera så lite som
möjligt: varje fil ni kopierar måste ni jämföra med temats när ni uppdaterar metodbok.

Bilder, stilmallar och andra filer läggs i `static/` på samma sätt (`static/img/logo.svg`
publiceras som `img/logo.svg`). Den här filen hör inte till temat.
"#
        }
        Language::En => {
            r#"# Templates

This folder is empty on purpose: the handbook's pages come from the default theme built
into metodbok, and from the base's `templates/` if it has one.

To change one template, copy it from the theme (`themes/default/templates/` in metodbok's
source code) into this folder under the same name, for example `partials/footer.html`, and
edit the copy. A file here replaces the theme's file of the same path; everything else keeps
coming from new versions of metodbok. Copy as little as you can: every copied file is one
you must compare with the theme's when you update metodbok.

Images, stylesheets and other files go in `static/` the same way (`static/img/logo.svg` is
published as `img/logo.svg`). This README is not part of the theme.
"#
        }
    }
}

/// `README.md`: what goes where, the four steps from starter to published site (brand, add,
/// preview, publish), a supplement's example, and how to take a new national edition. `page`
/// is the example page's path.
fn readme(o: &Options, base: &str, page: &str) -> String {
    let org = &one_line(&o.org);
    let shown = one_line(base);
    match o.language {
        Language::Sv => {
            let from = match &o.base {
                StarterBase::Edition(_) => format!("den nationella utgåvan `{shown}`, som är inbyggd i metodbok"),
                StarterBase::Folder(_) => format!("mappen `{shown}`"),
            };
            format!(
                r#"# {org}s utgåva av Metod för utveckling i samverkan

Den här mappen är {org}s egen utgåva av handboken *Metod för utveckling i samverkan*. Den
blir en webbplats med programmet metodbok. Själva metoden, den nationella texten, kommer
från {from} (raden `base:` i `metodbok.yaml`). Här finns bara det som är {org}s eget: ert
varumärke, era sidor, era tillägg och det ni ändrar i eller döljer av den nationella texten.

Allt skrivs i vanliga textfiler som ni kan öppna i vilken textredigerare som helst. Filer
som slutar på `.yaml` är inställningar: en rad som börjar med `#` är en kommentar, och ni
tar bort `#` för att använda raden. Behåll mellanslagen i början av raderna, de visar vad
som hör ihop. Filer som slutar på `.md` är text i Markdown.

| fil eller mapp | vad den innehåller |
|---|---|
| `metodbok.yaml` | namn, bas, logotyp, färger, kontakt, sidfot, texter i gränssnittet, tillgänglighetsredogörelse |
| `content/pages/` | era egna sidor |
| `content/supplements/` | tillägg: text och checklistpunkter som läggs till faser, milstolpar, områden och dokument |
| `content/checklists/` | egna checklistor, kopplade till en fas, milstolpe, ett område eller ett dokument |
| `content/overrides.yaml` | fält ni ersätter med egen text, och det ni döljer |
| `templates/`, `static/` | era ändringar av utseendet (se `templates/README.md`) |
| `base-review.yaml` | vilken nationell utgåva ni senast har gått igenom (se sist i den här filen) |

Kommandona nedan skriver ni i ett terminalfönster som står i den här mappen.

## 1. Varumärke

Öppna `metodbok.yaml` och gå igenom den uppifrån och ned; varje inställning förklaras där.

- `organisation:` – ert namn och er webbadress, i sidhuvudet, i sidfoten och på era egna sidor;
  namnet står också i sidhuvudet på dokumentmallarna.
- `logo:` – er logotyp, en SVG- eller PNG-fil som ni lägger i mappen `static/`. Den visas
  också i sidhuvudet på dokumentmallarna.
- `colours:` – era färger. metodbok kontrollerar att texten går att läsa mot dem och säger
  till om kontrasten är för låg.
- `contact:` – vart läsarna vänder sig med frågor om er utgåva.
- `footer:` – egen text i sidfoten.

## 2. Lägg till

- **Sidor:** en fil per sida i `content/pages/`. Sidan `{page}` finns redan som exempel:
  skriv om den så att den berättar vad er utgåva innehåller.
- **Tillägg:** er egen text och egna checklistpunkter på fasernas, milstolparnas, områdenas
  och dokumentens sidor, i `content/supplements/` (se exemplet nedan).
- **Checklistor:** egna checklistor i `content/checklists/`.
- **Ändra och dölja:** i `content/overrides.yaml` byter ni ut delar av den nationella texten
  mot er egen, eller döljer sidor och checklistpunkter som ni inte vill publicera. Filen
  förklarar hur.

Allt ni lägger till märks på sidorna som {org}s, så att läsarna ser vad som är nationellt och
vad som är ert.

### Exempel på ett tillägg

Ett tillägg lägger till text från en annan utgivare på metodens sidor, märkt med dess namn.
Skapa filen `content/supplements/<id>.yaml`:

```yaml
id: var-vagledning
name: Vår vägledning (2026)
publisher: {org_q}
additions:
  - id: forankra-i-ledningen          # ändra det inte senare: läsarnas webbläsare minns checklistan med det
    to: "@phase/identifiera-behov"    # en fas, milstolpe, ett område eller ett dokument
    title: Förankra i ledningen
    text: |
      Text i Markdown.
    items:
      - id: boka-mote
        text: Boka ett möte med kommunledningen.
```

En sida kan höra till ett tillägg: skriv `supplement: var-vagledning` i sidans inledning,
mellan raderna `---`.

## 3. Förhandsgranska

    metodbok serve .      # visar webbplatsen på http://127.0.0.1:1111 och uppdaterar den varje gång ni sparar
    metodbok check .      # går igenom allt och visar varje fel med fil, rad och kolumn

## 4. Publicera

Först måste tillgänglighetsredogörelsen vara ifylld: den sista delen av `metodbok.yaml`.
Lagen kräver den, och där står vad som ska med. Byt varje värde som börjar med `FYLL I` mot
det som gäller för er webbplats; metodbok bygger inte webbplatsen så länge något saknas.
Sedan:

    metodbok build .      # bygger webbplatsen i mappen public/

`public/` innehåller färdiga filer. Kopiera hela mappen till vilken webbserver som helst, var
som helst på den (till exempel https://www.example.se/metod/). Webbplatsen fungerar också när
den öppnas direkt från disken, utan webbserver.

## En ny nationell utgåva

När en ny utgåva av den nationella handboken kommer:

1. Byt bas. Bygger ni på en utgåva som är inbyggd i metodbok, ändrar ni raden `base:` i
   `metodbok.yaml`, till exempel från `metod-1.0` till den nyare utgåvan; `metodbok editions`
   visar vilka utgåvor som finns inbyggda. Bygger ni på en mapp, uppdaterar ni mappen i
   stället (med `git pull` om den är hämtad med git, annars genom att packa upp den nya
   utgåvan där).
2. Kör `metodbok check .`. Den visar som varningar varje nationell text som ert eget innehåll
   bygger på och som har ändrats: fält ni ersätter, sidor ni har tillägg på, checklistpunkter
   ni döljer och sidor ni länkar till. Varje varning visar er fil och rad, och vilka ord som
   har ändrats i den nationella texten.
3. Läs varningarna och justera er egen text där det behövs.
4. Kör `metodbok check . --accept-base`. Den antecknar i `base-review.yaml` att ni har gått
   igenom den nya utgåvan, så att samma varningar inte kommer igen. Spara den filen tillsammans
   med resten av mappen (använder ni git: checka in den).

Har något som ni hänvisar till försvunnit helt ur den nya utgåvan är det ett fel, inte en
varning: webbplatsen byggs inte förrän ni har ändrat eller tagit bort hänvisningen.
"#,
                org_q = q(&o.org),
            )
        }
        Language::En => {
            let from = match &o.base {
                StarterBase::Edition(_) => format!("the national edition `{shown}`, built into metodbok"),
                StarterBase::Folder(_) => format!("the folder `{shown}`"),
            };
            format!(
                r#"# {org}'s edition of Metod för utveckling i samverkan

This folder is {org}'s own edition of the handbook *Metod för utveckling i samverkan*. The
program metodbok makes it a website. The method itself, the national text, comes from
{from} (the `base:` line of `metodbok.yaml`). This folder holds only what is {org}'s own:
your brand, your pages, your supplements and what you change in or hide of the national text.

Everything is written in plain text files that any text editor opens. Files ending in
`.yaml` are settings: a line starting with `#` is a comment, and you remove the `#` to use
the line. Keep the spaces at the start of lines; they show what belongs together. Files
ending in `.md` are text in Markdown.

| file or folder | what it holds |
|---|---|
| `metodbok.yaml` | name, base, logo, colours, contact, footer, interface texts, accessibility statement |
| `content/pages/` | your own pages |
| `content/supplements/` | supplements: text and checklist items added to phases, milestones, areas and documents |
| `content/checklists/` | checklists of your own, attached to a phase, milestone, area or document |
| `content/overrides.yaml` | fields you replace with your own text, and what you hide |
| `templates/`, `static/` | your changes to the look (see `templates/README.md`) |
| `base-review.yaml` | which national edition you last reviewed (see the end of this file) |

Type the commands below in a terminal window opened in this folder.

## 1. Brand

Open `metodbok.yaml` and go through it from the top; every setting is explained there.

- `organisation:` – your name and web address, in the header, the footer and on your own pages;
  the name is also in the header of the document skeletons.
- `logo:` – your logo, an SVG or PNG file that you put in the `static/` folder. It is also
  shown in the header of the document skeletons.
- `colours:` – your colours. metodbok checks that text can be read against them and says
  so when the contrast is too low.
- `contact:` – whom readers contact about your edition.
- `footer:` – text of your own in the footer.

## 2. Add

- **Pages:** one file per page in `content/pages/`. The page `{page}` is there as an
  example: rewrite it to say what your edition holds.
- **Supplements:** your own text and checklist items on the pages of phases, milestones,
  areas and documents, in `content/supplements/` (see the example below).
- **Checklists:** checklists of your own in `content/checklists/`.
- **Change and hide:** in `content/overrides.yaml` you replace parts of the national text
  with your own, or hide pages and checklist items you do not want to publish. The file
  explains how.

Everything you add is marked on the pages as {org}'s, so readers see what is national and
what is yours.

### An example supplement

A supplement adds another publisher's text to the method's pages, marked with its name.
Create the file `content/supplements/<id>.yaml`:

```yaml
id: var-vagledning
name: Vår vägledning (2026)
publisher: {org_q}
additions:
  - id: forankra-i-ledningen          # do not change it later: readers' browsers remember the checklist by it
    to: "@phase/identifiera-behov"    # a phase, milestone, area or document
    title: Förankra i ledningen
    text: |
      Text in Markdown.
    items:
      - id: boka-mote
        text: Boka ett möte med kommunledningen.
```

A page can belong to a supplement: write `supplement: var-vagledning` in the page's front
matter, between the `---` lines.

## 3. Preview

    metodbok serve .      # shows the site at http://127.0.0.1:1111 and updates it every time you save
    metodbok check .      # goes through everything and shows every mistake with file, line and column

## 4. Publish

First the accessibility statement must be complete: the last part of `metodbok.yaml`. The
law requires it, and the file says what goes in it. Replace every value starting with
`FILL IN` with what is true of your site; metodbok does not build the site while anything is
missing. Then:

    metodbok build .      # builds the site into the folder public/

`public/` holds finished files. Copy the whole folder to any web server, under any path (for
example https://www.example.se/metod/). The site also works opened straight from disk,
without a web server.

## A new national edition

When a new edition of the national handbook comes out:

1. Change the base. If you build on an edition built into metodbok, change the `base:` line
   of `metodbok.yaml`, for example from `metod-1.0` to the newer edition; `metodbok editions`
   lists the editions built in. If you build on a folder, update the folder instead (with
   `git pull` if it was fetched with git, otherwise unpack the new edition there).
2. Run `metodbok check .`. It lists as warnings every national text your own content depends
   on that has changed: fields you replace, pages you supplement, checklist items you hide
   and pages you link to. Each warning shows your file and line, and which words of the
   national text changed.
3. Read the warnings and adjust your own text where needed.
4. Run `metodbok check . --accept-base`. It records in `base-review.yaml` that you have
   reviewed the new edition, so the same warnings do not come back. Keep that file with the
   rest of the folder (if you use git: commit it).

If something you refer to has vanished from the new edition altogether, that is an error,
not a warning: the site does not build until you have changed or removed the reference.
"#,
                org_q = q(&o.org),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes a starter for "Exempel kommun" in a fresh folder; returns the folder (kept while
    /// the guard lives) and every file written with its text.
    fn made(base: StarterBase, language: Language) -> (tempfile::TempDir, Vec<(PathBuf, String)>) {
        let tmp = tempfile::tempdir().unwrap();
        let o = Options { dir: tmp.path().join("kommun"), org: "Exempel kommun".into(), base, language };
        let files = create(&o).unwrap();
        let texts = files.into_iter().map(|f| (f.clone(), std::fs::read_to_string(o.dir.join(&f)).unwrap())).collect();
        (tmp, texts)
    }

    /// The text of the file `name` among `files`.
    fn text<'a>(files: &'a [(PathBuf, String)], name: &str) -> &'a str {
        &files.iter().find(|(f, _)| f == Path::new(name)).unwrap_or_else(|| panic!("{name} is written")).1
    }

    /// Whether `s` holds a date of the form 20YY-MM-DD.
    fn has_date(s: &str) -> bool {
        let digit = |b: u8| b.is_ascii_digit();
        s.as_bytes().windows(10).any(|w| {
            w.starts_with(b"20")
                && digit(w[2])
                && digit(w[3])
                && w[4] == b'-'
                && digit(w[5])
                && digit(w[6])
                && w[7] == b'-'
                && digit(w[8])
                && digit(w[9])
        })
    }

    /// Every key path of a YAML value (`accessibility.feedback`), sorted.
    fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        if let Some(map) = v.as_object() {
            for (k, v) in map {
                let path = format!("{prefix}{k}");
                key_paths(v, &format!("{path}."), out);
                out.push(path);
            }
        }
        out.sort();
    }

    /// The repository's own handbook, a folder base.
    fn national() -> StarterBase {
        StarterBase::Folder(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    }

    #[test]
    fn relative_paths_between_folders() {
        let tmp = std::env::temp_dir().join(format!("metodbok-rel-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("a/b")).unwrap();
        std::fs::create_dir_all(tmp.join("c")).unwrap();
        assert_eq!(relative_path(&tmp.join("a/b"), &tmp.join("c")), "../../c");
        assert_eq!(relative_path(&tmp.join("a"), &tmp.join("a/b")), "b");
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn the_configuration_is_yaml_in_the_sites_language_with_the_statement_left_blank() {
        let mut keys = Vec::new();
        for (language, code, blank) in [(Language::Sv, "sv", "FYLL I: "), (Language::En, "en", "FILL IN: ")] {
            let (_tmp, files) = made(StarterBase::Edition("metod-1.0".into()), language);
            let config = text(&files, "metodbok.yaml");
            let v: serde_json::Value = serde_saphyr::from_str(config).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(v["language"], code);
            assert_eq!(v["base"], "metod-1.0");
            assert!(config.contains("\nbase: \"metod-1.0\"\n"), "{config}");
            let a = &v["accessibility"];
            assert_eq!(a["organisation"], "Exempel kommun");
            for key in ["status", "assessed", "method"] {
                assert!(a[key].as_str().unwrap().starts_with(blank), "{code}: {key} is a blank: {}", a[key]);
                assert!(a[key].as_str().unwrap().starts_with(blank_marker(language)));
            }
            assert_eq!(a["known_problems"], serde_json::json!([]));
            assert!(a["feedback"].is_null(), "{code}: no feedback route is invented: {}", a["feedback"]);
            assert!(config.contains("2018:1937") && config.contains("MDFFS 2019:2"), "{code}");
            let mut paths = Vec::new();
            key_paths(&v, "", &mut paths);
            keys.push(paths);
        }
        assert_eq!(keys[0], keys[1], "both languages write the same keys");
        let (_tmp, sv) = made(national(), Language::Sv);
        assert!(text(&sv, "metodbok.yaml").contains("# Handbokens namn, i sidhuvudet och i varje sidas titel."));
        let (_tmp, en) = made(national(), Language::En);
        assert!(text(&en, "metodbok.yaml").contains("# The handbook's name, in the header and in every page title."));
    }

    #[test]
    fn the_configuration_is_valid_once_the_blanks_are_filled_in() {
        for language in [Language::Sv, Language::En] {
            let (tmp, files) = made(national(), language);
            let mut config = text(&files, "metodbok.yaml").to_string();
            let parse = |config: &str| {
                let file = crate::diagnostic::SourceFile {
                    display_path: crate::config::FILE_NAME.into(),
                    text: std::sync::Arc::from(config),
                };
                crate::yaml::parse::<crate::config::Config>(&file, config, 0)
                    .unwrap_or_else(|d| panic!("{language:?}: {d:?}\n{config}"))
            };
            // As written, so the copy can be previewed while the statement is written.
            parse(&config);
            let blank = blank_marker(language);
            let fill = |config: &mut String, key: &str, value: &str| {
                let at = config.find(&format!("  {key}: \"{blank}")).unwrap_or_else(|| panic!("{key} is blank"));
                let end = at + config[at..].find('\n').unwrap();
                config.replace_range(at..end, &format!("  {key}: {value}"));
            };
            fill(&mut config, "status", "helt");
            fill(&mut config, "assessed", "\"2026-11-30\"");
            fill(&mut config, "method", "Egen bedömning.");
            config = config.replacen("    # email: ", "    email: ", 1);
            assert!(!config.lines().any(|l| !l.trim_start().starts_with('#') && l.contains(blank)), "{config}");
            let parsed = parse(&config);
            assert_eq!(parsed.language, language);
            let national = relative_path(&tmp.path().join("kommun"), env!("CARGO_MANIFEST_DIR").as_ref());
            assert_eq!(parsed.base.unwrap().value, national);
        }
    }

    #[test]
    fn no_file_holds_a_date() {
        for base in [StarterBase::Edition("metod-1.0".into()), national()] {
            for language in [Language::Sv, Language::En] {
                let (_tmp, files) = made(base.clone(), language);
                assert!(files.iter().any(|(f, _)| f == Path::new("base-review.yaml")));
                assert!(files.iter().any(|(f, t)| f == Path::new(".gitignore") && t == "/public/\n"));
                for (f, t) in &files {
                    assert!(!has_date(t), "{language:?}: {} holds a date:\n{t}", f.display());
                }
            }
        }
        assert!(has_date("assessed: \"2026-11-30\"") && !has_date("ÅÅÅÅ-MM-DD 010-000 00 00"));
    }

    #[test]
    fn the_readme_says_how_to_preview_publish_and_take_a_new_edition() {
        for (language, steps) in [
            (Language::Sv, ["## 1. Varumärke", "## 2. Lägg till", "## 3. Förhandsgranska", "## 4. Publicera"]),
            (Language::En, ["## 1. Brand", "## 2. Add", "## 3. Preview", "## 4. Publish"]),
        ] {
            let (_tmp, files) = made(StarterBase::Edition("metod-1.0".into()), language);
            let readme = text(&files, "README.md");
            for needle in steps.iter().copied().chain([
                "metodbok serve .",
                "metodbok check .",
                "metodbok build .",
                "metodbok editions",
                "metodbok check . --accept-base",
                "base-review.yaml",
                "`metod-1.0`",
                blank_marker(language),
                "content/pages/om-exempel-kommuns-utgava.md",
                "publisher: \"Exempel kommun\"",
            ]) {
                assert!(readme.contains(needle), "{language:?}: the README mentions {needle:?}");
            }
        }
        let (_tmp, sv) = made(national(), Language::Sv);
        assert!(text(&sv, "content/overrides.yaml").contains("# hide:\n#   - \"@page/version-1-1\""));
        assert!(text(&sv, "templates/README.md").starts_with("# Mallar"));
        let page = text(&sv, "content/pages/om-exempel-kommuns-utgava.md");
        assert!(page.contains("title: \"Om Exempel kommuns utgåva\""), "{page}");
        let (_tmp, en) = made(national(), Language::En);
        let page = text(&en, "content/pages/om-exempel-kommuns-utgava.md");
        assert!(page.contains("title: \"About Exempel kommun's edition\""), "{page}");
    }

    #[test]
    fn a_folder_base_must_be_a_site_and_an_edition_is_written_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let o = |dir: &str, base: StarterBase| Options {
            dir: tmp.path().join(dir),
            org: "K".into(),
            base,
            language: Language::Sv,
        };
        let not_a_site = StarterBase::Folder(tmp.path().join("tom"));
        assert!(matches!(create(&o("a", not_a_site)), Err(NewError::BadBase(_))));
        assert!(!tmp.path().join("a").exists(), "nothing is written for a bad base");
        create(&o("b", StarterBase::Edition("metod-1.0".into()))).unwrap();
        assert!(
            std::fs::read_to_string(tmp.path().join("b/metodbok.yaml")).unwrap().contains("\nbase: \"metod-1.0\"\n")
        );
        std::fs::create_dir_all(tmp.path().join("national/content")).unwrap();
        create(&o("c", StarterBase::Folder(tmp.path().join("national")))).unwrap();
        assert!(
            std::fs::read_to_string(tmp.path().join("c/metodbok.yaml")).unwrap().contains("\nbase: \"../national\"\n")
        );
        assert!(matches!(create(&o("c", national())), Err(NewError::NotEmpty(_))));
        assert!(matches!(create(&Options { org: " \n".into(), ..o("d", national()) }), Err(NewError::NoName)));
    }
}
