import { invalid } from '../shared/domain-error';
import { calendarDate, deliverableUri, freeText, instant, type RuleBreach } from '../shared/field-rules';
import { type Deliverable, type MilestoneTerms, PAYMENT_METHODS } from './commands';

/**
 * Value checks on commands. Problems are collected so that a caller sees every bad field at once;
 * the error's code is that of the first problem, `details.errors` lists them all.
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  /** The shared rule broken (`freeText`, `calendarDate`, ...), when it is one; the code stands for it otherwise. */
  rule?: string;
}

export const MIN_MILESTONES = 1;
export const MAX_MILESTONES = 20;
/** ¥10 billion ex-tax per milestone keeps every total far inside exact integer range. */
export const MAX_MILESTONE_AMOUNT = 10_000_000_000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_TEXT_LENGTH = 4000;
export const MAX_DELIVERABLES = 100;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Account ids come from other services: any 1–128 visible characters. */
const ACCOUNT_ID_PATTERN = /^\S{1,128}$/u;
const SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;

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
    return this.check(
      typeof value === 'string' && ID_PATTERN.test(value),
      field,
      'INVALID_ID',
      `${field} must be 1–128 letters, digits or _ . : - starting with a letter or digit`,
    );
  }

  accountId(value: unknown, field: string): this {
    return this.check(
      typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value),
      field,
      'INVALID_ACCOUNT_ID',
      `${field} must be 1–128 characters without spaces`,
    );
  }

  text(value: unknown, field: string, code: string, maxLength = MAX_TEXT_LENGTH): this {
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
      return this.add(field, code, `${field} must be non-blank text of at most ${maxLength} characters`);
    }
    return this.breach(freeText(value, field), field, code);
  }

  optionalText(value: unknown, field: string, code: string, maxLength = MAX_TEXT_LENGTH): this {
    return value === undefined ? this : this.text(value, field, code, maxLength);
  }

  instant(value: unknown, field: string): this {
    return this.breach(instant(value, field), field, 'INVALID_TIMESTAMP');
  }

  date(value: unknown, field: string): this {
    return this.breach(calendarDate(value, field), field, 'INVALID_DUE_DATE');
  }

  milestoneAmount(value: unknown, field: string): this {
    return this.check(
      typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_MILESTONE_AMOUNT,
      field,
      'INVALID_AMOUNT',
      `${field} must be a whole number of yen from 1 to ${MAX_MILESTONE_AMOUNT}`,
    );
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
    if (!Array.isArray(value) || value.length < MIN_MILESTONES || value.length > MAX_MILESTONES) {
      return this.add(field, 'INVALID_MILESTONE_COUNT', `${field} must hold ${MIN_MILESTONES} to ${MAX_MILESTONES} milestones`);
    }
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
      typeof value === 'string' && (PAYMENT_METHODS as readonly string[]).includes(value),
      field,
      'INVALID_PAYMENT_METHOD',
      `${field} must be one of ${PAYMENT_METHODS.join(', ')}`,
    );
  }

  deliverables(value: unknown, field: string): this {
    if (!Array.isArray(value) || value.length > MAX_DELIVERABLES) {
      return this.add(field, 'INVALID_DELIVERABLES', `${field} must be a list of at most ${MAX_DELIVERABLES} deliverables`);
    }
    value.forEach((entry: Partial<Deliverable> | null, index) => {
      const at = `${field}[${index}]`;
      this.breach(deliverableUri(entry?.uri, `${at}.uri`), `${at}.uri`, 'INVALID_DELIVERABLE_URI');
      if (entry?.sha256 !== undefined) {
        this.check(
          typeof entry.sha256 === 'string' && SHA256_PATTERN.test(entry.sha256),
          `${at}.sha256`,
          'INVALID_SHA256',
          `${at}.sha256 must be 64 hexadecimal digits`,
        );
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

export const isPositiveYen = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

export const isInstant = (value: unknown): value is string => instant(value, 'instant') === undefined;

export const isCalendarDate = (value: unknown): value is string => calendarDate(value, 'date') === undefined;
