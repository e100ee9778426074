// Benchmark (not a test): recall of the search quality table (lib/search-quality.mjs) for a
// binary, so that a change to search can be compared with the one before it.
// Run: cd tests/browser && npm run bench:search-quality   (METODBOK_BIN=… for another build;
// EXAMPLE=… for another copy of the example site, e.g. one without content/search.yaml for a
// binary older than the search help)
// Prints each row's rank (0: not found) and recall at 1 and at 5 over the rows that expect a
// section; rows whose checks fail are marked, as the browser test would report them.

import { join } from 'node:path';
import { REPO, buildSite, serve, launch } from '../lib/harness.mjs';
import { runTable, recall } from '../lib/search-quality.mjs';

const handbook = await serve(buildSite());
const example = await serve(buildSite(process.env.EXAMPLE ?? join(REPO, 'examples', 'exempel-kommun')));
const browser = await launch();
const rows = await runTable(browser, { handbook: `${handbook.origin}/`, example: `${example.origin}/` });
console.table(rows.map((r) => ({ site: r.site ?? 'handbook', query: r.q, want: r.want ?? (r.none ? '(none)' : ''), rank: r.at, 'want ≤': r.rank ?? '', results: r.results, ok: r.problems.length ? 'NO' : 'yes' })));
const r = recall(rows);
console.log(`recall@1 ${r.at1}/${r.rows} (${(100 * r.at1 / r.rows).toFixed(0)} %), recall@5 ${r.at5}/${r.rows} (${(100 * r.at5 / r.rows).toFixed(0)} %); rows passing every check: ${rows.filter((x) => !x.problems.length).length}/${rows.length}`);
await browser.close();
await handbook.close();
await example.close();
