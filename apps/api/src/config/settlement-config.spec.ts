import { InvalidConfigError, loadConfig } from './app-config';

const base = { DATA_DIR: '/tmp/escrow-settlement-config', PORT: '0' };

describe('the timers settings', () => {
  it('pay out at once, expire balances when due, withdraw at cut-offs, complete unanswered terminations after 7 days and inspect nothing by themselves by default, looking every second', () => {
    expect(loadConfig(base).scheduler).toEqual({
      settlement: { kind: 'immediate' },
      balanceExpiry: 'when_due',
      automaticWithdrawals: 'on',
      terminationAnswerWithinMs: 7 * 86_400_000,
      autoInspectionAfterMs: null,
      pollMs: 1_000,
    });
  });

  it('take a daily batch at 17:00 Japan time unless told another time', () => {
    expect(loadConfig({ ...base, SETTLEMENT_POLICY: 'daily' }).scheduler.settlement).toEqual({ kind: 'daily', at: '17:00' });
    expect(loadConfig({ ...base, SETTLEMENT_POLICY: 'daily', SETTLEMENT_DAILY_AT: '09:30' }).scheduler.settlement).toEqual({ kind: 'daily', at: '09:30' });
  });

  it('take the manual policies', () => {
    expect(
      loadConfig({ ...base, SETTLEMENT_POLICY: 'manual', BALANCE_EXPIRY_POLICY: 'manual', AUTOMATIC_WITHDRAWALS: 'off', TERMINATION_AUTO_COMPLETE_AFTER: 'off', SCHEDULER_POLL_MS: '50' })
        .scheduler,
    ).toEqual({
      settlement: { kind: 'manual' },
      balanceExpiry: 'manual',
      automaticWithdrawals: 'off',
      terminationAnswerWithinMs: null,
      autoInspectionAfterMs: null,
      pollMs: 50,
    });
  });

  it('take another answer period for termination requests as an ISO-8601 duration, and refuse one that is not positive', () => {
    expect(loadConfig({ ...base, TERMINATION_AUTO_COMPLETE_AFTER: 'P14D' }).scheduler.terminationAnswerWithinMs).toBe(14 * 86_400_000);
    expect(loadConfig({ ...base, TERMINATION_AUTO_COMPLETE_AFTER: 'PT36H' }).scheduler.terminationAnswerWithinMs).toBe(36 * 3_600_000);
    for (const text of ['7 days', 'P0D', '-P7D', 'never']) {
      expect(() => loadConfig({ ...base, TERMINATION_AUTO_COMPLETE_AFTER: text })).toThrow(
        expect.objectContaining({ problems: [expect.stringContaining(`TERMINATION_AUTO_COMPLETE_AFTER must be "off" or a positive ISO-8601 duration`)] }),
      );
    }
  });

  it('take an automatic inspection period as an ISO-8601 duration or off, and refuse anything else, naming the setting', () => {
    expect(loadConfig({ ...base, AUTO_INSPECTION_AFTER: 'P14D' }).scheduler.autoInspectionAfterMs).toBe(14 * 86_400_000);
    expect(loadConfig({ ...base, AUTO_INSPECTION_AFTER: 'P2W' }).scheduler.autoInspectionAfterMs).toBe(14 * 86_400_000);
    expect(loadConfig({ ...base, AUTO_INSPECTION_AFTER: 'PT36H' }).scheduler.autoInspectionAfterMs).toBe(36 * 3_600_000);
    expect(loadConfig({ ...base, AUTO_INSPECTION_AFTER: 'off' }).scheduler.autoInspectionAfterMs).toBeNull();
    for (const text of ['14 days', 'P0D', '-P14D', 'P1M', 'on', '']) {
      expect(() => loadConfig({ ...base, AUTO_INSPECTION_AFTER: text })).toThrow(
        expect.objectContaining({ problems: [`AUTO_INSPECTION_AFTER must be "off" or a positive ISO-8601 duration of days, hours, minutes and seconds, such as P14D, got "${text}"`] }),
      );
    }
  });

  it('refuse to start on an unknown policy, a time that is not HH:MM or a poll out of bounds, naming each', () => {
    try {
      loadConfig({ ...base, SETTLEMENT_POLICY: 'weekly', SETTLEMENT_DAILY_AT: '5pm', BALANCE_EXPIRY_POLICY: 'never', AUTOMATIC_WITHDRAWALS: 'yes', SCHEDULER_POLL_MS: '5' });
      throw new Error('the configuration was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      const problems = (error as InvalidConfigError).problems.join('\n');
      expect(problems).toContain('SETTLEMENT_POLICY must be one of "immediate", "daily", "manual", got "weekly"');
      expect(problems).toContain('SETTLEMENT_DAILY_AT must be a time of day in Japan as HH:MM');
      expect(problems).toContain('BALANCE_EXPIRY_POLICY must be one of "when_due", "manual", got "never"');
      expect(problems).toContain('AUTOMATIC_WITHDRAWALS must be one of "on", "off", got "yes"');
      expect(problems).toContain('SCHEDULER_POLL_MS must be a whole number from 10 to 60000, got "5"');
    }
  });
});
