/**
 * The server's log as a person at a terminal wants it: no "Server listening at …" line next to the CLI's own
 * banner, and one readable line per entry instead of pino's JSON. When stdout is not a terminal (a service
 * manager, a log collector) the entries stay JSON, which is what such tools parse.
 */
import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './values.js';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Pino's own fields, and Fastify's request fields that `formatLogLine` renders itself. */
const SHOWN_APART = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'err']);

/** Fastify `logger` options; `output` is where the lines go (stdout unless a test says otherwise). */
export function loggerOptions(
  level: LogLevel,
  output: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stdout,
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    hooks: {
      logMethod(args, method) {
        // Fastify announces every address it listens on; the CLI prints one banner with the URLs instead.
        if (typeof args[0] === 'string' && args[0].startsWith('Server listening at ')) return;
        method.apply(this, args);
      },
    },
    stream: { write: (line: string) => output.write(output.isTTY ? formatLogLine(line) : line) },
  };
}

/** One pino JSON line → `12:34:56 WARN  message [req-1] GET /path → 500 (3.1 ms) key=value`, plus a stack if any. */
export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '';
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5);
  const parts = [time, level, String(entry.msg ?? '')];
  if (entry.reqId !== undefined) parts.push(`[${String(entry.reqId)}]`);
  const req = entry.req as { method?: string; url?: string } | undefined;
  if (req) parts.push(`${req.method ?? ''} ${req.url ?? ''}`);
  const res = entry.res as { statusCode?: number } | undefined;
  if (res) parts.push(`→ ${res.statusCode ?? '?'}`);
  if (typeof entry.responseTime === 'number') parts.push(`(${entry.responseTime.toFixed(1)} ms)`);
  for (const [key, value] of Object.entries(entry)) {
    if (!SHOWN_APART.has(key)) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) parts.push(`(${err.type ?? 'Error'}: ${err.message ?? ''})`);
  const line = parts.filter((part) => part.length > 0).join(' ');
  // The stack is the one thing worth more than a line: an unhandled error is what a person reads the log for.
  const stack = err?.stack
    ?.split('\n')
    .slice(1)
    .map((frame) => `    ${frame.trim()}`)
    .join('\n');
  return stack ? `${line}\n${stack}\n` : `${line}\n`;
}
