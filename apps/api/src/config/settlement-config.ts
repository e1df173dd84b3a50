import { InvalidDurationError, parseIsoDuration } from '@escrow/clock';
import { isTimeOfDay, SETTLEMENT_POLICY_KINDS, SettlementPolicy } from '@escrow/domain/settlement';

/** What the timers do and how often the scheduler looks for due ones (see docs/automation.md). */
export interface SchedulerSettings {
  /** SETTLEMENT_POLICY (and SETTLEMENT_DAILY_AT for `daily`): when inspected milestones are paid out. */
  settlement: SettlementPolicy;
  /** BALANCE_EXPIRY_POLICY: `when_due` expires balances and gives their notices by themselves; `manual` leaves it to `/wallet/expire`. */
  balanceExpiry: BalanceExpiryPolicy;
  /** AUTOMATIC_WITHDRAWALS: `on` applies each account's withdrawal mode at every cut-off by itself; `off` leaves it to `/withdrawals/automatic`. */
  automaticWithdrawals: AutomaticWithdrawalsPolicy;
  /**
   * TERMINATION_AUTO_COMPLETE_AFTER: how long the other party has to answer a termination request before the
   * service completes it on the requester's terms (milliseconds); null (`off`) leaves the request open.
   */
  terminationAnswerWithinMs: number | null;
  /**
   * AUTO_INSPECTION_AFTER: how long a client may leave a delivery without inspection or revision request before the
   * service inspects it (milliseconds); null (`off`, the default) leaves it to the client or support.
   */
  autoInspectionAfterMs: number | null;
  /** SCHEDULER_POLL_MS: the longest the scheduler waits, on elapsed time, before looking for due timers again. */
  pollMs: number;
}

export const BALANCE_EXPIRY_POLICIES = ['when_due', 'manual'] as const;
export type BalanceExpiryPolicy = (typeof BALANCE_EXPIRY_POLICIES)[number];

export const AUTOMATIC_WITHDRAWALS_POLICIES = ['on', 'off'] as const;
export type AutomaticWithdrawalsPolicy = (typeof AUTOMATIC_WITHDRAWALS_POLICIES)[number];

export const DEFAULT_SETTLEMENT_DAILY_AT = '17:00';
export const DEFAULT_SCHEDULER_POLL_MS = 1_000;
/** As the marketplace does it: a request left unanswered for a week completes. */
export const DEFAULT_TERMINATION_AUTO_COMPLETE_AFTER = 'P7D';
/** As the marketplace does it: nothing is inspected without the client or support. */
export const DEFAULT_AUTO_INSPECTION_AFTER = 'off';

/**
 * Reads SETTLEMENT_POLICY, SETTLEMENT_DAILY_AT, BALANCE_EXPIRY_POLICY, AUTOMATIC_WITHDRAWALS,
 * TERMINATION_AUTO_COMPLETE_AFTER, AUTO_INSPECTION_AFTER and SCHEDULER_POLL_MS, adding each problem to `problems`.
 */
export function loadSchedulerSettings(env: NodeJS.ProcessEnv, problems: string[]): SchedulerSettings {
  const kind = env.SETTLEMENT_POLICY ?? 'immediate';
  const at = env.SETTLEMENT_DAILY_AT ?? DEFAULT_SETTLEMENT_DAILY_AT;
  if (!(SETTLEMENT_POLICY_KINDS as readonly string[]).includes(kind)) {
    problems.push(`SETTLEMENT_POLICY must be one of ${SETTLEMENT_POLICY_KINDS.map((k) => `"${k}"`).join(', ')}, got "${kind}"`);
  }
  if (!isTimeOfDay(at)) problems.push(`SETTLEMENT_DAILY_AT must be a time of day in Japan as HH:MM (00:00 to 23:59), got "${at}"`);
  const balanceExpiry = env.BALANCE_EXPIRY_POLICY ?? 'when_due';
  if (!(BALANCE_EXPIRY_POLICIES as readonly string[]).includes(balanceExpiry)) {
    problems.push(`BALANCE_EXPIRY_POLICY must be one of ${BALANCE_EXPIRY_POLICIES.map((p) => `"${p}"`).join(', ')}, got "${balanceExpiry}"`);
  }
  const automaticWithdrawals = env.AUTOMATIC_WITHDRAWALS ?? 'on';
  if (!(AUTOMATIC_WITHDRAWALS_POLICIES as readonly string[]).includes(automaticWithdrawals)) {
    problems.push(`AUTOMATIC_WITHDRAWALS must be one of ${AUTOMATIC_WITHDRAWALS_POLICIES.map((p) => `"${p}"`).join(', ')}, got "${automaticWithdrawals}"`);
  }
  const pollText = env.SCHEDULER_POLL_MS ?? String(DEFAULT_SCHEDULER_POLL_MS);
  const pollMs = /^\d{1,6}$/.test(pollText) ? Number(pollText) : NaN;
  if (!(pollMs >= 10 && pollMs <= 60_000)) problems.push(`SCHEDULER_POLL_MS must be a whole number from 10 to 60000, got "${pollText}"`);
  const settlement: SettlementPolicy = kind === 'daily' ? { kind: 'daily', at } : kind === 'manual' ? { kind: 'manual' } : { kind: 'immediate' };
  const terminationAnswerWithinMs = loadPeriodOrOff('TERMINATION_AUTO_COMPLETE_AFTER', env.TERMINATION_AUTO_COMPLETE_AFTER ?? DEFAULT_TERMINATION_AUTO_COMPLETE_AFTER, 'P7D', problems);
  const autoInspectionAfterMs = loadPeriodOrOff('AUTO_INSPECTION_AFTER', env.AUTO_INSPECTION_AFTER ?? DEFAULT_AUTO_INSPECTION_AFTER, 'P14D', problems);
  return {
    settlement,
    balanceExpiry: balanceExpiry as BalanceExpiryPolicy,
    automaticWithdrawals: automaticWithdrawals as AutomaticWithdrawalsPolicy,
    terminationAnswerWithinMs,
    autoInspectionAfterMs,
    pollMs,
  };
}

/** A period setting: `off` (null) or a positive ISO-8601 duration of days, hours, minutes and seconds, in milliseconds. */
function loadPeriodOrOff(name: string, text: string, example: string, problems: string[]): number | null {
  if (text === 'off') return null;
  let ms = NaN;
  try {
    ms = parseIsoDuration(text);
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
  }
  if (Number.isSafeInteger(ms) && ms > 0) return ms;
  problems.push(`${name} must be "off" or a positive ISO-8601 duration of days, hours, minutes and seconds, such as ${example}, got "${text}"`);
  return null;
}
