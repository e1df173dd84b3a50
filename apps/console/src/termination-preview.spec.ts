import { payoutFee } from '@escrow/domain/money/fee';
import { DEFAULT_FEE_SCHEDULE_ID, getFeeSchedule } from '@escrow/domain/money/fee-schedules';
import { terminationPreview } from './termination-preview';

const schedule = getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)!;
const contract = {
  feeScheduleId: DEFAULT_FEE_SCHEDULE_ID,
  taxRate: '0.10',
  milestones: [
    { milestoneId: 'm1', title: 'Wireframes', status: 'paid_out', escrowBalance: 0 },
    { milestoneId: 'm2', title: 'Visual design', status: 'delivered', escrowBalance: 30_000 },
    { milestoneId: 'm3', title: 'Implementation', status: 'funded', escrowBalance: 50_000 },
    { milestoneId: 'm4', title: 'Support', status: 'unfunded', escrowBalance: 0 },
  ],
};

describe('the termination preview of the console', () => {
  it('charges each payout the fee of the cumulative gross after the payouts before it, and refunds the rest', () => {
    // ¥50,000 already paid out: the next ¥50,000 of payouts crosses the ¥100,000 tier.
    const preview = terminationPreview(contract, 50_000, new Map([['m2', 30_000], ['m3', 40_000]]));
    const second = payoutFee(schedule, '0.10', 50_000, 30_000);
    const third = payoutFee(schedule, '0.10', 80_000, 40_000);
    expect(preview.lines).toEqual([
      { milestoneId: 'm2', title: 'Visual design', escrow: 30_000, payOutGross: 30_000, fee: second.fee, net: second.net, refund: 0, cancelled: false },
      { milestoneId: 'm3', title: 'Implementation', escrow: 50_000, payOutGross: 40_000, fee: third.fee, net: third.net, refund: 10_000, cancelled: false },
      { milestoneId: 'm4', title: 'Support', escrow: 0, payOutGross: 0, fee: 0, net: 0, refund: 0, cancelled: true },
    ]);
    expect(second.fee).toBe(6_600);
    expect(preview.totals).toEqual({ payOutGross: 70_000, fee: second.fee + third.fee, net: second.net + third.net, refund: 10_000 });
  });

  it('refunds everything without splits, and refuses a payout above the escrow as the service would', () => {
    expect(terminationPreview(contract, 50_000, new Map()).totals).toEqual({ payOutGross: 0, fee: 0, net: 0, refund: 80_000 });
    expect(() => terminationPreview(contract, 50_000, new Map([['m2', 30_001]]))).toThrow('holds only ¥30000');
  });
});
