// Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the time went, as markdown table rows: the inclusive
// time of the functions that make up OTLP ingestion (a function's own time plus everything it called) and the
// functions with the most time of their own, as shares of the busy time (samples that were not idle).
import { readFileSync } from 'node:fs';

/** [label, function name, file the function lives in]: a frame matches when both match. */
// Only synchronous functions: an async one's frame ends at its first `await`, so its inclusive time would be short.
const STAGES = [
  ['decode protobuf (protobufjs)', 'decodeRequest', '/api/otlp/payload.js'],
  ['convert OTLP → store spans', 'spansFromRequest', '/api/otlp/convert.js'],
  ['store: insert the span (JSON.stringify + INSERT)', 'insertSpan', '/storage/sqlite.js'],
  ['store: duplicate check before allocating (`getSpan`)', 'getSpan', '/storage/sqlite.js'],
  ['store: sequence id counter (`nextSpanSequenceId`)', 'nextSpanSequenceId', '/storage/sqlite.js'],
  ['store: group commit (`COMMIT`, WAL writes, checkpoints)', 'endBatch', '/storage/sqlite.js'],
  ['garbage collection', '(garbage collector)', ''],
];

export function summarizeProfile(path) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const self = new Map();
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const total = new Map();
  const inclusive = (node) => {
    if (total.has(node.id)) return total.get(node.id);
    const value =
      (self.get(node.id) ?? 0) + (node.children ?? []).reduce((sum, id) => sum + inclusive(byId.get(id)), 0);
    total.set(node.id, value);
    return value;
  };
  const rootNode = nodes.find((node) => node.callFrame.functionName === '(root)');
  const idle = nodes
    .filter((n) => n.callFrame.functionName === '(idle)')
    .reduce((s, n) => s + (self.get(n.id) ?? 0), 0);
  const busy = inclusive(rootNode) - idle;
  const rows = ['| stage | CPU seconds | share of busy time |', '| --- | ---: | ---: |'];
  for (const [label, name, file] of STAGES) {
    // Outermost matching frames only, so a function that calls itself is not counted twice.
    let sum = 0;
    const visit = (node, inside) => {
      const match = node.callFrame.functionName === name && node.callFrame.url.endsWith(file);
      if (match && !inside) sum += inclusive(node);
      for (const id of node.children ?? []) visit(byId.get(id), inside || match);
    };
    visit(rootNode, false);
    rows.push(`| ${label} | ${(sum / 1e6).toFixed(1)} | ${((100 * sum) / busy).toFixed(0)}% |`);
  }
  rows.push(`| busy (all samples but idle) | ${(busy / 1e6).toFixed(1)} | 100% |`);
  rows.push('', '| top functions by own time | file | CPU seconds | share |', '| --- | --- | ---: | ---: |');
  const own = new Map();
  for (const node of nodes) {
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(root)') continue;
    const key = `${functionName || '(anonymous)'}\t${url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'server: ')}`;
    own.set(key, (own.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  for (const [key, time] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    const [name, file] = key.split('\t');
    rows.push(
      `| \`${name}\` | ${file || '(native)'} | ${(time / 1e6).toFixed(1)} | ${((100 * time) / busy).toFixed(0)}% |`,
    );
  }
  return rows;
}
