/**
 * Builds the span tree of one attempt and flattens it into the rows the virtualised list shows.
 * Everything is iterative (no recursion) so a 10,000-deep chain cannot overflow the stack, and linear apart from
 * the per-parent sibling sorts.
 */
import type { Span } from '@agl/schemas';

export interface SpanNode {
  span: Span;
  /** Direct children, ordered by start time then sequence id. */
  children: SpanNode[];
  /** Number of spans below this one (children, grandchildren, …). */
  descendantCount: number;
  /** The span names a parent that is not part of this attempt (or sits in a parent cycle); shown at the root. */
  orphan: boolean;
}

export interface SpanTree {
  roots: SpanNode[];
  /** Every node by span id; the first span wins if an id repeats. */
  byId: Map<string, SpanNode>;
  /** Ids of spans that have at least one child (what "collapse all" collapses). */
  parentIds: string[];
}

export interface VisibleRow {
  node: SpanNode;
  depth: number;
  collapsed: boolean;
}

/** Start time ascending (spans without a start last), ties by sequence id. */
function compareSpans(a: Span, b: Span): number {
  const as = a.start_time ?? Number.POSITIVE_INFINITY;
  const bs = b.start_time ?? Number.POSITIVE_INFINITY;
  if (as !== bs) return as < bs ? -1 : 1;
  return a.sequence_id - b.sequence_id;
}

const byNodeOrder = (a: SpanNode, b: SpanNode) => compareSpans(a.span, b.span);

export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const byId = new Map<string, SpanNode>();
  const nodes: SpanNode[] = [];
  for (const span of spans) {
    if (byId.has(span.span_id)) continue;
    const node: SpanNode = { span, children: [], descendantCount: 0, orphan: false };
    byId.set(span.span_id, node);
    nodes.push(node);
  }

  const roots: SpanNode[] = [];
  for (const node of nodes) {
    const parentId = node.span.parent_id;
    const parent = parentId === null || parentId === node.span.span_id ? undefined : byId.get(parentId);
    if (parent) {
      parent.children.push(node);
    } else {
      node.orphan = parentId !== null;
      roots.push(node);
    }
  }

  // Spans caught in a parent cycle (a → b → a) are reachable from no root; lift one of each cycle to the root.
  const reached = markReachable(roots);
  if (reached.size < nodes.length) {
    for (const node of nodes) {
      if (reached.has(node)) continue;
      const parent = byId.get(node.span.parent_id ?? '');
      if (parent) parent.children.splice(parent.children.indexOf(node), 1);
      node.orphan = true;
      roots.push(node);
      for (const lifted of markReachable([node])) reached.add(lifted);
    }
  }

  roots.sort(byNodeOrder);
  const parentIds: string[] = [];
  for (const node of nodes) {
    if (node.children.length === 0) continue;
    node.children.sort(byNodeOrder);
    parentIds.push(node.span.span_id);
  }
  countDescendants(roots);
  return { roots, byId, parentIds };
}

function markReachable(start: readonly SpanNode[]): Set<SpanNode> {
  const seen = new Set<SpanNode>();
  const stack = [...start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const child of node.children) stack.push(child);
  }
  return seen;
}

/** Post-order without recursion: a node's count is final once all its children were counted. */
function countDescendants(roots: readonly SpanNode[]): void {
  const order: SpanNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i -= 1) {
    const node = order[i]!;
    node.descendantCount = node.children.reduce((sum, child) => sum + 1 + child.descendantCount, 0);
  }
}

/** The rows a user sees: a pre-order walk that does not descend into collapsed spans. */
export function flattenVisible(tree: SpanTree, collapsed: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const stack: { node: SpanNode; depth: number }[] = [];
  for (let i = tree.roots.length - 1; i >= 0; i -= 1) stack.push({ node: tree.roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const isCollapsed = node.children.length > 0 && collapsed.has(node.span.span_id);
    rows.push({ node, depth, collapsed: isCollapsed });
    if (isCollapsed) continue;
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push({ node: node.children[i]!, depth: depth + 1 });
  }
  return rows;
}

/** Adds or removes one id, returning a new set so React state updates stay immutable. */
export function toggleCollapsed(collapsed: ReadonlySet<string>, spanId: string): Set<string> {
  const next = new Set(collapsed);
  if (next.has(spanId)) next.delete(spanId);
  else next.add(spanId);
  return next;
}
