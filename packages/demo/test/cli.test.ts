/**
 * The built `agl-demo` (`packages/demo/dist/cli.js`; `npm test` builds first): a store of its own that the
 * simulated run fills over HTTP, the server's friendly usage errors, and a clean stop on Ctrl-C.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CLI, expectCleanStop, freePort, listening, runCli } from '../../server/test/helpers/cli.js';

describe('agl-demo', () => {
  it('serves a store that the simulated run fills, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const run = runCli(DEMO_CLI, ['--port', String(port), '--speed', '20', '--seed', '3']);
    const { url } = await listening(run);
    expect(run.output()).toContain('storage:   in memory, filled by a simulated training run (speed 20, seed 3)');
    // Rollouts beyond the queue mean runners claimed them; the trainer's progress line may trail its request.
    let claimed = 0;
    for (let tries = 0; tries < 100 && (claimed === 0 || !/^\[demo\] trainer: batch 0/m.test(run.output())); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rollouts = (await (await fetch(`${url}/agl/v1/rollouts`)).json()) as { status: string }[];
      claimed = rollouts.filter((rollout) => rollout.status !== 'queuing').length;
    }
    expect(claimed).toBeGreaterThan(0);
    expect(run.output()).toMatch(/^\[demo\] trainer: batch 0 enqueued/m);
    await expectCleanStop(run, 'SIGINT', port);
  });

  it('answers a mistyped flag with the closest real one, on one line, exit code 2', async () => {
    const run = runCli(DEMO_CLI, ['--sped', '3']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toBe('agl-demo: unknown option --sped; did you mean --speed? (--help lists them all)\n');
  });

  it.each([
    [['--speed', '0'], /^agl-demo: --speed must be a number greater than 0, got '0'\n$/],
    [['--seed', '-1'], /^agl-demo: --seed must be a whole number of at least 0, got '-1'\n$/],
    [['--port', '70000'], /^agl-demo: --port must be a port number from 0 to 65535/],
  ])('refuses %j on one line, exit code 2', async (args, says) => {
    const run = runCli(DEMO_CLI, args);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(says);
  });

  it('--help lists the store`s address flags and the run`s own', async () => {
    const run = runCli(DEMO_CLI, ['--help']);
    expect(await run.exited).toBe(0);
    for (const flag of ['--host <addr>', '--port <n>', '--log-level <level>', '--speed <x>', '--seed <n>', '--help'])
      expect(run.output()).toContain(`  ${flag} `);
    expect(run.output()).toContain('env AGL_SERVER_PORT, default 4747');
  });
});
