// The search quality table: queries as civil servants type them, and what a reader expects
// to find, over the bundled handbook (`handbook`) and the example municipal copy (`example`).
// Used by the browser test (search.test.mjs), which requires every row, and by
// `npm run bench:search-quality`, which reports recall at 1 and at 5 for any binary.
//
// A row with `want` expects that section (path, with its anchor when it is a section) among
// the first `rank` results; `label` the origin shown on it. Rows with `none` expect no result
// and a way on (the A–Ö register, and `suggest`: a "Menade du" word); `missing` expects the
// results to say which typed words they lack; `once` a title shown once among the first ten;
// `help` a sentence above the results (the site's search help).

export const TABLE = [
  // The table: compounds, numerals, no dead ends, duplicates.
  { q: 'avtal', want: 'dokument/samverkansavtal.html', rank: 3 },
  { q: 'specifikation', want: 'dokument/produkt-tjanstespecifikation.html', rank: 3 },
  { q: 'kravspecifikation', want: 'dokument/produkt-tjanstespecifikation.html', rank: 3 },
  { q: 'beslut milstolpe 3', want: 'milstolpar/milstolpe-3.html', rank: 1 },
  { q: 'milstolpe 3', want: 'milstolpar/milstolpe-3.html', rank: 1 },
  { q: 'projektledare ansvar', want: 'lasanvisningar.html', rank: 3 },
  { q: 'beslutsunderlag', want: 'milstolpar/milstolpe-1.html#underlag', rank: 8 },
  { q: 'beslutsunderlag', want: 'milstolpar/milstolpe-8.html#underlag', rank: 8 },
  { q: 'budget', none: true },
  { q: 'personuppgifter', want: 'sparat.html#var', rank: 5 },
  { q: 'styrgrupp', want: 'begrepp.html#styrgrupp', rank: 1 },
  { q: 'styrgrupp', want: 'fragor-och-svar.html#vem-beslutar-vid-milstolparna', rank: 5, once: 'Beslutas av' },
  // Compounds both ways: head, first part, inner part, hyphenated.
  { q: 'samverkan', want: 'begrepp.html#samverkan', rank: 1 },
  { q: 'samverkansavtal', want: 'dokument/samverkansavtal.html', rank: 1 },
  { q: 'plan', want: 'dokument/driftplan.html', rank: 10 },
  { q: 'rapport', want: 'dokument/slutrapport.html', rank: 5 },
  { q: 'realiseringsplan', want: 'dokument/nyttorealiseringsplan.html', rank: 3 },
  { q: 'utvärdering', want: 'dokument/nyttoutvarderingsrapport.html', rank: 3 },
  { q: 'nyttorealisering', want: 'samordningsomraden/nyttorealisering.html', rank: 1 },
  { q: 'förstudie', want: 'dokument/forstudierapport.html', rank: 10 },
  { q: 'förvaltning', want: 'samordningsomraden/forvaltning.html', rank: 3 },
  { q: 'överlämning', want: 'dokument/overlamningsplan.html', rank: 3 },
  // Numbers and numerals.
  { q: 'milstolpe III', want: 'milstolpar/milstolpe-3.html', rank: 1 },
  { q: 'III', want: 'milstolpar/milstolpe-3.html', rank: 1 },
  { q: '3', want: 'milstolpar/milstolpe-3.html', rank: 3 },
  { q: 'milstolpe 1', want: 'milstolpar/milstolpe-1.html', rank: 1 },
  { q: 'milstolpe iv', want: 'milstolpar/milstolpe-4.html', rank: 1 },
  { q: 'fas 4', want: 'faser/initiera.html', rank: 1 },
  { q: 'fas iv', want: 'faser/initiera.html', rank: 1 },
  { q: 'milstolpe 8', want: 'milstolpar/milstolpe-8.html', rank: 1 },
  { q: '3.1.3.2', want: 'mallar/forstudierapport.html#rubrik-3-1-3-2', rank: 1 },
  { q: 'version 1.1', want: 'version-1-1.html', rank: 1 },
  // Typos.
  { q: 'nyttorealisring', want: 'samordningsomraden/nyttorealisering.html', rank: 3 },
  { q: 'förstudierapprot', want: 'dokument/forstudierapport.html', rank: 3 },
  { q: 'idebeskrivning', want: 'dokument/idebeskrivning.html', rank: 3 },
  { q: 'styrgrup', want: 'begrepp.html#styrgrupp', rank: 1 },
  { q: 'styrgrp', none: true, suggest: 'styrgrupp' },
  // Names and questions.
  { q: 'färdledande myndighet', want: 'begrepp.html#fardledande-myndighet', rank: 1 },
  { q: 'business case', want: 'dokument/business-case.html', rank: 2 },
  { q: 'rättsliga förutsättningar', want: 'samordningsomraden/rattsliga-forutsattningar.html', rank: 1 },
  { q: 'kompetens', want: 'samordningsomraden/resurser-kompetens.html', rank: 1 },
  { q: 'införa', want: 'faser/infora.html', rank: 1 },
  { q: 'realisera nyttor', want: 'faser/realisera-nyttor.html', rank: 3 },
  { q: 'mall förstudierapport', want: 'mallar/forstudierapport.html', rank: 1 },
  { q: 'vem fattar beslut', want: 'fragor-och-svar.html#vem-beslutar-vid-milstolparna', rank: 3 },
  { q: 'vilka dokument behövs milstolpe 3', want: 'fragor-och-svar.html#dokument-infor-milstolpe-3', rank: 1 },
  { q: 'projektledare budget', want: 'lasanvisningar.html', rank: 3, missing: 'budget' },
  // The example municipal copy: its supplement is found and says whose text it is.
  { site: 'example', q: 'mina meddelanden', want: 'tillagg/mina-meddelanden.html', rank: 2, label: 'Tillägg: Anslutning till Mina meddelanden – vägledning (SKL 2014)' },
  { site: 'example', q: 'kommunala förstudier', want: 'faser/ta-fram-losningsalternativ.html#existerande-forstudier-title', rank: 1, label: 'Tillägg: Anslutning till Mina meddelanden – vägledning (SKL 2014)' },
  { site: 'example', q: 'avtal', want: 'dokument/samverkansavtal.html', rank: 3 },
  { site: 'example', q: 'milstolpe 3', want: 'milstolpar/milstolpe-3.html', rank: 1 },
  // Its search help (content/search.yaml): the municipality's words find the method's.
  { site: 'example', q: 'budget', want: 'samordningsomraden/finansiering.html', rank: 1, help: 'Söker också på finansiering, kostnader för ”budget”' },
  { site: 'example', q: 'budget', want: 'faser/ta-fram-losningsalternativ.html#utvardera-alternativ-title', rank: 10, label: 'Tillägg: Anslutning till Mina meddelanden – vägledning (SKL 2014)' },
  { site: 'example', q: 'GDPR', want: 'samordningsomraden/informationssakerhet.html', rank: 1, help: 'informationssäkerhet, rättsliga' },
];

/** The results on screen once the status has announced `query`, as a reader sees them:
    [{href, title, crumbs, snippet, marked, label, missing, also}] (links as written, with
    their ?hl=). */
export async function shownResults(page, query) {
  await page.waitForFunction((q) => {
    const s = document.querySelector('.mb-search__status');
    return s && s.textContent.includes(`”${q}”`);
  }, query);
  return page.$$eval('.mb-search__result', (items) => items.map((li) => ({
    href: li.querySelector('a').getAttribute('href'),
    title: li.querySelector('.mb-search__title').textContent,
    crumbs: li.querySelector('.mb-search__crumbs')?.textContent ?? '',
    snippet: li.querySelector('.mb-search__snippet')?.textContent ?? '',
    marked: [...li.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase()),
    label: li.querySelector('.mb-search__origin')?.textContent ?? '',
    missing: li.querySelector('.mb-search__missing')?.textContent ?? '',
    also: [...li.querySelectorAll('.mb-search__also a')].map((a) => a.getAttribute('href')),
  })));
}

/** Where a result's link leads, without the search terms it carries. */
export const target = (href) => href.replace(/\?hl=[^#]*/, '');

/** The results of `query` on the search page at `base` (…/sok.html?q=), links without their
    ?hl=, and the sentences around them. */
export async function resultsFor(page, base, query) {
  await page.goto(`${base}sok.html?q=${encodeURIComponent(query)}`);
  const results = await shownResults(page, query);
  results.forEach((r) => { r.href = target(r.href); r.also = r.also.map(target); });
  const status = await page.textContent('.mb-search__status');
  const help = (await page.$$eval('.mb-search__help', (h) => h.map((x) => ({
    text: x.textContent, links: [...x.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') })),
  }))))[0] ?? { text: '', links: [] };
  return { results, status, help };
}

/** Runs every row over `bases` ({handbook, example}): each row with what was found and
    `problems` (empty when the row holds). */
export async function runTable(browser, bases) {
  const page = await browser.newPage();
  const out = [];
  for (const row of TABLE) {
    const { results, status, help } = await resultsFor(page, bases[row.site ?? 'handbook'], row.q);
    const problems = [];
    const at = row.want ? results.findIndex((r) => r.href === row.want) + 1 : 0;
    if (row.want && (at === 0 || at > row.rank)) {
      problems.push(`${row.want} at ${at || 'no'} rank (want ≤ ${row.rank}); first: ${results.slice(0, 5).map((r) => r.href).join(', ')}`);
    }
    if (row.label && at && results[at - 1].label !== row.label) problems.push(`label ${JSON.stringify(results[at - 1].label)}`);
    if (row.none) {
      if (results.length) problems.push(`${results.length} results, expected none`);
      if (!help.links.some((l) => /#register$/.test(l.href))) problems.push('no link to the A–Ö register');
      if (row.suggest && !help.links.some((l) => l.text === row.suggest)) problems.push(`no "Menade du" ${row.suggest}: ${help.text}`);
    }
    if (row.missing) {
      if (!/Inget avsnitt innehåller alla orden/.test(status)) problems.push(`status does not say no section has every word: ${status}`);
      if (!results.length || !results.every((r) => r.missing.includes(row.missing))) problems.push(`results do not say they lack ${row.missing}`);
    }
    if (row.help && !help.text.includes(row.help)) problems.push(`no "${row.help}" above the results: ${help.text}`);
    if (row.once && results.slice(0, 10).filter((r) => r.title === row.once).length !== 1) {
      problems.push(`"${row.once}" is not shown exactly once in the first ten`);
    }
    out.push({ ...row, at, results: results.length, problems });
  }
  await page.close();
  return out;
}

/** Recall at 1 and at 5 over the rows that expect a section. */
export function recall(rows) {
  const scored = rows.filter((r) => r.want);
  const within = (k) => scored.filter((r) => r.at > 0 && r.at <= k).length;
  return { rows: scored.length, at1: within(1), at5: within(5) };
}
