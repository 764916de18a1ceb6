/** A small inline drawing (an empty tray) in theme colours; no image request, works in light and dark. */
export function EmptyIllustration({ size = 96 }: { size?: number }) {
  return (
    <svg width={size} height={(size * 3) / 4} viewBox="0 0 128 96" fill="none" aria-hidden role="img">
      <ellipse cx="64" cy="86" rx="46" ry="6" fill="var(--mantine-color-default-border)" />
      <path
        d="M22 52 L36 22 H92 L106 52 V78 a4 4 0 0 1 -4 4 H26 a4 4 0 0 1 -4 -4 Z"
        fill="var(--mantine-color-body)"
        stroke="var(--mantine-color-dimmed)"
        strokeWidth="2.5"
        strokeLinejoin="round"
      />
      <path
        d="M22 52 H46 a4 4 0 0 1 4 4 a14 6 0 0 0 28 0 a4 4 0 0 1 4 -4 H106"
        stroke="var(--mantine-color-dimmed)"
        strokeWidth="2.5"
        strokeLinejoin="round"
      />
      <path
        d="M58 8 L52 24 H62 L56 40"
        stroke="var(--mantine-primary-color-filled)"
        strokeWidth="3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
