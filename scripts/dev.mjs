#!/usr/bin/env node
// `npm run dev`: the dashboard's Vite dev server (hot reload) in front of `agl-demo` on port 4747, which the dev
// server proxies /agl, /v1 and /docs to (packages/dashboard/vite.config.ts). Extra arguments go to agl-demo
// (`npm run dev -- --speed 3`). Ctrl-C stops both; if either stops on its own, the other is stopped too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded } from './build-if-needed.mjs';

const STORE_PORT = 4747;
const root = new URL('..', import.meta.url).pathname;

// The dashboard is served from its sources; only the store and the simulator need a build.
buildIfNeeded('node');
process.stdout.write(
  `dev: open Vite's URL below for the dashboard with hot reload (the store on ${STORE_PORT} serves the last build)\n`,
);
const demo = spawn(
  process.execPath,
  [join(root, 'packages/demo/dist/cli.js'), '--port', String(STORE_PORT), ...process.argv.slice(2)],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
// Vite clears the screen on start by default, which would wipe the store's banner.
const vite = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), '--clearScreen', 'false'], {
  cwd: join(root, 'packages/dashboard'),
  stdio: 'inherit',
  env: { ...process.env, AGL_DEV_STORE_URL: `http://127.0.0.1:${STORE_PORT}` },
});

const children = [demo, vite];
let exitCode = 0;
const stopAll = (signal) => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const child of children) {
  child.on('exit', (code) => {
    if (code) exitCode = code;
    stopAll('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
  });
}
// A terminal's Ctrl-C reaches both directly as well; agl-demo treats a repeat within a second as the same one.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal));
