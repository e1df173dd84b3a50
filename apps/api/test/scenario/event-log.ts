import type { RecordedEvent } from '@escrow/event-store/port';
import { HttpClient } from './http-client';

/**
 * The fields of event data the checks read. Each event carries only those of its type (a contract event
 * has no withdrawalId), which the checks know from the event's type.
 */
export interface EventData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  accountId: string;
  withdrawalId: string;
  amount: number;
  gross: number;
  net: number;
  fee: number;
  feeExTax: number;
  feeTax: number;
  bankFee: number;
  quickFee: number;
  netAmount: number;
  scheduleId: string;
  taxRate: string;
  cause: string;
  status: 'scheduled' | 'in_review';
  source: { kind: string; id: string };
}

export type LoggedEvent = Omit<RecordedEvent, 'data'> & { data: EventData };

const PAGE = 1000;

/** The whole global log, read page by page through GET /v1/audit/events, following each page's cursor. */
export async function readWholeLog(http: HttpClient): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  let path = `/v1/audit/events?limit=${PAGE}`;
  for (;;) {
    const page = await http.get<{ data: LoggedEvent[]; nextCursor: string | null; headPosition: number }>(path);
    if (page.status !== 200) throw new Error(`audit feed ${path}: ${page.status} ${JSON.stringify(page.body)}`);
    events.push(...page.body.data);
    if (page.body.nextCursor === null) return events;
    path = `/v1/audit/events?limit=${PAGE}&cursor=${page.body.nextCursor}`;
  }
}

export async function headPosition(http: HttpClient): Promise<number> {
  const page = await http.get<{ headPosition: number }>(`/v1/audit/events?after=999999999999&limit=1`);
  if (page.status !== 200) throw new Error(`audit feed head: ${page.status} ${JSON.stringify(page.body)}`);
  return page.body.headPosition;
}

/**
 * Waits until the credit process and every projection have handled the head of the log, and no
 * credit is left to append (the head no longer moves). Resolves with that head.
 */
export async function settledHead(http: HttpClient, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await headPosition(http);
    // An account with no money: the read only waits for the credit process to reach `head`.
    const credits = await http.get(`/v1/accounts/settlement-probe/wallet?minPosition=${head}`);
    const projections = await http.get(`/v1/projections?minPosition=${head}`);
    if (credits.status === 200 && projections.status === 200 && (await headPosition(http)) === head) return head;
    if (Date.now() > deadline) {
      throw new Error(`the read models did not settle at ${head}: credits ${credits.status}, projections ${projections.status} ${JSON.stringify(projections.body)}`);
    }
  }
}
