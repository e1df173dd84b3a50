import { invalid } from '../shared/domain-error';
import { isOneOf, isPositiveYen } from '../shared/field-errors';
import { calendarDate, deliverableUri, freeText, instant, type RuleBreach } from '../shared/field-rules';
import {
  ID_PATTERN,
  ID_PATTERN_DESCRIPTION,
  MAX_DELIVERABLES,
  MAX_MILESTONE_AMOUNT,
  MAX_MILESTONES,
  MAX_REASON_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_MILESTONES,
  SHA256_PATTERN,
} from '../shared/limits';
import { type Deliverable, type MilestoneTerms, PAYMENT_METHODS } from './commands';

/**
 * Value checks on contract commands, built on the shared predicates and rules (shared/field-errors.ts,
 * shared/field-rules.ts). Problems are collected so that a caller sees every bad field at once; unlike the
 * wallet and account deciders (`VALIDATION_FAILED`), each problem carries its own code, which clients of
 * the contract commands branch on: the error's code is that of the first problem, `details.errors` lists them all.
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  /**
   * The rule broken, named as the request validation names it (`freeText`, `calendarDate`, `maxLength`,
   * `matches`, ...), when it is one; the code stands for it otherwise.
   */
  rule?: string;
}

export { MAX_MILESTONE_AMOUNT, MAX_MILESTONES, MIN_MILESTONES } from '../shared/limits';

export class Validation {
  private readonly errors: FieldError[] = [];

  add(field: string, code: string, message: string, rule?: string): this {
    this.errors.push({ field, code, message, ...(rule !== undefined ? { rule } : {}) });
    return this;
  }

  /** Records a shared rule's breach under this command's code for the field. */
  breach(breach: RuleBreach | undefined, field: string, code: string): this {
    return breach ? this.add(field, code, breach.message, breach.rule) : this;
  }

  check(ok: boolean, field: string, code: string, message: string): this {
    return ok ? this : this.add(field, code, message);
  }

  id(value: unknown, field: string): this {
    if (typeof value === 'string' && ID_PATTERN.test(value)) return this;
    return this.add(field, 'INVALID_ID', `${field} must be ${ID_PATTERN_DESCRIPTION}`, 'matches');
  }

  /** Account ids come from other services and act through X-Actor-Id, which keeps to the same pattern. */
  accountId(value: unknown, field: string): this {
    if (typeof value === 'string' && ID_PATTERN.test(value)) return this;
    return this.add(field, 'INVALID_ACCOUNT_ID', `${field} must be ${ID_PATTERN_DESCRIPTION}`, 'matches');
  }

  /** Non-blank free text; `maxLength` is one of the limits (reasons by default). */
  text(value: unknown, field: string, code: string, maxLength = MAX_REASON_LENGTH): this {
    const message = `${field} must be non-blank text of at most ${maxLength} characters`;
    if (typeof value !== 'string') return this.add(field, code, message, 'isString');
    if (value.trim().length === 0) return this.add(field, code, message, 'isNotEmpty');
    if (value.length > maxLength) return this.add(field, code, message, 'maxLength');
    return this.breach(freeText(value, field), field, code);
  }

  optionalText(value: unknown, field: string, code: string, maxLength = MAX_REASON_LENGTH): this {
    return value === undefined ? this : this.text(value, field, code, maxLength);
  }

  instant(value: unknown, field: string): this {
    return this.breach(instant(value, field), field, 'INVALID_TIMESTAMP');
  }

  date(value: unknown, field: string): this {
    return this.breach(calendarDate(value, field), field, 'INVALID_DUE_DATE');
  }

  milestoneAmount(value: unknown, field: string): this {
    const message = `${field} must be a whole number of yen from 1 to ${MAX_MILESTONE_AMOUNT}`;
    if (!isPositiveYen(value)) return this.add(field, 'INVALID_AMOUNT', message);
    return value > MAX_MILESTONE_AMOUNT ? this.add(field, 'INVALID_AMOUNT', message, 'max') : this;
  }

  positiveYen(value: unknown, field: string): this {
    return this.check(isPositiveYen(value), field, 'INVALID_AMOUNT', `${field} must be a whole number of yen ≥ 1`);
  }

  milestoneTerms(value: unknown, field: string): this {
    if (typeof value !== 'object' || value === null) {
      return this.add(field, 'INVALID_MILESTONE', `${field} must be an object`);
    }
    const terms = value as Partial<MilestoneTerms>;
    return this.id(terms.milestoneId, `${field}.milestoneId`)
      .text(terms.title, `${field}.title`, 'INVALID_TITLE', MAX_TITLE_LENGTH)
      .milestoneAmount(terms.amount, `${field}.amount`)
      .date(terms.dueDate, `${field}.dueDate`);
  }

  /** A full milestone list: 1 to 20 entries with distinct ids. */
  milestoneList(value: unknown, field: string): this {
    const message = `${field} must hold ${MIN_MILESTONES} to ${MAX_MILESTONES} milestones`;
    if (!Array.isArray(value)) return this.add(field, 'INVALID_MILESTONE_COUNT', message, 'isArray');
    if (value.length < MIN_MILESTONES) return this.add(field, 'INVALID_MILESTONE_COUNT', message, 'arrayMinSize');
    if (value.length > MAX_MILESTONES) return this.add(field, 'INVALID_MILESTONE_COUNT', message, 'arrayMaxSize');
    value.forEach((terms, index) => this.milestoneTerms(terms, `${field}[${index}]`));
    return this.distinctIds(value, field);
  }

  distinctIds(value: readonly unknown[], field: string): this {
    const ids = value
      .map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { milestoneId?: unknown }).milestoneId : undefined))
      .filter((id): id is string => typeof id === 'string');
    return this.check(new Set(ids).size === ids.length, field, 'DUPLICATE_MILESTONE_ID', `${field} names a milestone twice`);
  }

  paymentMethod(value: unknown, field: string): this {
    return this.check(
      isOneOf(PAYMENT_METHODS, value),
      field,
      'INVALID_PAYMENT_METHOD',
      `${field} must be one of ${PAYMENT_METHODS.join(', ')}`,
    );
  }

  deliverables(value: unknown, field: string): this {
    const message = `${field} must be a list of at most ${MAX_DELIVERABLES} deliverables`;
    if (!Array.isArray(value)) return this.add(field, 'INVALID_DELIVERABLES', message, 'isArray');
    if (value.length > MAX_DELIVERABLES) return this.add(field, 'INVALID_DELIVERABLES', message, 'arrayMaxSize');
    value.forEach((entry: Partial<Deliverable> | null, index) => {
      const at = `${field}[${index}]`;
      this.breach(deliverableUri(entry?.uri, `${at}.uri`), `${at}.uri`, 'INVALID_DELIVERABLE_URI');
      if (entry?.sha256 !== undefined) {
        if (typeof entry.sha256 !== 'string' || !SHA256_PATTERN.test(entry.sha256)) {
          this.add(`${at}.sha256`, 'INVALID_SHA256', `${at}.sha256 must be 64 hexadecimal digits`, 'matches');
        }
      }
    });
    return this;
  }

  /** Throws the collected problems, if any. */
  done(): void {
    if (this.errors.length === 0) return;
    const [first] = this.errors;
    throw invalid(first.code, first.message, { errors: [...this.errors] });
  }
}

export const validate = () => new Validation();

export const isInstant = (value: unknown): value is string => instant(value, 'instant') === undefined;

export const isCalendarDate = (value: unknown): value is string => calendarDate(value, 'date') === undefined;
