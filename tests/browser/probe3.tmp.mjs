import { serve, launch, TAGS, sitemapPaths } from './lib/harness.mjs';
import { AxeBuilder } from '@axe-core/playwright';
const root = process.argv[2];
const server = await serve(root);
const browser = await launch();
const context = await browser.newContext();
const key = (r) => JSON.stringify(['violations', 'passes', 'incomplete', 'inapplicable'].map((k) => r[k].map((v) => [v.id, v.nodes.map((n) => n.target.join(' ')).sort()]).sort()));
let same = 0; const diff = [];
const paths = process.argv[3] ? process.argv.slice(3) : [...sitemapPaths(root), '404.html'];
for (const p of paths) {
  const page = await context.newPage();
  await page.goto(`${server.origin}/${p}`);
  const a = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const b = await new AxeBuilder({ page }).withTags(TAGS).setLegacyMode(true).analyze();
  if (key(a) === key(b)) same++; else diff.push(p);
  await page.close();
}
console.log('same', same, 'differ', diff);
await browser.close(); await server.close();
