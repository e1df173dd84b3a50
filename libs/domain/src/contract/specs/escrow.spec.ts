import {
  CLIENT,
  CONTRACT_ID,
  LATER,
  STRANGER,
  SUPPORT,
  SYSTEM,
  WORKER,
  activeContract,
  command,
  delivered,
  funded,
  given,
  inspected,
  offered,
} from '../testing/fixtures';

const fund = (milestoneId = 'm1', fields: Partial<Parameters<typeof command<'FundMilestone'>>[1]> = {}) =>
  command('FundMilestone', { milestoneId, paymentReference: `pay-${milestoneId}`, method: 'bank_transfer', ...fields });

const deliver = (milestoneId = 'm1', fields: Partial<Parameters<typeof command<'DeliverMilestone'>>[1]> = {}) =>
  command('DeliverMilestone', {
    milestoneId,
    deliverables: [{ uri: 'https://files.example.com/m1.zip', sha256: 'AB'.repeat(32) }],
    ...fields,
  });

describe('prepaying a milestone (仮払い)', () => {
  it('puts exactly the milestone’s gross into escrow', () => {
    given(activeContract)
      .when(fund('m2', { amount: 30_000 }))
      .then([
        {
          type: 'EscrowFunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm2',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 30_000,
            paymentReference: 'pay-m2',
            method: 'bank_transfer',
            escrowAfter: 30_000,
          },
        },
      ]);
  });

  it('prepays the gross when the amount is left out', () => {
    given(activeContract)
      .when(fund('m1'))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ amount: 50_000, escrowAfter: 50_000 }));
  });

  it('refuses any other amount', () => {
    given(activeContract)
      .when(fund('m1', { amount: 49_999 }))
      .thenThrows('conflict', 'FUNDING_AMOUNT_MISMATCH');
    given(activeContract)
      .when(fund('m1', { amount: 50_001 }))
      .thenThrows('conflict', 'FUNDING_AMOUNT_MISMATCH');
    given(activeContract)
      .when(fund('m1', { amount: 0 }))
      .thenThrows('invalid', 'INVALID_AMOUNT');
  });

  it('refuses a second prepayment of a funded milestone', () => {
    given([...activeContract, funded('m1')])
      .when(fund('m1', { paymentReference: 'other' }))
      .thenThrows('conflict', 'MILESTONE_ALREADY_FUNDED');
  });

  it('refuses a payment reference already recorded', () => {
    given([...activeContract, funded('m1')])
      .when(fund('m2', { paymentReference: 'pay-m1-50000' }))
      .thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
  });

  it('refuses an unknown payment method', () => {
    given(activeContract)
      .when(fund('m1', { method: 'cash' as never }))
      .thenThrows('invalid', 'INVALID_PAYMENT_METHOD');
  });

  it('is the client’s alone', () => {
    given(activeContract)
      .when(fund('m1', { actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given(activeContract)
      .when(fund('m1', { actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given(activeContract)
      .when(fund('m1', { actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(activeContract)
      .when(fund('m1', { actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('needs an accepted contract and a known milestone', () => {
    given([offered]).when(fund('m1')).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(activeContract).when(fund('m9')).thenThrows('not_found', 'MILESTONE_NOT_FOUND');
  });
});

describe('delivering a milestone (納品)', () => {
  it('records the deliverables with normalised hashes', () => {
    given([...activeContract, funded('m1')])
      .when(deliver('m1', { message: 'First draft' }))
      .then([
        {
          type: 'MilestoneDelivered',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            deliverables: [{ uri: 'https://files.example.com/m1.zip', sha256: 'ab'.repeat(32) }],
            message: 'First draft',
            deliveryNumber: 1,
            deliveredAt: LATER,
          },
        },
      ]);
  });

  it('accepts a delivery made off the platform (no deliverables)', () => {
    given([...activeContract, funded('m1')])
      .when(deliver('m1', { deliverables: [] }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ deliverables: [], deliveryNumber: 1 }));
  });

  it('refuses an unfunded milestone', () => {
    given(activeContract).when(deliver('m1')).thenThrows('conflict', 'MILESTONE_NOT_FUNDED');
  });

  it('refuses a milestone already delivered or inspected', () => {
    given([...activeContract, funded('m1'), delivered('m1')])
      .when(deliver('m1'))
      .thenThrows('conflict', 'MILESTONE_ALREADY_DELIVERED');
    given([...activeContract, funded('m1'), delivered('m1'), inspected('m1')])
      .when(deliver('m1'))
      .thenThrows('conflict', 'MILESTONE_ALREADY_INSPECTED');
  });

  it('counts a delivery after a revision request as the next one', () => {
    given([
      ...activeContract,
      funded('m1'),
      delivered('m1'),
      { type: 'RevisionRequested', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'Colours' } },
    ])
      .when(deliver('m1'))
      .thenAssert(([event], state) => {
        expect(event.data).toMatchObject({ deliveryNumber: 2 });
        expect(state.milestones[0]).toMatchObject({ progress: 'delivered', deliveries: 2 });
      });
  });

  it.each([
    ['a relative uri', [{ uri: 'files/m1.zip' }], 'INVALID_DELIVERABLE_URI'],
    ['a short hash', [{ uri: 'https://x.example/a', sha256: 'abc' }], 'INVALID_SHA256'],
  ])('refuses %s', (_label, deliverables, code) => {
    given([...activeContract, funded('m1')])
      .when(deliver('m1', { deliverables }))
      .thenThrows('invalid', code);
  });

  it('is the worker’s alone', () => {
    const ready = [...activeContract, funded('m1')];
    given(ready)
      .when(deliver('m1', { actor: CLIENT }))
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given(ready)
      .when(deliver('m1', { actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given(ready)
      .when(deliver('m1', { actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });
});

describe('revision requests (修正依頼) and inspection (検収)', () => {
  const deliveredM1 = [...activeContract, funded('m1'), delivered('m1')];

  it('the client asks for a revision with a reason', () => {
    given(deliveredM1)
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'Logo too small' }))
      .then([{ type: 'RevisionRequested', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'Logo too small' } }]);
  });

  it('a revision needs a reason and a delivery', () => {
    given(deliveredM1)
      .when(command('RequestRevision', { milestoneId: 'm1', reason: ' ' }))
      .thenThrows('invalid', 'INVALID_REASON');
    given([...activeContract, funded('m1')])
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'x' }))
      .thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
  });

  it('the client accepts the delivery', () => {
    given(deliveredM1)
      .when(command('InspectMilestone', { milestoneId: 'm1' }))
      .then([inspected('m1')]);
  });

  it('nothing to inspect before a delivery, nor while a revision is outstanding', () => {
    given([...activeContract, funded('m1')])
      .when(command('InspectMilestone', { milestoneId: 'm1' }))
      .thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
    given([...deliveredM1, { type: 'RevisionRequested', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'x' } }])
      .when(command('InspectMilestone', { milestoneId: 'm1' }))
      .thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
    given([...deliveredM1, inspected('m1')])
      .when(command('InspectMilestone', { milestoneId: 'm1' }))
      .thenThrows('conflict', 'MILESTONE_ALREADY_INSPECTED');
  });

  it('only the client inspects or asks for revisions', () => {
    given(deliveredM1)
      .when(command('InspectMilestone', { milestoneId: 'm1', actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given(deliveredM1)
      .when(command('InspectMilestone', { milestoneId: 'm1', actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(deliveredM1)
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'x', actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given(deliveredM1)
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'x', actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });
});

describe('support inspecting for a silent client', () => {
  const deliveredAt = '2025-04-10T03:00:00.000Z';
  const deliveredM1 = [...activeContract, funded('m1'), delivered('m1', deliveredAt)];
  const supportInspect = (at: string, fields: Partial<Parameters<typeof command<'SupportInspectMilestone'>>[1]> = {}) =>
    command('SupportInspectMilestone', { milestoneId: 'm1', reason: 'Client silent for 7 days', at, ...fields });

  it('is allowed exactly 7 days after the delivery', () => {
    given(deliveredM1)
      .when(supportInspect('2025-04-17T03:00:00.000Z'))
      .then([
        {
          type: 'MilestoneInspected',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            inspectedBy: 'support',
            supportId: SUPPORT.id,
            reason: 'Client silent for 7 days',
          },
        },
      ]);
  });

  it('is refused a millisecond earlier', () => {
    given(deliveredM1).when(supportInspect('2025-04-17T02:59:59.999Z')).thenThrows('conflict', 'INSPECTION_GRACE_NOT_ELAPSED');
  });

  it('compares instants, whatever offset they are written in', () => {
    given(deliveredM1)
      .when(supportInspect('2025-04-17T12:00:00+09:00'))
      .thenAssert(([event]) => expect(event.type).toBe('MilestoneInspected'));
    given(deliveredM1).when(supportInspect('2025-04-17T11:59:59+09:00')).thenThrows('conflict', 'INSPECTION_GRACE_NOT_ELAPSED');
  });

  it('counts from the latest delivery', () => {
    const redelivered = [
      ...deliveredM1,
      { type: 'RevisionRequested' as const, data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'x' } },
      delivered('m1', '2025-04-15T00:00:00Z', 2),
    ];
    given(redelivered).when(supportInspect('2025-04-20T00:00:00Z')).thenThrows('conflict', 'INSPECTION_GRACE_NOT_ELAPSED');
    given(redelivered)
      .when(supportInspect('2025-04-22T00:00:00Z'))
      .thenAssert(([event]) => expect(event.type).toBe('MilestoneInspected'));
  });

  it('needs a reason and a pending delivery', () => {
    given(deliveredM1)
      .when(supportInspect('2025-05-01T00:00:00Z', { reason: '' }))
      .thenThrows('invalid', 'INVALID_REASON');
    given([...activeContract, funded('m1')])
      .when(supportInspect('2025-05-01T00:00:00Z'))
      .thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
  });

  it('is support’s alone', () => {
    given(deliveredM1)
      .when(supportInspect('2025-05-01T00:00:00Z', { actor: CLIENT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(deliveredM1)
      .when(supportInspect('2025-05-01T00:00:00Z', { actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });
});
