import fc from 'fast-check';
import { feeForCumulativeGross, getFeeSchedule } from '../../money';
import type { Actor } from '../../shared/actor';
import { DomainError } from '../../shared/domain-error';
import type { ContractCommand } from '../commands';
import type { ContractEvent } from '../events';
import { contractDecider } from '../index';
import { type ContractState, type MilestoneState, escrowBalanceOf, fundingDueOf } from '../state';
import { contractView } from '../view';
import { CLIENT, CONTRACT_ID, STRANGER, SUPPORT, SYSTEM, WORKER } from '../testing/fixtures';

/**
 * Whatever sequence of commands is applied, money is conserved: per milestone and per contract,
 * what was prepaid equals what was paid out plus what was refunded plus what escrow still holds,
 * and no escrow ever goes negative. The ledger is rebuilt from the events alone, independently of
 * the aggregate's state, and compared with what the view shows.
 */

const KIND_WEIGHTS = {
  FundMilestone: 6,
  DeliverMilestone: 6,
  RequestRevision: 1,
  InspectMilestone: 5,
  SupportInspectMilestone: 1,
  PayOutMilestone: 6,
  RefundMilestone: 1,
  ProposeTermsChange: 2,
  AcceptTermsChange: 2,
  RejectTermsChange: 1,
  RequestTermination: 1,
  AcceptTermination: 1,
  RejectTermination: 1,
  SupportTerminate: 1,
  RequestContactReminder: 1,
  ApproveContactReminder: 1,
  DenyContactReminder: 1,
} as const;
type StepKind = keyof typeof KIND_WEIGHTS;
const ENDING_KINDS: readonly StepKind[] = ['AcceptTermination', 'SupportTerminate'];

const kindArbitrary = (withTermination: boolean): fc.Arbitrary<StepKind> =>
  fc.oneof(
    ...(Object.entries(KIND_WEIGHTS) as [StepKind, number][])
      .filter(([kind]) => withTermination || !ENDING_KINDS.includes(kind))
      .map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight })),
  );

interface Step {
  kind: StepKind;
  milestonePick: number;
  actorPick: number;
  amountPick: number;
  variant: number;
  hoursLater: number;
}

const stepArbitrary = (withTermination: boolean): fc.Arbitrary<Step> =>
  fc.record({
    kind: kindArbitrary(withTermination),
    milestonePick: fc.nat(30),
    actorPick: fc.nat(19),
    amountPick: fc.nat(400_000),
    variant: fc.nat(9),
    hoursLater: fc.nat(24 * 8),
  });

const stepsArbitrary = (maxLength: number) =>
  fc.boolean().chain((withTermination) => fc.array(stepArbitrary(withTermination), { minLength: 1, maxLength, size: 'max' }));

/** Milestones a command of this kind could act on, so that generated runs make progress. */
const fitsKind = (kind: StepKind, milestone: MilestoneState): boolean => {
  const open = milestone.closure === null;
  switch (kind) {
    case 'FundMilestone':
      return fundingDueOf(milestone) > 0;
    case 'DeliverMilestone':
      return open && (milestone.progress === 'funded' || milestone.progress === 'revision_requested');
    case 'RequestRevision':
    case 'InspectMilestone':
    case 'SupportInspectMilestone':
      return open && milestone.progress === 'delivered';
    case 'PayOutMilestone':
      return open && milestone.progress === 'inspected';
    case 'RefundMilestone':
    case 'SupportTerminate':
      return open && escrowBalanceOf(milestone) > 0;
    default:
      return open;
  }
};

const ALL_ACTORS: Actor[] = [CLIENT, WORKER, SUPPORT, SYSTEM, STRANGER];
const parties = [CLIENT, WORKER];

const pendingAnswerer = (proposer: 'client' | 'worker' | undefined): Actor => (proposer === 'client' ? WORKER : CLIENT);

const buildCommand = (step: Step, index: number, state: ContractState, at: string): ContractCommand => {
  const candidates = state.milestones.filter((candidate) => fitsKind(step.kind, candidate));
  const milestone =
    step.milestonePick < 24 && candidates.length > 0
      ? candidates[step.milestonePick % candidates.length]
      : state.milestones[step.milestonePick % state.milestones.length];
  const milestoneId = step.milestonePick === 30 ? 'unknown' : milestone.milestoneId;
  const escrow = escrowBalanceOf(milestone);
  const party = parties[step.variant % 2];
  const rightActor: Record<StepKind, Actor> = {
    FundMilestone: CLIENT,
    DeliverMilestone: WORKER,
    RequestRevision: CLIENT,
    InspectMilestone: CLIENT,
    SupportInspectMilestone: SUPPORT,
    PayOutMilestone: SYSTEM,
    RefundMilestone: step.variant % 2 === 0 ? SUPPORT : SYSTEM,
    ProposeTermsChange: party,
    AcceptTermsChange: pendingAnswerer(state.pendingTermsChange?.proposedBy.party),
    RejectTermsChange: pendingAnswerer(state.pendingTermsChange?.proposedBy.party),
    RequestTermination: party,
    AcceptTermination: pendingAnswerer(state.pendingTermination?.requestedBy.party),
    RejectTermination: pendingAnswerer(state.pendingTermination?.requestedBy.party),
    SupportTerminate: SUPPORT,
    RequestContactReminder: party,
    ApproveContactReminder: SUPPORT,
    DenyContactReminder: SUPPORT,
  };
  const actor = step.actorPick < 16 ? rightActor[step.kind] : ALL_ACTORS[step.actorPick % ALL_ACTORS.length];
  const base = { contractId: CONTRACT_ID, actor, at };
  const reminderId = state.contactReminders.at(-1)?.reminderId ?? 'none';

  switch (step.kind) {
    case 'FundMilestone': {
      const due = fundingDueOf(milestone);
      const amount = step.variant < 4 ? undefined : step.variant < 8 ? due : step.amountPick;
      return {
        ...base,
        type: 'FundMilestone',
        milestoneId,
        paymentReference: `pay-${index}`,
        method: 'card',
        ...(amount !== undefined ? { amount } : {}),
      };
    }
    case 'DeliverMilestone':
      return {
        ...base,
        type: 'DeliverMilestone',
        milestoneId,
        deliverables: step.variant < 5 ? [] : [{ uri: `https://files.example.com/${index}` }],
      };
    case 'RequestRevision':
      return { ...base, type: 'RequestRevision', milestoneId, reason: 'Needs changes' };
    case 'InspectMilestone':
      return { ...base, type: 'InspectMilestone', milestoneId };
    case 'SupportInspectMilestone':
      return { ...base, type: 'SupportInspectMilestone', milestoneId, reason: 'Client silent' };
    case 'PayOutMilestone':
      return { ...base, type: 'PayOutMilestone', milestoneId };
    case 'RefundMilestone':
      return {
        ...base,
        type: 'RefundMilestone',
        milestoneId,
        reason: 'Support decision',
        ...(step.variant < 5 ? {} : { amount: (step.amountPick % Math.max(escrow + 1, 2)) + 1 }),
      };
    case 'ProposeTermsChange':
      return {
        ...base,
        type: 'ProposeTermsChange',
        changeId: `change-${index}`,
        changes: step.variant < 7 ? [{ milestoneId, amount: (step.amountPick % 200_000) + 1 }] : [],
        ...(step.variant >= 5
          ? {
              newMilestones: [
                { milestoneId: `new-${index}`, title: 'Extra', amount: (step.amountPick % 90_000) + 1, dueDate: '2025-12-01' },
              ],
            }
          : {}),
      };
    case 'AcceptTermsChange':
      return { ...base, type: 'AcceptTermsChange', changeId: state.pendingTermsChange?.changeId ?? 'none' };
    case 'RejectTermsChange':
      return { ...base, type: 'RejectTermsChange', changeId: state.pendingTermsChange?.changeId ?? 'none' };
    case 'RequestTermination':
      return { ...base, type: 'RequestTermination', reason: 'Change of plans' };
    case 'AcceptTermination':
      return { ...base, type: 'AcceptTermination' };
    case 'RejectTermination':
      return { ...base, type: 'RejectTermination' };
    case 'SupportTerminate':
      return {
        ...base,
        type: 'SupportTerminate',
        reason: 'Dispute settled',
        splits: step.variant < 3 ? [] : [{ milestoneId, payOutGross: step.amountPick % (escrow + 1) }],
      };
    case 'RequestContactReminder':
      return { ...base, type: 'RequestContactReminder', reminderId: `reminder-${index}` };
    case 'ApproveContactReminder':
      return { ...base, type: 'ApproveContactReminder', reminderId };
    case 'DenyContactReminder':
      return { ...base, type: 'DenyContactReminder', reminderId, reason: 'Not needed' };
  }
};

interface MilestoneLedger {
  funded: number;
  paidOut: number;
  refunded: number;
}

/** Checks the whole event log so far, independently of the aggregate's state. */
const checkMoney = (events: readonly ContractEvent[], state: ContractState): void => {
  const ledger = new Map<string, MilestoneLedger>();
  const entry = (milestoneId: string) => {
    const existing = ledger.get(milestoneId) ?? { funded: 0, paidOut: 0, refunded: 0 };
    ledger.set(milestoneId, existing);
    return existing;
  };
  const escrowOf = (line: MilestoneLedger) => line.funded - line.paidOut - line.refunded;
  let cumulativeGross = 0;
  let cumulativeFee = 0;

  events.forEach((event) => {
    switch (event.type) {
      case 'EscrowFunded': {
        const line = entry(event.data.milestoneId);
        line.funded += event.data.amount;
        expect(event.data.amount).toBeGreaterThan(0);
        expect(event.data.escrowAfter).toBe(escrowOf(line));
        break;
      }
      case 'EscrowRefunded': {
        const line = entry(event.data.milestoneId);
        line.refunded += event.data.amount;
        expect(event.data.amount).toBeGreaterThan(0);
        expect(event.data.escrowAfter).toBe(escrowOf(line));
        break;
      }
      case 'MilestonePaidOut': {
        const line = entry(event.data.milestoneId);
        expect(line.paidOut).toBe(0);
        line.paidOut += event.data.gross;
        const { gross, feeExTax, feeTax, fee, net } = event.data;
        expect(fee).toBe(feeExTax + feeTax);
        expect(net).toBe(gross - fee);
        expect(net).toBeGreaterThanOrEqual(0);
        expect(event.data.cumulativeGrossBefore).toBe(cumulativeGross);
        cumulativeGross += gross;
        cumulativeFee += fee;
        expect(event.data.cumulativeGrossAfter).toBe(cumulativeGross);
        expect(event.data.cumulativeFeeAfter).toBe(cumulativeFee);
        break;
      }
      default:
        break;
    }
    ledger.forEach((line) => expect(escrowOf(line)).toBeGreaterThanOrEqual(0));
  });

  // However the contract was split into payouts, their fees add up to the fee of the total.
  if (cumulativeGross > 0 && state.feeScheduleId && state.taxRate) {
    const schedule = getFeeSchedule(state.feeScheduleId);
    expect(cumulativeFee).toBe(feeForCumulativeGross(schedule!, cumulativeGross, state.taxRate).fee);
  }

  const view = contractView(state);
  let totalEscrow = 0;
  view.milestones.forEach((milestone) => {
    const line = ledger.get(milestone.milestoneId) ?? { funded: 0, paidOut: 0, refunded: 0 };
    expect(milestone.escrowBalance).toBeGreaterThanOrEqual(0);
    expect([milestone.fundedGross, milestone.payout?.gross ?? 0, milestone.refundedTotal, milestone.escrowBalance]).toEqual([
      line.funded,
      line.paidOut,
      line.refunded,
      escrowOf(line),
    ]);
    totalEscrow += escrowOf(line);
  });
  const lines = [...ledger.values()];
  const sum = (pick: (line: MilestoneLedger) => number) => lines.reduce((total, line) => total + pick(line), 0);
  expect(view.totals.funded).toBe(sum((line) => line.funded));
  expect(view.totals.paidOut).toBe(sum((line) => line.paidOut));
  expect(view.totals.refunded).toBe(sum((line) => line.refunded));
  expect(view.totals.escrow).toBe(totalEscrow);
  expect(view.totals.funded).toBe(view.totals.paidOut + view.totals.refunded + view.totals.escrow);
  expect(view.totals.fees).toBe(cumulativeFee);

  if (view.status === 'completed' || view.status === 'terminated') expect(view.totals.escrow).toBe(0);
  if (view.status === 'completed') {
    expect(view.milestones.every((milestone) => ['paid_out', 'cancelled', 'refunded'].includes(milestone.status))).toBe(true);
    expect(view.milestones.some((milestone) => milestone.status === 'paid_out')).toBe(true);
  }
};

const startOfContract = (amounts: number[]): ContractEvent[] => {
  const offer: ContractCommand = {
    type: 'OfferContract',
    contractId: CONTRACT_ID,
    actor: CLIENT,
    at: '2025-04-01T00:00:00Z',
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Generated contract',
    milestones: amounts.map((amount, index) => ({
      milestoneId: `m${index + 1}`,
      title: `Milestone ${index + 1}`,
      amount,
      dueDate: '2025-09-30',
    })),
  };
  const offered = contractDecider.decide(offer, contractDecider.initialState());
  const acceptance: ContractCommand = { type: 'AcceptOffer', contractId: CONTRACT_ID, actor: WORKER, at: '2025-04-02T00:00:00Z' };
  return [...offered, ...contractDecider.decide(acceptance, offered.reduce(contractDecider.evolve, contractDecider.initialState()))];
};

describe('money is conserved whatever commands arrive', () => {
  it('escrow never goes negative and funded = paid out + refunded + escrow, per milestone and per contract', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 5 }), stepsArbitrary(80), (amounts, steps) => {
        const events = startOfContract(amounts);
        let state = events.reduce(contractDecider.evolve, contractDecider.initialState());
        let clock = Date.parse('2025-04-03T00:00:00Z');
        steps.forEach((step, index) => {
          clock += step.hoursLater * 60 * 60 * 1000;
          const command = buildCommand(step, index, state, new Date(clock).toISOString());
          let produced: ContractEvent[] = [];
          try {
            produced = contractDecider.decide(command, state);
          } catch (error) {
            // A refusal must be a domain decision, never a crash.
            if (!(error instanceof DomainError)) throw error;
            return;
          }
          events.push(...produced);
          state = produced.reduce(contractDecider.evolve, state);
          checkMoney(events, state);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a replay of the events gives the same state as the decisions did', () => {
    fc.assert(
      fc.property(stepsArbitrary(60), (steps) => {
        const events = startOfContract([45_455, 27_273, 45_455]);
        let state = events.reduce(contractDecider.evolve, contractDecider.initialState());
        let clock = Date.parse('2025-04-03T00:00:00Z');
        steps.forEach((step, index) => {
          clock += step.hoursLater * 60 * 60 * 1000;
          try {
            const produced = contractDecider.decide(buildCommand(step, index, state, new Date(clock).toISOString()), state);
            events.push(...produced);
            state = produced.reduce(contractDecider.evolve, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        });
        const replayed = JSON.parse(JSON.stringify(events)).reduce(contractDecider.evolve, contractDecider.initialState());
        expect(replayed).toEqual(state);
      }),
      { numRuns: 100 },
    );
  });
});
