/**
 * Tools for the hardening tests: raw sockets that misbehave on purpose (partial headers, byte trickles, malformed
 * HTTP), which `fetch` cannot produce.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Everything the server wrote before closing (or before the timeout). */
  text: string;
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
  /** Milliseconds from the first write until the close (or the timeout). */
  ms: number;
}

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `chunks` (with `everyMs` between them) and collects what comes back until the server closes. */
export async function rawExchange(
  port: number,
  chunks: string[],
  { everyMs = 0, timeoutMs = 5_000 }: { everyMs?: number; timeoutMs?: number } = {},
): Promise<RawReply> {
  const socket = await openSocket(port);
  const started = performance.now();
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined); // a reset after the answer is what some of these tests provoke
  const closed = new Promise<boolean>((resolve) => {
    socket.once('close', () => resolve(true));
    setTimeout(() => resolve(false), timeoutMs);
  });
  void (async () => {
    for (const chunk of chunks) {
      if (socket.destroyed) return;
      socket.write(chunk);
      if (everyMs > 0) await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const didClose = await closed;
  const ms = performance.now() - started;
  socket.destroy();
  return { ...parseResponse(text), text, closed: didClose, ms };
}

function parseResponse(text: string): Pick<RawReply, 'status' | 'headers' | 'body'> {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: null, headers: {}, body: '' };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? NaN),
    headers,
    body: text.slice(end + 4),
  };
}

/** This process's open-file soft limit (Linux), or null when unknown. */
export function openFileSoftLimit(): number | null {
  try {
    const soft = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return soft === undefined ? null : Number(soft);
  } catch {
    return null;
  }
}

/** A keep-alive connection driven by hand: one request at a time, answers read by `Content-Length`. */
export class RawConnection {
  private received = '';
  private waiter: (() => void) | null = null;
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        this.waiter?.();
        resolve();
      });
    });
  }

  static async open(port: number): Promise<RawConnection> {
    return new RawConnection(await openSocket(port));
  }

  /** Sends a complete request without waiting for the answer. */
  send(method: string, path: string, body?: unknown): void {
    const payload = body === undefined ? '' : JSON.stringify(body);
    this.socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
  }

  /** The next complete answer; rejects if the connection closes first. */
  async response(): Promise<Pick<RawReply, 'status' | 'headers' | 'body'>> {
    for (;;) {
      const end = this.received.indexOf('\r\n\r\n');
      if (end >= 0) {
        const parsed = parseResponse(this.received);
        const length = Number(parsed.headers['content-length'] ?? 0);
        if (parsed.body.length >= length) {
          this.received = this.received.slice(end + 4 + length);
          return { ...parsed, body: parsed.body.slice(0, length) };
        }
      }
      if (this.isClosed) throw new Error(`connection closed; received: ${this.received.slice(0, 200)}`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  async request(method: string, path: string, body?: unknown) {
    this.send(method, path, body);
    return this.response();
  }
}

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
