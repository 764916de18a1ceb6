#!/usr/bin/env node
/**
 * `agl-store`: runs the LightningStore server. The process owns options, listening, logging and signals (cli/);
 * everything else is `buildApp`.
 */
import { buildApp } from './app.js';
import { buildUpstreamApp } from './upstream.js';
import { readCommandLine, renderHelp } from './cli/flags.js';
import { exposureWarning, runCli, serve } from './cli/serve.js';
import { readStoreConfig, STORE_FLAGS } from './cli/store-options.js';

await runCli('agl-store', async (state) => {
  const cli = readCommandLine(STORE_FLAGS, process.argv.slice(2), process.env);
  if (cli.flag('help')) {
    process.stdout.write(renderHelp('Usage: agl-store [options]   (through npm: npm start -- [options])', STORE_FLAGS));
    return;
  }
  const config = readStoreConfig(cli);
  state.debug = config.debug;
  const app = config.upstream
    ? await buildUpstreamApp({ ...config.app, upstream: config.upstream })
    : await buildApp(config.app);
  const hasKey = Boolean(config.app.apiKey);
  const { url } = await serve(app, {
    host: config.host,
    port: config.port,
    details: (url) => [
      `storage:   ${config.storageText}`,
      `dashboard: ${url}/`,
      `API docs:  ${url}/docs`,
      ...(hasKey ? ['API key:   required'] : []),
    ],
  });
  const port = Number(new URL(url).port);
  const warning = exposureWarning(config.host, port, hasKey, 'set a key with --api-key <key> or AGL_KEY');
  if (warning) process.stderr.write(`agl-store: ${warning}\n`);
});
