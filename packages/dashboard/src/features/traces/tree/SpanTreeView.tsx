/**
 * The default Traces view: the span tree beside a time waterfall, virtualised so 10,000 spans keep scrolling
 * fluidly. Collapse state is a set of span ids, so a refresh that brings new spans keeps what the user folded, and
 * the scroll element stays mounted across refreshes so the scroll position is kept too.
 */
import { useCallback, useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconArrowsMaximize, IconArrowsMinimize } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Span } from '@agl/schemas';
import { buildSpanTree, flattenVisible, toggleCollapsed } from '../lib/spanTree';
import { computeTimeAxis, formatTick, rulerTicks } from '../lib/waterfall';
import { SpanTreeRow } from './SpanTreeRow';
import classes from './SpanTreeView.module.css';

const ROW_HEIGHT = 30;

export interface SpanTreeViewProps {
  spans: readonly Span[];
  selectedSpanId: string | null;
  onOpenSpan: (spanId: string) => void;
  /** Ids of collapsed spans; owned by the page so switching to the table and back keeps them. */
  collapsed: ReadonlySet<string>;
  onCollapsedChange: (next: ReadonlySet<string>) => void;
  /** Height of the scrolling area in px (the page gives it what is left of the viewport). */
  height?: number;
}

export function SpanTreeView({
  spans,
  selectedSpanId,
  onOpenSpan,
  collapsed,
  onCollapsedChange,
  height = 600,
}: SpanTreeViewProps) {
  const tree = useMemo(() => buildSpanTree(spans), [spans]);
  const axis = useMemo(() => computeTimeAxis(spans), [spans]);
  const ticks = useMemo(() => (axis ? rulerTicks(axis) : []), [axis]);
  const tickStep = ticks.length > 1 ? ticks[1]!.offset : 1;

  const rows = useMemo(() => flattenVisible(tree, collapsed), [tree, collapsed]);
  // Rows are memoised: keep the toggle's identity stable so scrolling does not re-render every visible row.
  const latest = useRef({ collapsed, onCollapsedChange });
  useEffect(() => {
    latest.current = { collapsed, onCollapsedChange };
  });
  const onToggle = useCallback((spanId: string) => {
    const { collapsed: current, onCollapsedChange: change } = latest.current;
    change(toggleCollapsed(current, spanId));
  }, []);

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]!.node.span.span_id,
  });

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          {rows.length === spans.length ? `${spans.length} spans` : `${rows.length} of ${spans.length} spans shown`}
        </Text>
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconArrowsMaximize size={14} />}
            onClick={() => onCollapsedChange(new Set())}
          >
            Expand all
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconArrowsMinimize size={14} />}
            onClick={() => onCollapsedChange(new Set(tree.parentIds))}
          >
            Collapse all
          </Button>
        </Group>
      </Group>
      <div className={classes.frame} style={{ '--tick-step': `${tickStep * 100}%` } as CSSProperties}>
        <div className={`${classes.grid} ${classes.header}`}>
          <Text size="xs" fw={600} px="sm" style={{ lineHeight: '28px' }}>
            Span
          </Text>
          <div className={classes.ruler} aria-label="Time from the start of the attempt">
            {ticks.map((tick) => (
              <span
                key={tick.seconds}
                className={classes.tick}
                style={{ left: `${tick.offset * 100}%` }}
                data-testid="ruler-tick"
              >
                {formatTick(tick.seconds, ticks[1]?.seconds ?? 1)}
              </span>
            ))}
          </div>
        </div>
        <div ref={scrollRef} className={classes.scroller} style={{ height }} data-testid="span-tree-scroller">
          <div role="tree" aria-label="Spans" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <SpanTreeRow
                  key={item.key}
                  row={row}
                  axis={axis}
                  top={item.start}
                  selected={row.node.span.span_id === selectedSpanId}
                  onToggle={onToggle}
                  onOpen={onOpenSpan}
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
