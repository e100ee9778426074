// The preview server in a browser: a broken edit shows an accessible overlay with the file,
// line and column (focus moves to it, Escape closes it, axe passes), and fixing the file
// removes it and reloads the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO, binary, launch, audit } from './lib/harness.mjs';

let server, origin, site, browser;

before(async () => {
  site = join(mkdtempSync(join(tmpdir(), 'metodbok-serve-')), 'site');
  cpSync(join(REPO, 'tests', 'fixtures', 'site'), site, { recursive: true });
  server = spawn(binary(), ['serve', site, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  origin = line.match(/http:\/\/[^/]+/)[0];
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const phase = () => join(site, 'content', 'phases', 'fas-ett.yaml');
const edit = (from, to) => writeFileSync(phase(), readFileSync(phase(), 'utf8').replace(from, to));

test('a broken edit shows an accessible overlay; the fix removes it and reloads the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/faser/fas-ett.html`);
  await page.waitForFunction(() => document.querySelector('script[src="/__metodbok/live.js"]'));
  await page.waitForTimeout(300); // the live channel connects

  edit('name: Fas ett', 'name: [Fas ett');
  const dialog = page.locator('dialog.mb-live');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  const text = await dialog.textContent();
  assert.match(text, /content\/phases\/fas-ett\.yaml:3:\d+/, 'file, line and column');
  assert.match(text, /name: \[Fas ett/, 'the offending line');
  assert.ok(await page.evaluate(() => document.querySelector('dialog.mb-live').contains(document.activeElement)), 'focus moves to the overlay');
  assert.equal(await dialog.getAttribute('aria-labelledby'), 'mb-live-title');
  const { lines } = await audit(page, 'overlay');
  assert.deepEqual(lines, [], 'axe passes with the overlay open');
  assert.match(await page.textContent('h1'), /Fas ett/, 'the last good page is still there behind it');

  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), false, 'Escape closes the overlay');

  edit('name: [Fas ett', 'name: [Fas ett igen');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });

  const reloaded = page.waitForEvent('load');
  edit('name: [Fas ett igen', 'name: Fas ett lagad');
  await reloaded;
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Fas ett lagad'));
  assert.equal(await page.locator('dialog.mb-live').count(), 0, 'the overlay is gone after the fix');
  await context.close();
});

test('a statement that cannot be published yet is shown once per build in the site language, and the page previews', async () => {
  const config = join(site, 'metodbok.yaml');
  const good = readFileSync(config, 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/faser/fas-ett.html`);
  await page.waitForTimeout(300); // the live channel connects

  const reloaded = page.waitForEvent('load');
  writeFileSync(config, good.replace(/\n {2}assessed: "[^"]*"\n/, '\n'));
  await reloaded;
  const dialog = page.locator('dialog.mb-live');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  const text = await dialog.textContent();
  assert.match(text, /Måste åtgärdas innan webbplatsen kan publiceras/, 'the group, in Swedish');
  assert.match(text, /metodbok\.yaml:\d+:\d+/, 'the file and line');
  assert.match(text, /accessibility\.assessed/, 'what is missing');
  assert.equal(await dialog.getAttribute('lang'), 'sv');
  assert.match(await page.textContent('h1'), /Fas ett/, 'the page previews behind it');
  const { lines } = await audit(page, 'notices');
  assert.deepEqual(lines, [], 'axe passes with the notices open');
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), false, 'Escape closes it');
  await page.reload();
  await page.waitForTimeout(500);
  assert.equal(await page.locator('dialog.mb-live').count(), 0, 'shown once per build, not on every page');

  const fixed = page.waitForEvent('load');
  writeFileSync(config, good);
  await fixed;
  await page.waitForTimeout(500);
  assert.equal(await page.locator('dialog.mb-live').count(), 0, 'nothing to show once the statement is complete');
  await context.close();
});

test('a page opened before the server restarted reconnects by itself and reloads', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/faser/fas-ett.html`);
  await page.waitForTimeout(300);
  const port = new URL(origin).port;
  server.kill();
  await new Promise((r) => server.once('exit', r));
  server = spawn(binary(), ['serve', site, '--port', port], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  await page.waitForEvent('load', { timeout: 10000 });
  assert.match(await page.textContent('h1'), /Fas ett/);
  await context.close();
});
