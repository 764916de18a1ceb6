/**
 * What an encapsulated JSON API plugin (`/agl/v1`, `/v1/agl`) installs in its own context, so none of it reaches
 * the root app or another protocol's plugin (OTLP at `/v1/traces` parses protobuf and answers in its own shape):
 * body parsers and the JSON-only rule, the API key, exact paths, validation and serialization of its routes, the
 * before-request watchdog scan, and the `{"detail": …}` error envelopes.
 */
import type { FastifyInstance } from 'fastify';
import type { LightningStore } from '../store/store.js';
import { registerBodyParsers, requireJsonBodies } from './body.js';
import { installApiErrorHandler } from './errors.js';
import { requireApiKey } from './guard.js';
import { serializerCompiler, validatorCompiler } from './route.js';

export interface JsonApiOptions {
  store: LightningStore;
  /** Required on every route except those marked `public` (health) when set. */
  apiKey: string | null;
  /** Adds a `traceback` to 500 responses (§6.5). */
  debug: boolean;
}

export function installJsonApi(api: FastifyInstance, { store, apiKey, debug }: JsonApiOptions): void {
  registerBodyParsers(api);
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  installApiErrorHandler(api, debug, (error) => store.describeError(error));

  // §2.1: paths match exactly, so an empty segment (`/rollouts/`, `//`) is an unknown path, not an empty id.
  api.addHook('onRequest', (request, reply, done) => {
    if (/\/\/|\/(\?|$)/.test(request.url)) return reply.callNotFound();
    done();
  });
  if (apiKey) api.addHook('onRequest', requireApiKey(apiKey));
  api.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    requireJsonBodies(request, reply, done);
  });
  // §5.5: a (debounced) watchdog scan before every store request except health, add span and next id.
  // Hot-path hooks use callbacks, not async functions: a promise per hook per request is measurable at 10k req/s.
  api.addHook('preHandler', (request, _reply, done) => {
    const scan = request.routeOptions.config.watchdog === false ? null : store.beforeRequest();
    if (!scan) return done();
    scan.then(
      () => done(),
      () => done(),
    ); // a failing scan is the watchdog's problem, not this request's
  });
}
