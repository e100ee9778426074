// The example municipal site (examples/exempel-kommun): the national handbook as its base,
// SKL's Mina meddelanden guide as a supplement on phases 1–3, and a municipality's branding.
// Every page in its sitemap goes through the same audit as the bundled handbook: axe with
// and without scripts, light and dark, reflow at 320 px, requests, and the Nu HTML Checker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serve, launch, sitemapPaths, auditAll, readingOrderProblems, vnuErrors, audit, REPO } from './lib/harness.mjs';

let root, server, browser, paths;
const PHASE = 'faser/identifiera-behov.html';

before(async () => {
  root = buildSite(join(REPO, 'examples', 'exempel-kommun'));
  server = await serve(root);
  browser = await launch();
  paths = sitemapPaths(root);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the example site has the whole handbook, the supplement and its own page', () => {
  for (const p of [PHASE, 'faser/ta-fram-losningsalternativ.html', 'faser/detaljera-vald-losning.html',
    'tillagg/mina-meddelanden.html', 'om-vagledningen-mina-meddelanden.html', 'milstolpar/milstolpe-8.html',
    'tillganglighet.html']) {
    assert.ok(paths.includes(p), `sitemap.xml lists ${p}`);
  }
});

test('every page of the example site passes axe with and without scripts, in light and dark, holds its layout from 320 to 1,280 px, and has its place in the reading order', async () => {
  const { problems, checks, scans, modes, layoutChecks, pagers } = await auditAll(browser, server.origin, [...paths, '404.html']);
  assert.equal(scans, 3 * (paths.length + 1), 'every page scanned with scripts, without, and in dark mode');
  const order = readingOrderProblems(pagers, paths);
  problems.push(...order.problems);
  console.log(`example site: ${layoutChecks} layout checks at 320, 375, 768 and 1,280 px; reading order of ${order.order.length} pages`);
  console.log(`example site: ${paths.length + 1} pages, ${scans} page scans (${modes.join(', ')}), ${checks} axe rule checks`);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});

test('every page of the example site is valid HTML (Nu HTML Checker)', () => {
  const errors = vnuErrors(root);
  console.log(`vnu (example site): ${paths.length + 1} pages checked, ${errors.length} errors`);
  assert.deepEqual(errors, [], `\n${errors.join('\n')}`);
});

test('on phase 1 the supplement is marked with its name, and its items are checklists that keep their ticks', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.origin}/${PHASE}`);
  // Phase 1 has two supplements, each in a section of its own: SKL's guide and the e-nämnd process.
  const section = page.locator('section.mb-supplement', { has: page.locator('h2', { hasText: 'Anslutning till Mina meddelanden' }) });
  const heading = section.locator('h2');
  assert.match(await heading.textContent(), /Tillägg:\s*Anslutning till Mina meddelanden/);
  assert.match(await section.locator('.mb-supplement__notice').innerText(), /inte metodens egen text/);
  assert.equal(await page.locator('section.mb-supplement').count(), 2);
  // The brand colour is the header's background; the banner's link is named once: the title
  // says "Exempel kommun", so the logo beside it is decorative.
  assert.equal(await page.$eval('header', (h) => getComputedStyle(h).backgroundColor), 'rgb(31, 92, 58)');
  assert.equal(await page.getAttribute('header img', 'alt'), '');
  assert.equal(await page.locator('header a.mb-header__home').evaluate((a) => a.textContent.trim().replace(/\s+/g, ' ')),
    'Metod för utveckling i samverkan – Exempel kommun');
  // The page says at its top that a supplement adds to it, and links to its section.
  const notice = page.locator('.mb-supplements-notice');
  assert.match(await notice.innerText(), /har tillägg som inte är metodens egen text: .*Anslutning till Mina meddelanden/);
  assert.equal(await notice.locator('a', { hasText: 'Anslutning till Mina meddelanden' }).getAttribute('href'), `#${await heading.getAttribute('id')}`);
  assert.ok(await page.$eval('.mb-supplements-notice', (n) => n.getBoundingClientRect().top < document.querySelector('#syfte').getBoundingClientRect().top),
    'the notice stands before the first section');
  // An addition's item is ticked, survives a reload, and is kept apart from the method's own checklist.
  const box = page.locator('fieldset[data-checklist="anpassa-metoden"] .mb-check__box').first();
  await box.check();
  await page.reload();
  assert.equal(await page.locator('fieldset[data-checklist="anpassa-metoden"] .mb-check__box').first().isChecked(), true);
  assert.equal(await page.locator('fieldset[data-checklist="checklista-identifiera-behov"] .mb-check__box').first().isChecked(), false);
  const { lines } = await audit(page, `${PHASE} with a ticked supplement item`);
  assert.deepEqual(lines, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the supplement's checklists are on Mina utvecklingsinsatser, with their progress and in the whole initiative's CSV", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.origin}/${PHASE}`);
  await page.locator('fieldset[data-checklist="anpassa-metoden"] .mb-check__box').first().check();
  await page.goto(`${server.origin}/sparat.html`);
  const item = page.locator('[data-progress="anpassa-metoden"]');
  assert.match(await item.innerText(), /^1\. Identifiera behov – 1\. Anpassa metoden för anslutning efter egna förutsättningar\s+1 av 2 klara$/);
  assert.equal(await item.locator('a').getAttribute('href'), `${PHASE}#anpassa-metoden`);
  await page.locator('.mb-initiative summary:text-is("Spara, läs in, rensa")').click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:text-is("Exportera alla checklistor för ett möte (CSV)")')]);
  const rows = readFileSync(await csv.path(), 'utf8').slice(1).trim().split('\r\n');
  const mine = rows.filter((r) => r.startsWith('"1. Identifiera behov – 1. Anpassa metoden'));
  assert.equal(mine.length, 2, 'one row per item of the supplement checklist');
  assert.match(mine[0], /;"Läs igenom Att ansluta till Mina meddelanden[^"]*";"las-oversikten";"Klar";""$/);
  assert.match(mine[1], /;"gor-en-bedomning";"Inte klar";""$/);
  await context.close();
});
