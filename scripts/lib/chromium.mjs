/**
 * How every Playwright user here launches a browser — the e2e and screenshot configs, the dashboard's browser tests
 * and stories, the page benchmarks: Debian's Chromium, never a downloaded one (toolchain.md §6), with one list of
 * flags that keeps it quiet and off the network.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Fresh options for `chromium.launch()` / a config's `launchOptions` (callers may add to them). */
export function chromiumLaunchOptions() {
  return { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS] };
}
