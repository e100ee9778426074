// Shared pieces of the quality gate: build the handbook, serve it on 127.0.0.1 with an
// ephemeral port, launch Debian's Chromium, and audit a page with axe.

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The metodbok binary: $METODBOK_BIN, or the debug build (built here if needed). */
export function binary() {
  if (process.env.METODBOK_BIN) return process.env.METODBOK_BIN;
  execFileSync('cargo', ['build', '--quiet', '--bin', 'metodbok'], { cwd: REPO, stdio: 'inherit' });
  return join(REPO, 'target', 'debug', 'metodbok');
}

/** Builds the site in `siteDir` into a fresh temporary folder and returns its path. */
export function buildSite(siteDir = REPO) {
  const out = join(mkdtempSync(join(tmpdir(), 'metodbok-gate-')), 'public');
  execFileSync(binary(), ['build', siteDir, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.zip': 'application/zip', '.md': 'text/markdown; charset=utf-8',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
};

/** Serves `root` on 127.0.0.1 with an ephemeral port; unknown paths get 404.html with 404. */
export async function serve(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let path = resolve(root, '.' + decodeURIComponent(url.pathname));
    if (path !== root && !path.startsWith(root + sep)) path = null;
    if (path && existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (path && existsSync(path) && statSync(path).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(readFileSync(path));
    } else {
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'Not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, without background traffic to other hosts. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** The page paths listed in the site's sitemap.xml (relative to the root). */
export function sitemapPaths(root) {
  const xml = readFileSync(join(root, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => {
    if (/^[a-z]+:/i.test(m[1])) throw new Error(`sitemap.xml lists ${m[1]}: build the gate's site without \`url\``);
    return m[1];
  });
}

/**
 * A browser context in which every `<script>` element is removed from HTML responses and
 * script requests are refused, so a page is audited as a reader without JavaScript sees it.
 */
export async function scriptlessContext(browser, options = {}) {
  const context = await browser.newContext(options);
  await context.route('**/*', async (route) => {
    const request = route.request();
    if (request.resourceType() === 'script') return route.abort();
    if (request.resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace(/<script\b[\s\S]*?<\/script\s*>/gi, '').replace(/<script\b[^>]*\/?>/gi, '');
    return route.fulfill({ response, body });
  });
  return context;
}

/**
 * axe's violations of the WCAG 2.0/2.1 A and AA rules on `page`, as readable lines.
 *
 * axe runs in "legacy mode": in the top document and its same-origin frames, in one call.
 * The default mode also runs it in cross-origin frames, then opens a blank page to merge the
 * frames' results, which made each audit take three times as long (about 1.3 s instead of
 * 0.45 s a page here). The handbook's pages have no frames at all (the gate checks that
 * every request goes to the handbook's own origin), so both modes report the same: on
 * 2026-12-02 they gave identical violations, passes, incomplete and inapplicable results on
 * every page of the handbook.
 */
export async function audit(page, label) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).setLegacyMode(true).analyze();
  const lines = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      lines.push(`${label}: ${v.id} at ${node.target.join(' ')}: ${v.help} (${v.helpUrl})\n    ${node.html.slice(0, 200)}`);
    }
  }
  return { violations: result.violations, lines, checks: result.passes.length + result.violations.length + result.incomplete.length };
}

/** How far the page scrolls sideways beyond the viewport, in CSS pixels. */
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Errors the Nu HTML Checker (vnu.jar) finds in the HTML files under `path`. */
export function vnuErrors(path) {
  const jar = join(REPO, 'tests', 'browser', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  let stderr;
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', path], { stdio: 'pipe' });
    return [];
  } catch (e) {
    stderr = e.stderr?.toString() ?? '';
  }
  const messages = JSON.parse(stderr).messages ?? [];
  return messages.filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${m.url?.replace(/^file:/, '') ?? path}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}: ${m.message}`);
}

/**
 * How many pages the gate works on at once. The checks wait on Chromium more than they
 * compute, so four keep this 2-core machine busier than two: the handbook's gate took 128 s
 * with four, 147 s with two and 139 s with six (2026-12-02).
 */
const AT_ONCE = 4;

/** Calls `work(item)` for every item, AT_ONCE at a time, in the items' order of starting. */
async function eachAtOnce(items, work) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

/**
 * Runs checkPage on every path served at `origin`: with scripts in light mode and then, on
 * the same page load, in dark mode; and without scripts, AT_ONCE pages at a time. With and
 * without scripts each page is also laid out at the widths readers use (see layoutProblems).
 * Returns the problems found, the number of axe rule checks, page scans and layout checks,
 * the modes' names, and each page's previous and next links (path → {prev, next}, as paths).
 */
export async function auditAll(browser, origin, paths) {
  const modes = [
    ['with scripts', () => browser.newContext({ colorScheme: 'light' }), false, 'dark mode'],
    ['without scripts', () => scriptlessContext(browser, { colorScheme: 'light' }), true, null],
  ];
  const problems = [];
  const pagers = {};
  let checks = 0;
  let scans = 0;
  let layoutChecks = 0;
  for (const [mode, makeContext, scriptless, dark] of modes) {
    const context = await makeContext();
    await eachAtOnce(paths, async (path) => {
      const r = await checkPage(context, `${origin}/${path}`,
        { origin, scriptless, layout: true, label: `${path} (${mode})`, darkLabel: dark && `${path} (${dark})` });
      problems.push(...r.problems);
      checks += r.checks;
      layoutChecks += r.layoutChecks;
      scans += r.scans;
      if (scriptless) pagers[path] = r.pager;
    });
    await context.close();
  }
  return { problems, checks, scans, layoutChecks, pagers, modes: modes.flatMap((m) => (m[3] ? [m[0], m[3]] : [m[0]])) };
}

/** The widths at which nothing may stick out of its box: a small phone, a phone, a tablet, a laptop. */
export const WIDTHS = [320, 375, 768, 1280];

/**
 * What a reader would see wrong in the layout of the page open in `page`, at each width of
 * WIDTHS: an element sticking out of the box it is laid out in, or a box that scrolls
 * sideways; at 375×812 a header taller than 160 px or a title (h1) starting below 300 px; at
 * 1280×900 a main menu on more than one line; on a phase or milestone page a step navigation
 * without exactly one current step; on a page with three or more sections (h2 that are not
 * entries of a list) no "on this page" list of them all (checked without scripts, where the
 * page is as built). Returns the problems and the number of checks made.
 */
export async function layoutProblems(page, label, { scriptless }) {
  const problems = [];
  let checks = 0;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : width === 1280 ? 900 : 720 });
    const r = await page.evaluate(({ width, scriptless }) => {
      const out = [];
      let n = 0;
      const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? '.' + [...e.classList].join('.') : '');
      const inline = (e) => getComputedStyle(e).display === 'inline' || getComputedStyle(e).display === 'contents';
      for (const e of document.body.querySelectorAll('*')) {
        if (e.closest('.mb-visually-hidden, .mb-skip-link, script, style, template')) continue;
        const cs = getComputedStyle(e);
        const box = e.getBoundingClientRect();
        if (cs.display === 'none' || cs.visibility === 'hidden' || (box.width === 0 && box.height === 0) || inline(e)) continue;
        n += 1;
        if (['auto', 'scroll'].includes(cs.overflowX) && e.scrollWidth > e.clientWidth + 1) {
          out.push(`${name(e)} scrolls sideways by ${e.scrollWidth - e.clientWidth} px`);
        }
        // The box it is laid out in: the positioned ancestor of an absolutely positioned
        // element, else the nearest ancestor that is not inline.
        let parent = cs.position === 'absolute' ? e.offsetParent : e.parentElement;
        while (parent && parent !== document.body && inline(parent)) parent = parent.parentElement;
        if (!parent || cs.position === 'fixed') continue;
        const p = parent.getBoundingClientRect();
        const over = Math.max(box.right - p.right, p.left - box.left);
        if (over > 1) out.push(`${name(e)} sticks out of ${name(parent)} by ${Math.round(over)} px`);
      }
      const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
      if (page > 0) out.push(`the page scrolls sideways by ${page} px`);
      if (width === 375) {
        const header = document.querySelector('header').getBoundingClientRect().height;
        const h1 = document.querySelector('h1').getBoundingClientRect().top + window.scrollY;
        n += 2;
        if (header > 160) out.push(`the header is ${Math.round(header)} px tall on a phone (at most 160)`);
        if (h1 > 300) out.push(`the title starts at ${Math.round(h1)} px on a phone (within 300)`);
      }
      if (width === 1280) {
        const tops = new Set([...document.querySelectorAll('.mb-nav__item')].map((li) => Math.round(li.getBoundingClientRect().top)));
        n += 1;
        if (tops.size !== 1) out.push(`the main menu takes ${tops.size} lines at 1,280 px`);
        const kind = document.body.className;
        if (/mb-page--(phase|milestone)\b/.test(kind)) {
          const current = [...document.querySelectorAll('[aria-current="step"]')];
          n += 1;
          if (current.length !== 1) out.push(`${current.length} steps are marked aria-current="step"`);
          else if (new URL(current[0].href).pathname !== location.pathname) out.push('the current step links elsewhere');
          const steps = document.querySelectorAll('.mb-stepnav li').length;
          if (steps < 2) out.push(`the step navigation has ${steps} steps`);
          const nav = document.querySelector('.mb-stepnav');
          const content = document.querySelector('.mb-content') ?? document.querySelector('main');
          if (nav && nav.getBoundingClientRect().left < content.getBoundingClientRect().right) {
            out.push('the step navigation is not beside the content on a wide screen');
          }
        }
        if (scriptless) {
          // The whole handbook's page lists its parts in its own contents list.
          const sections = [...document.querySelectorAll('main h2')].filter((h) => !h.closest('li, .mb-toc, .mb-print-toc, .mb-stepnav'));
          n += 1;
          if (sections.length >= 3) {
            const listed = [...document.querySelectorAll('.mb-toc a, .mb-print-toc a')].map((a) => a.getAttribute('href'));
            const want = sections.map((h) => `#${h.id}`);
            if (listed.join(' ') !== want.join(' ')) out.push(`"on this page" lists [${listed.join(' ')}], the page's sections are [${want.join(' ')}]`);
          }
        }
      }
      return { out, n };
    }, { width, scriptless });
    checks += r.n;
    problems.push(...r.out.map((p) => `${label}: at ${width} px: ${p}`));
  }
  return { problems, checks };
}

/**
 * Opens `url` in `context` and returns every problem the gate looks for on one page:
 * axe violations, the layout (with `layout`, see layoutProblems; else sideways scrolling at
 * 320 px), scripts left where none should run, and requests to any origin but `origin`,
 * failed ones and answers of 400 or more (a missing icon included). With `darkLabel` the same
 * page load is then switched to the dark colour scheme and audited again with axe and at
 * 320 px. Also returns the number of scans made (1, or 2 with dark) and the page's previous
 * and next links, as paths.
 */
export async function checkPage(context, url, { origin, scriptless = false, layout = false, label = url, darkLabel = null }) {
  const problems = [];
  const page = await context.newPage();
  let now = label;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.origin !== origin) problems.push(`${now}: requests ${r.url()} from another host`);
  });
  page.on('requestfailed', (r) => problems.push(`${now}: request for ${r.url()} failed (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== url) problems.push(`${now}: ${r.url()} answered ${r.status()}`);
  });
  const response = await page.goto(url);
  if (!response || response.status() !== 200) problems.push(`${label}: answered ${response?.status()}`);
  if (scriptless) {
    const left = await page.evaluate(() => document.scripts.length);
    if (left > 0) problems.push(`${label}: ${left} script(s) left after removing scripts`);
  }
  const result = await audit(page, label);
  problems.push(...result.lines);
  let checks = result.checks;
  let layoutChecks = 0;
  const reflow = async (at) => {
    await page.setViewportSize({ width: 320, height: 720 });
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) problems.push(`${at}: scrolls sideways by ${overflow} px at a 320 px wide viewport`);
  };
  if (layout) {
    const l = await layoutProblems(page, label, { scriptless });
    problems.push(...l.problems);
    layoutChecks = l.checks;
  } else {
    await reflow(label);
  }
  const pager = await page.evaluate(() => {
    const path = (a) => a && decodeURIComponent(new URL(a.href).pathname).replace(/^\//, '');
    return { prev: path(document.querySelector('.mb-pager a[rel=prev]')), next: path(document.querySelector('.mb-pager a[rel=next]')) };
  });
  if (darkLabel) {
    now = darkLabel;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1280, height: 720 });
    const dark = await audit(page, darkLabel);
    problems.push(...dark.lines);
    checks += dark.checks;
    await reflow(darkLabel);
  }
  await page.close();
  return { problems, checks, layoutChecks, pager, scans: darkLabel ? 2 : 1 };
}
/**
 * Tabs through every focus stop of `page` and reports each whose look does not change when
 * it receives keyboard focus (outline, shadow, colours or underline).
 */
export async function focusProblems(page, label) {
  const problems = [];
  let stops = 0;
  const total = await page.evaluate(() =>
    document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])').length);
  for (let i = 0; i < total; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const look = (el) => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join('|');
      };
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const focused = look(el);
      el.blur();
      const plain = look(el);
      el.focus({ focusVisible: true });
      return { same: focused === plain, what: el.outerHTML.slice(0, 120) };
    });
    if (!r) break;
    stops += 1;
    if (r.same) problems.push(`${label}: no visible focus style on ${r.what}`);
  }
  return { problems, stops };
}

/** Pages outside the reading order: search, the accessibility statement, the storage page, 404. */
export const OUTSIDE_READING_ORDER = ['hela-handboken.html', 'sok.html', 'tillganglighet.html', 'sparat.html', '404.html'];

/**
 * What is wrong with the reading order that the pages' previous/next links make: it must run
 * from the start page through every page of the sitemap (but OUTSIDE_READING_ORDER) to the
 * last, each page's "previous" pointing back to the page whose "next" led there. Returns the
 * problems and the order followed.
 */
export function readingOrderProblems(pagers, paths) {
  const problems = [];
  const order = [];
  const seen = new Set();
  let here = 'index.html';
  if (pagers[here]?.prev) problems.push(`the start page has a previous page: ${pagers[here].prev}`);
  while (here && !seen.has(here)) {
    seen.add(here);
    order.push(here);
    const next = pagers[here]?.next;
    if (next && pagers[next]?.prev !== here) problems.push(`${here} leads to ${next}, whose previous is ${pagers[next]?.prev}`);
    here = next;
  }
  if (here) problems.push(`the order returns to ${here}`);
  for (const p of paths) {
    if (OUTSIDE_READING_ORDER.includes(p)) {
      if (pagers[p]?.prev || pagers[p]?.next) problems.push(`${p} is outside the reading order but has previous/next`);
    } else if (!seen.has(p)) {
      problems.push(`${p} is not in the reading order (previous ${pagers[p]?.prev}, next ${pagers[p]?.next})`);
    }
  }
  return { problems, order };
}
