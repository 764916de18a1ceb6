#!/usr/bin/env node
/**
 * `agl-demo`: a LightningStore with its own in-memory store (a user's database is never touched by simulated
 * data) and a simulated training run filling it over HTTP, like any trainer and runners would.
 */
import { buildApp } from '@agl/server';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  HELP_FLAG,
  HOST_FLAG,
  LOG_LEVEL_FLAG,
  PORT_FLAG,
  exposureWarning,
  loggerOptions,
  readCommandLine,
  readInteger,
  readLogLevel,
  readPort,
  readPositiveNumber,
  renderHelp,
  runCli,
  serve,
  type FlagSpec,
} from '@agl/server/cli';
import { startDemo, type DemoHandle } from './index.js';

const DEFAULT_SEED = 42;

const DEMO_FLAGS: readonly FlagSpec[] = [
  HOST_FLAG,
  PORT_FLAG,
  LOG_LEVEL_FLAG,
  {
    name: 'speed',
    kind: 'string',
    placeholder: '<x>',
    example: '3',
    defaultText: '1',
    help: 'time scale of the run: 3 runs three times faster than real time',
  },
  {
    name: 'seed',
    kind: 'string',
    placeholder: '<n>',
    example: '7',
    defaultText: String(DEFAULT_SEED),
    help: 'the same seed replays the same run',
  },
  HELP_FLAG,
];

await runCli('agl-demo', async () => {
  const cli = readCommandLine(DEMO_FLAGS, process.argv.slice(2), process.env);
  if (cli.flag('help')) {
    process.stdout.write(
      renderHelp('Usage: agl-demo [options]   (through npm: npm run demo -- [options])', DEMO_FLAGS),
    );
    return;
  }
  const host = cli.text('host') ?? DEFAULT_HOST;
  const port = readPort(cli, 'port', DEFAULT_PORT);
  const logLevel = readLogLevel(cli, 'log-level', 'info');
  const speed = readPositiveNumber(cli, 'speed') ?? 1;
  const seed = readInteger(cli, 'seed', 0) ?? DEFAULT_SEED;

  const app = await buildApp({
    storage: { kind: 'memory' },
    logger: loggerOptions(logLevel),
    requestLogging: logLevel === 'debug' || logLevel === 'trace',
    bindHost: host,
  });
  let demo: DemoHandle | null = null;
  const { url, localUrl } = await serve(app, {
    host,
    port,
    details: (url) => [
      `storage:   in memory, filled by a simulated training run (speed ${speed}, seed ${seed})`,
      `dashboard: ${url}/`,
      `API docs:  ${url}/docs`,
    ],
    beforeClose: () => demo?.stop() ?? Promise.resolve(),
  });
  const warning = exposureWarning(host, Number(new URL(url).port), false, null);
  if (warning) process.stderr.write(`agl-demo: ${warning}\n`);

  // The run talks to the store over HTTP like any trainer and runner (a wildcard bind is reached via loopback).
  demo = startDemo({ baseUrl: localUrl, speed, seed, log: (line) => process.stdout.write(`[demo] ${line}\n`) });
  demo.done.catch((error: unknown) => process.stderr.write(`[demo] stopped: ${String(error)}\n`));
});
