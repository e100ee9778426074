//! The pages around the method's structure: the start page, free pages written in Markdown
//! (with their `@list` blocks), the reading guide, the questions and answers, a
//! supplement's own page, and the accessibility statement.

use serde_json::{Value, json};

use super::page::{Built, PageBuilder, link_title};
use crate::config::Compliance;
use crate::content::kind::{Kind, parse_entity_ref};
use crate::content::model::{Markdown, Page, RoleKind, Source};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, WrittenAt};
use crate::paths::ListPage;

/// The reading guide: who should read what.
pub(super) fn reading_guide(p: &mut PageBuilder) -> Built {
    let site = p.site;
    let g = site.content.reading_guide.as_ref().expect("the page is only made when there is a guide");
    let intro = p.opt_md(&g.intro);
    let parts = p.opt_md(&g.parts);
    let entries: Vec<Value> = g
        .entries
        .iter()
        .map(|e| {
            let links: Vec<Value> = e
                .links
                .iter()
                .filter_map(|l| site.index.resolve(&l.value).ok().map(|t| (l, t)))
                .map(|(l, t)| json!({ "title": link_title(p, &l.value, &t.title), "url": format!("{}{}", p.root, t.url) }))
                .collect();
            json!({ "id": e.id.value, "audience": e.audience, "read": e.read, "links": links })
        })
        .collect();
    let has_links = g.entries.iter().any(|e| !e.links.is_empty());
    let data = json!({ "guide": { "intro_html": intro, "parts_html": parts, "entries": entries, "has_links": has_links, "source_ref": g.source_ref } });
    Built::new("reading-guide.html", p.t("reading_guide"), data)
}

/// The questions and answers.
pub(super) fn faq(p: &mut PageBuilder) -> Built {
    let items: Vec<Value> = p
        .site
        .content
        .faq
        .iter()
        .map(|f| {
            let id = p.id(&f.id.value);
            let answer = p.md(&f.answer);
            json!({ "id": id, "question": f.question, "answer_html": answer, "derived": f.source == Source::Derived, "cites": f.cites })
        })
        .collect();
    Built::new("faq.html", p.t("faq"), json!({ "questions": items }))
}

/// A free page: its Markdown body with `@list` blocks, a contents list, related links.
pub(super) fn page(p: &mut PageBuilder, i: usize) -> Built {
    let site = p.site;
    let pg = &site.content.pages[i];
    let (blocks, headings) = page_blocks(p, pg);
    let related: Vec<Value> = pg
        .meta
        .related
        .iter()
        .filter_map(|l| site.index.resolve(&l.value).ok().map(|t| (l, t)))
        .map(|(l, t)| json!({ "title": link_title(p, &l.value, &t.title), "url": format!("{}{}", p.root, t.url) }))
        .collect();
    let toc: Vec<_> = headings.into_iter().filter(|h| h.level == 2).collect();
    let data = json!({ "content": {
        "id": pg.meta.id.value, "section": pg.meta.section, "blocks": blocks, "toc": toc,
        "derived": pg.meta.source == Source::Derived, "source_ref": pg.meta.source_ref,
        "description": pg.meta.description, "related": related,
    }});
    Built::new("page.html", pg.meta.title.clone(), data)
}

/// The start page.
pub(super) fn home(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let method = c.method.as_ref();
    let summary = method.and_then(|m| m.summary.as_ref().map(|s| p.md(s)));
    let edition_note = method.and_then(|m| m.edition_note.as_ref().map(|s| p.md(s)));
    let steps = super::method::steps(p, false);
    let mut sections = vec![
        p.section(ListPage::Phases),
        p.section(ListPage::Areas),
        p.section(ListPage::Documents),
        p.section(ListPage::Templates),
        p.section(ListPage::Glossary),
    ];
    if c.reading_guide.is_some() {
        sections.push(p.section(ListPage::ReadingGuide));
    }
    if !c.faq.is_empty() {
        sections.push(p.section(ListPage::Faq));
    }
    let page_link = |pg: &Page| {
        let mut l = p.link(Kind::Page, &pg.meta.id.value);
        l["section"] = json!(pg.meta.section);
        l["description"] = json!(pg.meta.description);
        l
    };
    // The method's pages, and apart from them what the site adds: its own pages and supplements.
    let added = |pg: &&Page| pg.meta.supplement.is_some() || c.is_local(pg.file);
    let pages: Vec<Value> = c.pages.iter().filter(|pg| !added(pg)).map(page_link).collect();
    let local_pages: Vec<Value> = c.pages.iter().filter(added).map(page_link).collect();
    let supplements: Vec<Value> = c
        .supplements
        .iter()
        .map(|s| {
            let mut l = p.link(Kind::Supplement, &s.id.value);
            l["publisher"] = json!(s.publisher);
            l
        })
        .collect();
    let data = json!({
        "local_pages": local_pages,
        "supplements": supplements,
        "summary_html": summary,
        "summary_source": method.and_then(|m| m.summary_source.clone()),
        "edition_note_html": edition_note,
        "steps": steps,
        "sections": sections,
        "pages": pages,
    });
    Built::new("index.html", p.site.config.title.clone(), data)
}

/// The lists a page body can include with a line `@list <kind>`.
pub const PAGE_LISTS: &[&str] =
    &["phases", "milestones", "areas", "key-roles", "decision-makers", "concepts", "documents", "templates"];

/// A page body as blocks: Markdown rendered to HTML, and the lists its `@list <kind>` lines
/// ask for (the method's entities with their summaries, from the content, not copied).
fn page_blocks(p: &mut PageBuilder, pg: &Page) -> (Vec<Value>, Vec<markdown::HeadingInfo>) {
    let c = p.site.content;
    let file = &c.files[pg.file];
    let mut blocks = Vec::new();
    let mut headings = Vec::new();
    let mut segment = String::new();
    let mut segment_line = pg.body_line;
    let flush = |p: &mut PageBuilder,
                 text: &str,
                 line: usize,
                 blocks: &mut Vec<Value>,
                 headings: &mut Vec<markdown::HeadingInfo>| {
        if text.trim().is_empty() {
            return;
        }
        let origin = WrittenAt { file, line, column: 1, exact: true };
        let mut r = p.render_at(text, origin);
        headings.extend(std::mem::take(&mut r.headings));
        let html = p.take(r);
        blocks.push(json!({ "html": html }));
    };
    for (n, line) in pg.body.split_inclusive('\n').enumerate() {
        let Some(kind) = line.trim_end().strip_prefix("@list ") else {
            segment.push_str(line);
            continue;
        };
        flush(p, &segment, segment_line, &mut blocks, &mut headings);
        segment.clear();
        segment_line = pg.body_line + n + 1;
        let kind = kind.trim();
        match entity_list(p, kind) {
            Some(items) => blocks.push(json!({ "list": items })),
            None => {
                let mut d = Diagnostic::at(file, pg.body_line + n, 7, format!("unknown list `{kind}`"))
                    .with_length(kind.chars().count());
                d = d.with_help(match crate::diagnostic::closest(kind, PAGE_LISTS.iter().copied()) {
                    Some(best) => format!("did you mean `@list {best}`?"),
                    None => format!("lists: {}", PAGE_LISTS.join(", ")),
                });
                p.diagnostics.push(d);
            }
        }
    }
    flush(p, &segment, segment_line, &mut blocks, &mut headings);
    (blocks, headings)
}

/// The entities of `kind` as `{title, url, text_html}` for a page's `@list`.
fn entity_list(p: &mut PageBuilder, kind: &str) -> Option<Vec<Value>> {
    let c = p.site.content;
    let item = |p: &mut PageBuilder, k: Kind, id: &str, text: Option<&Markdown>| {
        let mut l = p.link(k, id);
        l["text_html"] = json!(text.map(|t| p.md_inline(t)));
        l
    };

    let roles = |p: &mut PageBuilder, want: RoleKind| -> Vec<Value> {
        c.roles
            .iter()
            .filter(|r| r.kind == want)
            .map(|r| item(p, Kind::Role, &r.id.value, r.definition.as_ref()))
            .collect()
    };
    Some(match kind {
        "phases" => c.phases.iter().map(|x| item(p, Kind::Phase, &x.id.value, x.summary.as_ref())).collect(),
        "milestones" => {
            c.milestones.iter().map(|x| item(p, Kind::Milestone, &x.id.value, x.summary.as_ref())).collect()
        }
        "areas" => c.areas.iter().map(|x| item(p, Kind::Area, &x.id.value, Some(&x.purpose))).collect(),
        "key-roles" => roles(p, RoleKind::KeyRole),
        "decision-makers" => roles(p, RoleKind::DecisionMaker),
        "concepts" => c.concepts.iter().map(|x| item(p, Kind::Concept, &x.id.value, Some(&x.definition))).collect(),
        "documents" => c.documents.iter().map(|x| item(p, Kind::Document, &x.id.value, Some(&x.purpose))).collect(),
        "templates" => c.templates.iter().map(|x| item(p, Kind::Template, &x.id.value, Some(&x.purpose))).collect(),
        _ => return None,
    })
}

/// A supplement's own page: what it is, the editors' note, and where its additions are.
pub(super) fn supplement(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let s = &c.supplements[i];
    let about = p.opt_md(&s.about);
    let note = p.opt_md(&s.note);
    // Additions grouped by what they are attached to, in the order of the supplement.
    let mut groups: Vec<(String, Value, Vec<Value>)> = Vec::new();
    for a in &s.additions {
        let target = a.to.value.split('#').next().unwrap_or_default().to_string();
        let Some((kind, id)) = parse_entity_ref(&target) else { continue };
        let link = p.link(kind, &id);
        let url = format!("{}#{}", link["url"].as_str().unwrap_or_default(), a.id.value);
        let title = match &a.title {
            Some(_) => crate::links::addition_title(s, a),
            None => p.t("supplement_intro_entry"),
        };
        let entry = json!({ "title": title, "url": url, "items": a.items.len() });
        match groups.iter_mut().find(|g| g.0 == target) {
            Some(g) => g.2.push(entry),
            None => groups.push((target, link, vec![entry])),
        }
    }
    let pages: Vec<Value> = c
        .pages
        .iter()
        .filter(|pg| pg.meta.supplement.as_ref().is_some_and(|x| x.value == s.id.value))
        .map(|pg| p.link(Kind::Page, &pg.meta.id.value))
        .collect();
    let data = json!({ "supplement": {
        "id": s.id.value, "name": s.name, "publisher": s.publisher, "date": s.date, "source_ref": s.source_ref,
        "about_html": about, "note_html": note, "pages": pages,
        "groups": groups.into_iter().map(|(_, link, entries)| json!({ "link": link, "additions": entries })).collect::<Vec<_>>(),
    }});
    Built::new("supplement.html", s.name.clone(), data)
}

/// The accessibility statement. Its text is handed to the template as written: the
/// template escapes it, once.
pub(super) fn accessibility(p: &mut PageBuilder) -> Built {
    let cfg = p.site.config;
    let a = &cfg.accessibility;
    let org = a
        .organisation
        .clone()
        .or_else(|| cfg.organisation.as_ref().map(|o| o.name.clone()))
        .unwrap_or_else(|| cfg.title.clone());
    let service = a.service.clone().unwrap_or_else(|| cfg.title.clone());
    let intro = p.t("a11y_intro").replace("{org}", &org).replace("{service}", &service);
    let status_key = match a.status {
        Compliance::Helt => "a11y_status_helt",
        Compliance::Delvis => "a11y_status_delvis",
        Compliance::Inte => "a11y_status_inte",
    };
    let data = json!({ "statement": {
        "organisation": org, "service": service, "intro": intro, "status": p.t(status_key),
        "known_problems": a.known_problems, "assessed": a.assessed,
        "updated": a.updated.clone().unwrap_or_else(|| a.assessed.clone()), "method": a.method, "feedback": a.feedback,
    }});
    let title = format!("{} {}", p.t("a11y_title"), cfg.title);
    Built::new("accessibility.html", title, data)
}
