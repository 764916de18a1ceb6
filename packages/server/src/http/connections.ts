/**
 * Connection-level protection: timeouts that only ever catch stuck or hostile clients, a cap on
 * open connections that makes room by closing the longest-idle socket, JSON answers to malformed HTTP, and a short
 * drain on shutdown so a request racing SIGTERM on a keep-alive connection is answered instead of reset.
 *
 * A long-poll wait (`POST /waits/rollouts` with `timeout: null`) may last hours, so sockets have no inactivity
 * timeout: Node's request timeout ends once the request is fully received, and the response may take as long as it
 * needs. Everything here runs on raw Node events, not Fastify hooks, so the per-request cost is a few map updates.
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply } from 'fastify';
import type { ConnectionLimits } from '../app.js';
import { BASE_SECURITY_HEADERS } from './security-headers.js';

/** Whole request (headers and body) must arrive within this; 32 MiB at ~1 Mbit/s fits. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
/** Request headers must arrive within this (Node's slow-loris guard); capped by the request timeout. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** Longer than aiohttp's 15 s client keep-alive, so the client always closes an idle connection first. */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;
/** How often Node checks the two timeouts above (its default, 30 s, lets them overrun by that much). */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;
/**
 * On close, idle keep-alive sockets stay open until no request has arrived for the quiet period (a request sent just
 * before shutdown arrives within the network's one-way delay), and at most for the grace.
 */
export const SHUTDOWN_QUIET_MS = 100;
export const SHUTDOWN_GRACE_MS = 1_000;

/** Descriptors kept free for the database, its WAL and journal, static files and logs. */
const DESCRIPTOR_HEADROOM = 64;
const MAX_DEFAULT_CONNECTIONS = 10_000;
const FALLBACK_MAX_CONNECTIONS = 1_000;

export interface ConnectionStats {
  /** Connections currently open. */
  readonly open: number;
  /** Idle or stalled connections closed to make room for a new one. */
  readonly evicted: number;
  /** New connections closed at once because every open one was serving a request. */
  readonly refused: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    connectionStats: ConnectionStats;
  }
}

/** Constructor options for `Fastify(...)`: timeouts, shutdown behaviour and `{"detail"}` answers to broken HTTP. */
export function connectionServerOptions(limits: ConnectionLimits): Partial<FastifyHttpOptions<Server>> {
  const requestTimeout = limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    http: {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      requestTimeout,
      connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
    },
    requestTimeout,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: 0, // no socket inactivity timeout: a long-poll response may legitimately take hours
    // The drain below decides when idle sockets close; requests arriving meanwhile are served, not answered 503.
    forceCloseConnections: false,
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: FastifyError, _request, reply) => {
      // Only a malformed URL (`/%`) gets here; framework replies skip the onSend hooks, so add the headers here.
      (reply as FastifyReply)
        .code(error.statusCode ?? 400)
        .headers(BASE_SECURITY_HEADERS)
        .send({ detail: error.code === 'FST_ERR_BAD_URL' ? 'Malformed URL' : error.message });
    },
  };
}

/** Open-file soft limit minus headroom, at most 10,000; 1,000 when the limit cannot be read (not Linux). */
export function defaultMaxConnections(): number {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return FALLBACK_MAX_CONNECTIONS;
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  if (soft === undefined) return FALLBACK_MAX_CONNECTIONS;
  if (soft === 'unlimited') return MAX_DEFAULT_CONNECTIONS;
  return Math.max(1, Math.min(MAX_DEFAULT_CONNECTIONS, Number(soft) - DESCRIPTOR_HEADROOM));
}

export function installConnectionLimits(app: FastifyInstance, limits: ConnectionLimits): void {
  const tracker = new ConnectionTracker(app, limits.maxConnections ?? defaultMaxConnections());
  app.decorate('connectionStats', tracker.stats);
  app.server.on('connection', (socket: Socket) => tracker.add(socket));
  // Before Fastify's own listener, which may answer synchronously.
  app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) =>
    tracker.begin(request, response),
  );
  // Registered before the app's own preClose hooks (which release waits), so waits are still held during the grace.
  app.addHook('preClose', (done) => tracker.drain(done));
}

type DrainPhase = 'open' | 'grace' | 'closing';

class ConnectionTracker {
  /** Every tracked socket with its number of requests in progress (more than one only when pipelining). */
  private readonly inFlight = new Map<Socket, number>();
  /**
   * Sockets with no request in progress: idle keep-alive connections and connections still sending their request
   * headers. A Set iterates in insertion order and a socket is re-added each time it becomes idle, so the first
   * entry is the one idle (or stuck) the longest.
   */
  private readonly idle = new Set<Socket>();
  private phase: DrainPhase = 'open';
  private readonly counts = { evicted: 0, refused: 0 };
  private onDrained: (() => void) | null = null;
  private lastRequestAt = 0;

  readonly stats: ConnectionStats;

  constructor(
    private readonly app: FastifyInstance,
    private readonly max: number,
  ) {
    const { inFlight, counts } = this;
    this.stats = {
      get open() {
        return inFlight.size;
      },
      get evicted() {
        return counts.evicted;
      },
      get refused() {
        return counts.refused;
      },
    };
  }

  add(socket: Socket): void {
    if (this.inFlight.size >= this.max) {
      const victim = this.idle.values().next().value;
      if (victim === undefined) {
        // Every open connection is serving a request (long polls included): those are never cut for a newcomer.
        this.counts.refused++;
        this.app.log.debug(
          { remote: socket.remoteAddress },
          'connection limit reached, all busy: new connection closed',
        );
        socket.destroy();
        return;
      }
      this.counts.evicted++;
      this.app.log.debug({ remote: victim.remoteAddress }, 'connection limit reached: closed the longest-idle one');
      this.forget(victim);
      victim.destroy();
    }
    this.inFlight.set(socket, 0);
    this.idle.add(socket);
    socket.once('close', () => this.forget(socket));
  }

  /** Request headers are in: the socket is busy until the response is done. */
  begin(request: IncomingMessage, response: ServerResponse): void {
    const socket = request.socket;
    const count = this.inFlight.get(socket);
    if (count === undefined) return;
    this.inFlight.set(socket, count + 1);
    if (count === 0) this.idle.delete(socket);
    if (this.phase !== 'open') {
      response.setHeader('Connection', 'close');
      this.lastRequestAt = Date.now();
    }
    response.once('close', () => this.end(socket));
  }

  private end(socket: Socket): void {
    const count = this.inFlight.get(socket);
    if (count === undefined) return;
    if (count > 1) {
      this.inFlight.set(socket, count - 1);
      return;
    }
    this.inFlight.set(socket, 0);
    this.idle.add(socket);
    // Past the grace, a connection whose last response went out (without `Connection: close`, as it started before
    // the drain) has nothing more to do.
    if (this.phase === 'closing') socket.destroySoon();
  }

  private forget(socket: Socket): void {
    this.inFlight.delete(socket);
    this.idle.delete(socket);
    if (this.onDrained !== null && this.inFlight.size === 0) this.onDrained();
  }

  /**
   * Stop accepting, keep idle keep-alive sockets open while requests still arrive on them (served with
   * `Connection: close`), then close whatever is idle. Requests in progress finish afterwards: Fastify's
   * `server.close()` waits for them.
   */
  drain(done: () => void): void {
    const server = this.app.server;
    if (!server.listening || this.phase !== 'open') return done();
    this.phase = 'grace';
    // net's close, not http's: http.Server#close would also close every idle keep-alive socket right away.
    NetServer.prototype.close.call(server);
    const start = Date.now();
    this.lastRequestAt = start;
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearImmediate(immediate);
      this.onDrained = null;
      this.phase = 'closing';
      for (const socket of [...this.idle]) socket.destroy();
      done();
    };
    const deadline = () => Math.min(this.lastRequestAt + SHUTDOWN_QUIET_MS, start + SHUTDOWN_GRACE_MS);
    const check = () => {
      if (Date.now() < deadline()) {
        timer = setTimeout(check, deadline() - Date.now());
        return;
      }
      // Timers run before the poll phase: read whatever already arrived on the sockets before deciding, so a busy
      // (late) event loop cannot turn a request that is already here into a reset.
      immediate = setImmediate(() => (Date.now() < deadline() ? check() : finish()));
    };
    this.onDrained = finish; // nothing left open: no reason to wait
    if (this.inFlight.size === 0) return finish();
    timer = setTimeout(check, SHUTDOWN_QUIET_MS);
  }
}

/**
 * Node's `clientError` (malformed request line or headers, headers over 16 KiB, header or request timeout): a plain
 * HTTP answer with a `{"detail"}` body like every other 4xx, then the connection is closed.
 */
function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  this.log.debug({ err: error }, `client error, answered ${status}`);
  // As Node does: never write into the middle of a response already under way.
  const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    const body = JSON.stringify({ detail: STATUS_CODES[status] });
    const extra = Object.entries(BASE_SECURITY_HEADERS)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`,
    );
  }
  socket.destroy();
}
