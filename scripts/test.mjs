#!/usr/bin/env node
// The one gate (`npm test`, also what CI runs): typecheck, lint, build, then every test suite — server, client and
// demo (Vitest, node), dashboard unit/browser/stories (Vitest, Chromium) and end-to-end (Playwright, Chromium) — and
// a closing `N passed, N failed` line summed over all of them. Each stage runs even if an earlier one failed, so one
// run shows everything that is broken; a failed non-test stage counts as one failure.
//
// What passes is what the gate says it checks:
//  - a focused test (`.only`) fails its stage (Vitest --allowOnly=false, Playwright --forbid-only);
//  - nothing is retried (Vitest --retry=0; Playwright's config has retries 0), and should a Playwright test still be
//    reported "flaky" (failed, then passed on a retry) it fails the run (--fail-on-flaky-tests), counts as failed
//    and is named in the summary;
//  - a test stage that runs zero tests, or leaves no report to count, fails;
//  - skipped tests do not fail the gate but are counted and named in the summary.
// `npm test -- server e2e` runs just those stages; an unknown stage name is an error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.test-results');
const STAGES = ['typecheck', 'lint', 'build', 'server', 'client', 'demo', 'dashboard', 'e2e'];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !STAGES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown stage ${unknown.join(', ')}; the stages are: ${STAGES.join(', ')}`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
let passed = 0;
let failed = 0;
const summary = [];

/**
 * Runs one stage. `readReport`, for test stages, returns `{ passed, failed, flaky: string[], skipped: string[] }`
 * from the runner's JSON report; flaky tests are already counted in `failed`.
 */
function run(name, cmd, args, readReport) {
  if (only.length > 0 && !only.includes(name)) return;
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!readReport) {
    if (status === 0) passed += 1;
    else failed += 1;
    summary.push(`${status === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds}s)`);
    return;
  }

  const { stagePassed, stageFailed, problems, skipped } = tally(readReport, status);
  passed += stagePassed;
  failed += stageFailed;
  const ok = status === 0 && stageFailed === 0;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds}s) ${stagePassed} passed, ${stageFailed} failed`);
  for (const problem of problems) summary.push(`     ${problem}`);
  if (skipped.length > 0) summary.push(`     ${skipped.length} skipped: ${skipped.slice(0, 5).join('; ')}`);
}

/** A test stage's counts from its report, with what makes it fail beyond failed tests. */
function tally(readReport, status) {
  let report;
  try {
    report = readReport();
  } catch {
    return {
      stagePassed: 0,
      stageFailed: 1,
      problems: [`no test report (the runner exited with ${status})`],
      skipped: [],
    };
  }
  const problems = [];
  let stageFailed = report.failed;
  if (report.passed + report.failed === 0) {
    stageFailed += 1;
    problems.push('ran zero tests');
  }
  // A runner that failed without failing a test (a crash, a focused test, a config error) still fails the stage.
  if (status !== 0 && stageFailed === 0) {
    stageFailed = 1;
    problems.push(`the runner exited with ${status}`);
  }
  for (const test of report.flaky) problems.push(`FLAKY (failed, then passed on a retry; counted as failed): ${test}`);
  return { stagePassed: report.passed, stageFailed, problems, skipped: report.skipped };
}

function vitestReport(file) {
  return () => {
    const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const skipped = report.testResults.flatMap((suite) =>
      suite.assertionResults
        .filter((test) => ['skipped', 'pending', 'todo'].includes(test.status))
        .map((test) => test.fullName),
    );
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
      flaky: [],
      skipped,
    };
  };
}

/** Every test of a Playwright JSON report with its outcome (`expected`, `unexpected`, `flaky`, `skipped`). */
function playwrightTests(suite, file = suite.file) {
  const here = (suite.specs ?? []).flatMap((spec) =>
    spec.tests.map((test) => ({ name: `${spec.file ?? file} › ${spec.title}`, status: test.status })),
  );
  return [...here, ...(suite.suites ?? []).flatMap((child) => playwrightTests(child, child.file ?? file))];
}

function playwrightReport(file) {
  return () => {
    const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const tests = report.suites.flatMap((suite) => playwrightTests(suite));
    const named = (status) => tests.filter((test) => test.status === status).map((test) => test.name);
    const s = report.stats;
    return {
      passed: s.expected,
      failed: s.unexpected + s.flaky + (report.errors?.length ?? 0),
      flaky: named('flaky'),
      skipped: named('skipped'),
    };
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
      '--allowOnly=false',
      '--retry=0',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(out, `${name}.json`)}`,
    ],
    vitestReport(`${name}.json`),
  );

run('typecheck', 'npm', ['run', 'typecheck']);
run('lint', 'npm', ['run', 'lint']);
run('build', 'npm', ['run', 'build']);
vitest('server', 'packages/server/vitest.config.ts');
vitest('client', 'packages/client/vitest.config.ts');
vitest('demo', 'packages/demo/vitest.config.ts');
vitest('dashboard', 'packages/dashboard/vitest.config.ts');
env.PLAYWRIGHT_JSON_OUTPUT_NAME = join(out, 'e2e.json');
run(
  'e2e',
  npx('playwright'),
  [
    'test',
    '-c',
    'packages/dashboard/playwright.config.ts',
    '--forbid-only',
    '--fail-on-flaky-tests',
    '--reporter=list,json',
  ],
  playwrightReport('e2e.json'),
);

console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
