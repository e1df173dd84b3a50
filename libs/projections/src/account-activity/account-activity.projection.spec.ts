import { contractDecider, contractStreamId, ContractCommand } from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import { ProjectionDriver } from '../withdrawals/testing/projection-driver';
import { accountActivity, accountActivityProjection } from './account-activity.projection';

const CLIENT: Actor = { id: 'client-1', role: 'user' };
const WORKER: Actor = { id: 'worker-1', role: 'user' };
const SYSTEM: Actor = { id: 'settlement', role: 'system' };
const SUPPORT: Actor = { id: 'support-1', role: 'support' };
const AT = '2026-04-01T00:00:00Z';

/** A contract command without the parts every command of this spec shares. */
type CommandBody = ContractCommand extends infer C ? (C extends ContractCommand ? Omit<C, 'contractId' | 'at'> : never) : never;

function contract(driver: ProjectionDriver, contractId: string, milestoneAmounts: number[] = [10_000], parties = { client: CLIENT, worker: WORKER }) {
  const run = (command: CommandBody) =>
    driver.run(contractDecider, contractStreamId(contractId), { ...command, contractId, at: AT });
  const milestoneIds = milestoneAmounts.map((_, i) => `${contractId}-m${i}`);
  run({
    type: 'OfferContract',
    actor: parties.client,
    clientId: parties.client.id,
    workerId: parties.worker.id,
    title: 'Logo',
    milestones: milestoneAmounts.map((amount, i) => ({ milestoneId: milestoneIds[i], title: `M${i}`, amount, dueDate: '2026-12-31' })),
  });
  return {
    milestoneIds,
    run,
    accept: () => run({ type: 'AcceptOffer', actor: parties.worker }),
    fund: (i: number) => run({ type: 'FundMilestone', actor: parties.client, milestoneId: milestoneIds[i], paymentReference: `${contractId}-p${i}`, method: 'card' }),
    payOut: (i: number) => {
      run({ type: 'DeliverMilestone', actor: parties.worker, milestoneId: milestoneIds[i], deliverables: [] });
      run({ type: 'InspectMilestone', actor: parties.client, milestoneId: milestoneIds[i] });
      run({ type: 'PayOutMilestone', actor: SYSTEM, milestoneId: milestoneIds[i] });
    },
    refund: (i: number, amount?: number) =>
      run({ type: 'RefundMilestone', actor: SUPPORT, milestoneId: milestoneIds[i], reason: 'agreed', ...(amount ? { amount } : {}) }),
  };
}

describe('account activity (closure facts per account)', () => {
  it('counts open offers and contracts per side, and the escrow they hold', () => {
    const driver = new ProjectionDriver([accountActivityProjection]);
    contract(driver, 'offer-only');
    const active = contract(driver, 'active', [10_000, 20_000]);
    active.accept();
    active.fund(0);
    contract(driver, 'reversed', [10_000], { client: WORKER, worker: CLIENT });

    expect(accountActivity(driver.db, 'client-1')).toEqual({ openContractsAsClient: 2, openContractsAsWorker: 1, unsettledEscrow: 11_000 });
    expect(accountActivity(driver.db, 'worker-1')).toEqual({ openContractsAsClient: 1, openContractsAsWorker: 2, unsettledEscrow: 11_000 });
    expect(accountActivity(driver.db, 'nobody')).toEqual({ openContractsAsClient: 0, openContractsAsWorker: 0, unsettledEscrow: 0 });
  });

  it('closes offers that are declined or withdrawn and contracts that complete; payouts and refunds settle escrow', () => {
    const driver = new ProjectionDriver([accountActivityProjection]);
    contract(driver, 'declined').run({ type: 'DeclineOffer', actor: WORKER });
    contract(driver, 'withdrawn').run({ type: 'WithdrawOffer', actor: CLIENT });
    const done = contract(driver, 'done', [10_000, 20_000]);
    done.accept();
    done.fund(0);
    done.fund(1);
    expect(accountActivity(driver.db, 'client-1')).toEqual({ openContractsAsClient: 1, openContractsAsWorker: 0, unsettledEscrow: 33_000 });
    done.payOut(0);
    done.refund(1, 2_000);
    expect(accountActivity(driver.db, 'client-1').unsettledEscrow).toBe(20_000);
    done.payOut(1);
    expect(accountActivity(driver.db, 'client-1')).toEqual({ openContractsAsClient: 0, openContractsAsWorker: 0, unsettledEscrow: 0 });
    expect(accountActivity(driver.db, 'worker-1')).toEqual({ openContractsAsClient: 0, openContractsAsWorker: 0, unsettledEscrow: 0 });
  });

  it('closes a terminated contract with its escrow refunded, and rebuilds identically from position zero', () => {
    const driver = new ProjectionDriver([accountActivityProjection]);
    const ended = contract(driver, 'ended', [10_000, 20_000]);
    ended.accept();
    ended.fund(0);
    ended.run({ type: 'SupportTerminate', actor: SUPPORT, reason: 'dispute settled', splits: [] });
    expect(accountActivity(driver.db, 'client-1')).toEqual({ openContractsAsClient: 0, openContractsAsWorker: 0, unsettledEscrow: 0 });
    expect(ProjectionDriver.dump(driver.rebuilt(), [accountActivityProjection])).toEqual(ProjectionDriver.dump(driver.db, [accountActivityProjection]));
  });
});
