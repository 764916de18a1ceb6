/**
 * The built programs as child processes — the store (`packages/server/dist/cli.js`) and the demo
 * (`packages/demo/dist/cli.js`) — for tests, end-to-end specs, benchmarks and screenshot scripts alike: spawn one
 * with a clean environment, wait for its `listening on` banner, stop it. Plain JavaScript so that `.mjs` scripts can
 * use it without a build; TypeScript callers get its types from `store-process.d.mts`. Build first (`npm run build`;
 * `npm test` does).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const STORE_CLI = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
export const DEMO_CLI = fileURLToPath(new URL('../../packages/demo/dist/cli.js', import.meta.url));

// One registry per process, even when a test runner evaluates this module once per test file; a crashed benchmark
// or test worker must not leave a server listening.
const shared = (globalThis[Symbol.for('agl.store-process')] ??= { children: new Set(), exitHook: false });
const children = shared.children;
if (!shared.exitHook) {
  shared.exitHook = true;
  process.once('exit', () => killAll());
}

/** This process's environment without any AGL_* or npm_* variable (`npm test` sets npm's), plus `extra`. */
export function cleanEnv(extra = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AGL_') && !key.toLowerCase().startsWith('npm_')),
  );
  return { ...base, ...extra };
}

/** Spawns `node [nodeArgs] script [args]` with a clean environment and collects its output; returns at once. */
export function spawnProgram(script, args = [], options = {}) {
  const { env = {}, cwd, nodeArgs = [], echo = false } = options;
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: cleanEnv(env),
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    const text = chunk.toString('utf8');
    output += text;
    stdout += text;
    if (echo) process.stderr.write(text);
  });
  child.stderr.on('data', (chunk) => {
    const text = chunk.toString('utf8');
    output += text;
    stderr += text;
    if (echo) process.stderr.write(text);
  });
  // `close`, not `exit`: by then the pipes are drained, so `output()` holds everything the program wrote.
  const exited = new Promise((resolve) =>
    child.once('close', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const run = {
    child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    /** Sends `signal` (SIGTERM by default), escalates to SIGKILL after `graceMs`, resolves with the exit code. */
    async stop(signal = 'SIGTERM', graceMs = 5_000) {
      if (isRunning(child)) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
  return run;
}

const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/** SIGKILLs every program started here that is still running (tests call it after each test). */
export function killAll() {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
  children.clear();
}

const BANNER = /listening on http:\/\/([\w.:[\]-]+?):(\d+)/;

/**
 * Waits for the banner's `listening on http://host:port`; rejects with the output if the program exits or stays
 * silent for `timeoutMs`. `url` is on 127.0.0.1 (the banner may name another address it is bound to).
 */
export function waitForListening(run, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.child.stdout.off('data', check);
      fn();
    };
    const check = () => {
      // The banner is written in one piece, so the whole of it is there once its first line is.
      const match = BANNER.exec(run.output());
      if (!match) return;
      const port = Number(match[2]);
      settle(() => resolve({ url: `http://127.0.0.1:${port}`, port, bannerUrl: `http://${match[1]}:${port}` }));
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`no "listening on" banner within ${timeoutMs} ms:\n${run.output()}`))),
      timeoutMs,
    );
    run.child.stdout.on('data', check);
    void run.exited.then((code) =>
      settle(() =>
        reject(new Error(`${run.child.spawnargs.slice(1).join(' ')} exited with ${code}:\n${run.output()}`)),
      ),
    );
    check();
  });
}

/** Runs `script` on `host:port` (a free port unless given) and resolves once it listens; kills it if it never does. */
export async function startProgram(script, args = [], options = {}) {
  const { host = '127.0.0.1', port = await freePort(), timeoutMs, ...spawnOptions } = options;
  const run = spawnProgram(script, [...args, '--host', host, '--port', String(port)], spawnOptions);
  try {
    const listening = await waitForListening(run, timeoutMs);
    return { ...run, url: listening.url, port, bannerUrl: listening.bannerUrl };
  } catch (error) {
    run.child.kill('SIGKILL');
    throw error;
  }
}

/**
 * The store on a free loopback port: in memory unless `db` names a file. `args` adds flags (`--api-key`, …);
 * `nodeArgs` goes before the script (e.g. `--import` of a fault injector).
 */
export function startStore(options = {}) {
  const { db, args = [], ...rest } = options;
  return startProgram(STORE_CLI, [...(db === undefined ? ['--memory'] : ['--db', db]), ...args], rest);
}

/** The demo (a store filled by a simulated training run) on a free loopback port. */
export function startDemo(options = {}) {
  const { args = [], ...rest } = options;
  return startProgram(DEMO_CLI, args, rest);
}

/** A port that was free a moment ago (probed on all interfaces, so it is free on every loopback address too). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}
