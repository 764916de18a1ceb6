/**
 * The engine's one long-lived connection, outside the pool: it LISTENs for other servers' notifications and holds
 * the watchdog's session advisory lock. Both belong to the session, so they share its fate — when this server dies
 * or loses the database, PostgreSQL drops the session, and with it the lock: the next server that tries (every
 * `LOCK_RETRY_MS`) becomes the watchdog.
 *
 * A lost connection is re-established with backoff. Notifications sent meanwhile are gone, so each reconnect is
 * reported (`onState(null)` after `onState(error)`) and the store treats everything it derived from notifications
 * as stale.
 */
import pg from 'pg';
import { LOCKS } from './errors.js';
/** How often a server that is not the watchdog tries to become it. */
const LOCK_RETRY_MS = 1000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2000;

export interface SessionHooks {
  onNotification(payload: string): void;
  /** An error when the connection was lost, null once it is back (never for the first connect). */
  onState(error: Error | null): void;
}

export class Session {
  private client: pg.Client | null = null;
  private holdsLock = false;
  private closed = false;
  private lockTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoff = RECONNECT_MIN_MS;
  private lost = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly hooks: SessionHooks,
  ) {}

  /** Connects and listens; rejects if the first connection fails (the server then does not start). */
  async open(): Promise<void> {
    await this.connect();
  }

  /** True while this server holds the watchdog lock. */
  get isWatchdog(): boolean {
    return this.holdsLock;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.lockTimer);
    clearTimeout(this.reconnectTimer);
    this.holdsLock = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload) this.hooks.onNotification(message.payload);
    });
    client.on('error', (error) => this.drop(client, error));
    client.on('end', () => this.drop(client, new Error('the connection to PostgreSQL was closed')));
    try {
      await client.connect();
      // A server whose machine dies sends no FIN: PostgreSQL would keep its session — and the watchdog lock — until
      // the operating system's keepalive gives up (hours). Probing the socket every few seconds ends it in ~15 s.
      await client.query(
        'SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3; ' +
          'SET tcp_user_timeout = 15000',
      );
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoff = RECONNECT_MIN_MS;
    if (this.lost) {
      this.lost = false;
      this.hooks.onState(null);
    }
    await this.tryLock();
  }

  private drop(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.holdsLock = false;
    clearTimeout(this.lockTimer);
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.lost = true;
    this.hooks.onState(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.hooks.onState(error instanceof Error ? error : new Error(String(error)));
        this.backoff = Math.min(RECONNECT_MAX_MS, this.backoff * 2);
        this.scheduleReconnect();
      });
    }, this.backoff);
    this.reconnectTimer.unref();
  }

  /** Tries for the watchdog lock now and again every second until this server holds it. */
  private async tryLock(): Promise<void> {
    const client = this.client;
    if (!client || this.holdsLock || this.closed) return;
    try {
      const result = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked',
        [LOCKS.watchdog],
      );
      if (this.client === client) this.holdsLock = result.rows[0]?.locked === true;
    } catch {
      // The connection's error handler deals with a lost connection; a failed try is simply retried.
    }
    if (!this.holdsLock && this.client === client) {
      clearTimeout(this.lockTimer);
      this.lockTimer = setTimeout(() => void this.tryLock(), LOCK_RETRY_MS);
      this.lockTimer.unref();
    }
  }
}
