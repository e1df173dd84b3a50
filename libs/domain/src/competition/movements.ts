import type { EscrowMovementReaders } from '../escrow/movement';
import { escrowIdOf } from '../escrow/movement';
import type { CompetitionPrizePrepaidData, CompetitionPrizeRefundedData, CompetitionProposalAdoptedData } from './events';

const base = (data: { competitionId: string; clientId: string; prizeId: string }) => ({
  format: 'competition' as const,
  escrowId: escrowIdOf('competition', data.competitionId),
  lineId: data.prizeId,
  clientId: data.clientId,
});

/** How each money event of a competition moves its escrow: a prize prepaid, paid to an adopted proposal's worker, refunded. */
export const COMPETITION_ESCROW_MOVEMENTS: EscrowMovementReaders = {
  CompetitionPrizePrepaid: {
    kind: 'funded',
    read: (data) => ({ ...base(data as CompetitionPrizePrepaidData), kind: 'funded', amount: (data as CompetitionPrizePrepaidData).amount }),
  },
  CompetitionProposalAdopted: {
    kind: 'paidOut',
    read: (data) => {
      const adopted = data as CompetitionProposalAdoptedData;
      const { gross, feeExTax, feeTax, fee, net, tiers, cumulativeGrossBefore, cumulativeGrossAfter, cumulativeFeeAfter, scheduleId, taxRate } = adopted;
      return {
        ...base(adopted),
        kind: 'paidOut',
        workerId: adopted.workerId,
        cause: 'proposal_adopted',
        payout: { gross, feeExTax, feeTax, fee, net, tiers, cumulativeGrossBefore, cumulativeGrossAfter, cumulativeFeeAfter, scheduleId, taxRate },
      };
    },
  },
  CompetitionPrizeRefunded: {
    kind: 'refunded',
    read: (data) => {
      const refunded = data as CompetitionPrizeRefundedData;
      return { ...base(refunded), kind: 'refunded', amount: refunded.amount, cause: refunded.cause };
    },
  },
};
