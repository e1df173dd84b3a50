import { invalid } from './domain-error';
import { freeText, type RuleBreach } from './field-rules';

/**
 * How every decider builds its refusal of a bad field. A check returns the problems it finds (none when
 * the value is acceptable), so a decider lists its checks and refuses them all at once: the caller sees
 * every bad field in one answer.
 *
 * The wallet and account deciders refuse with `VALIDATION_FAILED` and the broken rule per field
 * (`refuseFieldErrors`); the contract decider names a code per field (`Validation` in
 * `contract/validation.ts`, built on the same predicates). The codes are part of the public API, so each
 * decider keeps the ones its clients already branch on.
 */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

export const isOneOf = <T>(allowed: readonly T[], value: unknown): value is T => (allowed as readonly unknown[]).includes(value);

/** A whole, exactly representable, positive number of yen. */
export const isPositiveYen = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** Throws `VALIDATION_FAILED` listing every problem, if there is any. */
export function refuseFieldErrors(errors: readonly FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid('VALIDATION_FAILED', `Invalid ${errors.map((error) => error.field).join(', ')}.`, { errors: [...errors] });
}

/** A shared rule's breach (see field-rules.ts) as the problem of a field. */
export const breachOf = (field: string, breach: RuleBreach | undefined): FieldError[] => (breach ? [{ field, ...breach }] : []);

export const required = (field: string, value: unknown): FieldError[] =>
  isNonEmptyString(value) ? [] : [{ field, rule: 'required', message: 'must be a non-empty string' }];

/** Free text (names, reasons, references) keeps to the shared rule; a missing optional value is not this rule's business. */
export const text = (field: string, value: unknown): FieldError[] =>
  typeof value === 'string' ? breachOf(field, freeText(value, field)) : [];

/** Free text that must be given: a reason support or the gateway owes the record, a holder's name. */
export const requiredText = (field: string, value: unknown): FieldError[] => [...required(field, value), ...text(field, value)];

export const boolean = (field: string, value: unknown): FieldError[] =>
  typeof value === 'boolean' ? [] : [{ field, rule: 'isBoolean', message: 'must be true or false' }];

export const oneOf = (field: string, allowed: readonly string[], value: unknown): FieldError[] =>
  isOneOf(allowed, value) ? [] : [{ field, rule: 'isIn', message: `must be one of ${allowed.join(', ')}` }];

export const positiveYen = (field: string, value: unknown): FieldError[] =>
  isPositiveYen(value) ? [] : [{ field, rule: 'isPositiveInt', message: 'must be a positive whole number of yen' }];

export const digits = (field: string, value: unknown, count: number): FieldError[] =>
  typeof value === 'string' && new RegExp(`^[0-9]{${count}}$`).test(value)
    ? []
    : [{ field, rule: 'digits', message: `must be exactly ${count} digits` }];
