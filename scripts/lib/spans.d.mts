/** Types of `spans.mjs`: the Node-side span factory. */
import type { Span } from '@agl/schemas';

/** A valid span of `rolloutId`/`attemptId` at `sequenceId`; `overrides` replaces keys (invalid values too). */
export function makeSpan(rolloutId: string, attemptId: string, sequenceId: number, overrides?: Partial<Span>): Span;
export function randomHex(bytes: number): string;
