// The gate is proven to bite: a deliberately broken page (no lang, an unlabelled checkbox,
// low-contrast text, text with low contrast only in dark mode, a script, a request to another host, a too-wide element, invalid HTML)
// and a page with a broken layout go through the same checks, and each mistake must be
// reported.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, scriptlessContext, checkPage, focusProblems, vnuErrors } from './lib/harness.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let server, browser;

before(async () => {
  server = await serve(fixtures);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the broken control page fails every check it should', async () => {
  const context = await browser.newContext();
  const { problems } = await checkPage(context, `${server.origin}/broken.html`, { origin: server.origin, label: 'broken.html' });
  await context.close();
  const text = problems.join('\n');
  for (const rule of ['html-has-lang', 'label', 'color-contrast']) {
    assert.match(text, new RegExp(`: ${rule} at `), `axe reports ${rule}:\n${text}`);
  }
  assert.match(text, /scrolls sideways by \d+ px/, 'the reflow check reports the wide element');
  assert.match(text, /example\.invalid.* from another host/, 'the request check reports the other host');
  assert.doesNotMatch(text, /bara-morkt/, 'in light mode the dark-only mistake is not there');
});

test('switched to dark mode on the same page load, the control page fails the contrast check that only dark mode has', async () => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const { problems, scans } = await checkPage(context, `${server.origin}/broken.html`,
    { origin: server.origin, label: 'broken.html (light)', darkLabel: 'broken.html (dark)' });
  await context.close();
  const text = problems.join('\n');
  assert.equal(scans, 2);
  assert.match(text, /broken\.html \(dark\): color-contrast at \.bara-morkt/, `axe reports the dark-only contrast:\n${text}`);
  assert.doesNotMatch(text, /broken\.html \(light\): color-contrast at \.bara-morkt/);
  assert.match(text, /broken\.html \(dark\): scrolls sideways by \d+ px/, 'the dark scan reflows at 320 px too');
});

test('without scripts, the control page has none left, and axe still reports its mistakes', async () => {
  const context = await scriptlessContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.origin}/broken.html`);
  assert.equal(await page.evaluate(() => document.scripts.length), 0);
  assert.equal(await page.evaluate(() => document.body.dataset.js ?? 'none'), 'none', 'the inline script did not run');
  await page.close();
  const { problems } = await checkPage(context, `${server.origin}/broken.html`, { origin: server.origin, scriptless: true, label: 'broken.html' });
  await context.close();
  assert.match(problems.join('\n'), /: label at /);
});

test('the Nu HTML Checker reports the control page', () => {
  const errors = vnuErrors(join(fixtures, 'broken.html'));
  assert.ok(errors.length > 0, 'vnu finds the invalid markup');
});

test('the focus check reports a link whose focus is invisible', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/broken.html`);
  const { problems, stops } = await focusProblems(page, 'broken.html');
  await page.close();
  assert.ok(stops >= 2);
  assert.match(problems.join('\n'), /no visible focus style on <a class="utan-fokus"/);
  assert.doesNotMatch(problems.join('\n'), /med-fokus/, 'a link with the browser\'s own focus ring passes');
});

test('the layout check reports a tall header, a late title, a wrapped menu, overflow, two current steps, no contents list and a missing icon', async () => {
  const context = await browser.newContext();
  const { problems } = await checkPage(context, `${server.origin}/broken-layout.html`,
    { origin: server.origin, layout: true, scriptless: true, label: 'broken-layout.html' });
  await context.close();
  const text = problems.join('\n');
  for (const [what, pattern] of [
    ['the header', /at 375 px: the header is 220 px tall on a phone/],
    ['the title', /at 375 px: the title starts at \d+ px on a phone/],
    ['the menu', /at 1280 px: the main menu takes 2 lines/],
    ['the scrolling table', /at 320 px: div scrolls sideways by \d+ px/],
    ['the paragraph', /at 768 px: p sticks out of div by 100 px/],
    ['the steps', /2 steps are marked aria-current="step"/],
    ['the contents list', /"on this page" lists \[\], the page's sections are \[#a #b #c\]/],
    ['the icon', /finns-inte\.svg answered 404/],
  ]) assert.match(text, pattern, `reports ${what}:\n${text}`);
});
