import { randomBytes } from 'node:crypto';

/** Identifiers of docs/protocol.md §2.3, from a cryptographically random source. */
export const newRolloutId = () => `ro-${randomBytes(6).toString('hex')}`;
export const newAttemptId = () => `at-${randomBytes(4).toString('hex')}`;
export const newResourcesId = () => `rs-${randomBytes(6).toString('hex')}`;

/** Server time as float epoch seconds (§2.2). */
export const epochSeconds = () => Date.now() / 1000;
