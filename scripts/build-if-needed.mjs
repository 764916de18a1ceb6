// Builds only when something that goes into the build changed since the last build made here, so that
// `npm start`, `npm run demo` and `npm run dev` start in a second when nothing changed. "Changed" is a fingerprint
// of every input file's path, size and mtime, kept in node_modules/.cache (so `npm ci` starts afresh). The build's
// output is shown only if it fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stampDir = join(root, 'node_modules', '.cache', 'agl-build');

const NODE_PACKAGES = ['schemas', 'client', 'server', 'demo'];
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.base.json'];
const nodeInputs = NODE_PACKAGES.flatMap((name) => [
  `packages/${name}/src`,
  `packages/${name}/package.json`,
  `packages/${name}/tsconfig.json`,
]);

/** What each build produces and reads; `also` are targets that a successful build brings up to date too. */
const TARGETS = {
  all: {
    what: 'the dashboard and server',
    seconds: 30,
    command: ['npm', 'run', 'build'],
    outputs: ['packages/server/dist/cli.js', 'packages/demo/dist/cli.js', 'packages/server/public/index.html'],
    inputs: [
      ...SHARED_INPUTS,
      ...nodeInputs,
      'packages/dashboard/src',
      'packages/dashboard/public',
      'packages/dashboard/index.html',
      'packages/dashboard/package.json',
      'packages/dashboard/vite.config.ts',
      'packages/dashboard/postcss.config.cjs',
    ],
    also: ['node'],
  },
  node: {
    what: 'the server and demo',
    seconds: 10,
    command: ['npx', 'tsc', '-b', ...NODE_PACKAGES.map((name) => `packages/${name}`)],
    outputs: ['packages/server/dist/cli.js', 'packages/demo/dist/cli.js'],
    inputs: [...SHARED_INPUTS, ...nodeInputs],
    also: [],
  },
};

/** Never part of a build: test and story files next to the sources, screenshots of browser tests. */
const IGNORED_FILE = /\.(test|spec|stories)\.[cm]?[jt]sx?$/;
const IGNORED_DIR = new Set(['node_modules', 'dist', '__screenshots__', '.vitest-attachments']);

function listFiles(path, into) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return; // an optional input (postcss config, public folder) that this checkout does not have
  }
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (!IGNORED_DIR.has(entry)) listFiles(join(path, entry), into);
    }
  } else if (!IGNORED_FILE.test(path)) {
    into.push(`${path.slice(root.length)}:${stat.size}:${stat.mtimeMs}`);
  }
}

function fingerprint(target) {
  const files = [];
  for (const input of target.inputs) listFiles(join(root, input), files);
  return createHash('sha256').update(files.join('\n')).digest('hex');
}

const stampPath = (name) => join(stampDir, `${name}.txt`);
const readStamp = (name) => (existsSync(stampPath(name)) ? readFileSync(stampPath(name), 'utf8') : null);

/** Builds `name` ('all' or 'node') unless its outputs exist and its inputs are as they were at the last build. */
export function buildIfNeeded(name) {
  const target = TARGETS[name];
  const current = fingerprint(target);
  const built = target.outputs.every((output) => existsSync(join(root, output)));
  const stamp = readStamp(name);
  if (built && stamp === current) return;

  process.stderr.write(
    built && stamp !== null
      ? `sources changed since the last build: rebuilding ${target.what} (~${target.seconds} s)…\n`
      : `building ${target.what} (first start, ~${target.seconds} s)…\n`,
  );
  // Fingerprints taken before building: a file edited while the build ran makes the next start build again.
  const others = target.also.map((other) => [other, fingerprint(TARGETS[other])]);
  const [command, ...args] = target.command;
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.stderr.write(`the build failed (${target.command.join(' ')}); see above\n`);
    process.exit(1);
  }
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stampPath(name), current);
  for (const [other, print] of others) writeFileSync(stampPath(other), print);
}
