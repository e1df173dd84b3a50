import { type ContractCommand, contractDecider, contractStreamId, SUPPORT_INSPECTION_GRACE_MS } from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import { ProjectionDriver } from '../withdrawals/testing/projection-driver';
import { supportQueuesProjection } from './support-queues.projection';
import {
  overdueMilestoneCount,
  overdueMilestones,
  pendingContactReminderCount,
  pendingContactReminders,
  silentDeliveries,
  silentDeliveryCount,
  unansweredTerminationCount,
  unansweredTerminations,
} from './support-queues.queries';

const CLIENT: Actor = { id: 'client-1', role: 'user' };
const WORKER: Actor = { id: 'worker-1', role: 'user' };
const SUPPORT: Actor = { id: 'support-1', role: 'support' };
const SETTLEMENT: Actor = { id: 'settlement', role: 'system' };
const FILE = { uri: 'https://files.example.com/work.zip' };
const DAY_MS = 86_400_000;

type CommandBody = ContractCommand extends infer C ? (C extends ContractCommand ? Omit<C, 'contractId' | 'actor' | 'at'> : never) : never;

const plusDays = (instant: string, days: number) => new Date(Date.parse(instant) + days * DAY_MS).toISOString();
const ALL = { after: undefined, limit: 100 };

/** Contracts driven through the real decider, their events applied to the support queues. */
function marketplace() {
  const driver = new ProjectionDriver([supportQueuesProjection]);
  const run = (contractId: string, actor: Actor, at: string, command: CommandBody) =>
    driver.run(contractDecider, contractStreamId(contractId), { ...command, contractId, actor, at } as ContractCommand & { at: string });

  /** An accepted contract with milestones m1.. due on the given dates, each prepaid unless `fund` is false. */
  const contract = (contractId: string, at: string, dueDates: string[], fund = true) => {
    run(contractId, CLIENT, at, {
      type: 'OfferContract',
      clientId: CLIENT.id,
      workerId: WORKER.id,
      title: 'Site',
      milestones: dueDates.map((dueDate, i) => ({ milestoneId: `m${i + 1}`, title: `Part ${i + 1}`, amount: 10_000, dueDate })),
    } as CommandBody);
    run(contractId, WORKER, at, { type: 'AcceptOffer' } as CommandBody);
    if (fund) dueDates.forEach((_, i) => run(contractId, CLIENT, at, { type: 'FundMilestone', milestoneId: `m${i + 1}`, paymentReference: `${contractId}-pay-${i}`, method: 'card' } as CommandBody));
  };
  const deliver = (contractId: string, milestoneId: string, at: string) =>
    run(contractId, WORKER, at, { type: 'DeliverMilestone', milestoneId, deliverables: [FILE] } as CommandBody);
  return { driver, run, contract, deliver };
}

const silentAt = (m: ReturnType<typeof marketplace>, now: string) => silentDeliveries(m.driver.db, new Date(now), ALL).map((row) => `${row.contractId}/${row.milestoneId}`);

describe('the support queues', () => {
  describe('silent deliveries', () => {
    const DELIVERED = '2026-05-01T03:00:00.000Z';

    it('list a delivery once it is as old as the support-inspection grace, with the parties, the escrow and when support may inspect', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30']);
      m.deliver('c-1', 'm1', DELIVERED);
      const inspectableFrom = new Date(Date.parse(DELIVERED) + SUPPORT_INSPECTION_GRACE_MS).toISOString();

      expect(silentAt(m, new Date(Date.parse(inspectableFrom) - 1).toISOString())).toEqual([]);
      expect(silentDeliveryCount(m.driver.db, new Date(Date.parse(inspectableFrom) - 1))).toBe(0);
      const now = new Date(Date.parse(DELIVERED) + 9.5 * DAY_MS);
      expect(silentDeliveries(m.driver.db, now, ALL)).toEqual([
        {
          contractId: 'c-1',
          milestoneId: 'm1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          inEscrow: 11_000,
          deliveryNumber: 1,
          deliveredAt: DELIVERED,
          deliveredPosition: expect.any(Number),
          daysSilent: 9,
          inspectableFrom: '2026-05-08T03:00:00.000Z',
        },
      ]);
      expect(silentAt(m, inspectableFrom)).toEqual(['c-1/m1']);
      expect(silentDeliveryCount(m.driver.db, now)).toBe(1);
    });

    it('drop a delivery on the client\'s inspection, on support\'s inspection and on a revision request; a re-delivery counts from itself', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30', '2026-06-30', '2026-06-30']);
      for (const milestoneId of ['m1', 'm2', 'm3']) m.deliver('c-1', milestoneId, DELIVERED);
      const late = plusDays(DELIVERED, 8);
      expect(silentAt(m, late)).toEqual(['c-1/m1', 'c-1/m2', 'c-1/m3']);

      m.run('c-1', CLIENT, late, { type: 'InspectMilestone', milestoneId: 'm1' } as CommandBody);
      m.run('c-1', SUPPORT, late, { type: 'SupportInspectMilestone', milestoneId: 'm2', reason: 'Client silent for 8 days' } as CommandBody);
      m.run('c-1', CLIENT, late, { type: 'RequestRevision', milestoneId: 'm3', reason: 'Colours' } as CommandBody);
      expect(silentAt(m, late)).toEqual([]);

      const redelivered = plusDays(DELIVERED, 10);
      m.deliver('c-1', 'm3', redelivered);
      expect(silentAt(m, plusDays(redelivered, 6.9))).toEqual([]);
      expect(silentDeliveries(m.driver.db, new Date(plusDays(redelivered, 7)), ALL)).toEqual([
        expect.objectContaining({ milestoneId: 'm3', deliveryNumber: 2, deliveredAt: redelivered, daysSilent: 7 }),
      ]);
    });

    it('drop the deliveries of a contract terminated, and a milestone refunded in full; a partial refund leaves the rest in escrow', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30', '2026-06-30']);
      m.contract('c-2', '2026-04-01T00:00:00Z', ['2026-06-30']);
      m.deliver('c-1', 'm1', DELIVERED);
      m.deliver('c-1', 'm2', DELIVERED);
      m.deliver('c-2', 'm1', DELIVERED);
      const late = plusDays(DELIVERED, 8);

      m.run('c-1', SUPPORT, late, { type: 'RefundMilestone', milestoneId: 'm1', amount: 1_000, reason: 'Partly agreed' } as CommandBody);
      expect(silentDeliveries(m.driver.db, new Date(late), ALL)[0]).toMatchObject({ contractId: 'c-1', milestoneId: 'm1', inEscrow: 10_000 });
      m.run('c-1', SUPPORT, late, { type: 'RefundMilestone', milestoneId: 'm2', reason: 'Agreed' } as CommandBody);
      expect(silentAt(m, late)).toEqual(['c-1/m1', 'c-2/m1']);

      m.run('c-2', CLIENT, late, { type: 'RequestTermination', reason: 'Budget cut' } as CommandBody);
      m.run('c-2', WORKER, late, { type: 'AcceptTermination' } as CommandBody);
      expect(silentAt(m, late)).toEqual(['c-1/m1']);
    });

    it('page oldest delivery first', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30', '2026-06-30', '2026-06-30']);
      m.deliver('c-1', 'm2', DELIVERED);
      m.deliver('c-1', 'm3', plusDays(DELIVERED, 1));
      m.deliver('c-1', 'm1', plusDays(DELIVERED, 2));
      const now = new Date(plusDays(DELIVERED, 20));
      const first = silentDeliveries(m.driver.db, now, { after: undefined, limit: 2 });
      expect(first.map((row) => row.milestoneId)).toEqual(['m2', 'm3']);
      const rest = silentDeliveries(m.driver.db, now, { after: first[1].deliveredPosition, limit: 2 });
      expect(rest.map((row) => row.milestoneId)).toEqual(['m1']);
    });
  });

  describe('contact reminders', () => {
    it('are listed while awaiting support\'s decision, with who asked, whom to prompt and the age; an approval or a denial takes them out', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30']);
      m.run('c-1', CLIENT, '2026-04-02T00:00:00Z', { type: 'RequestContactReminder', reminderId: 'r-1', message: 'No answer for a week' } as CommandBody);
      m.run('c-1', WORKER, '2026-04-03T00:00:00Z', { type: 'RequestContactReminder', reminderId: 'r-2' } as CommandBody);

      expect(pendingContactReminders(m.driver.db, new Date('2026-04-04T00:00:00Z'), ALL)).toEqual([
        {
          contractId: 'c-1',
          reminderId: 'r-1',
          requestedBy: { party: 'client', id: CLIENT.id },
          counterparty: { party: 'worker', id: WORKER.id },
          message: 'No answer for a week',
          requestedAt: '2026-04-02T00:00:00.000Z',
          requestedPosition: expect.any(Number),
          ageSeconds: 2 * 86_400,
        },
        expect.objectContaining({ reminderId: 'r-2', requestedBy: { party: 'worker', id: WORKER.id }, message: null, ageSeconds: 86_400 }),
      ]);
      expect(pendingContactReminderCount(m.driver.db)).toBe(2);

      m.run('c-1', SUPPORT, '2026-04-04T00:00:00Z', { type: 'ApproveContactReminder', reminderId: 'r-1' } as CommandBody);
      expect(pendingContactReminders(m.driver.db, new Date('2026-04-04T00:00:00Z'), ALL).map((row) => row.reminderId)).toEqual(['r-2']);
      m.run('c-1', SUPPORT, '2026-04-04T00:00:00Z', { type: 'DenyContactReminder', reminderId: 'r-2', reason: 'Answered meanwhile' } as CommandBody);
      expect(pendingContactReminderCount(m.driver.db)).toBe(0);
    });

    it('stay after the contract ended, for support to deny', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-06-30']);
      m.run('c-1', CLIENT, '2026-04-02T00:00:00Z', { type: 'RequestContactReminder', reminderId: 'r-1' } as CommandBody);
      m.run('c-1', SUPPORT, '2026-04-03T00:00:00Z', { type: 'SupportTerminate', reason: 'Fraud', splits: [] } as CommandBody);
      expect(pendingContactReminderCount(m.driver.db)).toBe(1);
    });
  });

  describe('unanswered terminations', () => {
    it('list a request until it is rejected, accepted or overtaken by support, with the parties, the requester and the age', () => {
      const m = marketplace();
      for (const id of ['c-1', 'c-2', 'c-3']) m.contract(id, '2026-04-01T00:00:00Z', ['2026-06-30']);
      m.run('c-1', CLIENT, '2026-04-02T00:00:00Z', { type: 'RequestTermination', reason: 'Budget cut' } as CommandBody);
      m.run('c-2', WORKER, '2026-04-03T00:00:00Z', { type: 'RequestTermination', reason: 'Ill' } as CommandBody);
      m.run('c-3', CLIENT, '2026-04-04T00:00:00Z', { type: 'RequestTermination', reason: 'Moved on' } as CommandBody);

      const now = new Date('2026-04-05T00:00:00Z');
      const listed = unansweredTerminations(m.driver.db, now, ALL);
      expect(listed[0]).toEqual({
        contractId: 'c-1',
        clientId: CLIENT.id,
        workerId: WORKER.id,
        requestedBy: { party: 'client', id: CLIENT.id },
        reason: 'Budget cut',
        requestedAt: '2026-04-02T00:00:00.000Z',
        requestedPosition: expect.any(Number),
        requestEventId: expect.any(String),
        ageSeconds: 3 * 86_400,
      });
      expect(listed.map((row) => row.contractId)).toEqual(['c-1', 'c-2', 'c-3']);
      expect(unansweredTerminations(m.driver.db, now, { after: listed[0].requestedPosition, limit: 1 }).map((row) => row.contractId)).toEqual(['c-2']);

      m.run('c-1', WORKER, '2026-04-05T00:00:00Z', { type: 'RejectTermination', reason: 'Nearly done' } as CommandBody);
      m.run('c-2', CLIENT, '2026-04-05T00:00:00Z', { type: 'AcceptTermination' } as CommandBody);
      m.run('c-3', SUPPORT, '2026-04-05T00:00:00Z', { type: 'SupportTerminate', reason: 'Dispute settled', splits: [] } as CommandBody);
      expect(unansweredTerminationCount(m.driver.db)).toBe(0);

      m.run('c-1', CLIENT, '2026-04-06T00:00:00Z', { type: 'RequestTermination', reason: 'Budget cut, again' } as CommandBody);
      expect(unansweredTerminations(m.driver.db, now, ALL)).toEqual([expect.objectContaining({ contractId: 'c-1', reason: 'Budget cut, again' })]);
    });
  });

  describe('overdue milestones', () => {
    it('list undelivered milestones of active contracts once their due date has ended in Japan, the earliest due date first', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-05-10', '2026-05-01']);
      m.contract('c-2', '2026-04-01T00:00:00Z', ['2026-05-01'], false);

      // 2026-05-01T15:00Z is midnight at the end of 1 May in Tokyo.
      expect(overdueMilestoneCount(m.driver.db, new Date('2026-05-01T14:59:59Z'))).toBe(0);
      expect(overdueMilestones(m.driver.db, new Date('2026-05-03T00:00:00Z'), ALL)).toEqual([
        {
          contractId: 'c-1',
          milestoneId: 'm2',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          dueDate: '2026-05-01',
          daysOverdue: 2,
          inEscrow: 11_000,
          listedPosition: expect.any(Number),
          listedIndex: 1,
        },
        expect.objectContaining({ contractId: 'c-2', milestoneId: 'm1', daysOverdue: 2, inEscrow: 0 }),
      ]);
      const first = overdueMilestones(m.driver.db, new Date('2026-05-20T00:00:00Z'), { after: undefined, limit: 1 });
      const rest = overdueMilestones(m.driver.db, new Date('2026-05-20T00:00:00Z'), { after: first[0], limit: 10 });
      expect([...first, ...rest].map((row) => `${row.contractId}/${row.milestoneId}`)).toEqual(['c-1/m2', 'c-2/m1', 'c-1/m1']);
    });

    it('drop a milestone once delivered (a revision request does not bring it back), and every milestone of a contract ended', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-05-01', '2026-05-01']);
      m.contract('c-2', '2026-04-01T00:00:00Z', ['2026-05-01']);
      m.deliver('c-1', 'm1', '2026-05-05T00:00:00Z');
      m.run('c-1', CLIENT, '2026-05-06T00:00:00Z', { type: 'RequestRevision', milestoneId: 'm1', reason: 'Colours' } as CommandBody);
      m.run('c-2', CLIENT, '2026-05-06T00:00:00Z', { type: 'RequestTermination', reason: 'Late' } as CommandBody);
      m.run('c-2', WORKER, '2026-05-06T00:00:00Z', { type: 'AcceptTermination' } as CommandBody);
      expect(overdueMilestones(m.driver.db, new Date('2026-05-07T00:00:00Z'), ALL).map((row) => `${row.contractId}/${row.milestoneId}`)).toEqual(['c-1/m2']);
    });

    it('follow a due date moved by a change of terms, and list a milestone the change added', () => {
      const m = marketplace();
      m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-05-01']);
      m.run('c-1', CLIENT, '2026-04-20T00:00:00Z', {
        type: 'ProposeTermsChange',
        changeId: 'ch-1',
        changes: [{ milestoneId: 'm1', dueDate: '2026-06-01' }],
        newMilestones: [{ milestoneId: 'm9', title: 'Extra', amount: 5_000, dueDate: '2026-05-15' }],
      } as CommandBody);
      m.run('c-1', WORKER, '2026-04-21T00:00:00Z', { type: 'AcceptTermsChange', changeId: 'ch-1' } as CommandBody);
      expect(overdueMilestones(m.driver.db, new Date('2026-05-20T00:00:00Z'), ALL).map((row) => [row.milestoneId, row.dueDate])).toEqual([['m9', '2026-05-15']]);
    });
  });

  it('is left with nothing of a contract paid out in full and completed but its reminders, and is rebuilt from position zero with identical rows', () => {
    const m = marketplace();
    m.contract('c-1', '2026-04-01T00:00:00Z', ['2026-05-01']);
    m.contract('c-2', '2026-04-01T00:00:00Z', ['2026-05-01', '2026-05-02']);
    m.run('c-1', WORKER, '2026-04-02T00:00:00Z', { type: 'RequestContactReminder', reminderId: 'r-1' } as CommandBody);
    m.deliver('c-1', 'm1', '2026-04-03T00:00:00Z');
    m.run('c-1', CLIENT, '2026-04-04T00:00:00Z', { type: 'InspectMilestone', milestoneId: 'm1' } as CommandBody);
    m.run('c-1', SETTLEMENT, '2026-04-04T00:00:00Z', { type: 'PayOutMilestone', milestoneId: 'm1' } as CommandBody);
    m.deliver('c-2', 'm1', '2026-04-05T00:00:00Z');
    m.run('c-2', CLIENT, '2026-04-06T00:00:00Z', { type: 'RequestTermination', reason: 'Budget cut' } as CommandBody);

    expect(m.driver.log.map((event) => event.type)).toContain('ContractCompleted');
    expect(m.driver.db.prepare(`SELECT contract_id FROM support_queue_milestones`).pluck().all()).toEqual(['c-2', 'c-2']);
    expect(pendingContactReminders(m.driver.db, new Date('2026-04-07T00:00:00Z'), ALL).map((row) => row.contractId)).toEqual(['c-1']);
    const projections = [supportQueuesProjection];
    expect(ProjectionDriver.dump(m.driver.rebuilt(), projections)).toEqual(ProjectionDriver.dump(m.driver.db, projections));
  });
});
