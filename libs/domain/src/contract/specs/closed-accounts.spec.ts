import {
  CLIENT,
  CONTRACT_ID,
  MILESTONES,
  OFFERED_AT,
  WORKER,
  activeContract,
  command,
  funded,
  given,
  offered,
} from '../testing/fixtures';

/** 退会済み: a closed account takes part in no new offer, contract or funding. */

const offer = (closedAccounts?: string[]) =>
  command('OfferContract', {
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Corporate website',
    milestones: MILESTONES,
    at: OFFERED_AT,
    ...(closedAccounts !== undefined ? { closedAccounts } : {}),
  });

const accept = (closedAccounts: string[]) => command('AcceptOffer', { closedAccounts });

const fund = (closedAccounts: string[]) =>
  command('FundMilestone', { milestoneId: 'm1', paymentReference: 'pay-m1', method: 'card', closedAccounts });

describe('a closed account in a new offer', () => {
  it('cannot be offered to', () => {
    given([]).when(offer([WORKER.id])).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
  });

  it('cannot offer', () => {
    given([]).when(offer([CLIENT.id])).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });

  it('names the client first when both are closed', () => {
    given([]).when(offer([WORKER.id, CLIENT.id])).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });

  it('is judged only for the parties: another closed account named by the caller changes nothing', () => {
    given([]).when(offer(['someone-closed'])).then([offered]);
    given([]).when(offer([])).then([offered]);
  });

  it('refuses a malformed list of closed accounts instead of ignoring it', () => {
    given([])
      .when({ ...offer(), closedAccounts: 'worker-1' } as never)
      .thenThrows('invalid', 'INVALID_ACCOUNT_ID');
  });
});

describe('a closed account and an open offer', () => {
  it('a closed worker cannot accept', () => {
    given([offered]).when(accept([WORKER.id])).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
  });

  it('an offer from a client closed since cannot be accepted', () => {
    given([offered]).when(accept([CLIENT.id])).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });

  it('still refuses the wrong actor and a closed offer before looking at the accounts', () => {
    given([offered])
      .when({ ...accept([WORKER.id]), actor: CLIENT })
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given(activeContract).when(accept([WORKER.id])).thenThrows('conflict', 'OFFER_NOT_OPEN');
  });

  it('the offer can still be withdrawn or declined: the way out of an offer stays open', () => {
    given([offered])
      .when(command('WithdrawOffer', {}))
      .then([{ type: 'OfferWithdrawn', data: { contractId: CONTRACT_ID, clientId: CLIENT.id, workerId: WORKER.id } }]);
    given([offered])
      .when(command('DeclineOffer', {}))
      .then([{ type: 'OfferDeclined', data: { contractId: CONTRACT_ID, clientId: CLIENT.id, workerId: WORKER.id } }]);
  });
});

describe('funding with a closed party', () => {
  it('a closed client cannot prepay', () => {
    given(activeContract).when(fund([CLIENT.id])).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });

  it('nobody can prepay for a closed worker', () => {
    given(activeContract).when(fund([WORKER.id])).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
  });

  it('funds as usual when neither party is closed', () => {
    given(activeContract)
      .when(fund([]))
      .then([
        {
          type: 'EscrowFunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 50_000,
            paymentReference: 'pay-m1',
            method: 'card',
            escrowAfter: 50_000,
          },
        },
      ]);
  });

  it('leaves work already funded alone: delivery is not a new contract', () => {
    given([...activeContract, funded('m1')])
      .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [] }))
      .thenAssert((events) => expect(events.map((event) => event.type)).toEqual(['MilestoneDelivered']));
  });
});
