/**
 * The Rollouts table's cells that do more than print a string. Every value from the store (inputs, IDs, worker IDs)
 * is rendered as a React text child, never as markup.
 */
import { ActionIcon, Code } from '@mantine/core';
import { IconBraces, IconClockPlay, IconTimeline } from '@tabler/icons-react';
import { formatDuration, formatRelative, NOT_AVAILABLE } from '../../../lib/format';
import { inputPreview, type RolloutRow } from '../rolloutRows';
import { useNowSeconds } from '../../../lib/useNowSeconds';
import { HoverTooltip } from './HoverTooltip';
import classes from './RolloutTable.module.css';

// Hoisted elements: React skips re-rendering an element it has already rendered, so the icons of 100 rows cost
// nothing when a sort or a page change re-renders the rows around them.
const RAW_JSON_ICON = <IconBraces size={16} />;
const TRACES_ICON = <IconTimeline size={16} />;
const RUNNING_ICON = <IconClockPlay size={14} aria-label="running" />;

/** Pretty-printed, so a long input reads as a document. Mounted only while the tooltip is open. */
function FullInput({ value }: { value: unknown }) {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return (
    <Code block mah={360} maw={560} style={{ overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text}
    </Code>
  );
}

/** The input as JSON cut to 35 characters; the whole value on hover or keyboard focus. */
export function InputCell({ row }: { row: RolloutRow }) {
  return (
    <HoverTooltip
      label={<FullInput value={row.rollout.input} />}
      p={0}
      color="transparent"
      position="bottom-start"
      multiline
    >
      <span className={classes.mono} tabIndex={0} data-testid="rollout-input">
        {inputPreview(row)}
      </span>
    </HoverTooltip>
  );
}

function LiveDuration({ startTime }: { startTime: number }) {
  const now = useNowSeconds();
  return <>{formatDuration(now - startTime)}</>;
}

/** A finished duration, or one that counts up to now, marked as still running. */
export function DurationCell({ row }: { row: RolloutRow }) {
  if (!row.running) return <>{formatDuration(row.durationSeconds)}</>;
  return (
    <span
      className={`${classes.inline} ${classes.running}`}
      data-running="true"
      data-ticking
      title="Still running: counting up to now"
    >
      {RUNNING_ICON}
      <LiveDuration startTime={row.startTime} />
    </span>
  );
}

function LiveRelative({ time }: { time: number }) {
  const now = useNowSeconds();
  return <span data-ticking>{formatRelative(time, now)}</span>;
}

/** The latest heartbeat as an age (`5s ago`), or N/A without an attempt or a heartbeat. */
export function HeartbeatCell({ row }: { row: RolloutRow }) {
  const heartbeat = row.attempt?.last_heartbeat_time ?? null;
  return heartbeat === null ? <>{NOT_AVAILABLE}</> : <LiveRelative time={heartbeat} />;
}

export interface RowActions {
  onRawJson: (row: RolloutRow) => void;
  onTraces: (row: RolloutRow) => void;
}

export function ActionsCell({ row, onRawJson, onTraces }: { row: RolloutRow } & RowActions) {
  const what = row.attempt ? `${row.rollout.rollout_id} / ${row.attempt.attempt_id}` : row.rollout.rollout_id;
  return (
    <span className={classes.inline}>
      <HoverTooltip label="View raw JSON" delay={300}>
        <ActionIcon variant="subtle" size="sm" aria-label={`View raw JSON of ${what}`} onClick={() => onRawJson(row)}>
          {RAW_JSON_ICON}
        </ActionIcon>
      </HoverTooltip>
      <HoverTooltip label="View traces" delay={300}>
        <ActionIcon variant="subtle" size="sm" aria-label={`View traces of ${what}`} onClick={() => onTraces(row)}>
          {TRACES_ICON}
        </ActionIcon>
      </HoverTooltip>
    </span>
  );
}
