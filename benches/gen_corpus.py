#!/usr/bin/env python3
"""Generate equivalent Zola, mdBook, Hugo and metodbok benchmark sites with Swedish
handbook-like content.

Copied from ../shared/bench/gen_bench.py and changed only in metodbok's configuration: it states
its known accessibility problems (a `delvis` statement without them is refused since the
statement check) and turns the whole-handbook PDF off (`pdf: false`), because none of the
other generators typesets one; `benches/scale.py` times the PDF on its own.

usage: gen_bench.py OUTDIR SECTIONS PAGES_PER_SECTION
Creates OUTDIR/zola, OUTDIR/zola-menu, OUTDIR/mdbook, OUTDIR/hugo and OUTDIR/metodbok.
Markdown bodies are byte-identical apart from internal link syntax (Zola `@/x.md`, mdBook
relative `x.md`, Hugo `/section/x.md` resolved by its embedded link render hook, metodbok
`@page/id`), the front matter (TOML, or YAML for metodbok) and, for metodbok only, the
leading `# title` line (metodbok renders the title from the front matter and rejects an h1
in the body). Every page links to the next page of its section and to the section page;
the section page lists its pages (Zola/Hugo templates; in metodbok's Markdown, since free
pages have no sections); prev/next within the section is in the page template (Zola/Hugo),
mdBook's own navigation, and metodbok's `related:` list ("Se även").
"""
import json
import os
import random
import shutil
import sys

WORDS = (
    "myndighet samordning ansvar uppföljning beslut styrgrupp handläggare förvaltning etapp "
    "milstolpe kravställning upphandling tillgänglighet informationssäkerhet dokumentation "
    "verksamhet medborgare kommun region samverkan avtal leverans granskning godkännande "
    "riskanalys projektplan tidplan budget resurser kompetens arbetsgrupp remiss underlag "
    "rapport utvärdering införande åtgärd förändring målbild nyttohemtagning kvalitet "
    "personuppgifter dataskydd arkivering diarieföring offentlighet sekretess delegation "
    "mandat rollfördelning beställare mottagare leverantör förvaltningsobjekt överlämning "
    "kommunikation intressenter förankring tjänst process rutin mall checklista anvisning "
    "riktlinje föreskrift lagkrav förordning regelverk styrning ledning prioritering "
    "omvärldsanalys behovsanalys förstudie genomförande avslut lärdomar erfarenheter "
    "användare utbildning stöd vägledning handbok kapitel avsnitt bilaga sammanställning "
    "överenskommelse återrapportering tertial årsredovisning verksamhetsplan internkontroll "
    "uppdrag direktiv inriktning alternativ konsekvenser bedömning förslag yttrande protokoll"
).split()
FUNC = "och att för med som på av till är ska kan inom under efter vid från enligt samt även".split()
ROLES = ["Projektägare", "Projektledare", "Styrgrupp", "Förvaltningsledare", "Informationssäkerhetssamordnare",
         "Dataskyddsombud", "Arkivarie", "Tillgänglighetsexpert", "Verksamhetsutvecklare", "Jurist"]
SECTION_KINDS = ["Fas", "Samordningsområde", "Roller", "Dokumentmallar", "Vanliga frågor"]


def sentence(r, lo=8, hi=16):
    n = r.randint(lo, hi)
    ws = []
    for i in range(n):
        ws.append(r.choice(FUNC) if i % 3 == 1 else r.choice(WORDS))
    s = " ".join(ws)
    return s[0].upper() + s[1:] + "."


def para(r, n=None):
    return " ".join(sentence(r) for _ in range(n or r.randint(3, 4)))


def title(r, k=3):
    s = " ".join(r.choice(WORDS) for _ in range(k))
    return s[0].upper() + s[1:]


def page_body(r, t, link_next, link_section, gidx):
    out = [f"# {t}", "", para(r), "", "## Syfte och omfattning", "", para(r), "",
           "## Checklista", ""]
    for i in range(6):
        box = "x" if i < 2 else " "
        out.append(f"- [{box}] {sentence(r, 5, 9)}")
    out += ["", "## Roller och ansvar", "", "| Roll | Ansvar |", "|------|--------|"]
    for role in r.sample(ROLES, 3):
        out.append(f"| {role} | {sentence(r, 5, 8)} |")
    out += ["", "## Vanliga frågor", "",
            f"**{sentence(r, 5, 8)[:-1]}?** {sentence(r)}", "",
            f"**{sentence(r, 5, 8)[:-1]}?** {sentence(r)}", ""]
    if gidx % 5 == 0:
        out += ["## Rubrikmall", "", "```yaml", "dokument:", f"  titel: \"{title(r)}\"",
                "  version: 1.0", "  rubriker:", "    - Bakgrund", "    - Syfte", "    - Genomförande",
                "    - Uppföljning", "```", ""]
    out += [f"Se även [nästa steg]({link_next}) och [översikten]({link_section}).", ""]
    return "\n".join(out)


ZOLA_BASE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path='style.css') }}">
</head>
<body>
<a class="skip" href="#main">Hoppa till huvudinnehållet</a>
<header><a href="{{ get_url(path='/') }}">{{ config.title }}</a>
<form role="search" onsubmit="return false"><label for="sok">Sök</label> <input id="sok" type="search" autocomplete="off"></form>
<div id="sokresultat" aria-live="polite"></div>
</header>
{% set root = get_section(path="_index.md", metadata_only=true) %}
<nav aria-label="Huvudavsnitt"><ul>
{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>
{% endfor %}</ul></nav>
<main id="main">{% block content %}{% endblock content %}</main>
<script>window.SITE_ROOT = "{{ config.base_url | safe }}/";</script>
<script src="{{ get_url(path='search.js') }}" defer></script>
</body>
</html>
"""

ZOLA_INDEX = """{% extends "base.html" %}
{% block content %}{{ section.content | safe }}{% endblock content %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }} – {{ config.title }}{% endblock title %}
{% block content %}{{ section.content | safe }}
<h2>Sidor i avsnittet</h2>
<ol>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{% endfor %}</ol>{% endblock content %}
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} – {{ config.title }}{% endblock title %}
{% block content %}{{ page.content | safe }}
<nav aria-label="Föregående och nästa sida" class="pn">
{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink | safe }}">← {{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.permalink | safe }}">{{ page.higher.title }} →</a>{% endif %}
</nav>{% endblock content %}
"""

ZOLA_CSS = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:0 1rem;line-height:1.5}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem}
nav ul{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
table{border-collapse:collapse}td,th{border:1px solid #888;padding:.25rem .5rem}
.pn{display:flex;justify-content:space-between;margin:2rem 0}
"""

ZOLA_SEARCH_JS = """(function () {
  // Lazy-loads elasticlunr + index on first focus. NB: a Swedish index (trimmer-sv etc.)
  // additionally needs lunr.stemmer.support.js + lunr.sv.js from lunr-languages in the browser.
  var input = document.getElementById('sok'), out = document.getElementById('sokresultat');
  var idx = null, loading = false;
  function add(src, cb) { var s = document.createElement('script'); s.src = src; s.onload = cb; document.head.appendChild(s); }
  function load() {
    if (idx || loading) return; loading = true;
    add(window.SITE_ROOT + 'elasticlunr.min.js', function () {
      add(window.SITE_ROOT + 'search_index.sv.js', function () {
        try { idx = elasticlunr.Index.load(window.searchIndex); } catch (e) { out.textContent = String(e); }
      });
    });
  }
  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    if (!idx) return;
    var res = idx.search(input.value, { bool: 'AND', expand: true }).slice(0, 10);
    out.innerHTML = res.map(function (r) { var d = idx.documentStore.getDoc(r.ref);
      return '<a href="' + r.ref + '">' + (d && d.title || r.ref) + '</a>'; }).join('<br>');
  });
})();
"""


HUGO_CONFIG = """baseURL = "https://handbok.example.se/"
title = "Handbok för digital samverkan"
locale = "sv"
defaultContentLanguage = "sv"
disableKinds = ["taxonomy", "term", "rss"]

[markup.goldmark.renderHooks.link]
useEmbedded = "fallback"
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">Hoppa till huvudinnehållet</a>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<nav aria-label="Huvudavsnitt"><ul>
{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></nav>
<main id="main">{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_HOME = """{{ define "main" }}{{ .Content }}{{ end }}
"""

HUGO_SECTION = """{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}{{ .Content }}
<h2>Sidor i avsnittet</h2>
<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol>{{ end }}
"""

HUGO_PAGE = """{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}{{ .Content }}
<nav aria-label="Föregående och nästa sida" class="pn">
{{ $p := .CurrentSection.Pages }}{{ with $p.Next . }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
{{ with $p.Prev . }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}
</nav>{{ end }}
"""

METODBOK_CONFIG = """title: Handbok för digital samverkan
language: sv
description: En genererad handbok för att mäta byggtider.
accessibility:
  status: delvis
  assessed: "2026-01-01"
  method: Egen bedömning.
  known_problems:
    - problem: Handboken är genererad för att mäta byggtider och har inte granskats.
      reason: Den är inte avsedd att publiceras.
  feedback:
    email: handbok@example.se
pdf: false
"""


def yq(text):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def strip_h1(body):
    """The body without its leading `# title` line and the blank line after it."""
    assert body.startswith("# ")
    return body.split("\n", 2)[2]


def main():
    outdir, nsec, nper = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(20260701)
    zroot, mroot = os.path.join(outdir, "zola"), os.path.join(outdir, "mdbook")
    hroot, kroot = os.path.join(outdir, "hugo"), os.path.join(outdir, "metodbok")
    for d in (zroot, mroot, hroot, kroot):
        if os.path.exists(d):
            shutil.rmtree(d)
    zc, ms = os.path.join(zroot, "content"), os.path.join(mroot, "src")
    hc, kc = os.path.join(hroot, "content"), os.path.join(kroot, "content")
    os.makedirs(zc)
    os.makedirs(ms)
    os.makedirs(os.path.join(zroot, "templates"))
    os.makedirs(os.path.join(zroot, "static"))

    def w(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    # --- config / templates
    w(os.path.join(zroot, "zola.toml"), """base_url = "https://handbok.example.se"
title = "Handbok för digital samverkan"
default_language = "sv"
build_search_index = true
compile_sass = false
generate_feeds = false

[markdown.highlighting]
theme = "github-light"

[search]
index_format = "elasticlunr_javascript"
""")
    w(os.path.join(zroot, "templates", "base.html"), ZOLA_BASE)
    w(os.path.join(zroot, "templates", "index.html"), ZOLA_INDEX)
    w(os.path.join(zroot, "templates", "section.html"), ZOLA_SECTION)
    w(os.path.join(zroot, "templates", "page.html"), ZOLA_PAGE)
    w(os.path.join(zroot, "static", "style.css"), ZOLA_CSS)
    w(os.path.join(zroot, "static", "search.js"), ZOLA_SEARCH_JS)
    w(os.path.join(mroot, "book.toml"), """[book]
title = "Handbok för digital samverkan"
language = "sv"
src = "src"

[output.html]
site-url = "/"

[output.html.search]
enable = true
""")
    # Hugo: same minimal layout as Zola's (nav of sections, section list, prev/next), no search.
    w(os.path.join(hroot, "hugo.toml"), HUGO_CONFIG)
    w(os.path.join(hroot, "layouts", "baseof.html"), HUGO_BASEOF)
    w(os.path.join(hroot, "layouts", "home.html"), HUGO_HOME)
    w(os.path.join(hroot, "layouts", "section.html"), HUGO_SECTION)
    w(os.path.join(hroot, "layouts", "page.html"), HUGO_PAGE)
    w(os.path.join(hroot, "static", "style.css"), ZOLA_CSS)
    # metodbok: the minimum site (configuration, method.yaml, free pages), default theme.
    w(os.path.join(kroot, "metodbok.yaml"), METODBOK_CONFIG)

    intro_text = para(r, 4)
    intro = "# Handbok för digital samverkan\n\n" + intro_text + "\n"
    w(os.path.join(zc, "_index.md"), '+++\ntitle = "Start"\nsort_by = "weight"\n+++\n' + intro)
    w(os.path.join(ms, "index.md"), intro)
    w(os.path.join(hc, "_index.md"), '+++\ntitle = "Start"\n+++\n' + intro)
    w(os.path.join(kc, "method.yaml"),
      f'name: Handbok för digital samverkan\nversion: "1.0"\nsummary: {yq(intro_text)}\n')
    summary = ["# Summary", "", "[Start](index.md)", ""]
    gidx = 0
    menu = []
    for si in range(1, nsec + 1):
        sdir = f"avsnitt-{si:02d}"
        kind = SECTION_KINDS[(si - 1) % len(SECTION_KINDS)]
        stitle = f"{kind} {si}: {title(r, 2)}"
        sbody = f"# {stitle}\n\n{para(r, 4)}\n"
        w(os.path.join(zc, sdir, "_index.md"),
          f'+++\ntitle = "{stitle}"\nsort_by = "weight"\nweight = {si}\n+++\n' + sbody)
        w(os.path.join(hc, sdir, "_index.md"), f'+++\ntitle = "{stitle}"\nweight = {si}\n+++\n' + sbody)
        w(os.path.join(ms, sdir, "index.md"), sbody)
        summary.append(f"- [{stitle}]({sdir}/index.md)")
        menu.append((f"https://handbok.example.se/{sdir}/", stitle))
        klist = []
        for pi in range(1, nper + 1):
            gidx += 1
            pname = f"sida-{pi:03d}.md"
            nxt = f"sida-{pi + 1:03d}.md" if pi < nper else "sida-001.md"
            ptitle = f"{pi}. {title(r)}"
            zbody = page_body(random.Random(gidx), ptitle, f"@/{sdir}/{nxt}", f"@/{sdir}/_index.md", gidx)
            mbody = page_body(random.Random(gidx), ptitle, nxt, "index.md", gidx)
            hbody = page_body(random.Random(gidx), ptitle, f"/{sdir}/{nxt}", f"/{sdir}/_index.md", gidx)
            kid = f"{sdir}-{pname[:-3]}"
            kbody = strip_h1(page_body(random.Random(gidx), ptitle, f"@page/{sdir}-{nxt[:-3]}",
                                       f"@page/{sdir}", gidx))
            w(os.path.join(zc, sdir, pname), f'+++\ntitle = "{ptitle}"\nweight = {pi}\n+++\n' + zbody)
            w(os.path.join(hc, sdir, pname), f'+++\ntitle = "{ptitle}"\nweight = {pi}\n+++\n' + hbody)
            w(os.path.join(ms, sdir, pname), mbody)
            related = [f"@page/{sdir}-sida-{q:03d}" for q in (pi - 1, pi + 1) if 1 <= q <= nper]
            w(os.path.join(kc, "pages", sdir, pname),
              f"---\nid: {kid}\ntitle: {yq(ptitle)}\nsection: {yq(stitle)}\norder: {si * 1000 + pi}\n"
              f"related: {json.dumps(related)}\n---\n" + kbody)
            summary.append(f"  - [{ptitle}]({sdir}/{pname})")
            klist.append(f"1. [{ptitle}](@page/{kid})")
        # metodbok has no sections for free pages: the section page lists its pages itself.
        w(os.path.join(kc, "pages", sdir, "index.md"),
          f"---\nid: {sdir}\ntitle: {yq(stitle)}\norder: {si * 1000}\n---\n" + strip_h1(sbody)
          + "\n## Sidor i avsnittet\n\n" + "\n".join(klist) + "\n")
    w(os.path.join(ms, "SUMMARY.md"), "\n".join(summary) + "\n")
    # Variant: identical output, but the top nav comes from config.extra instead of
    # one get_section() call per section per rendered page.
    zmenu = os.path.join(outdir, "zola-menu")
    if os.path.exists(zmenu):
        shutil.rmtree(zmenu)
    shutil.copytree(zroot, zmenu)
    base = ZOLA_BASE
    a = base.index("{% set root")
    b = base.index("</ul></nav>")
    base = (base[:a] + '<nav aria-label="Huvudavsnitt"><ul>\n{% for m in config.extra.menu %}'
            '<li><a href="{{ m.url | safe }}">{{ m.title }}</a></li>\n{% endfor %}' + base[b:])
    w(os.path.join(zmenu, "templates", "base.html"), base)
    with open(os.path.join(zmenu, "zola.toml"), "a", encoding="utf-8") as f:
        f.write("\n[extra]\nmenu = [\n")
        for url, t in menu:
            f.write(f'  {{ url = "{url}", title = "{t}" }},\n')
        f.write("]\n")
    print(f"generated {nsec} sections x {nper} pages = {nsec * nper} pages in {outdir}")


if __name__ == "__main__":
    main()
