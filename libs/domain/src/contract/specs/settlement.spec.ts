import type { ContractEvent, MilestonePaidOut } from '../events';
import { contractView } from '../view';
import {
  ACCEPTED_AT,
  CLIENT,
  CONTRACT_ID,
  LATER,
  SUPPORT,
  SYSTEM,
  WORKER,
  accepted,
  activeContract,
  command,
  delivered,
  funded,
  given,
  inspected,
  offered,
  readyForPayout,
} from '../testing/fixtures';

const payOut = (milestoneId: string, at = LATER) => command('PayOutMilestone', { milestoneId, at });

const paidOut = (
  milestoneId: string,
  amounts: { gross: number; feeExTax: number; feeTax: number; before: number; feeAfter: number; tiers: number[] },
): MilestonePaidOut => ({
  type: 'MilestonePaidOut',
  data: {
    contractId: CONTRACT_ID,
    milestoneId,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    gross: amounts.gross,
    feeExTax: amounts.feeExTax,
    feeTax: amounts.feeTax,
    fee: amounts.feeExTax + amounts.feeTax,
    net: amounts.gross - amounts.feeExTax - amounts.feeTax,
    tiers: [
      { rate: '0.20', from: 0, upTo: 100_000, grossInTier: amounts.tiers[0] },
      { rate: '0.10', from: 100_000, upTo: 200_000, grossInTier: amounts.tiers[1] },
      { rate: '0.05', from: 200_000, upTo: null, grossInTier: amounts.tiers[2] },
    ],
    cumulativeGrossBefore: amounts.before,
    cumulativeGrossAfter: amounts.before + amounts.gross,
    cumulativeFeeAfter: amounts.feeAfter,
    scheduleId: 'crowdworks-2019-10',
    taxRate: '0.10',
    cause: 'settlement',
  },
});

const PAID_M1 = paidOut('m1', { gross: 50_000, feeExTax: 10_000, feeTax: 1_000, before: 0, feeAfter: 11_000, tiers: [50_000, 0, 0] });
const PAID_M2 = paidOut('m2', { gross: 30_000, feeExTax: 6_000, feeTax: 600, before: 50_000, feeAfter: 17_600, tiers: [30_000, 0, 0] });
const PAID_M3 = paidOut('m3', {
  gross: 50_000,
  feeExTax: 7_000,
  feeTax: 700,
  before: 80_000,
  feeAfter: 25_300,
  tiers: [20_000, 30_000, 0],
});

describe('paying out a milestone (報酬支払い)', () => {
  it('releases an inspected milestone’s escrow, the fee computed on the contract’s cumulative gross', () => {
    given([...activeContract, ...readyForPayout('m1')])
      .when(payOut('m1'))
      .then([PAID_M1]);
  });

  it('charges ¥2,420 on ¥11,000 gross, leaving ¥8,580 to the worker', () => {
    const small = {
      ...offered,
      data: { ...offered.data, milestones: [{ milestoneId: 'm1', title: 'Logo', amount: 10_000, dueDate: '2025-05-01' }] },
    };
    const smallAccepted = {
      ...accepted,
      data: { ...accepted.data, milestones: [{ ...small.data.milestones[0], gross: 11_000 }], totalGross: 11_000 },
    };
    given([small, smallAccepted, funded('m1', 11_000), delivered('m1'), inspected('m1')])
      .when(payOut('m1'))
      .thenAssert(([payout, completed]) => {
        expect(payout.data).toMatchObject({ gross: 11_000, feeExTax: 2_200, feeTax: 220, fee: 2_420, net: 8_580 });
        expect(completed.type).toBe('ContractCompleted');
      });
  });

  it('refuses a ¥1 payout whose fee step would exceed it', () => {
    // Cumulative ¥49 → ¥50 moves feeExTax from ¥9 to ¥10 and feeTax from ¥0 to ¥1: a ¥2 fee on ¥1.
    const tiny = [
      { milestoneId: 'm1', title: 'Almost fifty', amount: 45, dueDate: '2025-05-01' },
      { milestoneId: 'm2', title: 'One yen', amount: 1, dueDate: '2025-05-01' },
    ];
    const tinyOffer = { ...offered, data: { ...offered.data, milestones: tiny } };
    const tinyAccepted = {
      ...accepted,
      data: {
        ...accepted.data,
        milestones: [
          { ...tiny[0], gross: 49 },
          { ...tiny[1], gross: 1 },
        ],
        totalGross: 50,
      },
    };
    const firstPaid = paidOut('m1', { gross: 49, feeExTax: 9, feeTax: 0, before: 0, feeAfter: 9, tiers: [49, 0, 0] });
    given([tinyOffer, tinyAccepted, funded('m1', 49), delivered('m1'), inspected('m1')])
      .when(payOut('m1'))
      .then([firstPaid]);
    given([
      tinyOffer,
      tinyAccepted,
      funded('m1', 49),
      delivered('m1'),
      inspected('m1'),
      firstPaid,
      funded('m2', 1),
      delivered('m2'),
      inspected('m2'),
    ])
      .when(payOut('m2'))
      .thenThrows('conflict', 'PAYOUT_BELOW_FEE');
  });

  it('is refused before inspection', () => {
    given([...activeContract, funded('m1')])
      .when(payOut('m1'))
      .thenThrows('conflict', 'MILESTONE_NOT_INSPECTED');
    given([...activeContract, funded('m1'), delivered('m1')])
      .when(payOut('m1'))
      .thenThrows('conflict', 'MILESTONE_NOT_INSPECTED');
    given(activeContract).when(payOut('m1')).thenThrows('conflict', 'MILESTONE_NOT_INSPECTED');
  });

  it('happens once', () => {
    given([...activeContract, ...readyForPayout('m1'), PAID_M1])
      .when(payOut('m1'))
      .thenThrows('conflict', 'MILESTONE_ALREADY_PAID_OUT');
  });

  it('is the settlement job’s alone', () => {
    const ready = [...activeContract, ...readyForPayout('m1')];
    given(ready)
      .when({ ...payOut('m1'), actor: CLIENT })
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(ready)
      .when({ ...payOut('m1'), actor: WORKER })
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(ready)
      .when({ ...payOut('m1'), actor: SUPPORT })
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('needs a known milestone of an active contract', () => {
    given([...activeContract, ...readyForPayout('m1')])
      .when(payOut('m7'))
      .thenThrows('not_found', 'MILESTONE_NOT_FOUND');
    given([offered]).when(payOut('m1')).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });
});

describe('a full contract of three milestones, gross ¥50,000 / ¥30,000 / ¥50,000', () => {
  const history: ContractEvent[] = [
    ...activeContract,
    ...readyForPayout('m1'),
    PAID_M1,
    ...readyForPayout('m2'),
    PAID_M2,
    ...readyForPayout('m3'),
  ];

  it('charges ¥11,000, ¥6,600 and ¥7,700, the same ¥25,300 as one payout of ¥130,000, and completes with the last payout', () => {
    given([...activeContract, ...readyForPayout('m1')])
      .when(payOut('m1'))
      .then([PAID_M1]);
    given([...activeContract, ...readyForPayout('m1'), PAID_M1, ...readyForPayout('m2')])
      .when(payOut('m2'))
      .then([PAID_M2]);
    given(history)
      .when(payOut('m3', '2025-06-30T00:00:00Z'))
      .then([
        PAID_M3,
        {
          type: 'ContractCompleted',
          data: {
            contractId: CONTRACT_ID,
            clientId: CLIENT.id,
            workerId: WORKER.id,
            paidOutGross: 130_000,
            fees: 25_300,
            net: 104_700,
            refunded: 0,
            acceptedAt: ACCEPTED_AT,
            completedAt: '2025-06-30T00:00:00Z',
          },
        },
      ]);
  });

  it('shows the contract completed, every yen accounted for', () => {
    given(history)
      .when(payOut('m3'))
      .thenAssert((_events, state) => {
        const view = contractView(state);
        expect(view.status).toBe('completed');
        expect(view.totals).toEqual({
          gross: 130_000,
          funded: 130_000,
          paidOut: 130_000,
          fees: 25_300,
          net: 104_700,
          refunded: 0,
          escrow: 0,
        });
        expect(view.milestones.map((milestone) => [milestone.status, milestone.payout?.fee])).toEqual([
          ['paid_out', 11_000],
          ['paid_out', 6_600],
          ['paid_out', 7_700],
        ]);
      });
  });

  it('takes no command once completed', () => {
    const completed: ContractEvent[] = [
      ...history,
      PAID_M3,
      {
        type: 'ContractCompleted',
        data: {
          contractId: CONTRACT_ID,
          clientId: CLIENT.id,
          workerId: WORKER.id,
          paidOutGross: 130_000,
          fees: 25_300,
          net: 104_700,
          refunded: 0,
          acceptedAt: ACCEPTED_AT,
          completedAt: LATER,
        },
      },
    ];
    given(completed)
      .when(command('RequestTermination', { reason: 'x' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(completed)
      .when(command('RequestContactReminder', { reminderId: 'r' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(completed).when(payOut('m3')).thenThrows('conflict', 'MILESTONE_ALREADY_PAID_OUT');
  });
});

describe('refunding escrow (返金)', () => {
  const refund = (fields: Partial<Parameters<typeof command<'RefundMilestone'>>[1]> = {}) =>
    command('RefundMilestone', { milestoneId: 'm1', reason: 'Duplicate order', ...fields });
  const fundedM1 = [...activeContract, funded('m1')];

  it('support refunds the whole escrow, closing the milestone', () => {
    given(fundedM1)
      .when(refund())
      .then([
        {
          type: 'EscrowRefunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 50_000,
            reason: 'Duplicate order',
            cause: 'support',
            escrowAfter: 0,
          },
        },
      ]);
    given(fundedM1)
      .when(refund())
      .thenAssert((_events, state) =>
        expect(contractView(state).milestones[0]).toMatchObject({ status: 'refunded', escrowBalance: 0, refundedTotal: 50_000 }),
      );
  });

  it('the system refunds part; the rest is paid out after inspection, with its fee', () => {
    given(fundedM1)
      .when(refund({ actor: SYSTEM, amount: 20_000 }))
      .thenAssert(([event], state) => {
        expect(event.data).toMatchObject({ amount: 20_000, cause: 'system', escrowAfter: 30_000 });
        expect(contractView(state).milestones[0]).toMatchObject({ status: 'funded', escrowBalance: 30_000 });
      });
    const partlyRefunded: ContractEvent[] = [
      ...fundedM1,
      {
        type: 'EscrowRefunded',
        data: {
          contractId: CONTRACT_ID,
          milestoneId: 'm1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          amount: 20_000,
          reason: 'r',
          cause: 'system',
          escrowAfter: 30_000,
        },
      },
      delivered('m1'),
      inspected('m1'),
    ];
    given(partlyRefunded)
      .when(payOut('m1'))
      .thenAssert(([payout]) => expect(payout.data).toMatchObject({ gross: 30_000, fee: 6_600, net: 23_400 }));
  });

  it('cannot refund more than the escrow holds', () => {
    given(fundedM1)
      .when(refund({ amount: 50_001 }))
      .thenThrows('conflict', 'REFUND_EXCEEDS_ESCROW');
    given(fundedM1)
      .when(refund({ amount: 0 }))
      .thenThrows('invalid', 'INVALID_AMOUNT');
  });

  it('needs escrow that is not paid out', () => {
    given(activeContract).when(refund()).thenThrows('conflict', 'MILESTONE_NOT_FUNDED');
    given([...activeContract, ...readyForPayout('m1'), PAID_M1])
      .when(refund())
      .thenThrows('conflict', 'MILESTONE_ALREADY_PAID_OUT');
  });

  it('needs a reason', () => {
    given(fundedM1)
      .when(refund({ reason: '' }))
      .thenThrows('invalid', 'INVALID_REASON');
  });

  it('is support’s or the system’s, never a party’s', () => {
    given(fundedM1)
      .when(refund({ actor: CLIENT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(fundedM1)
      .when(refund({ actor: WORKER }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('completes the contract when it settles the last open milestone after a payout', () => {
    given([...activeContract, ...readyForPayout('m1'), PAID_M1, ...readyForPayout('m2'), PAID_M2, funded('m3')])
      .when(refund({ milestoneId: 'm3' }))
      .thenAssert((events, state) => {
        expect(events.map((event) => event.type)).toEqual(['EscrowRefunded', 'ContractCompleted']);
        expect(events[1].data).toMatchObject({ paidOutGross: 80_000, fees: 17_600, refunded: 50_000 });
        expect(state.status).toBe('completed');
      });
  });
});
