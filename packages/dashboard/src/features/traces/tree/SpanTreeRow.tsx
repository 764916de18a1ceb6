/**
 * One row of the tree + waterfall: indentation, expand toggle with child count, the span's name (as text) and its
 * marks on the left; its bar on the shared time axis and duration label on the right.
 */
import { memo } from 'react';
import { ActionIcon, Badge } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconLinkOff, IconMessageChatbot, IconTrophy } from '@tabler/icons-react';
import type { VisibleRow } from '../lib/spanTree';
import { spanFacts } from '../lib/spanKind';
import { formatReward } from '../lib/rewards';
import { barLayout, formatSpanDuration, spanDuration, type TimeAxis } from '../lib/waterfall';
import classes from './SpanTreeView.module.css';

const INDENT_PX = 14;
// Past this depth rows stop moving right so a very deep chain keeps its names readable; aria-level still tells.
const MAX_INDENT_DEPTH = 24;

interface SpanTreeRowProps {
  row: VisibleRow;
  axis: TimeAxis | null;
  top: number;
  selected: boolean;
  onToggle: (spanId: string) => void;
  onOpen: (spanId: string) => void;
}

export const SpanTreeRow = memo(function SpanTreeRow({ row, axis, top, selected, onToggle, onOpen }: SpanTreeRowProps) {
  const { node, depth, collapsed } = row;
  const { span } = node;
  const facts = spanFacts(span);
  const hasChildren = node.children.length > 0;
  const bar = axis ? barLayout(span, axis) : null;
  const duration = formatSpanDuration(spanDuration(span));

  return (
    <div
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={hasChildren ? !collapsed : undefined}
      aria-selected={selected}
      tabIndex={0}
      data-span-id={span.span_id}
      className={`${classes.grid} ${classes.row} ${selected ? classes.selected : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(span.span_id)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(span.span_id);
        } else if (hasChildren && event.key === (collapsed ? 'ArrowRight' : 'ArrowLeft')) {
          // Tree convention: right expands a collapsed span, left collapses an open one.
          onToggle(span.span_id);
        }
      }}
    >
      <div className={classes.nameCell} style={{ paddingLeft: 4 + Math.min(depth, MAX_INDENT_DEPTH) * INDENT_PX }}>
        {hasChildren ? (
          <ActionIcon
            size="sm"
            variant="subtle"
            color="gray"
            aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${span.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span.span_id);
            }}
          >
            {collapsed ? <IconChevronRight size={14} /> : <IconChevronDown size={14} />}
          </ActionIcon>
        ) : (
          <span className={classes.toggleSpacer} />
        )}
        <span className={`${classes.name} ${facts.error ? classes.errorName : ''}`} title={span.name}>
          {span.name}
        </span>
        {hasChildren && (
          <Badge size="xs" variant="default" radius="sm" title={`${node.descendantCount} spans below`} flex="none">
            {node.children.length}
          </Badge>
        )}
        {facts.reward && (
          <Badge size="xs" color="yellow" leftSection={<IconTrophy size={10} />} flex="none" data-testid="reward-mark">
            {formatReward(facts.reward.primary)}
          </Badge>
        )}
        {facts.llm && (
          <Badge size="xs" color="grape" variant="light" leftSection={<IconMessageChatbot size={10} />} flex="none">
            LLM
          </Badge>
        )}
        {node.orphan && (
          <Badge
            size="xs"
            color="orange"
            variant="light"
            leftSection={<IconLinkOff size={10} />}
            flex="none"
            title={`Parent ${span.parent_id ?? ''} is not in this attempt`}
          >
            orphan
          </Badge>
        )}
      </div>
      <div className={classes.track}>
        {bar && (
          <>
            <div
              className={classes.bar}
              data-kind={facts.kind}
              data-open={bar.open}
              style={{ left: `${bar.offset * 100}%`, width: `${bar.width * 100}%` }}
            />
            {/* Always right of the bar: the track keeps a right margin wide enough for a label after a full bar. */}
            <span className={classes.duration} style={{ left: `calc(${(bar.offset + bar.width) * 100}% + 4px)` }}>
              {bar.open ? 'running' : duration}
            </span>
          </>
        )}
      </div>
    </div>
  );
});
