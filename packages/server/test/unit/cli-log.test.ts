/**
 * The CLI's log output through a real Fastify instance: Fastify's own "Server listening" line is dropped, and on a
 * terminal each entry is one readable line (with the stack under it for an error) instead of JSON.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { formatLogLine, loggerOptions } from '../../src/cli/log.js';

/** A stand-in for stdout that records what is written; `isTTY` decides between readable lines and JSON. */
function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, output: { isTTY, write: (chunk: string) => lines.push(chunk) > 0 } };
}

async function logThroughFastify(isTTY: boolean): Promise<string[]> {
  const { lines, output } = sink(isTTY);
  const app = Fastify({ logger: loggerOptions('info', output) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  app.log.warn({ rollout_id: 'ro-1' }, 'slow rollout');
  app.log.error({ err: new TypeError('boom') }, 'unhandled error');
  app.log.debug('below the level');
  await app.close();
  return lines;
}

describe('CLI logging', () => {
  it('drops Fastify`s "Server listening at" line and prints one readable line per entry on a terminal', async () => {
    const lines = await logThroughFastify(true);
    expect(lines.join('')).not.toContain('Server listening');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}slow rollout rollout_id=ro-1\n$/);
    const [first, ...stack] = lines[1]!.trimEnd().split('\n');
    expect(first).toMatch(/^\d\d:\d\d:\d\d ERROR unhandled error \(TypeError: boom\)$/);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((frame) => frame.startsWith('    at '))).toBe(true);
  });

  it('keeps JSON lines when the output is not a terminal (a log collector parses them)', async () => {
    const lines = await logThroughFastify(false);
    expect(lines.map((line) => JSON.parse(line) as { msg: string })).toMatchObject([
      { level: 40, msg: 'slow rollout', rollout_id: 'ro-1' },
      { level: 50, msg: 'unhandled error', err: { type: 'TypeError', message: 'boom' } },
    ]);
  });

  it('formats request entries as method, URL, status and time', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.now(),
      reqId: 'req-7',
      req: { method: 'GET', url: '/agl/v1/rollouts' },
      res: { statusCode: 200 },
      responseTime: 1.234,
      msg: 'request completed',
    });
    expect(formatLogLine(line)).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}request completed \[req-7\] GET \/agl\/v1\/rollouts → 200 \(1\.2 ms\)\n$/,
    );
  });

  it('passes through anything that is not JSON', () => {
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });
});
