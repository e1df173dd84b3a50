/** A small `--name value` / `--flag` parser: the benchmarks take a handful of numeric options. */

export interface OptionSpec {
  /** Options that take no value. */
  flags?: readonly string[];
  /** Options that take a value. */
  values?: readonly string[];
}

export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseOptions(argv: readonly string[], spec: OptionSpec): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (!argument.startsWith('--')) throw new Error(`Unexpected argument "${argument}"`);
    const [name, inline] = argument.slice(2).split('=', 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) {
      if (inline !== undefined) throw new Error(`--${name} takes no value`);
      flags.add(name);
    } else if (spec.values?.includes(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, value);
    } else {
      const known = [...(spec.flags ?? []), ...(spec.values ?? [])].map((option) => `--${option}`).join(', ');
      throw new Error(`Unknown option --${name} (known: ${known})`);
    }
  }
  return { flags, values };
}

/** A positive number option (integers where `integer` is set), bounded so that a typo cannot run for hours. */
export function numberOption(
  options: ParsedOptions,
  name: string,
  fallback: number,
  bounds: { min: number; max: number; integer?: boolean },
): number {
  const text = options.values.get(name);
  if (text === undefined) return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(value) || value < bounds.min || value > bounds.max || (bounds.integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be ${bounds.integer ? 'an integer' : 'a number'} from ${bounds.min} to ${bounds.max}, got "${text}"`);
  }
  return value;
}
