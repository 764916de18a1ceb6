/**
 * Mistakes when starting the built CLI: each ends in exactly one `agl-store: …` line that says what to do, exit
 * code 2 for a usage mistake and 1 for a store that cannot start, and never a stack trace unless `--debug`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, STORE_CLI } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'agl-cli-usage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI from a scratch directory (a mistake must never leave a database behind) and waits for its exit. */
async function attempt(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const run = runCli(STORE_CLI, args, { env, cwd: scratch });
  const code = await run.exited;
  return { code, out: run.output() };
}

/** One line, naming the program, with no stack frames. */
function expectOneLine(out: string, pattern: RegExp): void {
  expect(out).toMatch(/^agl-store: [^\n]+\n$/);
  expect(out).toMatch(pattern);
  expect(out).not.toMatch(/^\s+at /m);
}

interface UsageCase {
  name: string;
  args: string[];
  env?: Record<string, string>;
  says: RegExp;
}

const USAGE_CASES: UsageCase[] = [
  {
    name: 'a mistyped flag names the closest real one and --help',
    args: ['--prot', '9000'],
    says: /unknown option --prot; did you mean --port\? .*--help/,
  },
  {
    name: 'a short form is matched by its first letters',
    args: ['-m'],
    says: /unknown option -m; did you mean --memory\?/,
  },
  {
    name: '`npm start --port 9000` (npm kept --port, 9000 came through) says to put -- first',
    args: ['9000'],
    env: { npm_lifecycle_event: 'start', npm_config_port: 'true' },
    says: /npm kept --port for itself.*run npm start -- --port 9000$/m,
  },
  {
    name: 'through another npm script, names that script',
    args: ['debug'],
    env: { npm_lifecycle_event: 'demo', npm_config_log_level: 'true' },
    says: /run npm run demo -- --log-level debug$/m,
  },
  {
    name: 'an API key that npm passed on as an argument is not echoed back',
    args: ['s3cret-key'],
    env: { npm_lifecycle_event: 'start', npm_config_api_key: 'true' },
    says: /^agl-store: npm kept --api-key for itself \(options after 'npm start' need a -- first\): run npm start -- --api-key <key>\n$/,
  },
  {
    name: '`npm start --memory` (the switch never arrives) is not silently a SQLite store',
    args: [],
    env: { npm_lifecycle_event: 'start', npm_config_memory: 'true' },
    says: /npm kept --memory for itself.*run npm start -- --memory$/m,
  },
  {
    name: 'a stray argument outside npm',
    args: ['9000'],
    says: /unexpected argument '9000': options start with --/,
  },
  { name: 'a flag at the end without its value', args: ['--port'], says: /--port needs a value, e.g. --port 4747$/m },
  {
    name: 'a flag followed by another flag instead of its value',
    args: ['--db', '--memory'],
    says: /--db needs a value, e.g. --db \.\/agl-store\.db$/m,
  },
  { name: 'an empty inline value', args: ['--port='], says: /--port needs a value/ },
  { name: 'a switch given a value', args: ['--memory=yes'], says: /--memory takes no value/ },
  {
    name: '--memory with --db',
    args: ['--memory', '--db', 'x.db'],
    says: /--memory and --db contradict each other/,
  },
  {
    name: 'AGL_MEMORY=1 with --db',
    args: ['--db', 'x.db'],
    env: { AGL_MEMORY: '1' },
    says: /AGL_MEMORY=1 and --db contradict each other/,
  },
  {
    name: 'AGL_DB_URL with --db',
    args: ['--db', 'x.db'],
    env: { AGL_DB_URL: 'postgres://agl@db:5432/agl' },
    says: /--db and AGL_DB_URL contradict each other/,
  },
  {
    name: '--db-url that is not a PostgreSQL URL',
    args: ['--db-url', 'mysql://agl:s3cret@db/agl'],
    says: /--db-url must be a URL like postgres:\/\/user:password@host:5432\/database$/m,
  },
  {
    name: 'an unknown log level lists the valid ones',
    args: ['--log-level', 'bogus'],
    says: /--log-level must be one of fatal, error, warn, info, debug, trace, silent; got 'bogus'/,
  },
  {
    name: 'an unknown log level from the environment names the variable',
    args: ['--memory'],
    env: { AGL_LOG_LEVEL: 'loud' },
    says: /AGL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/,
  },
  { name: 'a port out of range', args: ['--port', '70000'], says: /--port must be a port number from 0 to 65535/ },
  { name: 'a port that is not a number', args: ['--port', 'abc'], says: /--port must be a port number.*'abc'/ },
  {
    name: 'a bad port in the environment',
    args: ['--memory'],
    env: { AGL_SERVER_PORT: '47x' },
    says: /AGL_SERVER_PORT must be a port number.*'47x'/,
  },
  {
    name: 'a zero body limit',
    args: ['--body-limit-mb', '0'],
    says: /--body-limit-mb must be a number greater than 0/,
  },
  {
    name: 'a body limit that is not a number',
    args: ['--memory'],
    env: { AGL_BODY_LIMIT_MB: 'lots' },
    says: /AGL_BODY_LIMIT_MB must be a number greater than 0, got 'lots'/,
  },
  {
    name: 'a fractional connection limit',
    args: ['--max-connections', '1.5'],
    says: /--max-connections must be a whole number of at least 1/,
  },
  {
    name: 'a negative connection limit from the environment',
    args: ['--memory'],
    env: { AGL_MAX_CONNECTIONS: '-3' },
    says: /AGL_MAX_CONNECTIONS must be a whole number of at least 1, got '-3'/,
  },
  {
    name: 'a request timeout that is not a number',
    args: ['--request-timeout-s', 'soon'],
    says: /--request-timeout-s must be a number greater than 0/,
  },
  {
    name: 'a zero request timeout from the environment',
    args: ['--memory'],
    env: { AGL_REQUEST_TIMEOUT_S: '0' },
    says: /AGL_REQUEST_TIMEOUT_S must be a number greater than 0/,
  },
  {
    name: 'AGL_MEMORY that is neither 1 nor 0',
    args: [],
    env: { AGL_MEMORY: 'yes' },
    says: /AGL_MEMORY must be 1 or 0/,
  },
];

describe('a usage mistake: one line, exit code 2', () => {
  it.each(USAGE_CASES)('$name', async ({ args, env, says }) => {
    const { code, out } = await attempt(args, env);
    expectOneLine(out, says);
    expect(code).toBe(2);
  });
});

describe('a store that cannot start: one line, exit code 1', () => {
  const unopenable = () => join(scratch, 'no-such-directory', 'store.db');

  it('a database that cannot be opened is reported without a stack trace', async () => {
    const { code, out } = await attempt(['--db', unopenable()]);
    expectOneLine(out, /^agl-store: \S/);
    expect(out).not.toMatch(/cannot start|Error:/);
    expect(code).toBe(1);
  });

  it('--debug adds the stack trace', async () => {
    const { code, out } = await attempt(['--db', unopenable(), '--debug']);
    expect(out).toMatch(/^agl-store: [^\n]+\n/);
    expect(out).toMatch(/^\s+at /m);
    expect(code).toBe(1);
  });
});

describe('--help', () => {
  it('lists every flag with its environment variable and default, and exits 0', async () => {
    const { code, out } = await attempt(['--help']);
    expect(code).toBe(0);
    const expected: [string, string | null, string | null][] = [
      ['--host <addr>', 'AGL_SERVER_HOST', '127.0.0.1'],
      ['--port <n>', 'AGL_SERVER_PORT', '4747'],
      ['--db <file>', 'AGL_DB_PATH', './agl-store.db'],
      ['--db-url <url>', 'AGL_DB_URL', null],
      ['--memory', 'AGL_MEMORY=1', null],
      ['--upstream <url>', 'AGL_UPSTREAM_URL', null],
      ['--api-key <key>', 'AGL_KEY', null],
      ['--allowed-host <name>', 'AGL_ALLOWED_HOSTS (comma-separated)', null],
      ['--cors-origin <url>', 'AGL_CORS_ORIGINS (comma-separated)', null],
      ['--log-level <level>', 'AGL_LOG_LEVEL', 'info'],
      ['--body-limit-mb <n>', 'AGL_BODY_LIMIT_MB', '64'],
      ['--max-connections <n>', 'AGL_MAX_CONNECTIONS', 'chosen by the server'],
      ['--request-timeout-s <s>', 'AGL_REQUEST_TIMEOUT_S', 'chosen by the server'],
      ['--debug', null, null],
      ['--help', null, null],
    ];
    const flagLines = out.split('\n').filter((line) => /^ {2}--/.test(line));
    expect(flagLines.map((line) => line.trim().split(/\s{2,}/)[0])).toEqual(expected.map(([flag]) => flag));
    for (const [flag, env, fallback] of expected) {
      const block = out.slice(out.indexOf(`  ${flag} `) + 1).split(/\n {2}--/)[0]!;
      if (env) expect(block, flag).toContain(`env ${env}`);
      if (fallback) expect(block, flag).toContain(`default ${fallback}`);
    }
  });
});
