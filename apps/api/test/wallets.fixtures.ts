import { randomInt, randomUUID } from 'node:crypto';
import { Actor, settlement, support, TestService } from './harness';

/** Scenario builders for the wallet, withdrawal and closure specs; every call uses fresh account ids. */

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
export const user = (id: string): Actor => ({ id, role: 'user' });
export const gateway: Actor = { id: 'payments-gateway', role: 'system' };
export const identityService: Actor = { id: 'identity-service', role: 'system' };
export { settlement, support };

const FILE = { uri: 'https://files.example.com/work.zip', sha256: 'b'.repeat(64) };

async function ok<T = Record<string, unknown>>(pending: PromiseLike<{ status: number; body: unknown }>, status: number, what: string): Promise<T> {
  const res = await pending;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export interface TestContract {
  contractId: string;
  milestoneIds: string[];
  client: Actor;
  worker: Actor;
  /** Gross of each milestone. */
  grosses: number[];
}

/** Offers, accepts and (unless `fund` is false) prepays a contract with milestones of these ex-tax amounts. */
export async function contractBetween(
  service: TestService,
  clientId: string,
  workerId: string,
  amounts: number[] = [10_000],
  options: { accept?: boolean; fund?: boolean } = {},
): Promise<TestContract> {
  const client = user(clientId);
  const worker = user(workerId);
  const offered = await ok<{ contractId: string; milestones: { milestoneId: string }[] }>(
    service.post('/v1/contracts', client, {
      clientId,
      workerId,
      title: 'Landing page',
      milestones: amounts.map((amount, i) => ({ title: `Part ${i + 1}`, amount, dueDate: '2026-12-31' })),
    }),
    201,
    'offer',
  );
  const contract: TestContract = {
    contractId: offered.contractId,
    milestoneIds: offered.milestones.map((m) => m.milestoneId),
    client,
    worker,
    grosses: [],
  };
  if (options.accept === false) return contract;
  const accepted = await ok<{ milestones: { gross: number }[] }>(service.post(`/v1/contracts/${contract.contractId}/accept`, worker), 200, 'accept');
  contract.grosses = accepted.milestones.map((m) => m.gross);
  if (options.fund === false) return contract;
  for (const [i, milestoneId] of contract.milestoneIds.entries()) {
    await ok(
      service.post(`/v1/contracts/${contract.contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference: uniqueId(`pay-${i}`), method: 'card' }),
      200,
      'prepay',
    );
  }
  return contract;
}

const milestonePath = (contract: TestContract, i: number) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;

/** Delivers (with the given deliverables), inspects and pays out milestone i; resolves with the payout's net and position. */
export async function payOut(service: TestService, contract: TestContract, i = 0, deliverables: object[] = [FILE]) {
  await ok(service.post(`${milestonePath(contract, i)}/deliver`, contract.worker, { deliverables }), 200, 'deliver');
  await ok(service.post(`${milestonePath(contract, i)}/inspect`, contract.client), 200, 'inspect');
  const paid = await ok<{ position: number; milestones: { milestoneId: string; payout: { net: number } }[] }>(
    service.post(`${milestonePath(contract, i)}/payout`, settlement),
    200,
    'payout',
  );
  const net = paid.milestones.find((m) => m.milestoneId === contract.milestoneIds[i])!.payout.net;
  return { net, position: paid.position };
}

/** Support refunds milestone i (in full unless an amount is given); resolves with the refund's position. */
export async function refund(service: TestService, contract: TestContract, i = 0, amount?: number) {
  const body = { reason: 'Agreed with both parties', ...(amount !== undefined ? { amount } : {}) };
  const refunded = await ok<{ position: number }>(service.post(`${milestonePath(contract, i)}/refund`, support, body), 200, 'refund');
  return { position: refunded.position };
}

export interface WalletBody {
  accountId: string;
  available: number;
  pending: number;
  paidOut: number;
  expired: number;
  totalCredited: number;
  expiringWithin30Days: number;
  nextExpiresAt: string | null;
  expiries: { expiresAt: string; amount: number; expiringSoon: boolean; noticesGiven: number[] }[];
  lots: { sourceId: string; sourceKind: string; amount: number; remaining: number; flags: { noDeliverable: boolean; fastCompletion: boolean } }[];
  withdrawalsInProgress: { withdrawalId: string; status: string; amount: number }[];
  revision: number;
  position: number;
}

export const walletOf = (service: TestService, accountId: string, minPosition = 0) =>
  ok<WalletBody>(service.get(`/v1/accounts/${accountId}/wallet?minPosition=${minPosition}`), 200, 'wallet');

/** A client account whose wallet holds a clean (unflagged) refund of the gross of `exTax`. */
export async function clientWithRefund(service: TestService, exTax: number) {
  const clientId = uniqueId('client');
  const contract = await contractBetween(service, clientId, uniqueId('worker'), [exTax]);
  const { position } = await refund(service, contract);
  const wallet = await walletOf(service, clientId, position);
  return { accountId: clientId, actor: user(clientId), contract, wallet };
}

export const randomAccountNumber = () => String(randomInt(0, 10_000_000)).padStart(7, '0');

export async function registerBankAccount(service: TestService, accountId: string, bank: { bankCode?: string; branchCode?: string; accountNumber?: string } = {}) {
  const body = { bankCode: bank.bankCode ?? '0036', branchCode: bank.branchCode ?? '251', accountNumber: bank.accountNumber ?? randomAccountNumber(), holderName: 'ヤマダ タロウ' };
  const registered = await ok<{ bankAccountId: string; position: number }>(service.post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), body), 201, 'register bank account');
  return registered.bankAccountId;
}

export async function reportIdentity(service: TestService, accountId: string, status: 'submitted' | 'approved' | 'rejected') {
  await ok(service.post(`/v1/accounts/${accountId}/identity-verification`, identityService, { status }), 200, 'identity verification');
}

/** A verified account with a bank account of its own: nothing but the money itself can flag its withdrawals. */
export async function readyToWithdraw(service: TestService, accountId: string, bankCode = '0036') {
  await reportIdentity(service, accountId, 'approved');
  return registerBankAccount(service, accountId, { bankCode });
}

export interface WithdrawalBody {
  withdrawalId: string;
  accountId: string;
  status: string;
  amount: number;
  fee: number;
  netAmount: number;
  payoutDate: string;
  reasons: string[];
  available: number;
  position: number;
}

export const withdraw = (service: TestService, accountId: string, bankAccountId: string, amount: number, mode: 'standard' | 'quick' = 'standard', headers: Record<string, string> = {}) =>
  service.post(`/v1/accounts/${accountId}/withdrawals`, user(accountId), { amount, mode, bankAccountId }, headers);

export async function requestWithdrawal(service: TestService, accountId: string, bankAccountId: string, amount: number, mode: 'standard' | 'quick' = 'standard') {
  return ok<WithdrawalBody>(withdraw(service, accountId, bankAccountId, amount, mode), 201, 'withdrawal');
}

export interface QueueItem {
  withdrawalId: string;
  accountId: string;
  amount: number;
  reasons: string[];
  requestedAt: string;
  ageSeconds: number;
}

export const reviewQueue = async (service: TestService, minPosition = 0) =>
  (await ok<{ data: QueueItem[] }>(service.get(`/v1/withdrawals/review-queue?minPosition=${minPosition}&limit=500`), 200, 'review queue')).data;

export async function closureEligibility(service: TestService, accountId: string) {
  return ok<{ eligible: boolean; reasons: string[] }>(service.get(`/v1/accounts/${accountId}/closure-eligibility`), 200, 'closure eligibility');
}
