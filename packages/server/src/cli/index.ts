/**
 * `@agl/server/cli`: the pieces of `agl-store`'s command line that other programs built on the store reuse
 * (`agl-demo`): flags with environment fallbacks and friendly errors, logging, listening with a banner, signals.
 */
export { CommandLine, readCommandLine, renderHelp, UsageError, type FlagSpec } from './flags.js';
export { formatLogLine, loggerOptions } from './log.js';
export {
  exposureWarning,
  runCli,
  serve,
  StartupError,
  type RunState,
  type Served,
  type ServeOptions,
} from './serve.js';
export { DEFAULT_HOST, DEFAULT_PORT, HELP_FLAG, HOST_FLAG, LOG_LEVEL_FLAG, PORT_FLAG } from './store-options.js';
export { LOG_LEVELS, readLogLevel, readPort, readInteger, readPositiveNumber, type LogLevel } from './values.js';
