/**
 * The one span factory of the Node side (tests, end-to-end seeding, benchmarks, scripts): a complete, valid span
 * body — every declared key present, nullable ones as null — that `overrides` adjusts. Trace and span IDs are fresh
 * random hex unless overridden. (Stories and browser tests build theirs from the dashboard's own fixtures, which
 * must be deterministic for visual checks.)
 */
const hex = (bytes) =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

export function makeSpan(rolloutId, attemptId, sequenceId, overrides = {}) {
  const traceId = overrides.trace_id ?? hex(16);
  const spanId = overrides.span_id ?? hex(8);
  return {
    rollout_id: rolloutId,
    attempt_id: attemptId,
    sequence_id: sequenceId,
    trace_id: traceId,
    span_id: spanId,
    parent_id: null,
    name: `span-${sequenceId}`,
    status: { status_code: 'OK', description: null },
    attributes: { 'test.sequence': sequenceId },
    events: [],
    links: [],
    start_time: 1700000000.0 + sequenceId,
    end_time: 1700000000.5 + sequenceId,
    context: { trace_id: traceId, span_id: spanId, is_remote: false, trace_state: {} },
    parent: null,
    resource: { attributes: { 'service.name': 'agl-test' }, schema_url: '' },
    ...overrides,
  };
}

/** `n` random bytes as lowercase hex (IDs for spans and traces). */
export const randomHex = hex;
