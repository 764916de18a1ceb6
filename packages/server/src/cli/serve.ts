/**
 * What `agl-store` and `agl-demo` share once their options are read: turning failures into one line and an exit
 * code, listening with an explanation when the port is taken, the start banner, and a clean stop on Ctrl-C.
 */
import type { FastifyInstance } from 'fastify';
import { isLoopbackName } from '../http/guard.js';
import { UsageError } from './flags.js';

/** A failure to start that the user can act on; its message is the whole story (exit code 1). */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunState {
  /** Set by `main` once it knows: a startup failure then also prints its stack. */
  debug: boolean;
}

/**
 * Runs a CLI's `main`: a `UsageError` exits 2, any other failure (a database that cannot be opened, a port in use)
 * exits 1, each as one `program: message` line, with the stack only under `--debug`.
 */
export async function runCli(program: string, main: (state: RunState) => Promise<void>): Promise<void> {
  const state: RunState = { debug: false };
  try {
    await main(state);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${program}: ${message}\n`);
    if (error instanceof UsageError) process.exit(2);
    if (state.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  }
}

export interface ServeOptions {
  host: string;
  port: number;
  /** Lines printed under "LightningStore listening on <url>" (the first line other tools wait for). */
  details: (url: string) => string[];
  /** Runs before the server closes on Ctrl-C or SIGTERM, e.g. the demo stopping its runners. */
  beforeClose?: () => Promise<void>;
}

export interface Served {
  /** The address as bound, for people: `http://0.0.0.0:4747` for a wildcard bind. */
  url: string;
  /** An address this process can call itself on (loopback for a wildcard bind). */
  localUrl: string;
}

export async function serve(app: FastifyInstance, options: ServeOptions): Promise<Served> {
  const { host, port } = options;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(
        `port ${port} on ${host} is already in use (is another store running? pick one with --port)`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new StartupError(`cannot listen on ${host}: no such address on this machine (check --host)`);
    if (code === 'EACCES') throw new StartupError(`not allowed to listen on port ${port} (pick one above 1023)`);
    throw new StartupError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = httpUrl(host, actualPort);
  const localUrl = httpUrl(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, actualPort);
  const details = options.details(url).map((line) => `  ${line}\n`);
  // Signals first: whoever waits for the banner may stop us the moment they see it.
  stopOnSignals(app, options.beforeClose);
  process.stdout.write(`LightningStore listening on ${url}\n${details.join('')}`);
  return { url, localUrl };
}

/**
 * The warning for a store that anyone on the network can use: bound beyond loopback with no API key. `keyHint`
 * says how to set one (null for a program that has no key option).
 */
export function exposureWarning(host: string, port: number, hasKey: boolean, keyHint: string | null): string | null {
  if (hasKey || isLoopbackName(host)) return null;
  return (
    `warning: listening on ${host} without an API key: anyone who can reach port ${port} can read and change ` +
    `the store${keyHint ? `; ${keyHint}` : ''}`
  );
}

function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Repeats of a signal within this long are one Ctrl-C delivered twice (terminal and npm both forward it). */
const SAME_SIGNAL_MS = 1000;

function stopOnSignals(app: FastifyInstance, beforeClose: (() => Promise<void>) | undefined): void {
  let stoppingSince: number | null = null;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stoppingSince !== null) {
        if (Date.now() - stoppingSince < SAME_SIGNAL_MS) return;
        process.exit(1); // a second Ctrl-C does not wait
      }
      stoppingSince = Date.now();
      process.stdout.write(`\n${signal}: finishing in-flight requests and closing the store…\n`);
      // The app drains on close (idle and stalled sockets go, in-flight requests finish); this is the last resort
      // for a request that never finishes, long enough for a slow 32 MiB upload to complete.
      setTimeout(() => app.server.closeAllConnections(), 30_000).unref();
      (beforeClose?.() ?? Promise.resolve())
        .then(() => app.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`error during shutdown: ${String(error)}\n`);
            process.exit(1);
          },
        );
    });
  }
}
