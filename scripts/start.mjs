#!/usr/bin/env node
// `npm start` and `npm run demo`: build if anything changed since the last build (quietly, see
// build-if-needed.mjs), then run `agl-store` or `agl-demo` with the remaining arguments
// (`npm start -- --port 9000`). Signals go to the program and its exit code becomes ours.
// Usage: node scripts/start.mjs store|demo [options]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { buildIfNeeded } from './build-if-needed.mjs';

const PROGRAMS = { store: 'packages/server/dist/cli.js', demo: 'packages/demo/dist/cli.js' };
const root = new URL('..', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
if (!Object.hasOwn(PROGRAMS, name ?? '')) {
  process.stderr.write(`usage: node scripts/start.mjs ${Object.keys(PROGRAMS).join('|')} [options]\n`);
  process.exit(2);
}

buildIfNeeded('all');
const child = spawn(process.execPath, [join(root, PROGRAMS[name]), ...args], { stdio: 'inherit' });
// A terminal's Ctrl-C reaches the program directly as well; it treats a repeat within a second as the same one.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
// `kill <npm's pid>` ends npm's shell but not us: seeing our parent gone, stop the program as if told to.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && child.kill('SIGTERM'), 1000).unref();
