/** Types of `store-process.mjs`: the built store and demo as child processes. */
import type { ChildProcess } from 'node:child_process';

/** Absolute path of the built store CLI (`agl-store`). */
export const STORE_CLI: string;
/** Absolute path of the built demo CLI (`agl-demo`). */
export const DEMO_CLI: string;

export interface SpawnOptions {
  /** Added to the environment, which has no AGL_* or npm_* variable of its own. */
  env?: Record<string, string>;
  cwd?: string;
  /** Node options before the script, e.g. `['--import', faultInjector]`. */
  nodeArgs?: string[];
  /** Also copy the program's output to this process's stderr (benchmarks, scripts). */
  echo?: boolean;
}

export interface ProgramRun {
  child: ChildProcess;
  /** stdout + stderr so far, interleaved as received. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** The exit code once the program has ended and its output is drained (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM), SIGKILL after `graceMs` (default 5 s); resolves with the exit code. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface RunningProgram extends ProgramRun {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The address as the banner printed it (the bound host). */
  bannerUrl: string;
}

export interface StartOptions extends SpawnOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** How long to wait for the banner (default 15 s). */
  timeoutMs?: number;
}

export interface StartStoreOptions extends StartOptions {
  /** A database file (`--db`); in memory when absent. */
  db?: string;
  /** More flags, e.g. `['--api-key', key]`. */
  args?: string[];
}

export interface StartDemoOptions extends StartOptions {
  args?: string[];
}

export function cleanEnv(extra?: Record<string, string>): Record<string, string>;
export function spawnProgram(script: string, args?: string[], options?: SpawnOptions): ProgramRun;
export function killAll(): void;
export function waitForListening(
  run: ProgramRun,
  timeoutMs?: number,
): Promise<{ url: string; port: number; bannerUrl: string }>;
export function startProgram(script: string, args?: string[], options?: StartOptions): Promise<RunningProgram>;
export function startStore(options?: StartStoreOptions): Promise<RunningProgram>;
export function startDemo(options?: StartDemoOptions): Promise<RunningProgram>;
export function freePort(): Promise<number>;
export function portIsFree(port: number): Promise<boolean>;
