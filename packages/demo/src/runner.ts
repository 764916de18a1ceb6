/**
 * A runner (one agent-lightning worker): polls the queue, stamps its worker ID on the claimed attempt, reads the
 * rollout's resources, runs the simulated agent and reports the outcome, all through the store's HTTP API.
 */
import type { AttemptedRollout, ResourcesUpdate } from '@agl/schemas';
import { StoreError } from '@agl/client';
import { runScript } from './agent.js';
import { AttemptRun, type AgentResources } from './attempt.js';
import type { DemoContext } from './context.js';
import { Halted } from './control.js';
import { Rng } from './rng.js';
import { makeTask, type MathTask } from './tasks.js';

const FALLBACK_RESOURCES: AgentResources = {
  model: 'Qwen/Qwen2.5-1.5B-Instruct',
  sampling: { temperature: 0.7 },
  template: 'Question: {question}',
};

export class Runner {
  private readonly resourcesCache = new Map<string, AgentResources>();

  constructor(
    private readonly ctx: DemoContext,
    readonly workerId: string,
  ) {}

  /** Runs until the demo rests or stops; never rejects. */
  async run(): Promise<void> {
    const { control, log } = this.ctx;
    while (!control.halted) {
      try {
        const claimed = await this.ctx.client.dequeueRollout({ signal: control.signal });
        if (claimed === null) await control.sleep(this.ctx.timing.pollSeconds);
        else await this.work(claimed);
      } catch (error) {
        if (error instanceof Halted || control.halted) return;
        // A failed call abandons the attempt; the watchdog will notice, as it would for a real runner.
        log(`${this.workerId}: ${error instanceof Error ? error.message : String(error)}`);
        await control.sleep(1).catch(() => undefined);
      }
    }
  }

  private async work(claimed: AttemptedRollout): Promise<void> {
    const { client, control, scenario, record, log, timing } = this.ctx;
    const { rollout_id: rolloutId, attempt } = claimed;
    await client.updateAttempt(rolloutId, attempt.attempt_id, { worker_id: this.workerId }, { signal: control.signal });
    if (attempt.sequence_id > 1 && !record.retried.includes(rolloutId)) record.retried.push(rolloutId);

    const input = claimed.input as { task_id?: unknown } | null;
    const plan = scenario.planFor(input?.task_id);
    const script = scenario.scriptFor(plan, attempt.sequence_id);
    const rng = scenario.attemptRng(plan, attempt.sequence_id);
    const task = plan?.task ?? foreignTask(claimed.input);
    const resources = await this.resourcesFor(claimed.resources_id);
    const run = new AttemptRun(this.ctx, claimed, this.workerId, plan, task, resources, rng);

    const outcome = await runScript(run, script);
    log(`${this.workerId}: ${rolloutId} attempt ${attempt.sequence_id} ${outcome.replace('_', ' ')}`);
    if (outcome === 'silent') {
      // The worker "crashed": it stays away long enough for the watchdog to notice, then comes back.
      await control.sleep(timing.silentRestartSeconds);
      log(`${this.workerId}: back online`);
    }
  }

  private async resourcesFor(resourcesId: string | null): Promise<AgentResources> {
    if (resourcesId === null) return FALLBACK_RESOURCES;
    const cached = this.resourcesCache.get(resourcesId);
    if (cached) return cached;
    let snapshot: ResourcesUpdate | null = null;
    try {
      snapshot = await this.ctx.client.getResources(resourcesId, { signal: this.ctx.control.signal });
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind === 'aborted') throw error;
    }
    const resources = fromSnapshot(snapshot);
    this.resourcesCache.set(resourcesId, resources);
    return resources;
  }
}

function fromSnapshot(snapshot: ResourcesUpdate | null): AgentResources {
  const result = { ...FALLBACK_RESOURCES };
  for (const resource of Object.values(snapshot?.resources ?? {})) {
    if (resource.resource_type === 'prompt_template') result.template = resource.template;
    else {
      result.model = resource.model;
      result.sampling = resource.sampling_parameters;
    }
  }
  return result;
}

/** Someone enqueued a rollout by hand into the demo store: answer it as an ordinary task. */
function foreignTask(input: unknown): MathTask {
  const task = makeTask(new Rng(0), 0);
  return { ...task, task_id: 'external', question: typeof input === 'string' ? input : JSON.stringify(input) };
}
