import { epochMillisOf } from '@escrow/domain/calendar';
import { instant } from '@escrow/domain/shared/field-rules';
import { badRequest, FieldError } from '../http/problem';

const POSITION = /^\d{1,15}$/;

/** A position, or an instant with its offset: what `asOf` may be. */
export type AsOf = { position: number } | { instant: Date };

/**
 * Reads the query parameters of a read route, collecting every problem before answering one 400.
 * Unknown parameters are refused, so that a misspelt filter is not silently ignored.
 */
export class ReadQuery {
  private readonly errors: FieldError[] = [];

  constructor(
    private readonly query: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(query)) {
      if (!allowed.includes(name))
        this.errors.push({ field: name, rule: 'unknownField', message: `${name} is not a parameter of this route` });
    }
  }

  /** A whole number >= 0 within `max`. */
  integer(name: string, options: { default: number; min?: number; max?: number }): number {
    const text = this.single(name);
    if (text === undefined) return options.default;
    const min = options.min ?? 0;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    if (!POSITION.test(text) || Number(text) < min || Number(text) > max) {
      this.errors.push({ field: name, rule: 'isInt', message: `${name} must be a whole number from ${min} to ${max}` });
      return options.default;
    }
    return Number(text);
  }

  /** `asOf`: a global position or an ISO-8601 instant with offset. */
  asOf(name = 'asOf'): AsOf | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (POSITION.test(text)) return { position: Number(text) };
    const breach = instant(text, name);
    if (breach) {
      this.errors.push({ field: name, rule: 'positionOrInstant', message: `${breach.message}, or a global position` });
      return undefined;
    }
    return { instant: new Date(epochMillisOf(text)) };
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined;
  oneOf<T extends string>(name: string, values: readonly T[], fallback?: T): T | undefined {
    const text = this.single(name);
    if (text === undefined) return fallback;
    if (!(values as readonly string[]).includes(text)) {
      this.errors.push({ field: name, rule: 'isIn', message: `${name} must be one of ${values.join(', ')}` });
      return fallback;
    }
    return text as T;
  }

  /** A text matching the pattern, which must also pass `valid` (a real calendar date, say). */
  matching(name: string, pattern: RegExp, description: string, valid: (text: string) => boolean = () => true): string | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (!pattern.test(text) || !valid(text)) {
      this.errors.push({ field: name, rule: 'format', message: `${name} must be ${description}` });
      return undefined;
    }
    return text;
  }

  /** A text given once, checked by the caller. */
  text(name: string): string | undefined {
    return this.single(name);
  }

  fail(field: string, rule: string, message: string): void {
    this.errors.push({ field, rule, message });
  }

  /** Throws the 400 naming every problem found, if any. */
  done(): void {
    if (this.errors.length > 0) throw badRequest(this.errors);
  }

  private single(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.errors.push({ field: name, rule: 'single', message: `${name} must be given once` });
      return undefined;
    }
    return value;
  }
}
