import { currentShapeOf } from '../event-schemas';
import { deciderSpec } from '../testing/given-when-then';
import {
  ClaimPaymentReference,
  PaymentReferenceEvent,
  ReleasePaymentReference,
  paymentReferenceDecider,
} from './decider';

const { given } = deciderSpec(paymentReferenceDecider);

const CLIENT = { id: 'client-1', role: 'user' as const };
const AT = '2026-04-01T00:00:00Z';

const claim = (contractId = 'c1', milestoneId = 'm1', claimant = 'p-1'): ClaimPaymentReference => ({
  type: 'ClaimPaymentReference',
  paymentReference: 'gw-1',
  contractId,
  milestoneId,
  claimant,
  actor: CLIENT,
  at: AT,
});

const release = (fields: Partial<ReleasePaymentReference> = {}): ReleasePaymentReference => ({
  type: 'ReleasePaymentReference',
  paymentReference: 'gw-1',
  contractId: 'c1',
  milestoneId: 'm1',
  actor: CLIENT,
  at: AT,
  claimant: 'p-1',
  reason: 'MILESTONE_ALREADY_FUNDED',
  fundedByHolder: false,
  ...fields,
});

const claimed = (contractId = 'c1', milestoneId = 'm1', claimant: string | null = 'p-1'): PaymentReferenceEvent => ({
  type: 'PaymentReferenceClaimed',
  data: { paymentReference: 'gw-1', contractId, milestoneId, claimant },
});
const joined = (claimant: string): PaymentReferenceEvent => ({
  type: 'PaymentReferenceClaimJoined',
  data: { paymentReference: 'gw-1', contractId: 'c1', milestoneId: 'm1', claimant },
});
const released: PaymentReferenceEvent = {
  type: 'PaymentReferenceReleased',
  data: { paymentReference: 'gw-1', contractId: 'c1', milestoneId: 'm1', reason: 'MILESTONE_ALREADY_FUNDED' },
};

describe('claiming a payment reference', () => {
  it('claims a reference nobody holds', () => {
    given([]).when(claim()).then([claimed()]);
  });

  it('appends nothing when the same milestone claims it again (a retry of the same prepayment)', () => {
    given([claimed()]).when(claim()).then([]);
  });

  it('refuses another milestone, of the same or another contract', () => {
    given([claimed()]).when(claim('c1', 'm2')).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
    given([claimed()]).when(claim('c2', 'm1')).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
  });

  it('lets any milestone claim a released reference', () => {
    given([claimed(), released]).when(claim('c2', 'm9')).then([claimed('c2', 'm9')]);
  });

  it('refuses an incomplete claim, naming the fields', () => {
    given([])
      .when({ ...claim(), paymentReference: '' })
      .thenThrows('invalid', 'INVALID_PAYMENT_REFERENCE');
  });
});

describe('releasing a payment reference', () => {
  it('releases the claim of a refused prepayment, with the refusal as the reason', () => {
    given([claimed()]).when(release()).then([released]);
  });

  it('never releases a payment that funded escrow', () => {
    given([claimed()]).when(release({ fundedByHolder: true })).thenThrows('conflict', 'PAYMENT_REFERENCE_IN_USE');
  });

  it('appends nothing when the milestone does not hold it: free already, or claimed by another since', () => {
    given([]).when(release()).then([]);
    given([claimed(), released]).when(release()).then([]);
    given([claimed(), released, claimed('c2', 'm9')]).when(release()).then([]);
  });

  it('lets a refused twin leave a claim another prepayment of the milestone still holds, and the last one release it', () => {
    const left = { type: 'PaymentReferenceClaimLeft', data: { paymentReference: 'gw-1', contractId: 'c1', milestoneId: 'm1', claimant: 'p-2', reason: 'STALE_REVISION' } } as const;
    given([claimed()]).when(claim('c1', 'm1', 'p-2')).then([joined('p-2')]);
    given([claimed(), joined('p-2')]).when(claim('c1', 'm1', 'p-2')).then([]);
    given([claimed(), joined('p-2')]).when(release({ claimant: 'p-2', reason: 'STALE_REVISION' })).then([left]);
    given([claimed(), joined('p-2'), left]).when(release()).then([released]);
  });

  it('appends nothing for a prepayment that is not a claimant', () => {
    given([claimed()]).when(release({ claimant: 'p-9' })).then([]);
  });

  it('reads a claim made before claimants were kept as held by an unknown claimant, whom any refused prepayment of the milestone stands for', () => {
    given([claimed('c1', 'm1', null)]).when(release({ claimant: 'p-7' })).then([released]);
  });
});

describe('the shape of a claim', () => {
  it('reads a version-1 claim, from before claimants were kept, with an unknown claimant', () => {
    const stored = { type: 'PaymentReferenceClaimed', data: { paymentReference: 'gw-1', contractId: 'c1', milestoneId: 'm1' }, schemaVersion: 1 };
    expect(currentShapeOf(stored)).toEqual({ data: { ...stored.data, claimant: null }, schemaVersion: 2 });
  });
});
