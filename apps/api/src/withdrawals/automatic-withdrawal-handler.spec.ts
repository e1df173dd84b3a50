import { DomainError } from '@escrow/domain/shared/domain-error';
import type { AccountIndexes } from '../accounts/account-indexes';
import type { LegacyIndexBackfill } from '../accounts/legacy-index-backfill';
import type { CommandExecutor } from '../commands/command-executor';
import type { AppConfig } from '../config/app-config';
import type { CommandContext } from '../http/command-context';
import { RequestAutomaticWithdrawalCommand, RequestAutomaticWithdrawalCommandHandler } from './automatic-withdrawal-handler';

/** A handler whose every dependency records that it was used. */
function handlerRecordingReads() {
  const used: string[] = [];
  const record = (name: string) => (..._args: unknown[]) => {
    used.push(name);
    return Promise.reject(new Error(`${name} was used`));
  };
  const executor = { read: record('executor.read'), execute: record('executor.execute') } as unknown as CommandExecutor;
  const indexes = new Proxy({}, { get: (_target, property) => record(`indexes.${String(property)}`) }) as AccountIndexes;
  const backfill = { ready: record('backfill.ready') } as unknown as LegacyIndexBackfill;
  const config = { partnerBankCode: '0036' } as unknown as AppConfig;
  return { handler: new RequestAutomaticWithdrawalCommandHandler(executor, indexes, backfill, config), used };
}

const contextOf = (actor: CommandContext['actor']): CommandContext =>
  ({ actor, callingService: 'job-board', at: '2026-04-16T00:00:00.000Z', correlationId: 'c', requestId: 'r' }) as CommandContext;

describe('an automatic withdrawal asked by someone other than the platform', () => {
  it.each([
    ['the owner', { id: 'acct-1', role: 'user' as const }],
    ['support', { id: 'support-1', role: 'support' as const }],
    ['an auditor', { id: 'audit-1', role: 'auditor' as const }],
  ])('is refused for %s before the account, its bank accounts or the screening indexes are read', async (_who, actor) => {
    const { handler, used } = handlerRecordingReads();
    const refusal = await handler.execute(new RequestAutomaticWithdrawalCommand('acct-1', '2026-04-15', contextOf(actor))).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'ACTOR_NOT_ALLOWED' });
    expect(used).toEqual([]);
  });
});
