#!/usr/bin/env node
// Reports the dashboard's initial JS — the entry chunk plus every chunk it statically imports, i.e. what the
// browser must download before the first paint — raw and gzip, from the built packages/server/public (Vite
// manifest). Lazy chunks (pages, code-highlight) are listed separately. Prints a markdown table to stdout.
// Usage: node bench/bundle-size.mjs [buildDir]
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TARGET_GZIP_KB = 300;
const buildDir = process.argv[2] ?? new URL('../packages/server/public', import.meta.url).pathname;
const manifestPath = join(buildDir, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`No Vite manifest at ${manifestPath}; build the dashboard first (npm run build -w @agl/dashboard).`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) {
  console.error('The manifest has no entry chunk.');
  process.exit(1);
}

// Walk static imports from the entry; dynamic imports are what is deferred.
const initial = new Set();
const initialCss = new Set();
const stack = [entryKey];
while (stack.length > 0) {
  const key = stack.pop();
  if (initial.has(key)) continue;
  initial.add(key);
  for (const css of manifest[key].css ?? []) initialCss.add(css);
  stack.push(...(manifest[key].imports ?? []));
}

function size(file) {
  const bytes = readFileSync(join(buildDir, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
const kb = (n) => (n / 1024).toFixed(1);

const initialFiles = [...initial].map((key) => manifest[key].file);
const lazyFiles = Object.keys(manifest)
  .filter((key) => !initial.has(key) && manifest[key].file.endsWith('.js'))
  .map((key) => manifest[key].file);

const rows = [];
const total = (files) =>
  files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const initialJs = total(initialFiles);
const css = total([...initialCss]);
const lazy = total(lazyFiles);

console.log('| dashboard bundle | files | raw KB | gzip KB |');
console.log('| --- | ---: | ---: | ---: |');
rows.push(['initial JS (entry + static imports)', initialFiles.length, initialJs]);
rows.push(['initial CSS', initialCss.size, css]);
rows.push(['lazy JS (pages, code-highlight, …)', lazyFiles.length, lazy]);
for (const [label, count, s] of rows) console.log(`| ${label} | ${count} | ${kb(s.raw)} | ${kb(s.gzip)} |`);
console.log('');
console.log(
  `Initial JS: ${kb(initialJs.gzip)} KB gzip — ${initialJs.gzip / 1024 < TARGET_GZIP_KB ? 'within' : 'OVER'} the ${TARGET_GZIP_KB} KB target.`,
);
