// The quality gate: the bundled handbook is built, served on 127.0.0.1, and every page in
// its sitemap is audited in Chromium with axe (WCAG 2.0 and 2.1, A and AA), with scripts and
// without, in light and dark mode, reflowed at 320 px, with every request recorded; every
// page is validated with the Nu HTML Checker; keyboard use and file:// are tried by hand.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { buildSite, serve, launch, sitemapPaths, auditAll, readingOrderProblems, focusProblems, vnuErrors, scriptlessContext } from './lib/harness.mjs';

let root, server, browser, paths;

before(async () => {
  root = buildSite();
  server = await serve(root);
  browser = await launch();
  paths = sitemapPaths(root);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the sitemap lists the pages of every page kind', () => {
  for (const kind of ['index.html', 'faser.html', 'faser/identifiera-behov.html', 'milstolpar/milstolpe-1.html',
    'samordningsomraden.html', 'samordningsomraden/arkitektur.html', 'dokument.html', 'dokument/idebeskrivning.html',
    'mallar.html', 'mallar/idebeskrivning.html', 'begrepp.html', 'lasanvisningar.html', 'fragor-och-svar.html',
    'inledning.html', 'tillganglighet.html', 'sok.html', 'sparat.html', 'hela-handboken.html']) {
    assert.ok(paths.includes(kind), `sitemap.xml lists ${kind}`);
  }
});

test('every page passes axe with and without scripts, in light and dark, holds its layout from 320 to 1,280 px, and has its place in the reading order', async () => {
  const { problems, checks, scans, modes, layoutChecks, pagers } = await auditAll(browser, server.origin, [...paths, '404.html']);
  assert.equal(scans, 3 * (paths.length + 1), 'every page scanned with scripts, without, and in dark mode');
  const order = readingOrderProblems(pagers, paths);
  problems.push(...order.problems);
  console.log(`quality gate: ${layoutChecks} layout checks at 320, 375, 768 and 1,280 px; reading order of ${order.order.length} pages`);
  console.log(`quality gate: ${paths.length + 1} pages, ${scans} page scans (${modes.join(', ')}), `
    + `${checks} axe rule checks, ${scans} reflow checks at 320 px, every request recorded`);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});

test('every download link resolves, and its label states the format and the size', async () => {
  const page = await browser.newPage();
  const FORMATS = { docx: 'Word (.docx)', odt: 'OpenDocument (.odt)', md: 'Markdown (.md)', zip: 'Zip (.zip)' };
  const problems = [];
  let links = 0;
  const perKind = {};
  for (const path of paths) {
    await page.goto(`${server.origin}/${path}`);
    const found = await page.$$eval('a.mb-download', (as) => as.map((a) => ({ href: a.href, text: a.textContent.trim(), download: a.getAttribute('download') })));
    for (const d of found) {
      links += 1;
      const ext = new URL(d.href).pathname.split('.').pop();
      // The whole handbook's page repeats every page's downloads: counted once, on their pages.
      if (path !== 'hela-handboken.html') perKind[ext] = (perKind[ext] ?? 0) + 1;
      const response = await page.request.get(d.href);
      const bytes = (await response.body()).length;
      const kb = Math.max(1, Math.round(bytes / 1000));
      if (response.status() !== 200) problems.push(`${path}: ${d.href} answered ${response.status()}`);
      if (d.text !== `${FORMATS[ext]}, ${kb} kB`) problems.push(`${path}: "${d.text}" for a ${bytes}-byte .${ext} (expected "${FORMATS[ext]}, ${kb} kB")`);
      if (!d.download?.endsWith(`.${ext}`)) problems.push(`${path}: ${d.href} has no file name to save under`);
    }
  }
  console.log(`downloads: ${links} links checked (${Object.entries(perKind).map(([k, n]) => `${n} .${k}`).join(', ')})`);
  assert.deepEqual(problems, []);
  assert.deepEqual(perKind, { docx: 7, odt: 7, md: 7, zip: 4 }, 'every template offers three formats; four phases a zip');
  await page.close();
});

test('every page is valid HTML (Nu HTML Checker)', () => {
  const errors = vnuErrors(root);
  console.log(`vnu: ${paths.length + 1} pages checked, ${errors.length} errors`);
  assert.deepEqual(errors, [], `\n${errors.join('\n')}`);
});

test('the whole handbook printed from Chromium starts every phase on a new page, under the running header', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/hela-handboken.html`);
  const squash = (s) => s.replace(/\s+/g, ' ').trim();
  const phases = await page.$$eval('section.mb-part--phase > h2', (hs) => hs.map((h) => h.textContent));
  assert.equal(phases.length, 8, 'eight phases on the print page');
  const pdf = join(mkdtempSync(join(tmpdir(), 'metodbok-print-')), 'hela-handboken.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  await page.close();
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().split('\f')
    .map((p) => p.split('\n').map(squash).filter(Boolean));
  const problems = [];
  for (const title of phases.map(squash)) {
    // The top of the page: the running header, the caption ("Fas 1"), then the phase's title.
    const at = pages.findIndex((lines) => lines.slice(0, 3).includes(title));
    if (at < 0) problems.push(`${title} does not start a printed page`);
    else if (pages[at][0] !== 'Metod för utveckling i samverkan') problems.push(`page ${at + 1} has no running header: ${pages[at][0]}`);
  }
  console.log(`print: ${pages.length} printed pages, ${phases.length} phases each starting one`);
  assert.deepEqual(problems, []);
});

test('from the top of the start page, Tab reaches the skip link, then the banner, search and the main navigation', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/index.html`);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { href: el.getAttribute('href'), text: el.textContent.trim(), inNav: !!el.closest('nav#mb-nav'),
      inBanner: !!el.closest('header'), visible: box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0 };
  });
  await page.keyboard.press('Tab');
  const skip = await focused();
  assert.equal(skip.href, '#mb-main', 'the first Tab stop is the skip link');
  assert.ok(skip.visible, 'the skip link is visible when focused');
  await page.keyboard.press('Tab');
  const home = await focused();
  assert.ok(home.inBanner && !home.inNav, `then the handbook's name in the banner, got ${JSON.stringify(home)}`);
  await page.keyboard.press('Tab');
  const field = await page.evaluate(() => document.activeElement.id);
  assert.equal(field, 'mb-search-input', 'then the search field in the banner');
  await page.keyboard.press('Tab');
  const button = await page.evaluate(() => document.activeElement.closest('form[role=search]') && document.activeElement.type);
  assert.equal(button, 'submit', 'then its button');
  const navLinks = await page.$$eval('nav#mb-nav a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(navLinks.length >= 5);
  for (const href of navLinks) {
    await page.keyboard.press('Tab');
    const f = await focused();
    assert.ok(f.inNav && f.href === href, `then each link of the main navigation in order: expected ${href}, got ${JSON.stringify(f)}`);
  }
  // The skip link moves focus to the main content.
  await page.goto(`${server.origin}/index.html`);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'mb-main');
  await page.close();
});

test('every interactive element shows a visible focus style', async () => {
  const page = await browser.newPage();
  const failures = [];
  let stops = 0;
  for (const path of paths) {
    await page.goto(`${server.origin}/${path}`);
    const r = await focusProblems(page, path);
    failures.push(...r.problems);
    stops += r.stops;
  }
  console.log(`focus styles: ${stops} focus stops checked on ${paths.length} pages`);
  assert.ok(stops > paths.length * 5, 'the pages were tabbed through');
  assert.deepEqual(failures, [], `\n${failures.join('\n')}`);
  await page.close();
});

test('opened from disk, the start page leads to a phase page and back with no failed request', async () => {
  const page = await browser.newPage();
  const failed = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('request', (r) => { if (!r.url().startsWith('file://')) failed.push(`not a file: ${r.url()}`); });
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()}: ${r.status()}`); });
  await page.goto(pathToFileURL(join(root, 'index.html')).href);
  await page.click('a[href="faser/identifiera-behov.html"]');
  await page.waitForLoadState('load');
  assert.ok(page.url().endsWith('/faser/identifiera-behov.html'), page.url());
  assert.equal(await page.textContent('h1'), 'Identifiera behov');
  const headerBg = await page.$eval('header', (h) => getComputedStyle(h).backgroundColor);
  assert.notEqual(headerBg, 'rgba(0, 0, 0, 0)', 'the stylesheet loaded from disk');
  await page.click('nav.mb-breadcrumbs a[href="../index.html"]');
  await page.waitForLoadState('load');
  assert.ok(page.url().endsWith('/index.html'), page.url());
  assert.deepEqual(failed, []);
  await page.close();
});

test('on a phone the menu opens from its button, with scripts (a disclosure) and without (a link to it)', async () => {
  for (const scriptless of [false, true]) {
    const options = { viewport: { width: 375, height: 812 } };
    const context = scriptless ? await scriptlessContext(browser, options) : await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${server.origin}/faser/initiera.html`);
    const shown = () => page.$eval('nav#mb-nav', (n) => n.getBoundingClientRect().height > 0 && getComputedStyle(n).display !== 'none');
    assert.equal(await shown(), false, 'the menu starts folded');
    const menu = page.locator('header .mb-header__menu');
    assert.equal(await menu.textContent(), 'Meny');
    if (!scriptless) assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await shown(), true, `the menu opens ${scriptless ? 'without' : 'with'} scripts`);
    const links = await page.$$eval('nav#mb-nav a', (as) => as.map((a) => a.textContent));
    assert.ok(links.includes('Faser') && links.includes('Frågor och svar'), links.join());
    if (!scriptless) {
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await menu.click();
      assert.equal(await shown(), false, 'and closes again');
    }
    await context.close();
  }
});

test('the stylesheet and the scripts of a page without checklists stay within their budgets', async () => {
  const page = await browser.newPage();
  const loaded = [];
  page.on('response', (r) => { if (/\.(css|js)(\?|$)/.test(r.url())) loaded.push(new URL(r.url()).pathname.slice(1)); });
  await page.goto(`${server.origin}/dokument/idebeskrivning.html`);
  await page.waitForLoadState('load');
  await page.close();
  const gz = (p) => gzipSync(readFileSync(join(root, p)), { level: 9 }).length;
  const css = loaded.filter((p) => p.endsWith('.css')).reduce((n, p) => n + gz(p), 0);
  const js = loaded.filter((p) => p.endsWith('.js')).reduce((n, p) => n + gz(p), 0);
  console.log(`a page without checklists loads ${css} B of CSS and ${js} B of JavaScript (gzip -9): ${loaded.join(', ')}`);
  assert.ok(loaded.some((p) => p.endsWith('.css')) && loaded.some((p) => p.endsWith('.js')), loaded.join());
  assert.ok(css <= 12 * 1024, `CSS ${css} B gzipped (budget 12 KB)`);
  assert.ok(js <= 3 * 1024, `JavaScript ${js} B gzipped (budget 3 KB)`);
});
