/**
 * The simulated calculator agent: what one attempt does under each script. Only `succeed` and `fail` report a
 * status; the others leave it to the store (the watchdog's `timeout`/`unresponsive`, the trainer's cancel), as a
 * hung or crashed runner would.
 */
import { randomBytes } from 'node:crypto';
import type { AttemptRun } from './attempt.js';
import type { AttemptScript } from './scenario.js';
import { rewardSpan, type ChatMessage } from './spans.js';
import { wrongAnswer } from './tasks.js';

export type AttemptOutcome = 'succeeded' | 'failed' | 'timed_out' | 'silent' | 'cancelled';

const TOOL_FAILURES: [string, string][] = [
  ['TimeoutError', 'calculator sandbox did not answer within 10 s'],
  ['ConnectionResetError', '[Errno 104] Connection reset by peer'],
  ['RuntimeError', 'sandbox process exited with code 137 (out of memory)'],
];

export function runScript(run: AttemptRun, script: AttemptScript): Promise<AttemptOutcome> {
  switch (script) {
    case 'succeed':
      return succeed(run);
    case 'fail':
      return fail(run);
    case 'hang':
      return hang(run);
    case 'silent':
      return goSilent(run);
    case 'straggle':
      return straggle(run);
  }
}

function opening(run: AttemptRun): { messages: ChatMessage[]; args: string; callId: string } {
  const system = run.resources.template.replace('{question}', run.task.question);
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: run.task.question },
  ];
  return {
    messages,
    args: JSON.stringify({ expression: run.task.expression }),
    callId: `call_${randomBytes(12).toString('hex')}`,
  };
}

/** First turn: the model decides to use the calculator. */
async function askForTool(run: AttemptRun, messages: ChatMessage[], args: string): Promise<void> {
  const completion = `Let me compute ${run.task.expression} with the calculator.`;
  await run.llm({ prompt: messages, completion, toolCall: { name: 'calculator', arguments: args } });
}

async function succeed(run: AttemptRun): Promise<AttemptOutcome> {
  const { messages, args, callId } = opening(run);
  await askForTool(run, messages, args);
  // Now and then the tool fails once and the agent simply calls it again: an ERROR span in a good attempt.
  if (run.rng.chance(0.12)) await run.tool(args, '', callId, run.rng.pick(TOOL_FAILURES));
  const result = String(run.task.answer);
  await run.tool(args, result, callId);

  // The policy gets better as training goes on (later batches answer correctly more often).
  const correct = run.rng.chance(Math.min(0.92, 0.5 + 0.05 * (run.plan?.batch ?? 4)));
  const answer = correct ? run.task.answer : wrongAnswer(run.rng, run.task.answer);
  const followUp: ChatMessage[] = [
    ...messages,
    { role: 'assistant', content: `calculator(${args})` },
    { role: 'tool', content: result },
  ];
  await run.llm({ prompt: followUp, completion: `The answer is ${answer}.` });

  const value = Math.round((correct ? run.rng.float(0.8, 1) : run.rng.float(0, 0.25)) * 1000) / 1000;
  const style = run.plan?.rewardStyle ?? 'reward';
  const reward = rewardSpan(style, value);
  const at = Date.now() / 1000;
  const rewardId = await run.emit({ parentId: run.rootSpanId, start: at, end: at, ...reward });
  run.ctx.record.rewards.push({ ...run.ref, span_id: rewardId, name: reward.name, value, style });

  await run.finishRoot({ 'agent.answer': answer, 'agent.correct': correct });
  await run.ctx.client.updateAttempt(run.rolloutId, run.attemptId, { status: 'succeeded' }, run.opts);
  return 'succeeded';
}

async function fail(run: AttemptRun): Promise<AttemptOutcome> {
  const { messages, args, callId } = opening(run);
  await askForTool(run, messages, args);
  const [type, message] = run.rng.pick(TOOL_FAILURES);
  await run.tool(args, '', callId, [type, message]);
  await run.finishRoot({}, `ToolError: calculator raised ${type}`);
  await run.ctx.client.updateAttempt(run.rolloutId, run.attemptId, { status: 'failed' }, run.opts);
  run.ctx.record.failedAttempts.push(run.ref);
  return 'failed';
}

/**
 * An agent stuck in a loop: it keeps calling the model (heartbeats) until shortly before `timeout_seconds`, then
 * waits past it. Its spans stop early enough that the timeout, not unresponsiveness, ends the attempt.
 */
async function hang(run: AttemptRun): Promise<AttemptOutcome> {
  const { timing, control, client } = run.ctx;
  run.ctx.record.timedOut.push(run.ref);
  const { messages } = opening(run);
  for (let turn = 1; run.elapsed < timing.hangActiveSeconds; turn++) {
    await run.llm({ prompt: messages, completion: `Let me re-check step ${turn} once more before answering.` });
  }
  await control.sleep(timing.timeoutSeconds + timing.watchdogSlackSeconds - run.elapsed);
  for (let check = 0; check < 10; check++) {
    const mine = (await client.listAttempts(run.rolloutId, run.opts)).find((a) => a.attempt_id === run.attemptId);
    if (mine?.status === 'timeout') return 'timed_out';
    await control.sleep(0.5);
  }
  // The watchdog never fired (it should have): give up on the attempt explicitly so the rollout moves on.
  run.ctx.log(`${run.workerId}: ${run.attemptId} was not marked timeout; reporting it failed`);
  await client.updateAttempt(run.rolloutId, run.attemptId, { status: 'failed' }, run.opts);
  return 'failed';
}

/** The runner's process "dies" after the first model call: no more spans, no status report. */
async function goSilent(run: AttemptRun): Promise<AttemptOutcome> {
  const { messages, args } = opening(run);
  await askForTool(run, messages, args);
  run.ctx.record.silenced.push(run.ref);
  return 'silent';
}

/** A long exploration that only ends when the trainer cancels the rollout. */
async function straggle(run: AttemptRun): Promise<AttemptOutcome> {
  const { messages, args, callId } = opening(run);
  for (let turn = 1; ; turn++) {
    await run.llm({
      prompt: messages,
      completion: `Exploring approach ${turn}…`,
      toolCall: { name: 'calculator', arguments: args },
    });
    await run.tool(args, String(run.task.answer + turn), callId);
    const rollout = await run.ctx.client.getRollout(run.rolloutId, run.opts);
    if (rollout?.status !== 'running' && rollout?.status !== 'preparing') return 'cancelled';
  }
}
