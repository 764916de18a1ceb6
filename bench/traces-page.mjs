#!/usr/bin/env node
/**
 * Traces page at scale: the built store (`--memory`) gets one attempt with 10,000 spans written through
 * `POST /spans`, then headless Debian Chromium (Playwright) measures
 *  - time to render the tree (navigation start → the 10,000-span tree on screen, incl. fetch and tree build),
 *  - collapse-all and expand-all (click → next paint),
 *  - scroll interaction-to-paint (scrollTop jump → virtualised rows re-rendered → next paint).
 * Prints a markdown section for docs/benchmarks.md on stdout. Build first (`npm run build`).
 * Usage: `node bench/traces-page.mjs [spanCount]`.
 */
import { cpus } from 'node:os';
import { makeSpan } from '../scripts/lib/spans.mjs';
import { launchChromium, startStore, call } from './harness.mjs';

const SPANS = Number(process.argv[2] ?? 10_000);
const RUNS = 3;
const SCROLL_STEPS = 30;

/** An agent run shaped like real ones: steps with an LLM call, tool calls and a reward every 50 steps. */
function makeSpans(count, rolloutId, attemptId) {
  const t0 = Date.now() / 1000 - count * 0.01;
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spans = [];
  const add = (parent, name, start, end, attributes = {}) => {
    const seq = spans.length + 1;
    const spanId = seq.toString(16).padStart(16, '0');
    spans.push(
      makeSpan(rolloutId, attemptId, seq, {
        trace_id: traceId,
        span_id: spanId,
        parent_id: parent,
        name,
        status: { status_code: seq % 97 === 0 ? 'ERROR' : 'OK', description: null },
        attributes,
        start_time: t0 + start,
        end_time: t0 + end,
        resource: { attributes: { 'service.name': 'bench' }, schema_url: '' },
      }),
    );
    return spanId;
  };
  const root = add(null, 'agent.run', 0, count * 0.01 + 1);
  for (let step = 0; spans.length < count; step += 1) {
    const at = step * 0.05;
    const stepId = add(root, `agent.step ${step}`, at, at + 0.045);
    for (let k = 0; k < 4 && spans.length < count; k += 1) {
      const s = at + k * 0.01;
      if (k === 0) {
        add(stepId, 'openai.chat.completion', s, s + 0.008, {
          'gen_ai.request.model': 'bench-model',
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': `step ${step}: what next?`,
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.content': 'call a tool',
          'gen_ai.usage.prompt_tokens': 100,
          'gen_ai.usage.completion_tokens': 20,
        });
      } else if (k === 3 && step % 50 === 49) add(stepId, 'agentlightning.reward', s, s + 0.0005, { reward: 0.5 });
      else add(stepId, `tool.call_${k}`, s, s + 0.004, { 'tool.name': `tool_${k}` });
    }
  }
  return spans;
}

async function seed(url) {
  const rollout = await call(url, 'POST', '/rollouts', { input: { bench: 'traces-page' } });
  const spans = makeSpans(SPANS, rollout.rollout_id, rollout.attempt.attempt_id);
  const started = Date.now();
  // A few writers in parallel, like several exporters of one runner.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < spans.length) await call(url, 'POST', '/spans', spans[next++]);
    }),
  );
  return { rollout, seedSeconds: (Date.now() - started) / 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${Math.round(x)} ms`;

/** Runs in the page: wait until `done()` holds after `act()`, then for the next frame to be painted. */
// Callbacks passed to page.evaluate run in the browser; this file is linted as Node code, hence globalThis.
async function timeToPaint(page, action) {
  return page.evaluate(async (kind) => {
    const rows = () => globalThis.document.querySelectorAll('[role="treeitem"]').length;
    const scroller = globalThis.document.querySelector('[data-testid="span-tree-scroller"]');
    const button = (label) => [...document.querySelectorAll('button')].find((b) => b.textContent.includes(label));
    const firstId = () => globalThis.document.querySelector('[role="treeitem"]')?.getAttribute('data-span-id');
    const before = firstId();
    const t0 = performance.now();
    let done;
    if (kind === 'collapse') {
      button('Collapse all').click();
      done = () => rows() <= 2;
    } else if (kind === 'expand') {
      button('Expand all').click();
      done = () => rows() > 2;
    } else {
      scroller.scrollTop += 3_000;
      done = () => firstId() !== before;
    }
    await new Promise((resolve) => {
      const check = () => (done() ? resolve() : globalThis.requestAnimationFrame(check));
      check();
    });
    // The frame that shows the change: after the next animation frame has run and been committed.
    await new Promise((resolve) => globalThis.requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - t0;
  }, action);
}

async function main() {
  const store = await startStore();
  try {
    const { seedSeconds } = await seed(store.url);
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript((url) => {
      const settings = { serverConfig: { baseUrl: url, autoRefreshMs: 0 }, theme: { mode: 'light' } };
      localStorage.setItem('agl-dashboard.settings.v1', JSON.stringify(settings));
    }, store.url);
    const page = await context.newPage();

    const renders = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.goto(`${store.url}/traces`);
      await page
        .getByTestId('span-count')
        .filter({ hasText: SPANS.toLocaleString('en-US') })
        .waitFor();
      await page.getByRole('treeitem').first().waitFor();
      renders.push(
        await page.evaluate(() => new Promise((r) => globalThis.requestAnimationFrame(() => r(performance.now())))),
      );
    }
    const domRows = await page.getByRole('treeitem').count();

    const collapse = [];
    const expand = [];
    for (let i = 0; i < 5; i += 1) {
      collapse.push(await timeToPaint(page, 'collapse'));
      expand.push(await timeToPaint(page, 'expand'));
    }
    const scroll = [];
    for (let i = 0; i < SCROLL_STEPS; i += 1) scroll.push(await timeToPaint(page, 'scroll'));
    const chromiumVersion = browser.version();
    await browser.close();

    console.log(`## Traces page: ${SPANS.toLocaleString('en-US')} spans on one attempt

Built store (\`--memory\`), spans written with \`POST /spans\` (8 parallel writers, ${seedSeconds.toFixed(1)} s),
headless Chromium ${chromiumVersion}, 1440×900, ${cpus().length} cores. \`node bench/traces-page.mjs\`.

| measure | median | worst / p95 |
| --- | --- | --- |
| render the tree (navigation → ${SPANS.toLocaleString('en-US')}-span tree painted, incl. fetch + build), ${RUNS} loads | ${ms(median(renders))} | ${ms(Math.max(...renders))} |
| collapse all (click → painted), 5 runs | ${ms(median(collapse))} | ${ms(Math.max(...collapse))} |
| expand all (click → painted), 5 runs | ${ms(median(expand))} | ${ms(Math.max(...expand))} |
| scroll 3,000 px (scroll → new rows painted), ${SCROLL_STEPS} steps | ${ms(median(scroll))} | ${ms(p95(scroll))} |

Rows in the DOM with all ${SPANS.toLocaleString('en-US')} spans expanded: ${domRows} (virtualised).
`);
  } finally {
    await store.stop();
  }
}

await main();
