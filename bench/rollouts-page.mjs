#!/usr/bin/env node
/**
 * Rollouts page at scale: the built store (`--memory`) is filled with 100,000 rollouts through the API (concurrent
 * keep-alive requests; a share is started, run, finished, failed or retried so statuses vary), then headless Debian
 * Chromium (Playwright) measures
 *  - navigation → first rows painted (incl. the fetch and parse of the whole list and the row derivation),
 *  - sort, filter and search: trusted input event → the table showing the result → next paint,
 *  - the JS heap after load (CDP Runtime.getHeapUsage, before and after a forced GC),
 *  - an auto-refresh with nothing changed: the status of each poll, React commits that re-rendered the table or a
 *    component above it (counted from outside the app, through React's DevTools hook), and table DOM mutations,
 *  - for reference, an auto-refresh that brings one new rollout: response → rows repainted.
 * Prints a markdown section for docs/benchmarks.md on stdout. Build first (`npm run build`).
 * Usage: `node bench/rollouts-page.mjs [rolloutCount]`.
 */
import { cpus } from 'node:os';
import { launchChromium, startStore, call } from './harness.mjs';

const COUNT = Number(process.argv[2] ?? 100_000);
const LOAD_RUNS = 3;
const INTERACTION_RUNS = 5;
const CONCURRENCY = 48;
const log = (...args) => console.error('[rollouts-bench]', ...args);

/**
 * One rollout in one of five situations: half queued, a fifth running on a worker with a heartbeat, a tenth each
 * succeeded, failed, and failed-then-retried (a second attempt, so the row can expand).
 */
async function seedOne(url, i) {
  const body = {
    input: { question: `What is ${i} + ${i}?`, id: i },
    mode: ['train', 'val', 'test'][i % 3],
    resources_id: `rs-bench-${i % 4}`,
  };
  const kind = i % 10;
  if (kind < 5) return call(url, 'POST', '/queues/rollouts/enqueue', body);
  const retried = kind === 9;
  const started = await call(url, 'POST', '/rollouts', {
    ...body,
    config: retried ? { max_attempts: 2, retry_condition: ['failed'] } : null,
  });
  const attempt = `/rollouts/${started.rollout_id}/attempts/${started.attempt.attempt_id}`;
  const worker = `worker-${i % 16}`;
  if (kind <= 6) {
    return call(url, 'POST', attempt, { status: 'running', worker_id: worker, last_heartbeat_time: Date.now() / 1000 });
  }
  await call(url, 'POST', attempt, { status: kind === 7 ? 'succeeded' : 'failed', worker_id: worker });
  if (retried) await call(url, 'POST', `/rollouts/${started.rollout_id}/attempts`);
}

async function seed(url, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) await seedOne(url, next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${Math.round(value)} ms`;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/**
 * In the page before any script: a commit counter, the first-rows probe, and `__probe(condition)`, which resolves
 * with the time of the first paint after `condition()` holds.
 *
 * The counter stands in for React DevTools: React reports every commit to `__REACT_DEVTOOLS_GLOBAL_HOOK__`, in
 * production builds too. A commit counts when a component on the path from the root to the rollouts table rendered
 * in it (React's PerformedWork flag on a fiber that is new in this commit), i.e. when the page re-rendered the table,
 * rather than only a live clock cell or the footer's health probe.
 */
function pageInstrumentation() {
  const PERFORMED_WORK = 1;
  const COMPONENT_TAGS = new Set([0, 1, 11, 15]); // function, class, forwardRef, simple memo
  let previousPath = [];
  window.__tableCommits = 0;
  const pathTo = (fiber, target, path) => {
    for (let node = fiber; node; node = node.sibling) {
      path.push(node);
      if (node.stateNode === target || (node.child && pathTo(node.child, target, path))) return true;
      path.pop();
    }
    return false;
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject(renderer) {
      this.renderers.set(1, renderer);
      return 1;
    },
    onScheduleFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      const table = document.querySelector('[data-testid=rollouts-table]');
      const path = [];
      if (!table || !pathTo(root.current, table, path)) return;
      const rendered = path.some(
        (fiber, depth) =>
          COMPONENT_TAGS.has(fiber.tag) && (fiber.flags & PERFORMED_WORK) !== 0 && fiber !== previousPath[depth],
      );
      previousPath = path;
      if (rendered) window.__tableCommits++;
    },
  };
  const afterNextPaint = (resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
  window.__probe = (condition) =>
    new Promise((resolve) => {
      const check = () => {
        if (!condition()) return false;
        observer.disconnect();
        afterNextPaint(resolve);
        return true;
      };
      const observer = new MutationObserver(check);
      if (!check())
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  window.__firstRows = new Promise((resolve) => {
    const wait = () => {
      if (document.body && document.querySelector('[data-testid=rollout-row]')) afterNextPaint(resolve);
      else requestAnimationFrame(wait);
    };
    wait();
  });
  // The timestamp of the latest trusted input event: where an interaction starts.
  for (const type of ['click', 'input', 'keydown']) {
    addEventListener(type, (event) => (window.__inputAt = event.timeStamp), { capture: true });
  }
}

const countText = (page) => page.getByTestId('rollouts-count').innerText();

async function openPage(context, url) {
  const page = await context.newPage();
  await page.goto(`${url}/rollouts`);
  const painted = await page.evaluate(() => window.__firstRows);
  const list = await page.evaluate(() => {
    const entry = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/agl/v1/rollouts');
    return entry ? { responseEnd: entry.responseEnd, size: entry.decodedBodySize } : null;
  });
  return { page, painted, list };
}

/** Arms a probe, performs the trusted input, and returns input event → result painted. */
async function measure(page, arm, act, arg) {
  await page.evaluate(arm, arg);
  await act();
  return page.evaluate(async () => (await window.__pending) - window.__inputAt);
}

async function interactions(page) {
  const results = { sortPrepared: [], filter: [], search: [] };
  // Let the idle-time sort preparation finish, as it would while a person reads the first page.
  await page.waitForTimeout(3_000);
  const header = (name) => page.getByRole('columnheader', { name }).getByRole('button');
  const columns = ['Rollout', 'Duration', 'Status', 'Worker ID', 'Input'];
  for (let i = 0; i < INTERACTION_RUNS; i++) {
    const column = columns[i % columns.length];
    const armSort = (name) => {
      const first = document.querySelector('[data-testid=rollout-row]')?.getAttribute('data-key');
      window.__pending = window.__probe(() => {
        const th = [...document.querySelectorAll('th[aria-sort]')].find((el) => el.textContent.trim() === name);
        const now = document.querySelector('[data-testid=rollout-row]')?.getAttribute('data-key');
        return th && now !== first;
      });
    };
    results.sortPrepared.push(await measure(page, armSort, () => header(column).click(), column));
  }
  // Back to the default order for the filter and search runs.
  await page.reload();
  await page.evaluate(() => window.__firstRows);
  await page.waitForTimeout(1_000);

  const armCount = () => {
    const before = document.querySelector('[data-testid=rollouts-count]').textContent;
    window.__pending = window.__probe(
      () => document.querySelector('[data-testid=rollouts-count]').textContent !== before,
    );
  };
  const statusOptions = ['succeeded', 'failed', 'preparing', 'queuing', 'running'];
  for (let i = 0; i < INTERACTION_RUNS; i++) {
    await page.getByRole('textbox', { name: 'Status' }).click();
    const option = page.getByRole('option', { name: statusOptions[i], exact: true }).first();
    await option.waitFor();
    results.filter.push(await measure(page, armCount, () => option.click()));
    await page.keyboard.press('Escape');
  }
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid=rollouts-count]').textContent.includes('filtered'),
  );

  const search = page.getByRole('textbox', { name: 'Search' });
  const needles = ['ab', 'f0', '123', 'c4', 'dead'];
  for (let i = 0; i < INTERACTION_RUNS; i++) {
    results.search.push(await measure(page, armCount, () => search.fill(needles[i])));
  }
  await search.fill('');
  return results;
}

/** A cold sort: a column whose order was not prepared yet (clicked as soon as the first rows are painted). */
async function coldSort(context, url) {
  const { page } = await openPage(context, url);
  const result = await measure(
    page,
    () => {
      const first = document.querySelector('[data-testid=rollout-row]')?.getAttribute('data-key');
      window.__pending = window.__probe(
        () => document.querySelector('[data-testid=rollout-row]')?.getAttribute('data-key') !== first,
      );
    },
    () => page.getByRole('columnheader', { name: 'Rollout' }).getByRole('button').click(),
  );
  await page.close();
  return result;
}

async function heap(page) {
  const cdp = await page.context().newCDPSession(page);
  const before = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('HeapProfiler.collectGarbage');
  const after = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return { before: before.usedSize, after: after.usedSize };
}

/** Auto-refresh at 5 s with nothing changed: every poll should be a 304 that changes nothing on screen. */
async function idleRefresh(page, url, polls = 2) {
  const statuses = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/agl/v1/rollouts') statuses.push(r.status());
  });
  await page.evaluate(() => {
    window.__commitsAtStart = window.__tableCommits;
    window.__mutations = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        if (!target?.closest('[data-ticking]')) window.__mutations++;
      }
    }).observe(document.querySelector('[data-testid=rollouts-table]'), {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
  });
  const deadline = Date.now() + polls * 5_000 + 4_000;
  while (statuses.length < polls && Date.now() < deadline) await page.waitForTimeout(250);
  await page.waitForTimeout(300);
  const idleStatuses = [...statuses];
  const seen = await page.evaluate(() => ({
    commits: window.__tableCommits - window.__commitsAtStart,
    mutations: window.__mutations,
    longTasks: window.__longTasks,
  }));

  // For reference: one new rollout, picked up by the next poll.
  const before = await countText(page);
  await page.evaluate(() => {
    const start = document.querySelector('[data-testid=rollouts-count]').textContent;
    window.__pending = window.__probe(
      () => document.querySelector('[data-testid=rollouts-count]').textContent !== start,
    );
  });
  await call(url, 'POST', '/queues/rollouts/enqueue', { input: 'one more', mode: 'train' });
  const changed = await page.evaluate(async () => {
    const painted = await window.__pending;
    const entries = performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname === '/agl/v1/rollouts');
    return painted - entries[entries.length - 1].responseEnd;
  });
  return { statuses: idleStatuses, ...seen, changed, before, after: await countText(page) };
}

async function main() {
  const store = await startStore();
  const started = Date.now();
  log(`seeding ${COUNT} rollouts…`);
  await seed(store.url, COUNT);
  const seedSeconds = (Date.now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s`);

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.addInitScript((url) => {
      localStorage.setItem(
        'agl-dashboard.settings.v1',
        JSON.stringify({ serverConfig: { baseUrl: url, autoRefreshMs: 5_000 }, theme: { mode: 'light' } }),
      );
    }, store.url);
    await context.addInitScript(pageInstrumentation);

    const loads = [];
    let page;
    let list;
    for (let run = 0; run < LOAD_RUNS; run++) {
      page?.close();
      ({ page, painted: loads[run], list } = await openPage(context, store.url));
      log(`load ${run + 1}: ${ms(loads[run])}`);
    }
    const count = await countText(page);
    const memory = await heap(page);
    log(`heap ${mb(memory.before)} → ${mb(memory.after)} after GC`);
    const refresh = await idleRefresh(page, store.url);
    log('refresh', JSON.stringify(refresh));
    const timings = await interactions(page);
    log('interactions', JSON.stringify(timings));
    await page.close();
    const cold = await coldSort(context, store.url);

    const row = (name, values, target) =>
      `| ${name} | ${ms(median(values))} | ${ms(Math.max(...values))} | ${target} | ${median(values) < Number.parseInt(target.slice(2), 10) ? 'yes' : 'no'} |`;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`## Rollouts page: ${COUNT.toLocaleString('en-US')} rollouts

Built store (\`--memory\`) seeded through the API in ${seedSeconds.toFixed(0)} s (${CONCURRENCY} concurrent keep-alive
clients; 50 % queued, 20 % running, 10 % each succeeded, failed, retried). Headless Chromium (${cpu}, ${cpus().length}
cores), viewport 1600×1000. The page shows "${count}". The list response is ${mb(list?.size ?? 0)} of JSON.

| measure | median | worst | target | median meets it |
| --- | --- | --- | --- | --- |
${row(`navigation → first rows painted (${LOAD_RUNS} loads)`, loads, '< 2000 ms')}
${row(`sort, order prepared in idle time (${INTERACTION_RUNS} columns)`, timings.sortPrepared, '< 100 ms')}
${row('filter: Status option click → rows painted', timings.filter, '< 100 ms')}
${row('search: input → rows painted', timings.search, '< 100 ms')}
| sort, cold (clicked as the first rows appear) | ${ms(cold)} | ${ms(cold)} | (informative) | |

- List response fully received at ${ms(list?.responseEnd ?? 0)} after navigation on the last load; the rest of
  "first rows" is parsing, row derivation and the first render.
- JS heap after load: **${mb(memory.before)}** used, ${mb(memory.after)} after a forced GC (target < 300 MB).
- Auto-refresh every 5 s with nothing changed: polls answered ${refresh.statuses.join(', ')}; commits that
  re-rendered the table or a component above it: **${refresh.commits}**; table DOM mutations (live clocks excluded): **${refresh.mutations}**; long
  tasks: ${refresh.longTasks.length ? refresh.longTasks.map(ms).join(', ') : 'none'}.
- Auto-refresh that brings one new rollout ("${refresh.before}" → "${refresh.after}"): response received → rows
  repainted in ${ms(refresh.changed)} (parse, row derivation, re-sort of the current column and render).`);
  } finally {
    await browser.close();
    await store.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
