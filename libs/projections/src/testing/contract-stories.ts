/**
 * Generated contract histories from the real decider: every command the contract aggregate knows about
 * offers, terms and settlement (amendments, withdrawals, declines, changes of terms, cancellations by
 * termination, payouts, refunds), tried in a generated order on a few contracts; those the decider refuses
 * are skipped. Read models are tested on them for the paths money scenarios never take.
 */

import fc from 'fast-check';
import type { Actor } from '@escrow/domain/shared/actor';
import { DomainError } from '@escrow/domain/shared/domain-error';
import type { EventStore } from '@escrow/event-store/port';
import { ContractDriver } from './contract-driver';

const CONTRACTS = 3;
const MILESTONES = ['m1', 'm2', 'm3'];

export type StoryStep =
  | { kind: 'offer' | 'amend' | 'withdraw' | 'decline' | 'accept' | 'terminate'; contract: number; amount: number }
  | { kind: 'fund' | 'deliver' | 'inspect' | 'payOut' | 'refund' | 'settle'; contract: number; milestone: number }
  | { kind: 'changeTerms'; contract: number; milestone: number; amount: number };

const contract = fc.nat({ max: CONTRACTS - 1 });
const milestone = fc.nat({ max: MILESTONES.length - 1 });
const amount = fc.integer({ min: 1000, max: 200_000 });

export const storyStep: fc.Arbitrary<StoryStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offer' as const), contract, amount }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom('amend' as const, 'withdraw' as const, 'decline' as const), contract, amount }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), contract, amount }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('fund' as const, 'deliver' as const, 'inspect' as const, 'payOut' as const),
      contract,
      milestone,
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('settle' as const), contract, milestone }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), contract, milestone }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('changeTerms' as const), contract, milestone, amount }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('terminate' as const), contract, amount }) },
);

export const storySteps = (maxLength = 60) => fc.array(storyStep, { minLength: Math.ceil(maxLength / 2), maxLength });

const client: Actor = { id: 'client-1', role: 'user' };
const worker: Actor = { id: 'worker-1', role: 'user' };
const settlement: Actor = { id: 'settlement', role: 'system' };
const support: Actor = { id: 'support-1', role: 'support' };

const terms = (count: number, amount: number) =>
  MILESTONES.slice(0, count).map((milestoneId, index) => ({
    milestoneId,
    title: milestoneId,
    amount: amount + index,
    dueDate: '2026-12-31',
  }));

/** Appends what the decider records for each step it accepts. */
export async function appendStory(store: EventStore, steps: readonly StoryStep[], driver = new ContractDriver(store)): Promise<void> {
  let changes = 0;
  for (const step of steps) {
    const contractId = `story-${step.contract}`;
    const milestoneId = 'milestone' in step ? MILESTONES[step.milestone] : 'm1';
    const milestoneCount = 1 + (step.contract % MILESTONES.length);
    try {
      switch (step.kind) {
        case 'offer':
          await driver.run(contractId, client, {
            type: 'OfferContract',
            clientId: client.id,
            workerId: worker.id,
            title: 'Site',
            milestones: terms(milestoneCount, step.amount),
          });
          break;
        case 'amend':
          await driver.run(contractId, client, {
            type: 'AmendOffer',
            title: 'Site, amended',
            milestones: terms(1 + ((step.amount >> 3) % MILESTONES.length), step.amount),
          });
          break;
        case 'withdraw':
          await driver.run(contractId, client, { type: 'WithdrawOffer' });
          break;
        case 'decline':
          await driver.run(contractId, worker, { type: 'DeclineOffer', reason: 'Busy' });
          break;
        case 'accept':
          await driver.run(contractId, worker, { type: 'AcceptOffer' });
          break;
        case 'fund':
          await driver.run(contractId, client, {
            type: 'FundMilestone',
            milestoneId,
            paymentReference: `pay-${milestoneId}`,
            method: 'card',
          });
          break;
        case 'deliver':
          await driver.run(contractId, worker, { type: 'DeliverMilestone', milestoneId, deliverables: [] });
          break;
        case 'inspect':
          await driver.run(contractId, client, { type: 'InspectMilestone', milestoneId });
          break;
        case 'payOut':
          await driver.run(contractId, settlement, { type: 'PayOutMilestone', milestoneId });
          break;
        case 'settle':
          // Each step may be refused (already funded, delivered...): the rest is still tried.
          for (const settleStep of ['fund', 'deliver', 'inspect', 'payOut'] as const) {
            await appendStory(store, [{ kind: settleStep, contract: step.contract, milestone: step.milestone }], driver);
          }
          break;
        case 'refund':
          await driver.run(contractId, support, { type: 'RefundMilestone', milestoneId, reason: 'Agreed refund' });
          break;
        case 'changeTerms': {
          const changeId = `change-${step.contract}-${++changes}`;
          await driver.run(contractId, client, {
            type: 'ProposeTermsChange',
            changeId,
            changes: [{ milestoneId, amount: step.amount }],
            newMilestones: [],
          });
          await driver.run(contractId, worker, { type: 'AcceptTermsChange', changeId });
          break;
        }
        case 'terminate':
          await driver.run(contractId, client, { type: 'RequestTermination', reason: 'Scope gone' });
          await driver.run(contractId, worker, { type: 'AcceptTermination' });
          break;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
}
