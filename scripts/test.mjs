#!/usr/bin/env node
// The one gate (`npm test`, also what CI runs): typecheck, lint, build, then every test suite — server, client
// and demo (Vitest, node), dashboard unit/browser/stories (Vitest, Chromium) and end-to-end (Playwright, Chromium) — and a
// closing `N passed, N failed` line summed over all of them. Each stage runs even if an earlier one failed, so one
// run shows everything that is broken; a failed non-test stage counts as one failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const only = process.argv.slice(2); // e.g. `npm test -- server e2e` runs just those stages
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
let passed = 0;
let failed = 0;
const summary = [];

function run(name, cmd, args, count) {
  if (only.length > 0 && !only.includes(name)) return;
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts = null;
  if (count) {
    try {
      counts = count();
    } catch {
      counts = null;
    }
  }
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    // A runner that crashed after writing partial results still fails the stage.
    if (result.status !== 0 && counts.failed === 0) failed += 1;
  } else if (result.status === 0) {
    if (!count) passed += 1;
  } else {
    failed += 1;
  }
  summary.push(
    `${result.status === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds}s)${counts ? ` ${counts.passed} passed, ${counts.failed} failed` : ''}`,
  );
}

function vitestCounts(file) {
  return () => {
    const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
    return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) };
  };
}

function playwrightCounts(file) {
  return () => {
    const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const s = report.stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected + (report.errors?.length ?? 0) };
  };
}

const npx = (bin) => join(root, 'node_modules', '.bin', bin);
const vitest = (name, config) =>
  run(
    name,
    npx('vitest'),
    [
      'run',
      '--config',
      config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(out, `${name}.json`)}`,
    ],
    vitestCounts(`${name}.json`),
  );

run('typecheck', 'npm', ['run', 'typecheck']);
run('lint', 'npm', ['run', 'lint']);
run('build', 'npm', ['run', 'build']);
vitest('server', 'packages/server/vitest.config.ts');
if (existsSync(join(root, 'packages/client/vitest.config.ts'))) vitest('client', 'packages/client/vitest.config.ts');
if (existsSync(join(root, 'packages/demo/vitest.config.ts'))) vitest('demo', 'packages/demo/vitest.config.ts');
if (existsSync(join(root, 'packages/dashboard/vitest.config.ts')))
  vitest('dashboard', 'packages/dashboard/vitest.config.ts');
if (existsSync(join(root, 'packages/dashboard/playwright.config.ts'))) {
  env.PLAYWRIGHT_JSON_OUTPUT_NAME = join(out, 'e2e.json');
  run(
    'e2e',
    npx('playwright'),
    ['test', '-c', 'packages/dashboard/playwright.config.ts', '--reporter=list,json'],
    playwrightCounts('e2e.json'),
  );
}

console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
