// A small argv parser: positional arguments, `--flag`, `--key value`, `--key=value`, `-o value`.
// Unknown options are an error, so a typo never silently changes a CI check.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Options that take a value; the value may repeat when `repeatable`. */
  values?: string[];
  repeatable?: string[];
  flags?: string[];
  aliases?: Record<string, string>;
}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const valueNames = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const flagNames = new Set(spec.flags ?? []);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let name = arg.replace(/^--?/, '');
    let inline: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      inline = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    name = spec.aliases?.[name] ?? name;
    if (flagNames.has(name)) {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
    } else if (valueNames.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      const list = values.get(name) ?? [];
      if (list.length > 0 && !(spec.repeatable ?? []).includes(name)) {
        throw new UsageError(`option --${name} given more than once`);
      }
      list.push(value);
      values.set(name, list);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positional, values, flags };
}
