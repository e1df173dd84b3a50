import { type ContractFact, FAST_COMPLETION_WINDOW_MS, fastCompletionRuledOutBy, walletCreditFor } from '../credit-flags';

const ids = { contractId: 'c-1', milestoneId: 'm-1', clientId: 'client-1', workerId: 'worker-1' };
const T0 = Date.parse('2026-04-01T00:00:00Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const HOUR = FAST_COMPLETION_WINDOW_MS;

let sequence = 0;
const fact = (type: string, data: object, occurredAt: string): ContractFact => ({
  id: `e-${++sequence}`,
  type,
  data: { ...ids, ...data },
  occurredAt,
});

const accepted = (offset = 0) => fact('ContractAccepted', { acceptedAt: at(offset) }, at(offset));
const delivered = (offset: number, deliverables: object[], milestoneId = ids.milestoneId) =>
  fact('MilestoneDelivered', { milestoneId, deliverables, deliveryNumber: 1, deliveredAt: at(offset) }, at(offset));
const paidOut = (offset: number, net = 8580, cause = 'settlement') =>
  fact('MilestonePaidOut', { gross: 11000, fee: 2420, net, cause }, at(offset));
const completed = (offset: number) => fact('ContractCompleted', { acceptedAt: at(0), completedAt: at(offset) }, at(offset));
const terminated = (offset: number) =>
  fact('ContractTerminated', { terminatedBy: 'support', acceptedAt: at(0), terminatedAt: at(offset) }, at(offset));
const refunded = (offset: number, amount = 5000) =>
  fact('EscrowRefunded', { amount, reason: 'r', cause: 'support', escrowAfter: 0 }, at(offset));
const file = { uri: 'https://files.example.com/a.pdf' };

describe('the wallet credit a contract money event calls for', () => {
  it('credits the worker with the net of a payout, the source being the payout event', () => {
    const history = [accepted(), delivered(2 * HOUR, [file])];
    const payout = paidOut(3 * HOUR);
    expect(walletCreditFor(payout, [...history, payout])).toEqual({
      accountId: 'worker-1',
      amount: 8580,
      source: { kind: 'payout', id: payout.id, contractId: 'c-1', milestoneId: 'm-1' },
      flags: { noDeliverable: false, fastCompletion: false },
    });
  });

  it('credits the client with a refund, unflagged even when it comes within the hour', () => {
    const refund = refunded(10);
    expect(walletCreditFor(refund, [accepted(), refund])).toEqual({
      accountId: 'client-1',
      amount: 5000,
      source: { kind: 'refund', id: refund.id, contractId: 'c-1', milestoneId: 'm-1' },
      flags: { noDeliverable: false, fastCompletion: false },
    });
  });

  it('flags noDeliverable when the inspected (last) delivery of the milestone had no deliverable', () => {
    const payout = paidOut(3 * HOUR);
    expect(walletCreditFor(payout, [accepted(), delivered(HOUR * 2, []), payout])?.flags.noDeliverable).toBe(true);
  });

  it('judges the last delivery only: a redelivery with files after an empty one clears the flag, and the reverse sets it', () => {
    const clean = paidOut(3 * HOUR);
    expect(walletCreditFor(clean, [accepted(), delivered(2 * HOUR, []), delivered(2 * HOUR + 1, [file]), clean])?.flags.noDeliverable).toBe(
      false,
    );
    const flagged = paidOut(3 * HOUR);
    expect(
      walletCreditFor(flagged, [accepted(), delivered(2 * HOUR, [file]), delivered(2 * HOUR + 1, []), flagged])?.flags.noDeliverable,
    ).toBe(true);
  });

  it('looks at the paid milestone only, and only at deliveries before the payout', () => {
    const payout = paidOut(3 * HOUR);
    const otherMilestoneEmpty = delivered(2 * HOUR, [], 'm-2');
    const laterEmpty = delivered(4 * HOUR, []);
    const history = [accepted(), delivered(2 * HOUR, [file]), otherMilestoneEmpty, payout, laterEmpty];
    expect(walletCreditFor(payout, history)?.flags.noDeliverable).toBe(false);
  });

  it('does not flag a support split of a milestone that was never delivered', () => {
    const payout = paidOut(3 * HOUR);
    expect(walletCreditFor(payout, [accepted(), payout])?.flags.noDeliverable).toBe(false);
  });

  it('flags fastCompletion for a payout up to one hour after acceptance, and not a millisecond later', () => {
    const onTheHour = paidOut(HOUR);
    expect(walletCreditFor(onTheHour, [accepted(), delivered(10, [file]), onTheHour])?.flags.fastCompletion).toBe(true);
    const justAfter = paidOut(HOUR + 1);
    expect(walletCreditFor(justAfter, [accepted(), delivered(10, [file]), justAfter])?.flags.fastCompletion).toBe(false);
  });

  it('flags fastCompletion for the payout that completes the contract within the hour of acceptance, and not one that completes it later', () => {
    const fast = paidOut(HOUR);
    expect(walletCreditFor(fast, [accepted(), delivered(10, [file]), fast, completed(HOUR)])?.flags.fastCompletion).toBe(true);
    const slow = paidOut(HOUR + 1);
    expect(walletCreditFor(slow, [accepted(), delivered(10, [file]), slow, completed(HOUR + 1)])?.flags.fastCompletion).toBe(false);
  });

  it('flags fastCompletion on every payout of a contract completed within the hour, earlier milestones included', () => {
    const first = paidOut(20 * 60 * 1000);
    const last = fact(
      'MilestonePaidOut',
      { milestoneId: 'm-2', gross: 11000, fee: 2420, net: 8580, cause: 'settlement' },
      at(40 * 60 * 1000),
    );
    const history = [accepted(), delivered(10, [file]), first, delivered(30 * 60 * 1000, [file], 'm-2'), last, completed(40 * 60 * 1000)];
    expect([walletCreditFor(first, history)?.flags.fastCompletion, walletCreditFor(last, history)?.flags.fastCompletion]).toEqual([
      true,
      true,
    ]);
  });

  it('does not flag fastCompletion for a support split on termination, however soon: a terminated contract is never completed', () => {
    const split = paidOut(10 * 60 * 1000, 8580, 'support_termination');
    expect(walletCreditFor(split, [accepted(), delivered(10, [file]), split, terminated(10 * 60 * 1000)])?.flags).toEqual({
      noDeliverable: false,
      fastCompletion: false,
    });
  });

  it('decides the same on every delivery of the same source, whatever happened in the contract later', () => {
    const payout = paidOut(30 * 60 * 1000);
    const history = [accepted(), delivered(10, []), payout];
    const later = [...history, fact('ContractCompleted', { completedAt: at(5 * HOUR) }, at(5 * HOUR))];
    expect(walletCreditFor(payout, later)).toEqual(walletCreditFor(payout, history));
  });

  it('calls for no credit for other events or for nothing to credit', () => {
    expect(walletCreditFor(accepted(), [accepted()])).toBeUndefined();
    const nothingNet = paidOut(HOUR * 2, 0);
    expect(walletCreditFor(nothingNet, [accepted(), nothingNet])).toBeUndefined();
    const nothingRefunded = refunded(5, 0);
    expect(walletCreditFor(nothingRefunded, [nothingRefunded])).toBeUndefined();
  });
});

describe('what the end of a contract tells the wallet about its fast-completion flags', () => {
  const withinHour = 20 * 60 * 1000;

  it('rules the flag out for the worker when the contract is completed more than an hour after acceptance', () => {
    const early = paidOut(withinHour);
    const end = completed(HOUR + 1);
    expect(fastCompletionRuledOutBy(end, [accepted(), delivered(10, [file]), early, end])).toEqual({
      accountId: 'worker-1',
      contractId: 'c-1',
      reason: 'completed_after_window',
    });
  });

  it('keeps the flag when the contract is completed within the hour, to the millisecond', () => {
    const early = paidOut(withinHour);
    const end = completed(HOUR);
    expect(fastCompletionRuledOutBy(end, [accepted(), delivered(10, [file]), early, end])).toBeUndefined();
  });

  it('rules the flag out when the contract is terminated after a payout within the hour', () => {
    const early = paidOut(withinHour);
    const end = terminated(2 * HOUR);
    expect(fastCompletionRuledOutBy(end, [accepted(), delivered(10, [file]), early, end])?.reason).toBe('terminated');
  });

  it('records nothing for a contract none of whose payouts was flagged', () => {
    const late = paidOut(2 * HOUR);
    const end = completed(2 * HOUR);
    expect(fastCompletionRuledOutBy(end, [accepted(), delivered(10, [file]), late, end])).toBeUndefined();
    const split = paidOut(withinHour, 8580, 'support_termination');
    const ended = terminated(withinHour);
    expect(fastCompletionRuledOutBy(ended, [accepted(), split, ended])).toBeUndefined();
  });

  it('answers only the end of a contract', () => {
    const early = paidOut(withinHour);
    expect(fastCompletionRuledOutBy(early, [accepted(), early])).toBeUndefined();
  });
});
