import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as ts from 'typescript';
import { createEscrowClient, type EscrowClient } from '@escrow/client';
import { TestService } from './harness';
import { checkedFetch } from './openapi/validated-responses';

/**
 * The typed client other services import, generated from the OpenAPI document, driving one contract from the offer
 * to the worker's bank over real HTTP with the credentials a production caller sends. This file is compiled by
 * `npm run typecheck` (strict): a change of the document that breaks a caller breaks it, with no cast to hide it.
 */
const TOKENS = {
  jobBoard: 'job-board-token-client-0123456789abcdef',
  support: 'support-console-token-client-0123456789',
  settlement: 'settlement-token-client-0123456789abcd',
  audit: 'audit-token-client-0123456789abcdefghij',
};
const API_CLIENTS = JSON.stringify([
  { id: 'job-board', roles: ['user'], tokens: [TOKENS.jobBoard] },
  { id: 'support-console', roles: ['support'], tokens: [TOKENS.support] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.settlement] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.audit] },
]);

/** The body of a success, or a failure naming the step, the status and the problem. */
function answer<T>(result: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (result.data === undefined) throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('the generated client against the running service', () => {
  let service: TestService;
  let baseUrl: string;
  const clientOf = (token: string, id: string, role: 'user' | 'support' | 'system' | 'auditor'): EscrowClient =>
    // Every answer is also checked against the OpenAPI document, as the harness checks its own requests.
    createEscrowClient({ baseUrl, token, actor: { id, role }, fetch: checkedFetch });

  beforeAll(async () => {
    service = await TestService.start({ env: { API_CLIENTS } });
    await service.app.listen(0, '127.0.0.1');
    const address: AddressInfo | string | null = service.app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('the service listens on no TCP port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => service.stop());

  it('takes a contract from the offer to the bank transfer: offer, accept, prepay, deliver, inspect, payout, wallet, bank account, withdrawal, review, paid', async () => {
    const clientUser = clientOf(TOKENS.jobBoard, 'client-typed', 'user');
    const workerUser = clientUser.forActor({ id: 'worker-typed', role: 'user' });
    const settlement = clientOf(TOKENS.settlement, 'settlement', 'system');
    const gateway = clientOf(TOKENS.settlement, 'payments-gateway', 'system');
    const reviewer = clientOf(TOKENS.support, 'support-typed', 'support');

    const offered = answer(
      await clientUser.POST('/v1/contracts', {
        params: { header: clientUser.command({ idempotencyKey: 'typed-offer' }) },
        body: { clientId: 'client-typed', workerId: 'worker-typed', title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] },
      }),
      'offer',
    );
    expect(offered.status).toBe('offered');
    const contractId = offered.contractId;
    const milestoneId = offered.milestones[0].milestoneId;
    const milestone = { contractId, milestoneId };

    const accepted = answer(
      await workerUser.POST('/v1/contracts/{contractId}/accept', {
        params: { path: { contractId }, header: workerUser.command({ idempotencyKey: 'typed-accept', ifMatch: offered.revision }) },
        body: {},
      }),
      'accept',
    );
    const gross = accepted.milestones[0].gross;
    expect(gross).toBe(11_000);

    const prepaid = answer(
      await clientUser.POST('/v1/contracts/{contractId}/milestones/{milestoneId}/prepay', {
        params: { path: milestone, header: clientUser.command({ idempotencyKey: 'typed-prepay' }) },
        body: { paymentReference: 'pay-typed-1', method: 'card' },
      }),
      'prepay',
    );
    expect(prepaid.milestones[0].status).toBe('funded');

    answer(
      await workerUser.POST('/v1/contracts/{contractId}/milestones/{milestoneId}/deliver', {
        params: { path: milestone, header: workerUser.command({ idempotencyKey: 'typed-deliver' }) },
        body: { deliverables: [{ uri: 'https://files.example.com/logo.svg', sha256: 'c'.repeat(64) }] },
      }),
      'deliver',
    );
    answer(
      await clientUser.POST('/v1/contracts/{contractId}/milestones/{milestoneId}/inspect', {
        params: { path: milestone, header: clientUser.command({ idempotencyKey: 'typed-inspect' }) },
        body: {},
      }),
      'inspect',
    );
    const paidOut = answer(
      await settlement.POST('/v1/contracts/{contractId}/milestones/{milestoneId}/payout', {
        params: { path: milestone, header: settlement.command({ idempotencyKey: 'typed-payout' }) },
        body: {},
      }),
      'payout',
    );
    expect(paidOut.milestones[0].payout).toMatchObject({ gross: 11_000, fee: 2_420, net: 8_580 });
    expect(paidOut.status).toBe('completed');

    // The wallet is credited by a background process: reading as of the payout's position waits for it.
    const wallet = answer(
      await workerUser.GET('/v1/accounts/{accountId}/wallet', {
        params: { path: { accountId: 'worker-typed' }, query: { minPosition: paidOut.position }, header: workerUser.reader() },
      }),
      'wallet',
    );
    expect(wallet.available).toBe(8_580);

    const bankAccount = answer(
      await workerUser.POST('/v1/accounts/{accountId}/bank-accounts', {
        params: { path: { accountId: 'worker-typed' }, header: workerUser.command({ idempotencyKey: 'typed-bank' }) },
        body: { bankCode: '0036', branchCode: '123', accountNumber: '1234567', holderName: 'ヤマダ タロウ' },
      }),
      'bank account',
    );
    expect(bankAccount.accountNumberMasked).toMatch(/4567$/);

    // Identity not verified yet: the withdrawal goes to review.
    const requested = answer(
      await workerUser.POST('/v1/accounts/{accountId}/withdrawals', {
        params: { path: { accountId: 'worker-typed' }, header: workerUser.command({ idempotencyKey: 'typed-withdrawal' }) },
        body: { amount: wallet.available, mode: 'standard', bankAccountId: bankAccount.bankAccountId },
      }),
      'withdrawal',
    );
    expect(requested).toMatchObject({ status: 'in_review', amount: 8_580, bankFee: 100, netAmount: 8_480 });
    const withdrawal = { withdrawalId: requested.withdrawalId };

    const approved = answer(
      await reviewer.POST('/v1/withdrawals/{withdrawalId}/approve', {
        params: { path: withdrawal, header: reviewer.command({ idempotencyKey: 'typed-approve' }) },
        body: { reason: 'Identity checked by phone' },
      }),
      'approve',
    );
    expect(approved.status).toBe('scheduled');

    const paid = answer(
      await gateway.POST('/v1/withdrawals/{withdrawalId}/paid', {
        params: { path: withdrawal, header: gateway.command({ idempotencyKey: 'typed-paid' }) },
        body: { transferReference: 'zengin-typed-1' },
      }),
      'paid',
    );
    expect(paid).toMatchObject({ status: 'paid', transferReference: 'zengin-typed-1', available: 0 });

    // A problem is typed too: the same key with another body is refused with its code.
    const reused = await workerUser.POST('/v1/accounts/{accountId}/withdrawals', {
      params: { path: { accountId: 'worker-typed' }, header: workerUser.command({ idempotencyKey: 'typed-withdrawal' }) },
      body: { amount: 1_000, mode: 'standard', bankAccountId: bankAccount.bankAccountId },
    });
    expect(reused.response.status).toBe(422);
    expect(reused.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('is written with no cast and no any: the generated types alone make it compile', () => {
    const source = ts.createSourceFile(__filename, readFileSync(__filename, 'utf8'), ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || node.kind === ts.SyntaxKind.AnyKeyword) {
        found.push(`line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 60)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(found).toEqual([]);
  });
});
