import fc from 'fast-check';
import { getFeeSchedule, payoutFee } from '../../money';
import { adoptionPayout } from '../decide/adoption';
import { AFTER_DEADLINE, CLIENT, OTHER_WORKER, SUBMITTED_AT, WORKER, adopted, command, given, open, prepaid, submitted } from '../testing/fixtures';

const adopt = (proposalId: string, fields: Partial<Parameters<typeof command<'AdoptProposal'>>[3]> = {}, at = AFTER_DEADLINE) =>
  command('AdoptProposal', CLIENT, at, { proposalId, ...fields });

const withProposals = [...open, submitted('p1'), submitted('p2', OTHER_WORKER)];

describe('adopting a proposal (採用)', () => {
  it('pays the prepaid prize to the worker at once, with the fixed-price fee of the prize', () => {
    given(withProposals).when(adopt('p1')).then([adopted('p1', 'prize-1')]);
  });

  it('may adopt before the deadline', () => {
    given(withProposals).when(adopt('p1', {}, SUBMITTED_AT)).then([adopted('p1', 'prize-1', WORKER, SUBMITTED_AT)]);
  });

  it('takes a further adoption only with its own prize prepaid first, in the same decision, its tiers counted from ¥0 again', () => {
    given([...withProposals, adopted('p1', 'prize-1')])
      .when(adopt('p2', { prepayment: { paymentReference: 'pay-2', method: 'card' } }))
      .then([prepaid(2, 50_000), adopted('p2', 'prize-2', OTHER_WORKER)]);
    given([...withProposals, adopted('p1', 'prize-1')]).when(adopt('p2')).thenThrows('conflict', 'PRIZE_PREPAYMENT_REQUIRED');
  });

  it('counts the tiers from ¥0 even when the same worker is adopted twice', () => {
    const sameWorker = [...open, submitted('p1'), submitted('p3')];
    given([...sameWorker, adopted('p1', 'prize-1')])
      .when(adopt('p3', { prepayment: { paymentReference: 'pay-2', method: 'card' } }))
      .then([prepaid(2, 50_000), adopted('p3', 'prize-2')]);
  });

  it('refuses a prepayment that is not due, of another amount, or of a payment used already', () => {
    given(withProposals).when(adopt('p1', { prepayment: { paymentReference: 'pay-2', method: 'card' } })).thenThrows('conflict', 'PRIZE_PREPAYMENT_NOT_DUE');
    const afterFirst = [...withProposals, adopted('p1', 'prize-1')];
    given(afterFirst).when(adopt('p2', { prepayment: { paymentReference: 'pay-2', method: 'card', amount: 45_455 } })).thenThrows('conflict', 'PRIZE_AMOUNT_MISMATCH');
    given(afterFirst).when(adopt('p2', { prepayment: { paymentReference: 'pay-1', method: 'card' } })).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
    given(afterFirst).when(adopt('p2', { prepayment: { paymentReference: '', method: 'card' } })).thenThrows('invalid', 'INVALID_PAYMENT_REFERENCE');
  });

  it('refuses a proposal adopted already or unknown, anyone but the client, and a closed account', () => {
    given([...withProposals, adopted('p1', 'prize-1')]).when(adopt('p1', { prepayment: { paymentReference: 'pay-2', method: 'card' } })).thenThrows('conflict', 'PROPOSAL_ALREADY_ADOPTED');
    given(withProposals).when(adopt('p9')).thenThrows('not_found', 'PROPOSAL_NOT_FOUND');
    given(withProposals).when({ ...adopt('p1'), actor: WORKER }).thenThrows('forbidden', 'NOT_COMPETITION_CLIENT');
    given(withProposals).when(adopt('p1', { closedAccounts: [WORKER.id] })).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
    given(withProposals).when(adopt('p1', { closedAccounts: [CLIENT.id] })).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });
});

describe('the fee of an adoption', () => {
  const schedule = getFeeSchedule('crowdworks-2019-10')!;
  const prizes = fc.integer({ min: 2, max: 5_000_000 });

  it('equals the fee of a fixed-price payout of the prize, whatever adopted before it', () => {
    fc.assert(
      fc.property(prizes, fc.integer({ min: 0, max: 5 }), (prizeGross, earlier) => {
        const state = { feeScheduleId: schedule.id, taxRate: '0.10', prizeGross };
        const fixedPrice = payoutFee(schedule, '0.10', 0, prizeGross);
        const adoptions = Array.from({ length: earlier + 1 }, () => adoptionPayout(state));
        for (const fee of adoptions) {
          expect(fee).toEqual(fixedPrice);
          expect(fee.net + fee.fee).toBe(prizeGross);
        }
      }),
    );
  });

  it('uses the 20/10/5 % tiers within one prize', () => {
    expect(adoptionPayout({ feeScheduleId: schedule.id, taxRate: '0.10', prizeGross: 500_000 })).toMatchObject({ feeExTax: 45_000, feeTax: 4_500, fee: 49_500, net: 450_500 });
  });
});
