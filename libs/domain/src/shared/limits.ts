/**
 * The bounds of every value a caller may send, stated once. The deciders refuse a value beyond them and
 * the HTTP layer's request validation (and so the OpenAPI document) takes its bounds from here, so both
 * layers answer the same. Why each value was chosen is written in docs/api.md ("Limits").
 *
 * Each bound carries the name of the rule that refuses a value beyond it (`maxLength`, `arrayMaxSize`,
 * `max`, `matches`, as class-validator names its constraints), so the decider's field error and the
 * request validation's name the same rule.
 */

// ── Identifiers ───────────────────────────────────────────────────────────────────────────────

/** Ids callers choose (milestones, changes of terms, reminders, bank accounts, accounts named by an offer). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MAX_ID_LENGTH = 128;
export const ID_PATTERN_DESCRIPTION = `1-${MAX_ID_LENGTH} letters, digits, ".", "_", ":" or "-", starting with a letter or digit`;

/** Fee schedule ids (`crowdworks-2019-10`): an unknown one is refused by the decider in any case. */
export const MAX_FEE_SCHEDULE_ID_LENGTH = 64;

// ── Amounts (whole yen) ───────────────────────────────────────────────────────────────────────

/** ¥10 billion ex-tax per milestone: far above any real project, and every total stays an exact integer. */
export const MAX_MILESTONE_AMOUNT = 10_000_000_000;
/**
 * A gross a request names (a prepayment, a refund, a termination split): twice the largest milestone
 * amount covers its gross under any tax rate up to 100%. The decider refuses anything beyond the
 * milestone's own escrow or gross, which is always lower.
 */
export const MAX_GROSS_AMOUNT = 2 * MAX_MILESTONE_AMOUNT;
/** A withdrawal can never exceed the wallet's balance; this bound only keeps the number an exact integer. */
export const MAX_WITHDRAWAL_AMOUNT = 10_000_000_000;

// ── Lists ─────────────────────────────────────────────────────────────────────────────────────

export const MIN_MILESTONES = 1;
export const MAX_MILESTONES = 20;
/** Files of one delivery: a larger hand-over is one archive. */
export const MAX_DELIVERABLES = 50;

// ── Text ──────────────────────────────────────────────────────────────────────────────────────

/** Titles of contracts and milestones. */
export const MAX_TITLE_LENGTH = 200;
/** Reasons (revision requests, refunds, terminations, reviews, forfeits, closures): a paragraph or two. */
export const MAX_REASON_LENGTH = 2000;
/** Messages that go with a delivery or a contact reminder: room for a short report. */
export const MAX_MESSAGE_LENGTH = 4000;
/** References of the payments gateway (payment and bank-transfer references). */
export const MAX_GATEWAY_REFERENCE_LENGTH = 128;
/** 口座名義 as banks print it. */
export const MAX_HOLDER_NAME_LENGTH = 100;
/** An ISO-8601 instant with offset and fractions fits easily. */
export const MAX_INSTANT_LENGTH = 64;

// ── Bank accounts ─────────────────────────────────────────────────────────────────────────────

/** 金融機関コード, 支店コード and 口座番号 of a Japanese bank account: fixed numbers of digits. */
export const BANK_CODE_PATTERN = /^[0-9]{4}$/;
export const BRANCH_CODE_PATTERN = /^[0-9]{3}$/;
export const ACCOUNT_NUMBER_PATTERN = /^[0-9]{7}$/;

// ── Deliverables ──────────────────────────────────────────────────────────────────────────────

export const MAX_URI_LENGTH = 2048;
/** A SHA-256 digest in hex, either case (tools print both); the decider records it in lower case. */
export const SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;
