import { InvalidConfigError, loadConfig } from './app-config';

const base = { DATA_DIR: '/tmp/escrow-settlement-config', PORT: '0' };

describe('the timers settings', () => {
  it('pay out at once, expire balances when due and withdraw at cut-offs by default, looking every second', () => {
    expect(loadConfig(base).scheduler).toEqual({ settlement: { kind: 'immediate' }, balanceExpiry: 'when_due', automaticWithdrawals: 'on', pollMs: 1_000 });
  });

  it('take a daily batch at 17:00 Japan time unless told another time', () => {
    expect(loadConfig({ ...base, SETTLEMENT_POLICY: 'daily' }).scheduler.settlement).toEqual({ kind: 'daily', at: '17:00' });
    expect(loadConfig({ ...base, SETTLEMENT_POLICY: 'daily', SETTLEMENT_DAILY_AT: '09:30' }).scheduler.settlement).toEqual({ kind: 'daily', at: '09:30' });
  });

  it('take the manual policies', () => {
    expect(loadConfig({ ...base, SETTLEMENT_POLICY: 'manual', BALANCE_EXPIRY_POLICY: 'manual', AUTOMATIC_WITHDRAWALS: 'off', SCHEDULER_POLL_MS: '50' }).scheduler).toEqual({
      settlement: { kind: 'manual' },
      balanceExpiry: 'manual',
      automaticWithdrawals: 'off',
      pollMs: 50,
    });
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
