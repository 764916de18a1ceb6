/**
 * Limits on the shape of a parsed JSON body, checked once at the edge so nothing deeper in the server (validation,
 * storage, serialisation, the waits' copies) ever meets a value it cannot handle:
 *
 * - nesting: objects and arrays at most `MAX_JSON_DEPTH` levels deep, the body itself counting as level 1. V8 parses
 *   any depth, but serialising or copying a value a few thousand levels deep overflows the stack, and that happened
 *   inside a timer (the watchdog waking a wait). No real agent input comes near 256 levels.
 * - numbers: finite only. `1e400` parses as Infinity, which JSON cannot represent and would be stored as `null`
 *   (silently turning off a timeout).
 *
 * The walk is iterative: a hostile body must not be able to overflow the checker itself.
 */
export const MAX_JSON_DEPTH = 256;

/** How many path segments below the body a problem's location names (enough to point at the field). */
const MAX_LOC_SEGMENTS = 4;

export interface JsonProblem {
  kind: 'too_deep' | 'not_finite';
  /** Path below the body, e.g. `['input', 'a', 0]`, cut to the first few segments for a too-deep value. */
  path: Array<string | number>;
  value: unknown;
}

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | null;
  parent: Frame | null;
}

export function findJsonProblem(root: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  if (typeof root !== 'object' || root === null) {
    return typeof root === 'number' && !Number.isFinite(root) ? { kind: 'not_finite', path: [], value: root } : null;
  }
  const stack: Frame[] = [{ value: root, depth: 1, key: null, parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) {
      return { kind: 'too_deep', path: pathOf(frame).slice(0, MAX_LOC_SEGMENTS), value: null };
    }
    const container = frame.value as Record<string, unknown> | unknown[];
    const keys: Array<string | number> = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    for (const key of keys) {
      const child = (container as Record<string | number, unknown>)[key];
      if (typeof child === 'number') {
        if (!Number.isFinite(child)) return { kind: 'not_finite', path: [...pathOf(frame), key], value: child };
      } else if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
  return null;
}

function pathOf(frame: Frame): Array<string | number> {
  const path: Array<string | number> = [];
  for (let f: Frame | null = frame; f !== null && f.key !== null; f = f.parent) path.push(f.key);
  return path.reverse();
}
