/**
 * The Resources page list: snapshots newest first (the server already sends them so; sorting again keeps the rule
 * true for any input), the current one flagged latest, search by id, one page at a time.
 */
import type { ResourcesUpdate } from '@agl/schemas';

export interface SnapshotRow {
  snapshot: ResourcesUpdate;
  resourceCount: number;
  latest: boolean;
}

/**
 * Newest write first (update_time, which equals create_time for a fresh snapshot). The server's order breaks ties
 * (later write first), so equal times keep the input order.
 */
export function snapshotRows(snapshots: readonly ResourcesUpdate[]): SnapshotRow[] {
  const sorted = snapshots
    .map((snapshot, index) => ({ snapshot, index }))
    .sort((a, b) => b.snapshot.update_time - a.snapshot.update_time || a.index - b.index)
    .map(({ snapshot }) => snapshot);
  return sorted.map((snapshot, i) => ({
    snapshot,
    resourceCount: Object.keys(snapshot.resources ?? {}).length,
    latest: i === 0,
  }));
}

export function searchSnapshots(rows: readonly SnapshotRow[], query: string): SnapshotRow[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...rows];
  return rows.filter((row) => row.snapshot.resources_id.toLowerCase().includes(needle));
}
