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

/** axe's violations of the WCAG 2.0/2.1 A and AA rules on `page`, as readable lines. */
export async function audit(page, label) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
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
 * Runs checkPage on every path served at `origin`, with scripts, without scripts and in dark
 * mode, two pages at a time (the machine has two cores). Returns the problems found, the
 * number of axe rule checks and page scans, and the modes' names.
 */
export async function auditAll(browser, origin, paths) {
  const modes = [
    ['with scripts', () => browser.newContext({ colorScheme: 'light' }), false],
    ['without scripts', () => scriptlessContext(browser, { colorScheme: 'light' }), true],
    ['dark mode', () => browser.newContext({ colorScheme: 'dark' }), false],
  ];
  const problems = [];
  let checks = 0;
  let scans = 0;
  for (const [mode, makeContext, scriptless] of modes) {
    const context = await makeContext();
    const queue = [...paths];
    const worker = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const r = await checkPage(context, `${origin}/${path}`, { origin, scriptless, label: `${path} (${mode})` });
        problems.push(...r.problems);
        checks += r.checks;
        scans += 1;
      }
    };
    await Promise.all([worker(), worker()]);
    await context.close();
  }
  return { problems, checks, scans, modes: modes.map((m) => m[0]) };
}

/**
 * Opens `url` in `context` and returns every problem the gate looks for on one page:
 * axe violations, sideways scrolling at 320 px, scripts left where none should run, and
 * requests to any origin but `origin` (or failed ones).
 */
export async function checkPage(context, url, { origin, scriptless = false, label = url }) {
  const problems = [];
  const page = await context.newPage();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.origin !== origin) problems.push(`${label}: requests ${r.url()} from another host`);
  });
  page.on('requestfailed', (r) => problems.push(`${label}: request for ${r.url()} failed (${r.failure()?.errorText})`));
  const response = await page.goto(url);
  if (!response || response.status() !== 200) problems.push(`${label}: answered ${response?.status()}`);
  if (scriptless) {
    const left = await page.evaluate(() => document.scripts.length);
    if (left > 0) problems.push(`${label}: ${left} script(s) left after removing scripts`);
  }
  const result = await audit(page, label);
  problems.push(...result.lines);
  await page.setViewportSize({ width: 320, height: 720 });
  const overflow = await horizontalOverflow(page);
  if (overflow > 0) problems.push(`${label}: scrolls sideways by ${overflow} px at a 320 px wide viewport`);
  await page.close();
  return { problems, checks: result.checks };
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
