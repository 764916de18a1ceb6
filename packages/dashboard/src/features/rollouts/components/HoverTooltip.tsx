import { cloneElement, useState, type ReactElement, type ReactNode } from 'react';
import { Tooltip, type TooltipProps } from '@mantine/core';
import { useTimeout } from '@mantine/hooks';

interface HoverTarget {
  onMouseEnter?: () => void;
  onMouseLeave?: () => void;
  onFocus?: () => void;
  onBlur?: () => void;
}

export interface HoverTooltipProps extends Omit<TooltipProps, 'children' | 'label' | 'opened'> {
  label: ReactNode;
  children: ReactElement<HoverTarget>;
  /** Milliseconds of hover before it shows. */
  delay?: number;
}

/**
 * A Mantine Tooltip that exists only while it is shown. A table page has three tooltips per row; mounting 300
 * floating-element hooks made every sort or page change twice as slow, so rows carry only these listeners and the
 * Tooltip is created on hover or keyboard focus.
 */
export function HoverTooltip({ label, children, delay = 250, ...tooltipProps }: HoverTooltipProps) {
  const [open, setOpen] = useState(false);
  // Cleared on unmount by the hook, so a row that leaves the page never opens a stray tooltip.
  const timer = useTimeout(() => setOpen(true), delay);
  const show = () => timer.start();
  const hide = () => {
    timer.clear();
    setOpen(false);
  };
  const target = cloneElement(children, { onMouseEnter: show, onMouseLeave: hide, onFocus: show, onBlur: hide });
  if (!open) return target;
  return (
    <Tooltip label={label} opened withinPortal {...tooltipProps}>
      {target}
    </Tooltip>
  );
}
