/**
 * Generated histories of the marketplace's money, for property tests of the read models. A scenario is
 * a list of intentions (open a contract, fund it, pay out a share, withdraw, ...) that a small model
 * turns into the events the deciders would record, skipping intentions the state does not allow. The
 * model also keeps, after every event, what the ledger must show: escrow per contract and wallet balances.
 */

import Decimal from 'decimal.js';
import fc from 'fast-check';
import type {
  ContractAcceptedData,
  ContractCompletedData,
  ContractOfferedData,
  ContractTerminatedData,
  EscrowFundedData,
  EscrowRefundedData,
  MilestoneDeliveredData,
  MilestonePaidOutData,
} from '@escrow/domain/contract';
import { DEFAULT_FEE_SCHEDULE_ID, getFeeSchedule, payoutFee } from '@escrow/domain/money';
import type {
  BalanceExpiredData,
  BalanceForfeitedData,
  WalletCreditedData,
  WithdrawalAmounts,
  WithdrawalApprovedData,
  WithdrawalFailedData,
  WithdrawalPaidData,
  WithdrawalRejectedData,
  WithdrawalRequestedData,
} from '@escrow/domain/wallet';
import { withdrawalFees } from '@escrow/domain/wallet';
import type { EventStore } from '@escrow/event-store/port';
import { anEvent } from './events';

export type ScenarioStep =
  | { kind: 'open'; client: number; worker: number; amount: number }
  | { kind: 'fund'; contract: number; amount: number }
  | { kind: 'deliver'; contract: number }
  | { kind: 'payout'; contract: number; percent: number }
  | { kind: 'refund'; contract: number; percent: number }
  | { kind: 'end'; contract: number; outcome: 'complete' | 'terminate' }
  | { kind: 'credit'; pending: number }
  | { kind: 'withdraw'; account: number; percent: number; quick: boolean; partnerBank: boolean }
  /** A requested withdrawal is approved (go) or rejected (stop); an approved one is paid (go) or fails (stop). */
  | { kind: 'resolve'; withdrawal: number; outcome: 'go' | 'stop' }
  | { kind: 'expire'; account: number; percent: number }
  /** The account gives up a balance below the withdrawal minimum. */
  | { kind: 'forfeit'; account: number };

export interface ScenarioEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** What the ledger must show right after an event. */
export interface ModelSnapshot {
  /** Per contract: funded − paid out − refunded. */
  escrow: Record<string, number>;
  /** Per account: credited − withdrawn − expired − forfeited + returned. */
  wallets: Record<string, number>;
}

export interface Scenario {
  events: ScenarioEvent[];
  /** snapshots[i] holds after events[i]. */
  snapshots: ModelSnapshot[];
  /** Per client and worker: contracts completed and terminated. */
  completions: Record<string, { completed: number; terminated: number }>;
}

const PARTIES = 3;
const index = (max: number) => fc.integer({ min: 0, max: max - 1 });
/** Picks among whatever exists when the step runs (taken modulo the count). */
const anyOne = fc.nat({ max: 1000 });
const percent = fc.integer({ min: 1, max: 100 });

export const scenarioStep: fc.Arbitrary<ScenarioStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('open' as const), client: index(PARTIES), worker: index(PARTIES), amount: fc.integer({ min: 1000, max: 400_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fund' as const), contract: anyOne, amount: fc.integer({ min: 1, max: 300_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deliver' as const), contract: anyOne }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('payout' as const), contract: anyOne, percent }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), contract: anyOne, percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), contract: anyOne, outcome: fc.constantFrom('complete' as const, 'terminate' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('credit' as const), pending: anyOne }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('withdraw' as const), account: anyOne, percent, quick: fc.boolean(), partnerBank: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resolve' as const), withdrawal: anyOne, outcome: fc.constantFrom('go' as const, 'stop' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), account: anyOne, percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forfeit' as const), account: anyOne }) },
);

export const scenarioSteps = (maxLength = 60) => fc.array(scenarioStep, { minLength: Math.ceil(maxLength / 2), maxLength });

interface ContractModel {
  contractId: string;
  clientId: string;
  workerId: string;
  escrow: number;
  cumulativeGross: number;
  ended: boolean;
}

interface PendingCredit {
  accountId: string;
  amount: number;
  sourceId: string;
  contractId: string;
  kind: 'payout' | 'refund';
}

interface WithdrawalModel extends WithdrawalAmounts {
  status: 'requested' | 'approved';
}

const share = (amount: number, percentage: number): number =>
  new Decimal(amount).times(percentage).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber();
const plus = (a: number, b: number): number => new Decimal(a).plus(b).toNumber();
const minus = (a: number, b: number): number => new Decimal(a).minus(b).toNumber();

const SCHEDULE = getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)!;
const TAX_RATE = '0.1';
const START = Date.parse('2026-03-31T10:00:00.000Z');
const HOURS_PER_STEP = 7;

/** Turns intentions into the events the marketplace would record, with the expected balances after each. */
export function interpretScenario(steps: readonly ScenarioStep[]): Scenario {
  const contracts: ContractModel[] = [];
  const wallets = new Map<string, number>();
  const pending: PendingCredit[] = [];
  const withdrawals: WithdrawalModel[] = [];
  const events: ScenarioEvent[] = [];
  const snapshots: ModelSnapshot[] = [];
  const completions: Record<string, { completed: number; terminated: number }> = {};
  let clock = START;

  const emit = (streamId: string, type: string, data: object) => {
    // Every event moves the clock so that days and months of Japan are crossed.
    clock += HOURS_PER_STEP * 3_600_000;
    events.push({ streamId, type, data: data as Record<string, unknown>, occurredAt: new Date(clock).toISOString() });
    snapshots.push({
      escrow: Object.fromEntries(contracts.map((contract) => [contract.contractId, contract.escrow])),
      wallets: Object.fromEntries(wallets),
    });
  };
  const now = () => new Date(clock).toISOString();
  /** Accounts with money in their wallet; withdrawals and expiries pick among them. */
  const fundedAccount = (choice: number): string | undefined => {
    const funded = [...wallets.entries()].filter(([, balance]) => balance > 0).map(([accountId]) => accountId);
    return funded.length === 0 ? undefined : funded[choice % funded.length];
  };
  /** A funded wallet the step chooses, its balance, and the step's share of it. */
  const shareOfWallet = (choice: number, percentage: number) => {
    const accountId = fundedAccount(choice);
    if (accountId === undefined) return undefined;
    const balance = wallets.get(accountId) ?? 0;
    return { accountId, balance, amount: share(balance, percentage) };
  };
  const countEnd = (contract: ContractModel, outcome: 'completed' | 'terminated') => {
    for (const party of [contract.clientId, contract.workerId]) {
      completions[party] ??= { completed: 0, terminated: 0 };
      completions[party][outcome]++;
    }
  };

  const payOut = (contract: ContractModel, gross: number, cause: MilestonePaidOutData['cause']) => {
    let fee;
    try {
      fee = payoutFee(SCHEDULE, TAX_RATE, contract.cumulativeGross, gross);
    } catch {
      return; // a payout too small to carry its fee is refused by the decider too
    }
    contract.escrow = minus(contract.escrow, gross);
    contract.cumulativeGross = fee.cumulativeGrossAfter;
    const data: MilestonePaidOutData = {
      contractId: contract.contractId,
      milestoneId: 'm-1',
      clientId: contract.clientId,
      workerId: contract.workerId,
      gross,
      feeExTax: fee.feeExTax,
      feeTax: fee.feeTax,
      fee: fee.fee,
      net: fee.net,
      tiers: fee.tiers,
      cumulativeGrossBefore: fee.cumulativeGrossBefore,
      cumulativeGrossAfter: fee.cumulativeGrossAfter,
      cumulativeFeeAfter: fee.cumulativeFeeAfter,
      scheduleId: fee.scheduleId,
      taxRate: fee.taxRate,
      cause,
    };
    emit(`contract-${contract.contractId}`, 'MilestonePaidOut', data);
    if (fee.net > 0) pending.push({ accountId: contract.workerId, amount: fee.net, sourceId: `payout-${events.length}`, contractId: contract.contractId, kind: 'payout' });
  };

  const refund = (contract: ContractModel, amount: number, cause: EscrowRefundedData['cause']) => {
    contract.escrow = minus(contract.escrow, amount);
    const data: EscrowRefundedData = {
      contractId: contract.contractId,
      milestoneId: 'm-1',
      clientId: contract.clientId,
      workerId: contract.workerId,
      amount,
      reason: 'spec',
      cause,
      escrowAfter: contract.escrow,
    };
    emit(`contract-${contract.contractId}`, 'EscrowRefunded', data);
    pending.push({ accountId: contract.clientId, amount, sourceId: `refund-${events.length}`, contractId: contract.contractId, kind: 'refund' });
  };

  const withdrawalEvent = <T extends object>(withdrawal: WithdrawalModel, type: string, extra: T) =>
    emit(`wallet-${withdrawal.accountId}`, type, {
      accountId: withdrawal.accountId,
      withdrawalId: withdrawal.withdrawalId,
      amount: withdrawal.amount,
      bankFee: withdrawal.bankFee,
      quickFee: withdrawal.quickFee,
      netAmount: withdrawal.netAmount,
      ...extra,
    });

  for (const step of steps) {
    const contract = 'contract' in step && contracts.length > 0 ? contracts[step.contract % contracts.length] : undefined;
    const open = contract !== undefined && !contract.ended;
    switch (step.kind) {
      case 'open': {
        const contractId = `c${contracts.length + 1}`;
        const created: ContractModel = {
          contractId,
          clientId: `client-${step.client}`,
          workerId: `worker-${step.worker}`,
          escrow: 0,
          cumulativeGross: 0,
          ended: false,
        };
        contracts.push(created);
        const milestone = { milestoneId: 'm-1', title: 'Work', amount: step.amount, dueDate: '2026-12-31' };
        const offered: ContractOfferedData = {
          contractId,
          clientId: created.clientId,
          workerId: created.workerId,
          title: `Contract ${contractId}`,
          milestones: [milestone],
          feeScheduleId: null,
          offeredAt: now(),
        };
        emit(`contract-${contractId}`, 'ContractOffered', offered);
        const gross = plus(step.amount, share(step.amount, 10));
        const accepted: ContractAcceptedData = {
          contractId,
          clientId: created.clientId,
          workerId: created.workerId,
          title: offered.title,
          feeScheduleId: DEFAULT_FEE_SCHEDULE_ID,
          taxRate: TAX_RATE,
          milestones: [{ ...milestone, gross }],
          totalGross: gross,
          acceptedAt: now(),
        };
        emit(`contract-${contractId}`, 'ContractAccepted', accepted);
        break;
      }
      case 'fund': {
        if (!open) break;
        contract.escrow = plus(contract.escrow, step.amount);
        const data: EscrowFundedData = {
          contractId: contract.contractId,
          milestoneId: 'm-1',
          clientId: contract.clientId,
          workerId: contract.workerId,
          amount: step.amount,
          paymentReference: `pay-${events.length}`,
          method: 'card',
          escrowAfter: contract.escrow,
        };
        emit(`contract-${contract.contractId}`, 'EscrowFunded', data);
        break;
      }
      case 'deliver': {
        if (!open) break;
        const data: MilestoneDeliveredData = {
          contractId: contract.contractId,
          milestoneId: 'm-1',
          clientId: contract.clientId,
          workerId: contract.workerId,
          deliverables: [],
          deliveryNumber: 1,
          deliveredAt: now(),
        };
        emit(`contract-${contract.contractId}`, 'MilestoneDelivered', data);
        break;
      }
      case 'payout': {
        if (!open) break;
        const gross = share(contract.escrow, step.percent);
        if (gross > 0) payOut(contract, gross, 'settlement');
        break;
      }
      case 'refund': {
        if (!open) break;
        const amount = share(contract.escrow, step.percent);
        if (amount > 0) refund(contract, amount, 'support');
        break;
      }
      case 'end': {
        if (!open) break;
        const base = { contractId: contract.contractId, clientId: contract.clientId, workerId: contract.workerId };
        if (step.outcome === 'complete') {
          if (contract.escrow > 0) payOut(contract, contract.escrow, 'settlement');
          if (contract.escrow > 0) break; // the remainder was too small to pay out
          contract.ended = true;
          const data: ContractCompletedData = { ...base, paidOutGross: contract.cumulativeGross, fees: 0, net: 0, refunded: 0, acceptedAt: now(), completedAt: now() };
          emit(`contract-${contract.contractId}`, 'ContractCompleted', data);
          countEnd(contract, 'completed');
        } else {
          const refunded = contract.escrow;
          if (refunded > 0) refund(contract, refunded, 'termination');
          contract.ended = true;
          const data: ContractTerminatedData = {
            ...base,
            terminatedBy: 'agreement',
            reason: 'spec',
            cancelledMilestoneIds: [],
            refundedTotal: refunded,
            paidOutGross: 0,
            acceptedAt: now(),
            terminatedAt: now(),
          };
          emit(`contract-${contract.contractId}`, 'ContractTerminated', data);
          countEnd(contract, 'terminated');
        }
        break;
      }
      case 'credit': {
        if (pending.length === 0) break;
        const [credit] = pending.splice(step.pending % pending.length, 1);
        const balance = plus(wallets.get(credit.accountId) ?? 0, credit.amount);
        wallets.set(credit.accountId, balance);
        const data: WalletCreditedData = {
          accountId: credit.accountId,
          source: { kind: credit.kind, id: credit.sourceId, contractId: credit.contractId, milestoneId: 'm-1' },
          amount: credit.amount,
          flags: { noDeliverable: false, fastCompletion: false },
          creditedAt: now(),
          expiresAt: now(),
          availableAfter: balance,
        };
        emit(`wallet-${credit.accountId}`, 'WalletCredited', data);
        break;
      }
      case 'withdraw': {
        const chosen = shareOfWallet(step.account, step.percent);
        if (chosen === undefined) break;
        const { accountId, balance, amount } = chosen;
        let fees;
        try {
          fees = withdrawalFees({ amount, mode: step.quick ? 'quick' : 'standard', bankCode: step.partnerBank ? '0036' : '0005' });
        } catch {
          break; // below the minimum, or nothing left for the bank
        }
        const withdrawal: WithdrawalModel = {
          accountId,
          withdrawalId: `w${withdrawals.length + 1}`,
          amount,
          bankFee: fees.bankFee,
          quickFee: fees.quickFee,
          netAmount: fees.netAmount,
          status: 'requested',
        };
        withdrawals.push(withdrawal);
        wallets.set(accountId, minus(balance, amount));
        const extra: Omit<WithdrawalRequestedData, keyof WithdrawalAmounts> = {
          mode: step.quick ? 'quick' : 'standard',
          bankAccountId: 'bank-1',
          bankCode: step.partnerBank ? '0036' : '0005',
          payoutDate: '2026-04-30',
          status: 'scheduled',
          reviewReasons: [],
          allocations: [],
          requestedAt: now(),
          availableAfter: minus(balance, amount),
        };
        withdrawalEvent(withdrawal, 'WithdrawalRequested', extra);
        break;
      }
      case 'resolve': {
        if (withdrawals.length === 0) break;
        const at = step.withdrawal % withdrawals.length;
        const withdrawal = withdrawals[at];
        const review = { reviewerId: 'support-1', reason: 'spec', reviewedAt: now() };
        if (step.outcome === 'go' && withdrawal.status === 'requested') {
          withdrawal.status = 'approved';
          const extra: Omit<WithdrawalApprovedData, keyof WithdrawalAmounts> = { ...review, payoutDate: '2026-04-30' };
          withdrawalEvent(withdrawal, 'WithdrawalApproved', extra);
        } else if (step.outcome === 'stop' && withdrawal.status === 'requested') {
          withdrawals.splice(at, 1);
          const balance = plus(wallets.get(withdrawal.accountId) ?? 0, withdrawal.amount);
          wallets.set(withdrawal.accountId, balance);
          const extra: Omit<WithdrawalRejectedData, keyof WithdrawalAmounts> = { ...review, availableAfter: balance };
          withdrawalEvent(withdrawal, 'WithdrawalRejected', extra);
        } else if (step.outcome === 'go' && withdrawal.status === 'approved') {
          withdrawals.splice(at, 1);
          const extra: Omit<WithdrawalPaidData, keyof WithdrawalAmounts> = { bankAccountId: 'bank-1', paidAt: now() };
          withdrawalEvent(withdrawal, 'WithdrawalPaid', extra);
        } else if (step.outcome === 'stop' && withdrawal.status === 'approved') {
          withdrawals.splice(at, 1);
          const balance = plus(wallets.get(withdrawal.accountId) ?? 0, withdrawal.amount);
          wallets.set(withdrawal.accountId, balance);
          const extra: Omit<WithdrawalFailedData, keyof WithdrawalAmounts> = { bankAccountId: 'bank-1', reason: 'closed account', failedAt: now(), availableAfter: balance };
          withdrawalEvent(withdrawal, 'WithdrawalFailed', extra);
        }
        break;
      }
      case 'expire': {
        const chosen = shareOfWallet(step.account, step.percent);
        if (chosen === undefined) break;
        const { accountId, balance, amount } = chosen;
        if (amount === 0) break;
        wallets.set(accountId, minus(balance, amount));
        const data: BalanceExpiredData = { accountId, amount, lots: [], asOf: now(), availableAfter: minus(balance, amount) };
        emit(`wallet-${accountId}`, 'BalanceExpired', data);
        break;
      }
      case 'forfeit': {
        // Only a balance below the withdrawal minimum may be forfeited: the older part of a larger one expires first.
        const accountId = fundedAccount(step.account);
        if (accountId === undefined) break;
        const balance = wallets.get(accountId) ?? 0;
        const amount = balance % 1_000;
        if (amount === 0) break;
        if (balance > amount) {
          wallets.set(accountId, amount);
          const expiry: BalanceExpiredData = { accountId, amount: minus(balance, amount), lots: [], asOf: now(), availableAfter: amount };
          emit(`wallet-${accountId}`, 'BalanceExpired', expiry);
        }
        wallets.set(accountId, 0);
        const forfeitedBy = { id: accountId, role: 'user' as const };
        const data: BalanceForfeitedData = { accountId, amount, lots: [], reason: 'spec', forfeitedBy, forfeitedAt: now(), availableAfter: 0 };
        emit(`wallet-${accountId}`, 'BalanceForfeited', data);
        break;
      }
    }
  }
  return { events, snapshots, completions };
}

/** Appends the scenario's events in order, one append each; positions are 1..n in an empty store. */
export async function appendScenario(store: EventStore, scenario: Scenario): Promise<void> {
  for (const event of scenario.events) await store.append(event.streamId, [anEvent(event.type, event.data, event.occurredAt)], 'any');
}
