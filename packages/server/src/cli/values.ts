/**
 * Typed readers for flag values. A bad value is a `UsageError` naming where it came from (`--port` or
 * `AGL_SERVER_PORT`), what was given and what is accepted.
 */
import { UsageError, type CommandLine } from './flags.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function readPort(cli: CommandLine, name: string, fallback: number): number {
  const text = cli.text(name);
  if (text === undefined) return fallback;
  const port = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`${cli.sourceOf(name)} must be a port number from 0 to 65535, got '${text}'`);
  return port;
}

/** Undefined when neither the flag nor its variable is set. */
export function readInteger(cli: CommandLine, name: string, min: number): number | undefined {
  const text = cli.text(name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && Number.isSafeInteger(value)))
    throw new UsageError(`${cli.sourceOf(name)} must be a whole number of at least ${min}, got '${text}'`);
  return value;
}

/** Undefined when neither the flag nor its variable is set; accepts decimals (`0.5`). */
export function readPositiveNumber(cli: CommandLine, name: string): number | undefined {
  const text = cli.text(name);
  if (text === undefined) return undefined;
  const value = /^\d*\.?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value > 0 && Number.isFinite(value)))
    throw new UsageError(`${cli.sourceOf(name)} must be a number greater than 0, got '${text}'`);
  return value;
}

export function readLogLevel(cli: CommandLine, name: string, fallback: LogLevel): LogLevel {
  const text = cli.text(name)?.trim().toLowerCase();
  if (text === undefined) return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(text))
    throw new UsageError(`${cli.sourceOf(name)} must be one of ${LOG_LEVELS.join(', ')}; got '${cli.text(name)}'`);
  return text as LogLevel;
}
