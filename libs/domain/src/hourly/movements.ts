import { escrowIdOf, type EscrowMovementReaders } from '../escrow/movement';
import type { HourlyEscrowFundedData, HourlyEscrowRefundedData, HourlyWeekPaidOutData } from './events';

/** The escrow line of every prepayment and refund: prepaid money belongs to no week until a week is paid from it. */
export const HOURLY_PREPAID_LINE = 'prepaid';
export const hourlyWeekLine = (weekStart: string): string => `week-${weekStart}`;

const base = (data: { contractId: string; clientId: string }) => ({ format: 'hourly' as const, escrowId: escrowIdOf('hourly', data.contractId), clientId: data.clientId });

/** How the hourly contract's events move escrow: prepayments fund it, week payouts release it, the end refunds it. */
export const HOURLY_ESCROW_MOVEMENTS: EscrowMovementReaders = {
  HourlyEscrowFunded: {
    kind: 'funded',
    read: (data) => {
      const funded = data as HourlyEscrowFundedData;
      return { ...base(funded), kind: 'funded', lineId: HOURLY_PREPAID_LINE, amount: funded.amount };
    },
  },
  HourlyWeekPaidOut: {
    kind: 'paidOut',
    read: (data) => {
      const { weekStart, minutes: _minutes, cause, contractId: _c, clientId: _cl, workerId, ...payout } = data as HourlyWeekPaidOutData;
      const paid = data as HourlyWeekPaidOutData;
      return { ...base(paid), kind: 'paidOut', lineId: hourlyWeekLine(weekStart), workerId, cause, payout: { ...payout, tiers: payout.tiers.map((tier) => ({ ...tier })) } };
    },
  },
  HourlyEscrowRefunded: {
    kind: 'refunded',
    read: (data) => {
      const refunded = data as HourlyEscrowRefundedData;
      return { ...base(refunded), kind: 'refunded', lineId: HOURLY_PREPAID_LINE, amount: refunded.amount, cause: refunded.cause };
    },
  },
};
