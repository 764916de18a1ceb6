/**
 * Command-line flags with environment fallbacks, for `agl-store` and `agl-demo`. Every mistake a person can make
 * on the command line ends in one `UsageError` line that says how to fix it, never in a stack trace: a mistyped
 * flag names the closest real one, a flag without its value shows an example, and `npm start --port 9000` (where
 * npm keeps `--port` for itself) says to put `--` first.
 *
 * We tokenize argv ourselves instead of using `util.parseArgs`: its strict mode reports problems as messages to be
 * picked apart, and its loose mode silently takes `--memory` as the value of `--db --memory`.
 */

export interface FlagSpec {
  /** Without the leading dashes: `port`. */
  name: string;
  /** `list` may be repeated and its environment variable is comma-separated. */
  kind: 'string' | 'boolean' | 'list';
  env?: string;
  /** Placeholder in the help, e.g. `<n>`; also the shape of the example when the value is missing. */
  placeholder?: string;
  /** A sensible value, shown in "--port needs a value, e.g. --port 4747". */
  example?: string;
  /** As shown in the help; resolving defaults is the caller's business (some depend on other flags). */
  defaultText?: string;
  /** Never echoed back in a message (an API key). */
  secret?: boolean;
  help: string;
}

/** A problem with how the program was invoked: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Raw = string | boolean | string[];

export class CommandLine {
  constructor(
    private readonly specs: readonly FlagSpec[],
    private readonly given: ReadonlyMap<string, Raw>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `--name` if it was given on the command line, else its environment variable: for error messages. */
  sourceOf(name: string): string {
    const spec = this.spec(name);
    return this.given.has(name) || !spec.env ? `--${name}` : spec.env;
  }

  /** The flag's value, else its environment variable's (an empty variable counts as unset), else undefined. */
  text(name: string): string | undefined {
    const spec = this.spec(name);
    const value = this.given.get(name);
    if (typeof value === 'string') return value;
    const fromEnv = spec.env ? this.env[spec.env] : undefined;
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  }

  /** A switch: the flag, else `1`/`true` or `0`/`false` in its environment variable. */
  flag(name: string): boolean {
    const spec = this.spec(name);
    if (this.given.has(name)) return true;
    const fromEnv = spec.env ? this.env[spec.env]?.trim().toLowerCase() : undefined;
    if (fromEnv === undefined || fromEnv === '' || fromEnv === '0' || fromEnv === 'false') return false;
    if (fromEnv === '1' || fromEnv === 'true') return true;
    throw new UsageError(`${spec.env} must be 1 or 0, got '${this.env[spec.env!]}'`);
  }

  /** Every occurrence of a repeatable flag, else its comma-separated environment variable; blanks dropped. */
  list(name: string): string[] {
    const spec = this.spec(name);
    const value = this.given.get(name);
    const items = Array.isArray(value) ? value : ((spec.env ? this.env[spec.env] : undefined) ?? '').split(',');
    return items.map((item) => item.trim()).filter((item) => item.length > 0);
  }

  private spec(name: string): FlagSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no flag --${name} is declared`); // a programming error, not a usage error
    return spec;
  }
}

/** Reads argv against `specs`; `env` holds the fallbacks and reveals flags that npm swallowed. */
export function readCommandLine(
  specs: readonly FlagSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): CommandLine {
  const given = new Map<string, Raw>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const rawName = equals < 0 ? arg : arg.slice(0, equals);
    const inline = equals < 0 ? undefined : arg.slice(equals + 1);
    const spec = rawName.startsWith('--') ? specs.find((s) => s.name === rawName.slice(2)) : undefined;
    if (!spec) throw unknownFlag(specs, rawName);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value (got '${arg}')`);
      given.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following flag is not a value (`--db --memory`), but a negative number is, so that it can be refused.
      if (next !== undefined && !(next.startsWith('-') && !/^-\d/.test(next))) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === '') throw missingValue(spec);
    if (spec.kind === 'list') given.set(spec.name, [...((given.get(spec.name) as string[]) ?? []), value]);
    else given.set(spec.name, value);
  }
  const misplaced = misplacedArguments(specs, positionals, env);
  if (misplaced) throw misplaced;
  return new CommandLine(specs, given, env);
}

function missingValue(spec: FlagSpec): UsageError {
  const example = spec.example ?? spec.placeholder ?? '<value>';
  return new UsageError(`--${spec.name} needs a value, e.g. --${spec.name} ${example}`);
}

function unknownFlag(specs: readonly FlagSpec[], rawName: string): UsageError {
  const typed = rawName.replace(/^-+/, '');
  // A prefix (`-p`, `--mem`) says more about what was meant than the edit distance to a much longer name.
  const closest =
    specs.find((spec) => typed.length > 0 && spec.name.startsWith(typed)) ??
    [...specs].sort((a, b) => editDistance(typed, a.name) - editDistance(typed, b.name))[0];
  const hint = closest ? `did you mean --${closest.name}? ` : '';
  return new UsageError(`unknown option ${rawName}; ${hint}(--help lists them all)`);
}

/**
 * `npm start --port 9000` runs the script with `9000` as an argument and `npm_config_port` set: npm took the flag
 * for one of its own settings (a lone switch, `npm start --memory`, arrives as nothing at all). Name the flags that
 * went missing and show the command that works.
 */
function misplacedArguments(
  specs: readonly FlagSpec[],
  positionals: readonly string[],
  env: NodeJS.ProcessEnv,
): UsageError | null {
  const script = env.npm_lifecycle_event;
  const swallowed = script ? specs.filter((spec) => env[npmConfigName(spec)] !== undefined) : [];
  if (swallowed.length === 0) {
    if (positionals.length === 0) return null;
    const viaNpm = script ? `; through npm, put -- before them: ${npmCommand(script)} -- --port 9000` : '';
    return new UsageError(
      `unexpected argument '${positionals[0]}': options start with -- (--help lists them)${viaNpm}`,
    );
  }
  // npm keeps the flags' order to itself, so values are matched to flags in declaration order when they add up.
  const withValues = swallowed.filter((spec) => spec.kind !== 'boolean');
  const values = withValues.length === positionals.length ? positionals : null;
  const intended = swallowed.map((spec) => {
    if (spec.kind === 'boolean') return `--${spec.name}`;
    const value = values && !spec.secret ? values[withValues.indexOf(spec)] : undefined;
    return `--${spec.name} ${value ?? spec.placeholder ?? '<value>'}`;
  });
  const names = swallowed.map((spec) => `--${spec.name}`).join(', ');
  return new UsageError(
    `npm kept ${names} for itself (options after '${npmCommand(script!)}' need a -- first): ` +
      `run ${npmCommand(script!)} -- ${intended.join(' ')}`,
  );
}

/** npm exports `--body-limit-mb` as `npm_config_body_limit_mb`. */
function npmConfigName(spec: FlagSpec): string {
  return `npm_config_${spec.name.replaceAll('-', '_')}`;
}

function npmCommand(script: string): string {
  return ['start', 'test', 'stop', 'restart'].includes(script) ? `npm ${script}` : `npm run ${script}`;
}

/** Levenshtein distance; flag names are short, so the plain quadratic table is plenty. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const ENV_SHAPE: Record<FlagSpec['kind'], string> = { string: '', boolean: '=1', list: ' (comma-separated)' };

/** The `--help` text: every flag, then its environment variable and default on the line below. */
export function renderHelp(usage: string, specs: readonly FlagSpec[]): string {
  const flags = specs.map((spec) => `--${spec.name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`);
  const width = Math.max(...flags.map((flag) => flag.length)) + 2;
  const lines = specs.map((spec, i) => {
    const extra = [
      spec.env ? `env ${spec.env}${ENV_SHAPE[spec.kind]}` : '',
      spec.defaultText ? `default ${spec.defaultText}` : '',
    ].filter(Boolean);
    const first = `  ${flags[i]!.padEnd(width)}${spec.help}\n`;
    return extra.length > 0 ? `${first}  ${' '.repeat(width)}${extra.join(', ')}\n` : first;
  });
  return `${usage}\n\n${lines.join('')}`;
}
