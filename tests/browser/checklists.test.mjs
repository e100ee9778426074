// Checklists as a project leader uses them over months: ticks and notes that survive a
// reload, several development initiatives (managed on "Mina utvecklingsinsatser", the
// storage page, while each checklist carries a one-line status), export and import, CSV for
// a meeting, a printed page and a printed checklist, two tabs, damaged storage, two copies
// opened from disk, keyboard only, axe in every state, and nothing sent anywhere.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSite, serve, launch, audit } from './lib/harness.mjs';

let root, server, browser;
const PHASE = 'faser/identifiera-behov.html';
const MILESTONE = 'milstolpar/milstolpe-3.html';
const STORED = 'sparat.html';

before(async () => {
  root = buildSite();
  server = await serve(root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile (empty storage) with a page that records errors and requests. */
async function fresh(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.requests = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('request', (r) => page.requests.push(r.url()));
  return { context, page };
}

const boxes = (page) => page.locator('fieldset[data-checklist] .mb-check__box');
const ticked = (page) => page.$$eval('fieldset[data-checklist] .mb-check__box', (bs) => bs.map((b) => b.checked));
const progress = (page) => page.$$eval('.mb-checklist__count', (cs) => cs.map((c) => c.textContent));

async function openPanel(page, summary) {
  const d = page.locator('.mb-initiative details', { has: page.locator(`summary:text-is("${summary}")`) });
  if (!(await d.evaluate((x) => x.open))) await d.locator('summary').click();
}

/** On the storage page: creates initiative `name` (and so chooses it). */
async function createInitiative(page, name) {
  await page.goto(`${server.origin}/${STORED}`);
  await openPanel(page, 'Ny, byt namn, ta bort');
  await page.fill('#mb-initiative-new', name);
  await page.click('button:text-is("Skapa")');
  await page.waitForFunction((n) => document.querySelector('.mb-initiative__current strong').textContent === n, name);
}

test('a tick and a note survive a reload, and progress is announced in a live region', async () => {
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/${PHASE}`);
  const total = await boxes(page).count();
  assert.ok(total >= 5, 'the phase checklist has its activities as checkboxes');
  assert.deepEqual(await progress(page), [`0 av ${total} klara`]);
  await boxes(page).nth(1).check();
  assert.deepEqual(await progress(page), [`1 av ${total} klara`]);
  const live = await page.$eval('.mb-checklist__count', (c) => c.getAttribute('aria-live'));
  assert.equal(live, 'polite', 'progress changes are announced politely');
  await page.locator('.mb-check__note summary').nth(1).click();
  await page.fill('.mb-check__note-input >> nth=1', 'Ansvar: Anna, beslut 2026-12-01');
  await page.reload();
  assert.deepEqual((await ticked(page)).slice(0, 3), [false, true, false], 'still ticked after a reload');
  assert.equal(await page.inputValue('.mb-check__note-input >> nth=1'), 'Ansvar: Anna, beslut 2026-12-01');
  assert.equal(await page.locator('.mb-check__note').nth(1).evaluate((d) => d.open), true, 'a saved note is shown');
  // Each item keeps its stable id; the checkbox is labelled by the item's text.
  const item = await page.$eval('fieldset[data-checklist] li[data-item]', (li) => ({ id: li.id, label: li.querySelector('label').textContent.trim().slice(0, 20) }));
  assert.match(item.id, /^checklista-identifiera-behov--/);
  assert.ok(item.label.length > 0);
  // The phase overview shows the progress of every phase and milestone.
  await page.goto(`${server.origin}/faser.html`);
  const overview = await page.$$eval('[data-progress]', (ls) => ls.map((l) => [l.getAttribute('data-progress'), l.querySelector('.mb-steps__progress').textContent]));
  assert.equal(overview.length, 16, '8 phases and 8 milestones');
  assert.deepEqual(overview.find((o) => o[0] === 'checklista-identifiera-behov'), ['checklista-identifiera-behov', `1 av ${total} klara`]);
  assert.ok(overview.filter((o) => o[0] !== 'checklista-identifiera-behov').every((o) => /^0 av \d+ klara$/.test(o[1])));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('two initiatives keep separate ticks; they can be renamed, switched and deleted', async () => {
  const { context, page } = await fresh();
  page.on('dialog', (d) => d.accept());
  const phase = () => page.goto(`${server.origin}/${PHASE}`);
  const choose = async (label) => {
    await page.goto(`${server.origin}/${STORED}`);
    await page.selectOption('#mb-initiative-select', { label });
  };
  await phase();
  assert.equal(await page.locator('.mb-initiative, #mb-initiative-select').count(), 0, 'no management panel on a phase page');
  await boxes(page).nth(0).check();
  await createInitiative(page, 'Ny e-tjänst för bygglov');
  await phase();
  assert.deepEqual((await ticked(page)).slice(0, 3), [false, false, false], 'a new initiative starts empty');
  await boxes(page).nth(2).check();
  assert.match(await page.textContent('.mb-checklist__tools'), /Utvecklingsinsats: Ny e-tjänst för bygglov/, 'the current initiative is shown at the checklist');
  await page.click('.mb-checklist__tools a:text-is("Byt eller hantera")');
  assert.ok(page.url().endsWith('/sparat.html#mb-insatser'), `the status line links to the management: ${page.url()}`);
  await choose('Min utvecklingsinsats');
  await phase();
  assert.deepEqual((await ticked(page)).slice(0, 3), [true, false, false]);
  await choose('Ny e-tjänst för bygglov');
  await phase();
  assert.deepEqual((await ticked(page)).slice(0, 3), [false, false, true]);
  await page.goto(`${server.origin}/${STORED}`);
  await openPanel(page, 'Ny, byt namn, ta bort');
  await page.fill('#mb-initiative-rename', 'Bygglov');
  await page.click('button:text-is("Byt namn")');
  assert.equal(await page.textContent('.mb-initiative__current strong'), 'Bygglov');
  assert.match(await page.textContent('.mb-initiative__status'), /heter nu ”Bygglov”/);
  await page.click('button:text-is("Ta bort den valda utvecklingsinsatsen")');
  assert.deepEqual(await page.$$eval('#mb-initiative-select option', (os) => os.map((o) => o.textContent)), ['Min utvecklingsinsats']);
  await phase();
  assert.deepEqual((await ticked(page)).slice(0, 3), [true, false, false]);
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('Bygglov') || /\|i\|u/.test(k)));
  assert.deepEqual(left, [], 'a deleted initiative leaves nothing behind');
  await context.close();
});

test('export, clear, import restores every tick and note; CSV has one row per item and names its checklist', async () => {
  const { context, page } = await fresh();
  const milestone = () => page.goto(`${server.origin}/${MILESTONE}`);
  await milestone();
  const n = await boxes(page).count();
  await boxes(page).nth(0).check();
  await boxes(page).nth(n - 1).check();
  await page.locator('.mb-check__note summary').nth(1).click();
  await page.fill('.mb-check__note-input >> nth=1', 'Styrgruppen tar upp detta 12 januari; "citat"; semikolon');
  const before = await ticked(page);
  const note = ';"Styrgruppen tar upp detta 12 januari; ""citat""; semikolon"';

  // The page's checklists, from the status line: named after the page and the initiative.
  const [pageCsv] = await Promise.all([page.waitForEvent('download'), page.locator('.mb-checklist__tools button:text-is("Exportera (CSV)")').first().click()]);
  assert.equal(pageCsv.suggestedFilename(), 'milstolpe-3-min-utvecklingsinsats.csv');
  const pageRows = readFileSync(await pageCsv.path(), 'utf8').slice(1).trim().split('\r\n');
  assert.equal(pageRows[0], '"Checklista";"Punkt";"Id";"Status";"Anteckning"');
  assert.equal(pageRows.length, n + 1, 'a header and one row per item');
  assert.deepEqual(pageRows.slice(1).map((r) => r.split(';')[3]), before.map((b) => (b ? '"Klar"' : '"Inte klar"')));
  assert.ok(pageRows[1].startsWith('"Milstolpe III: '), `each row names the milestone: ${pageRows[1]}`);
  assert.ok(pageRows[2].endsWith(note), pageRows[2]);

  await page.goto(`${server.origin}/${STORED}`);
  await openPanel(page, 'Spara, läs in, rensa');
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('button:text-is("Spara som fil (JSON)")')]);
  assert.equal(json.suggestedFilename(), 'min-utvecklingsinsats.json');
  const jsonPath = join(mkdtempSync(join(tmpdir(), 'metodbok-export-')), json.suggestedFilename());
  await json.saveAs(jsonPath);
  const saved = JSON.parse(readFileSync(jsonPath, 'utf8'));
  assert.equal(saved.kind, 'metodbok-initiative');
  assert.equal(saved.initiative.name, 'Min utvecklingsinsats');

  // The whole initiative: every item of every phase and milestone, each row naming its step.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:text-is("Exportera alla checklistor för ett möte (CSV)")')]);
  assert.equal(csv.suggestedFilename(), 'min-utvecklingsinsats.csv');
  const text = readFileSync(await csv.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'a byte order mark, so spreadsheet programs read UTF-8');
  const rows = text.slice(1).trim().split('\r\n');
  assert.equal(rows[0], '"Checklista";"Punkt";"Id";"Status";"Anteckning"');
  const steps = new Set(rows.slice(1).map((r) => r.split(';')[0]));
  assert.equal(steps.size, 16, `rows of 8 phases and 8 milestones: ${[...steps].join(', ')}`);
  const mine = rows.slice(1).filter((r) => r.startsWith('"Milstolpe III: '));
  assert.equal(mine.length, n, 'one row per item of the milestone');
  assert.deepEqual(mine.map((r) => r.split(';')[3]), before.map((b) => (b ? '"Klar"' : '"Inte klar"')));
  assert.ok(mine[1].endsWith(note), mine[1]);
  assert.equal(rows.filter((r) => r.includes(';"Klar";')).length, 2, 'only what was ticked is done');

  page.once('dialog', (d) => d.accept());
  await page.click('button:text-is("Rensa mina markeringar")');
  await milestone();
  assert.deepEqual(await ticked(page), before.map(() => false), 'cleared');
  assert.equal(await page.inputValue('.mb-check__note-input >> nth=1'), '');
  await page.goto(`${server.origin}/${STORED}`);
  await page.setInputFiles('#mb-initiative-import', jsonPath);
  await page.waitForFunction(() => /inläst/.test(document.querySelector('.mb-initiative__status').textContent));
  await milestone();
  assert.deepEqual(await ticked(page), before, 'every tick is back');
  assert.equal(await page.inputValue('.mb-check__note-input >> nth=1'), 'Styrgruppen tar upp detta 12 januari; "citat"; semikolon');
  await page.goto(`${server.origin}/${STORED}`);

  // A file that is not an export is refused without touching anything.
  const bad = join(tmpdir(), `metodbok-not-an-export-${process.pid}.json`);
  writeFileSync(bad, '{"hello": 1}');
  await page.setInputFiles('#mb-initiative-import', bad);
  await page.waitForFunction(() => /kunde inte läsas/.test(document.querySelector('.mb-initiative__status').textContent));
  await milestone();
  assert.deepEqual(await ticked(page), before);
  await context.close();
});

test('a tick in one tab appears in another', async () => {
  const { context, page } = await fresh();
  const other = await context.newPage();
  await page.goto(`${server.origin}/${PHASE}`);
  await other.goto(`${server.origin}/${PHASE}`);
  await page.locator('.mb-check__box').nth(3).check();
  await other.waitForFunction(() => document.querySelectorAll('.mb-check__box')[3].checked);
  assert.match((await progress(other))[0], /^1 av/);
  await context.close();
});

test('damaged, old or outdated stored data breaks nothing and is kept aside', async () => {
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/${PHASE}`);
  const ns = await page.evaluate(() => 'metodbok|' + new URL('../', location.href).href + '|1.0');
  await page.evaluate((ns) => {
    localStorage.setItem(ns + '|i|standard|checklista-identifiera-behov', '{"format":1,"items":{broken');
    localStorage.setItem(ns + '|i|standard|checklista-milstolpe-4', JSON.stringify({ format: 0, ticks: ['a'] }));
  }, ns);
  await page.reload();
  assert.deepEqual(page.errors, [], 'no script error');
  assert.match(await page.textContent('.mb-initiative__status'), /kunde inte läsas/);
  assert.ok((await ticked(page)).every((b) => !b), 'the checklist starts empty');
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('|aside|')).map((k) => localStorage.getItem(k)));
  assert.deepEqual(aside, ['{"format":1,"items":{broken'], 'the unreadable text is kept, not deleted');
  await page.goto(`${server.origin}/milstolpar/milstolpe-4.html`);
  assert.deepEqual(page.errors, []);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('|aside|')).length), 2, 'an older format is kept aside too');

  // Ticks of items the checklist no longer has are kept, reported and exported.
  await page.evaluate((ns) => localStorage.setItem(ns + '|i|standard|checklista-identifiera-behov',
    JSON.stringify({ format: 1, items: { 'en-borttagen-punkt': { done: true, note: 'gammal' } } })), ns);
  await page.goto(`${server.origin}/${PHASE}`);
  assert.match(await page.textContent('.mb-checklist__aside'), /^1 sparade markeringar gäller punkter som inte längre finns/);
  await boxes(page).nth(0).check();
  const stored = await page.evaluate((ns) => JSON.parse(localStorage.getItem(ns + '|i|standard|checklista-identifiera-behov')), ns);
  assert.deepEqual(stored.items['en-borttagen-punkt'], { done: true, note: 'gammal' }, 'the unknown item survives a new tick');
  assert.equal(Object.keys(stored.items).length, 2);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('two copies of the handbook opened from disk keep separate ticks', async () => {
  const a = join(mkdtempSync(join(tmpdir(), 'metodbok-copy-a-')), 'handbok');
  const b = join(mkdtempSync(join(tmpdir(), 'metodbok-copy-b-')), 'handbok');
  cpSync(root, a, { recursive: true });
  cpSync(root, b, { recursive: true });
  const { context, page } = await fresh();
  await page.goto(pathToFileURL(join(a, PHASE)).href);
  await boxes(page).nth(0).check();
  await page.goto(pathToFileURL(join(b, PHASE)).href);
  assert.deepEqual((await ticked(page)).slice(0, 2), [false, false], 'copy B does not see copy A\'s tick');
  await boxes(page).nth(1).check();
  await page.goto(pathToFileURL(join(a, PHASE)).href);
  assert.deepEqual((await ticked(page)).slice(0, 2), [true, false]);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('everything works with the keyboard alone', async () => {
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/${STORED}`);
  const tabTo = async (predicate, what, max = 80) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(predicate)) return;
    }
    assert.fail(`Tab never reached ${what}`);
  };
  // Create an initiative.
  await tabTo(() => document.activeElement.tagName === 'SUMMARY' && document.activeElement.textContent === 'Ny, byt namn, ta bort', 'the manage disclosure');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'mb-initiative-new');
  await page.keyboard.type('Via tangentbordet');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('.mb-initiative__current strong'), 'Via tangentbordet');
  // Tick the first item with Space, write a note.
  await page.goto(`${server.origin}/${PHASE}`);
  await tabTo(() => document.activeElement.classList.contains('mb-check__box'), 'the first checkbox');
  await page.keyboard.press('Space');
  assert.equal((await ticked(page))[0], true);
  await tabTo(() => document.activeElement.tagName === 'SUMMARY' && document.activeElement.closest('.mb-check'), 'the note disclosure', 10);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('mb-check__note-input')));
  await page.keyboard.type('Klart i november');
  // From the checklist's status line to the management, and switch with the select's arrow keys.
  await tabTo(() => document.activeElement.textContent === 'Byt eller hantera', 'the link to the management', 120);
  await page.keyboard.press('Enter');
  await page.waitForURL(/sparat\.html/);
  await page.focus('#mb-initiative-select');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.textContent('.mb-initiative__current strong'), 'Min utvecklingsinsats');
  assert.match(await page.textContent('[data-progress="checklista-identifiera-behov"]'), /0 av \d+ klara/);
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('[data-progress="checklista-identifiera-behov"]'), /1 av \d+ klara/);
  await page.goto(`${server.origin}/${PHASE}`);
  assert.equal((await ticked(page))[0], true);
  assert.equal(await page.inputValue('.mb-check__note-input >> nth=0'), 'Klart i november');
  await page.goto(`${server.origin}/${STORED}`);
  // Clear with the keyboard: Enter on the button, Enter on the confirmation.
  page.once('dialog', (d) => d.accept());
  await page.locator('summary:text-is("Spara, läs in, rensa")').focus();
  await page.keyboard.press('Enter');
  await tabTo(() => document.activeElement.textContent === 'Rensa mina markeringar', 'the clear button', 10);
  await page.keyboard.press('Enter');
  await page.goto(`${server.origin}/${PHASE}`);
  assert.equal((await ticked(page))[0], false);
  await context.close();
});

test('axe passes on a checklist in every state, light and dark', async () => {
  const { context, page } = await fresh();
  const problems = [];
  const check = async (label) => {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      problems.push(...(await audit(page, `${label} (${scheme})`)).lines);
    }
  };
  await page.goto(`${server.origin}/${MILESTONE}`);
  await check('nothing ticked');
  await boxes(page).nth(0).check();
  await page.locator('.mb-check__note summary').nth(0).click();
  await page.fill('.mb-check__note-input >> nth=0', 'En anteckning');
  await check('one ticked with a note');
  await page.goto(`${server.origin}/${STORED}`);
  await page.locator('.mb-initiative details').nth(0).locator('summary').click();
  await page.locator('.mb-initiative details').nth(1).locator('summary').click();
  await check('the storage page with progress, panel open');
  await page.goto(`${server.origin}/${MILESTONE}`);
  for (const b of await boxes(page).all()) await b.check();
  await check('all ticked');
  const ns = await page.evaluate(() => 'metodbok|' + new URL('../', location.href).href + '|1.0');
  await page.evaluate((ns) => localStorage.setItem(ns + '|i|standard|checklista-milstolpe-3', JSON.stringify({ format: 1, items: { gammal: { done: true } } })), ns);
  await page.reload();
  await check('with ticks kept aside');
  await page.goto(`${server.origin}/faser.html`);
  await check('the phase overview with progress');
  assert.deepEqual(problems, []);
  await context.close();
});

test('when the browser storage is full, the reader is told a tick was not saved and can save it to a file', async () => {
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/${PHASE}`);
  const total = await boxes(page).count();
  await boxes(page).nth(0).check();
  // Another page of the same origin fills the storage to the last byte.
  const filled = await page.evaluate(() => {
    const chunk = 'x'.repeat(64 * 1024);
    let n = 0;
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) localStorage.setItem('annan-sida-' + n++, chunk.slice(0, size));
      } catch (e) {
        if (e.name !== 'QuotaExceededError') throw e;
      }
    }
    return n;
  });
  assert.ok(filled > 10, 'the storage is full');
  await boxes(page).nth(2).check();
  const alert = page.locator('fieldset[data-checklist] [role="alert"]');
  await alert.locator('p').waitFor();
  assert.match(await alert.innerText(), /kunde inte sparas: webbläsarens lagringsutrymme är fullt/);
  assert.deepEqual(await progress(page), [`2 av ${total} klara`], 'the tick counts while the page is open');
  assert.deepEqual(page.errors, [], 'no uncaught QuotaExceededError');
  const { lines } = await audit(page, 'storage full (light)');
  assert.deepEqual(lines, []);
  // The export offered at the checklist holds the tick that could not be stored.
  const [json] = await Promise.all([page.waitForEvent('download'), alert.locator('button:text-is("Spara som fil (JSON)")').click()]);
  const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
  const items = Object.values(saved.checklists)[0];
  assert.equal(Object.values(items).filter((e) => e.done).length, 2, 'both ticks are in the file');
  // Once there is room again, the next change stores everything and the message goes.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('annan-sida-')).forEach((k) => localStorage.removeItem(k)));
  await boxes(page).nth(3).check();
  assert.equal(await alert.locator('p').count(), 0, 'the message goes once everything is stored');
  await page.reload();
  assert.deepEqual((await ticked(page)).slice(0, 4), [true, false, true, true], 'every tick is stored after all');
  await context.close();
});

test('the printed checklist holds every item with its state and note', async () => {
  const { context, page } = await fresh();
  await page.addInitScript(() => { window.print = () => { window.printed = true; }; });
  await page.goto(`${server.origin}/${MILESTONE}`);
  await boxes(page).nth(1).check();
  await page.locator('.mb-check__note summary').nth(2).click();
  await page.fill('.mb-check__note-input >> nth=2', 'Underlag saknas');
  const first = page.locator('fieldset[data-checklist]').first();
  const expected = await first.locator('li[data-item]').evaluateAll((lis) => lis.map((li) => ({
    text: li.querySelector('label').textContent.replace(/\s+/g, ' ').trim(), done: li.querySelector('input[type=checkbox]').checked,
  })));
  await first.locator('.mb-checklist__print').click();
  assert.equal(await page.evaluate(() => window.printed), true, 'the browser was asked to print');
  const pdf = join(mkdtempSync(join(tmpdir(), 'metodbok-print-')), 'checklista.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().replace(/\s+/g, ' ');
  for (const item of expected) {
    const state = item.done ? '☑ Klar:' : '☐ Inte klar:';
    const start = item.text.split(' ').slice(0, 5).join(' ');
    assert.ok(text.includes(`${state} ${start}`), `the printout has "${state} ${start}"\n${text.slice(0, 600)}`);
  }
  assert.ok(text.includes('Anteckning: Underlag saknas'));
  assert.ok(!text.includes('Beredning') && !text.includes('Bereds av'), 'only the chosen checklist is printed');
  assert.ok(/^\s*Beslut om lösning och Business Case samt Affärsmodell Metod för utveckling i samverkan Milstolpe III/.test(text),
    `the printout starts with the page's title, the handbook and the milestone\n${text.slice(0, 300)}`);
  assert.ok(!/Dina markeringar|Rensa mina markeringar/.test(text), 'the controls are not printed');
  await context.close();
});

test('the script is small, loads only where there are checklists, and sends nothing anywhere', async () => {
  const size = gzipSync(readFileSync(join(root, 'js', 'checklists.js')), { level: 9 }).length;
  console.log(`js/checklists.js: ${(size / 1024).toFixed(1)} KB gzipped`);
  assert.ok(size <= 12 * 1024, `${size} B gzipped`);
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/dokument/forstudierapport.html`);
  assert.ok(!page.requests.some((u) => new URL(u).pathname.endsWith('/js/checklists.js')), 'not on a page without a checklist');
  await page.goto(`${server.origin}/${PHASE}`);
  assert.ok(page.requests.some((u) => new URL(u).pathname.endsWith('/js/checklists.js')));
  await boxes(page).nth(0).check();
  await page.locator('.mb-check__note summary').nth(0).click();
  await page.fill('.mb-check__note-input >> nth=0', 'x');
  await page.reload();
  assert.deepEqual(page.requests.filter((u) => !u.startsWith(server.origin)), [], 'no request leaves the site');
  assert.deepEqual(await context.cookies(), [], 'no cookies');
  assert.equal(await page.evaluate(() => document.cookie), '');
  // What is stored is explained on a page linked from every checklist and from the footer.
  const links = await page.$$eval('a', (as) => as.filter((a) => /sparat\.html/.test(a.getAttribute('href'))).map((a) => `${a.closest('footer, fieldset')?.tagName}: ${a.textContent}`));
  assert.ok(links.includes('FOOTER: Mina utvecklingsinsatser') && links.includes('FIELDSET: Byt eller hantera'), links.join());
  await page.goto(`${server.origin}/sparat.html`);
  assert.match(await page.textContent('main'), /localStorage/);
  assert.match(await page.textContent('main'), /Ingenting skickas någonstans/);
  await context.close();
});

test('without JavaScript a checklist is a plain list in a fieldset with a legend', async () => {
  const { context, page } = await fresh({ javaScriptEnabled: false });
  await page.goto(`${server.origin}/${PHASE}`);
  assert.equal(await page.locator('input[type=checkbox]').count(), 0, 'no checkboxes that would forget their state');
  const fs = await page.$eval('fieldset[data-checklist]', (f) => ({ legend: f.querySelector('legend').textContent.trim(), items: f.querySelectorAll('li[data-item]').length }));
  assert.equal(fs.legend, 'Huvudaktiviteter');
  assert.ok(fs.items >= 5);
  await context.close();
});

test('a printed phase page starts with its title, and shows checklist states only once something is ticked', async () => {
  const { context, page } = await fresh();
  await page.goto(`${server.origin}/${PHASE}`);
  const printed = async () => {
    const pdf = join(mkdtempSync(join(tmpdir(), 'metodbok-print-')), 'sida.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    return { text: execFileSync('pdftotext', ['-layout', pdf, '-']).toString(), pages: Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())[1]) };
  };
  const plain = await printed();
  const lines = plain.text.split('\n').map((l) => l.trim()).filter(Boolean);
  assert.deepEqual(lines.slice(0, 3), ['Identifiera behov', 'Metod för utveckling i samverkan', 'Fas 1'], 'the title, the handbook, the phase');
  assert.ok(!/Inte klar|Klar:|av \d+ klara|Byt eller hantera|Skriv ut checklistan|Metodens steg/.test(plain.text), 'no states, controls or navigation when nothing is ticked');
  assert.ok(plain.text.includes('Gör en behovsanalys'), 'the activities are printed as a list');
  assert.ok(plain.pages <= 3, `${plain.pages} A4 pages`);
  await boxes(page).nth(0).check();
  const marked = await printed();
  assert.match(marked.text.replace(/\s+/g, ' '), /1 av \d+ klara · Utvecklingsinsats: Min utvecklingsinsats/);
  assert.match(marked.text.replace(/\s+/g, ' '), /☑ Klar: Gör en behovsanalys/);
  assert.match(marked.text.replace(/\s+/g, ' '), /☐ Inte klar: Beskriv syfte/);
  await context.close();
});
