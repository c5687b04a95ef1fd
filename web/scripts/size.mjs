// The first load's JavaScript: every script and modulepreload that
// dist/index.html names, raw and gzip-compressed (level 9, about what a CDN
// sends). Fails above the budget: 300 kB compressed.
// Usage: node scripts/size.mjs
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1000;
const html = readFileSync('dist/index.html', 'utf8');
const files = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
let raw = 0;
let gz = 0;
for (const file of new Set(files)) {
  const bytes = readFileSync(`dist/${file}`);
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  console.log(`${file.padEnd(28)} ${String(bytes.length).padStart(9)} B  ${String(z).padStart(8)} B gzip`);
}
console.log(`initial JavaScript: ${raw} B, ${gz} B gzip (budget ${BUDGET} B gzip)`);
if (gz > BUDGET) {
  console.error('over the budget');
  process.exit(1);
}
