import type { ContractCommand } from '../commands';
import { decideContract } from '../decide';
import { evolveContract } from '../evolve';
import type { ContractEvent } from '../events';
import { type ContractState, initialContractState } from '../state';
import { DomainError } from '../../shared/domain-error';
import {
  MAX_DELIVERABLES,
  MAX_GATEWAY_REFERENCE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_MILESTONE_AMOUNT,
  MAX_MILESTONES,
  MAX_REASON_LENGTH,
  MAX_TITLE_LENGTH,
} from '../../shared/limits';
import { CLIENT, MILESTONES, OFFERED_AT, WORKER, activeContract, command, delivered, funded, given } from '../testing/fixtures';

/** The decider keeps to the limits the request validation states, and names the same rule when a value breaks one. */
const stateOf = (events: ContractEvent[]): ContractState => events.reduce(evolveContract, initialContractState());

const fieldErrorsOf = (events: ContractEvent[], refused: ContractCommand) => {
  try {
    decideContract(refused, stateOf(events));
  } catch (error) {
    if (error instanceof DomainError) return (error.details as { errors: { field: string; rule?: string; code: string }[] }).errors;
    throw error;
  }
  throw new Error(`expected ${refused.type} to be refused`);
};

const accepts = (events: ContractEvent[], accepted: ContractCommand) => expect(decideContract(accepted, stateOf(events)).length).toBeGreaterThan(0);

const offer = (fields: Partial<Parameters<typeof command<'OfferContract'>>[1]> = {}) =>
  command('OfferContract', { clientId: CLIENT.id, workerId: WORKER.id, title: 'Corporate website', milestones: MILESTONES, at: OFFERED_AT, ...fields });

const file = (index: number) => ({ uri: `https://files.example.com/${index}.zip` });
const fundedAndDelivered = [...activeContract, funded('m1'), delivered('m1')];

describe('limits the decider shares with the request validation', () => {
  it('reasons: up to MAX_REASON_LENGTH characters, one more is refused under maxLength', () => {
    accepts(fundedAndDelivered, command('RequestRevision', { milestoneId: 'm1', reason: 'x'.repeat(MAX_REASON_LENGTH) }));
    expect(fieldErrorsOf(fundedAndDelivered, command('RequestRevision', { milestoneId: 'm1', reason: 'x'.repeat(MAX_REASON_LENGTH + 1) }))).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'maxLength', code: 'INVALID_REASON' }),
    ]);
    expect(fieldErrorsOf(activeContract, command('RequestTermination', { reason: 'x'.repeat(MAX_REASON_LENGTH + 1) }))).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'maxLength' }),
    ]);
  });

  it('titles: up to MAX_TITLE_LENGTH characters', () => {
    accepts([], offer({ title: 'x'.repeat(MAX_TITLE_LENGTH) }));
    expect(fieldErrorsOf([], offer({ title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }))).toEqual([
      expect.objectContaining({ field: 'title', rule: 'maxLength', code: 'INVALID_TITLE' }),
    ]);
  });

  it('payment references: up to MAX_GATEWAY_REFERENCE_LENGTH characters', () => {
    accepts(activeContract, command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p'.repeat(MAX_GATEWAY_REFERENCE_LENGTH), method: 'card' }));
    expect(
      fieldErrorsOf(activeContract, command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p'.repeat(MAX_GATEWAY_REFERENCE_LENGTH + 1), method: 'card' })),
    ).toEqual([expect.objectContaining({ field: 'paymentReference', rule: 'maxLength', code: 'INVALID_PAYMENT_REFERENCE' })]);
  });

  it('deliverables: up to MAX_DELIVERABLES per delivery, one more is refused under arrayMaxSize', () => {
    const fundedOnly = [...activeContract, funded('m1')];
    accepts(fundedOnly, command('DeliverMilestone', { milestoneId: 'm1', deliverables: Array.from({ length: MAX_DELIVERABLES }, (_, i) => file(i)) }));
    expect(
      fieldErrorsOf(fundedOnly, command('DeliverMilestone', { milestoneId: 'm1', deliverables: Array.from({ length: MAX_DELIVERABLES + 1 }, (_, i) => file(i)) })),
    ).toEqual([expect.objectContaining({ field: 'deliverables', rule: 'arrayMaxSize', code: 'INVALID_DELIVERABLES' })]);
  });

  it('messages of a delivery and of a contact reminder: up to MAX_MESSAGE_LENGTH characters', () => {
    const fundedOnly = [...activeContract, funded('m1')];
    accepts(fundedOnly, command('DeliverMilestone', { milestoneId: 'm1', deliverables: [], message: 'x'.repeat(MAX_MESSAGE_LENGTH) }));
    expect(fieldErrorsOf(fundedOnly, command('DeliverMilestone', { milestoneId: 'm1', deliverables: [], message: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }))).toEqual([
      expect.objectContaining({ field: 'message', rule: 'maxLength', code: 'INVALID_MESSAGE' }),
    ]);
    accepts(activeContract, command('RequestContactReminder', { reminderId: 'r1', message: 'x'.repeat(MAX_MESSAGE_LENGTH) }));
    expect(fieldErrorsOf(activeContract, command('RequestContactReminder', { reminderId: 'r1', message: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }))).toEqual([
      expect.objectContaining({ field: 'message', rule: 'maxLength' }),
    ]);
  });

  it('SHA-256 digests: either case is accepted and recorded in lower case; anything else is refused under matches', () => {
    given([...activeContract, funded('m1')])
      .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [{ ...file(1), sha256: 'AbCd'.repeat(16) }] }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ deliverables: [{ sha256: 'abcd'.repeat(16) }] }));
    expect(fieldErrorsOf([...activeContract, funded('m1')], command('DeliverMilestone', { milestoneId: 'm1', deliverables: [{ ...file(1), sha256: 'g'.repeat(64) }] }))).toEqual([
      expect.objectContaining({ field: 'deliverables[0].sha256', rule: 'matches', code: 'INVALID_SHA256' }),
    ]);
  });

  it('milestone amounts: up to MAX_MILESTONE_AMOUNT, one yen more is refused under max', () => {
    accepts([], offer({ milestones: [{ ...MILESTONES[0], amount: MAX_MILESTONE_AMOUNT }] }));
    expect(fieldErrorsOf([], offer({ milestones: [{ ...MILESTONES[0], amount: MAX_MILESTONE_AMOUNT + 1 }] }))).toEqual([
      expect.objectContaining({ field: 'milestones[0].amount', rule: 'max', code: 'INVALID_AMOUNT' }),
    ]);
  });

  it('milestone lists: MAX_MILESTONES at most (arrayMaxSize), at least one (arrayMinSize)', () => {
    const many = Array.from({ length: MAX_MILESTONES + 1 }, (_, i) => ({ ...MILESTONES[0], milestoneId: `m${i + 1}` }));
    expect(fieldErrorsOf([], offer({ milestones: many }))).toEqual([expect.objectContaining({ field: 'milestones', rule: 'arrayMaxSize' })]);
    expect(fieldErrorsOf([], offer({ milestones: [] }))).toEqual([expect.objectContaining({ field: 'milestones', rule: 'arrayMinSize' })]);
  });

  it('ids, account ids included, keep to the one id pattern, refused under matches', () => {
    expect(fieldErrorsOf([], offer({ milestones: [{ ...MILESTONES[0], milestoneId: 'm 1' }] }))).toEqual([
      expect.objectContaining({ field: 'milestones[0].milestoneId', rule: 'matches', code: 'INVALID_ID' }),
    ]);
    expect(fieldErrorsOf([], offer({ workerId: 'worker@example.com' }))).toEqual([
      expect.objectContaining({ field: 'workerId', rule: 'matches', code: 'INVALID_ACCOUNT_ID' }),
    ]);
    accepts([], offer({ workerId: `w${'x'.repeat(127)}` }));
    expect(fieldErrorsOf([], offer({ workerId: `w${'x'.repeat(128)}` }))).toEqual([expect.objectContaining({ field: 'workerId', rule: 'matches' })]);
  });
});
