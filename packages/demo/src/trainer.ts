/**
 * The trainer side of the simulated run: publishes resources snapshots (a new policy checkpoint every few batches),
 * enqueues batches of train and val rollouts, waits for each batch, and cancels stragglers, as an agent-lightning
 * algorithm does through the store.
 */
import type { NamedResourcesInput } from '@agl/client';
import type { RolloutStatus } from '@agl/schemas';
import type { DemoContext } from './context.js';
import { nowSeconds } from './control.js';
import type { RolloutPlan } from './scenario.js';

export interface TrainerOptions {
  rolloutsPerBatch: number;
  /** Finite mode: stop after this many rollouts; `undefined` runs until stopped. */
  totalRollouts: number | undefined;
  resourcesEveryBatches: number;
}

const PROMPTS = [
  'You are a careful math assistant. Use the calculator tool for arithmetic.\nQuestion: {question}\nEnd with "The answer is <number>."',
  'Solve the word problem step by step. Call the calculator for every computation.\nProblem: {question}\nFinish with "The answer is <number>."',
  'Read the problem, write one calculator expression, then state the result.\n{question}\nFormat: "The answer is <number>."',
];

export class Trainer {
  constructor(
    private readonly ctx: DemoContext,
    private readonly options: TrainerOptions,
  ) {}

  async run(): Promise<void> {
    const { control, scenario, counters, log } = this.ctx;
    const { rolloutsPerBatch, totalRollouts, resourcesEveryBatches } = this.options;
    let enqueued = 0;
    let resourcesId = '';
    for (let batch = 0; !control.halted; batch++) {
      const size = Math.min(rolloutsPerBatch, (totalRollouts ?? Infinity) - enqueued);
      if (size <= 0) return;
      if (batch % resourcesEveryBatches === 0) resourcesId = await this.publish(batch / resourcesEveryBatches + 1);
      const plans = scenario.planBatch(batch, size);
      const ids: string[] = [];
      for (const plan of plans) {
        if (control.halted) return;
        ids.push(await this.enqueue(plan, resourcesId));
      }
      enqueued += size;
      counters.batches++;
      const val = plans.filter((p) => p.mode === 'val').length;
      log(`trainer: batch ${batch} enqueued (${size - val} train, ${val} val) on ${resourcesId}`);
      const statuses = await this.awaitBatch(ids, plans);
      if (statuses.size === ids.length) log(`trainer: batch ${batch} done: ${this.describe(ids, statuses)}`);
    }
  }

  /** A new policy checkpoint: the LLM endpoint/model/sampling the runners use, and the prompt template. */
  private async publish(version: number): Promise<string> {
    const { client, control, record, log } = this.ctx;
    const step = (version - 1) * 20;
    const resources: NamedResourcesInput = {
      main_llm: {
        resource_type: 'llm',
        endpoint: 'http://127.0.0.1:8000/v1',
        model: step === 0 ? 'Qwen2.5-1.5B-Instruct' : `Qwen2.5-1.5B-Instruct-global_step_${step}`,
        api_key: 'sk-agl-demo',
        sampling_parameters: { temperature: Math.max(0.4, 0.8 - 0.05 * (version - 1)), top_p: 0.95, max_tokens: 512 },
      },
      system_prompt: {
        resource_type: 'prompt_template',
        template: PROMPTS[(version - 1) % PROMPTS.length] as string,
        engine: 'f-string',
      },
    };
    const snapshot = await client.addResources(resources, { signal: control.signal });
    record.resources.push(snapshot.resources_id);
    log(`trainer: published resources ${snapshot.resources_id} (checkpoint step ${step})`);
    return snapshot.resources_id;
  }

  private async enqueue(plan: RolloutPlan, resourcesId: string): Promise<string> {
    const { client, control, record } = this.ctx;
    const { task } = plan;
    const rollout = await client.enqueueRollout(
      {
        input: { task_id: task.task_id, question: task.question, answer: task.answer },
        mode: plan.mode,
        resources_id: resourcesId,
        config: plan.config,
        metadata: { source: 'agl-demo', batch: plan.batch, split: plan.mode === 'train' ? 'train' : 'validation' },
      },
      { signal: control.signal },
    );
    record.rollouts.push({
      rollout_id: rollout.rollout_id,
      task_id: task.task_id,
      batch: plan.batch,
      mode: plan.mode,
      trouble: plan.trouble,
      expected: plan.expected,
      resources_id: rollout.resources_id,
    });
    return rollout.rollout_id;
  }

  /** Waits in short slices until every rollout is terminal, cancelling stragglers in between. */
  private async awaitBatch(ids: string[], plans: RolloutPlan[]): Promise<Map<string, RolloutStatus>> {
    const { client, control, timing, log } = this.ctx;
    const statuses = new Map<string, RolloutStatus>();
    const stragglers = ids.filter((_, i) => plans[i]?.trouble === 'straggler');
    while (statuses.size < ids.length && !control.halted) {
      try {
        const pending = ids.filter((id) => !statuses.has(id));
        const finished = await client.waitForRollouts(pending, timing.pollSeconds * 2, { signal: control.signal });
        for (const rollout of finished) statuses.set(rollout.rollout_id, rollout.status);
        for (const id of stragglers.filter((s) => !statuses.has(s))) await this.maybeCancel(id);
      } catch (error) {
        if (control.halted) break;
        log(`trainer: ${error instanceof Error ? error.message : String(error)}`);
        await control.sleep(1).catch(() => undefined);
      }
    }
    return statuses;
  }

  /** A validation rollout that keeps running is not worth waiting for: cancel it once it has had its chance. */
  private async maybeCancel(rolloutId: string): Promise<void> {
    const { client, control, timing, record, log } = this.ctx;
    const rollout = await client.getRollout(rolloutId, { signal: control.signal });
    if (rollout?.status !== 'running' || !rollout.attempt) return;
    if (nowSeconds() - rollout.attempt.start_time < timing.stragglerGraceSeconds) return;
    await client.updateRollout(rolloutId, { status: 'cancelled' }, { signal: control.signal });
    record.cancelled.push(rolloutId);
    log(`trainer: cancelled straggler ${rolloutId}`);
  }

  private describe(ids: string[], statuses: Map<string, RolloutStatus>): string {
    const counts = new Map<RolloutStatus, number>();
    for (const id of ids) {
      const status = statuses.get(id);
      if (status) counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    const idSet = new Set(ids);
    const rewards = this.ctx.record.rewards.filter((r) => idSet.has(r.rollout_id)).map((r) => r.value);
    const mean = rewards.length === 0 ? 0 : rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const parts = [...counts].map(([status, n]) => `${n} ${status}`);
    return `${parts.join(', ')}; mean reward ${mean.toFixed(3)}`;
  }
}
