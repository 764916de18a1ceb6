/** A real store (memory engine, real HTTP on an ephemeral loopback port) for the demo to run against. */
import { buildApp } from '@agl/server';

export interface TestStore {
  url: string;
  close: () => Promise<void>;
}

export async function startStore(): Promise<TestStore> {
  const app = await buildApp({ storage: { kind: 'memory' }, staticDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
