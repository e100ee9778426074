// Benchmark (not a test): how fast search answers in Chromium for the bundled handbook.
// Run: cd tests/browser && npm run bench:search   (METODBOK_BIN=… to use a release build)
// Prints the gzipped sizes, the time from focusing the field to a ready index, and per query
// the median and 95th percentile of (a) ranking the whole query and (b) a keystroke's whole
// handling as the reader types the query a letter at a time: ranking, snippets, marking,
// suggestions and building the result list in the DOM (the browser paints it in the next
// frame). Every prefix of the query is one keystroke.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, serve, launch } from '../lib/harness.mjs';

const QUERIES = ['nyttorealisering', 'förstudie', 'styrgrupp', 'business case', '2013', '3.1.3.2', 'samverkan', 'förv', 'beslut om lösning',
  'avtal', 'kravspecifikation', 'beslut milstolpe 3', 'projektledare ansvar', 'nyttorealisring', 'förstudierapprot', 'budget'];
const ROUNDS = 50;

const root = buildSite();
const server = await serve(root);
const browser = await launch();
const gz = (p) => gzipSync(readFileSync(join(root, p)), { level: 9 }).length;
console.log(`sizes (gzip -9): search-index.js ${(gz('search-index.js') / 1024).toFixed(1)} KB, js/search.js ${(gz('js/search.js') / 1024).toFixed(1)} KB, js/metodbok.js ${gz('js/metodbok.js')} B`);

const page = await browser.newPage();
await page.goto(`${server.origin}/faser/initiera.html`);
const t0 = Date.now();
await page.focus('#mb-search-input');
await page.waitForFunction(() => window.metodbokSearchIndex && window.metodbokSearch);
console.log(`focus → index ready: ${Date.now() - t0} ms (loopback, includes fetching and parsing both files)`);

const stats = (xs) => {
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], p95: xs[Math.floor(xs.length * 0.95)] };
};
const rows = [];
const everyKeystroke = [];
for (const q of QUERIES) {
  const ranking = await page.evaluate(([q, n]) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      window.metodbokSearch.search(q);
      out.push(performance.now() - t);
    }
    return out;
  }, [q, ROUNDS]);
  const onScreen = await page.evaluate(async ([q, n]) => {
    const input = document.querySelector('#mb-search-input');
    const letters = Array.from(q);
    const out = [];
    for (let i = 0; i < n; i++) {
      input.value = '';
      input.dispatchEvent(new Event('input'));
      for (let k = 1; k <= letters.length; k++) {
        const t = performance.now();
        input.value = letters.slice(0, k).join('');
        input.dispatchEvent(new Event('input')); // ranks and renders the results synchronously
        out.push(performance.now() - t);
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    return out;
  }, [q, 10]);
  everyKeystroke.push(...onScreen);
  const hits = await page.evaluate((q) => window.metodbokSearch.search(q).hits.length, q);
  const r = stats(ranking);
  const s = stats(onScreen);
  rows.push({ query: q, hits, 'ranking median ms': r.median.toFixed(2), 'ranking p95 ms': r.p95.toFixed(2), 'keystroke median ms': s.median.toFixed(1), 'keystroke p95 ms': s.p95.toFixed(1) });
}
console.table(rows);
const all = stats(everyKeystroke);
console.log(`every keystroke (${everyKeystroke.length}): median ${all.median.toFixed(2)} ms, p95 ${all.p95.toFixed(2)} ms, max ${everyKeystroke[everyKeystroke.length - 1].toFixed(1)} ms`);
await browser.close();
await server.close();
