import { type ContractCommand, type ContractState, contractDecider, contractStreamId } from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { type ContractHistory, contractHistoryOf } from '@escrow/projections/contract-history/contract-history';
import { detailLines, formatYen, printable, renderHistory } from './render';

const client: Actor = { id: 'client-1', role: 'user' };
const worker: Actor = { id: 'worker-1', role: 'user' };
const support: Actor = { id: 'support-7', role: 'support' };
const settlement: Actor = { id: 'settlement', role: 'system' };

type Body = ContractCommand extends infer C ? (C extends ContractCommand ? Omit<C, 'contractId' | 'actor' | 'at'> : never) : never;

/** Decides each command with the contract's own decider and records it as the service would, with its actor and calling service. */
async function recordLifecycle(): Promise<ContractHistory> {
  const store = new InMemoryEventStore();
  let state: ContractState = contractDecider.initialState();
  let hour = 0;
  let sequence = 0;
  const run = async (actor: Actor, callingService: string, command: Body) => {
    const at = new Date(Date.UTC(2026, 2, 1, hour++)).toISOString();
    const events = contractDecider.decide({ ...command, contractId: 'c1', actor, at } as ContractCommand, state);
    state = events.reduce(contractDecider.evolve, state);
    await store.append(
      contractStreamId('c1'),
      events.map((event) => ({
        id: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
        type: event.type,
        data: event.data as unknown as Record<string, unknown>,
        metadata: { schemaVersion: 1, occurredAt: at, actor, callingService, correlationId: `corr-${sequence}`, causationId: `cause-${sequence}` },
      })),
      'any',
    );
  };
  // Grosses of ¥50,000, ¥30,000 and ¥50,000 at 10% consumption tax; the third is partly refunded before its payout.
  const milestone = (milestoneId: string, title: string, amount: number) => ({ milestoneId, title, amount, dueDate: '2026-12-31' });
  await run(client, 'job-board', {
    type: 'OfferContract',
    clientId: client.id,
    workerId: worker.id,
    title: 'Website',
    milestones: [milestone('m1', 'Wireframes', 45_455), milestone('m2', 'Design', 27_273), milestone('m3', 'Build', 45_455)],
  });
  await run(worker, 'job-board', { type: 'AcceptOffer' });
  for (const id of ['m1', 'm2', 'm3']) await run(client, 'job-board', { type: 'FundMilestone', milestoneId: id, paymentReference: `pay-${id}`, method: 'card' });
  for (const id of ['m1', 'm2']) {
    await run(worker, 'job-board', { type: 'DeliverMilestone', milestoneId: id, deliverables: [] });
    await run(client, 'job-board', { type: 'InspectMilestone', milestoneId: id });
    await run(settlement, 'settlement', { type: 'PayOutMilestone', milestoneId: id });
  }
  await run(support, 'support-console', { type: 'RefundMilestone', milestoneId: 'm3', amount: 20_000, reason: 'Scope reduced by agreement' });
  await run(worker, 'job-board', { type: 'DeliverMilestone', milestoneId: 'm3', deliverables: [] });
  await run(client, 'job-board', { type: 'InspectMilestone', milestoneId: 'm3' });
  await run(settlement, 'settlement', { type: 'PayOutMilestone', milestoneId: 'm3' });
  const history = contractHistoryOf('c1', await store.readStream(contractStreamId('c1')));
  await store.close();
  return history;
}

/** The cells of the timeline row of an event (the first row of that type, or the nth). */
function row(text: string, type: string, occurrence = 0): string[] {
  const rows = text.split('\n').filter((line) => line.trim().split(/\s{2,}/)[2] === type);
  return rows[occurrence].trim().split(/\s{2,}/);
}

/** The lines printed under a row, up to the next row. */
function detailsUnder(text: string, type: string, occurrence = 0): string[] {
  const lines = text.split('\n');
  let seen = -1;
  const start = lines.findIndex((line) => line.trim().split(/\s{2,}/)[2] === type && ++seen === occurrence);
  const details: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s{3,}\S/.test(line)) break;
    details.push(line.trim());
  }
  return details;
}

describe('the replay as text', () => {
  let history: ContractHistory;
  let text: string;

  beforeAll(async () => {
    history = await recordLifecycle();
    text = renderHistory(history);
  });

  it('writes whole yen with thousands separators and a sign only when negative', () => {
    expect([0, 999, 1_000, 130_000, 1_234_567, -20_000].map(formatYen)).toEqual(['0', '999', '1,000', '130,000', '1,234,567', '-20,000']);
  });

  it('names the contract, its parties, its status and the revision shown', () => {
    const [title, facts] = text.split('\n');
    expect(title).toBe('Contract c1 "Website"');
    expect(facts).toBe('client client-1, worker worker-1; completed at revision 15; fee schedule crowdworks-2019-10, tax rate 0.10');
  });

  it('gives one row per event with who acted, through which service, and the contract totals after it', () => {
    const header = text.split('\n').find((line) => line.startsWith('rev'))!;
    expect(header.trim().split(/\s{2,}/)).toEqual(['rev', 'occurred', 'event', 'actor', 'via', 'status', 'funded', 'in escrow', 'paid out', 'fee', 'net', 'refunded', 'cancelled']);
    expect(row(text, 'ContractOffered')).toEqual(['0', '2026-03-01T00:00:00.000Z', 'ContractOffered', 'client-1 (user)', 'job-board', 'offered', '0', '0', '0', '0', '0', '0', '0']);
    expect(row(text, 'EscrowFunded', 2).slice(5)).toEqual(['active', '130,000', '130,000', '0', '0', '0', '0', '0']);
    expect(row(text, 'MilestonePaidOut', 0).slice(3)).toEqual(['settlement (system)', 'settlement', 'active', '130,000', '80,000', '50,000', '11,000', '39,000', '0', '0']);
    expect(row(text, 'MilestonePaidOut', 1).slice(6)).toEqual(['130,000', '50,000', '80,000', '17,600', '62,400', '0', '0']);
    expect(row(text, 'EscrowRefunded').slice(3)).toEqual(['support-7 (support)', 'support-console', 'active', '130,000', '30,000', '80,000', '17,600', '62,400', '20,000', '0']);
    // The third payout crosses the ¥100,000 tier: ¥20,000 at 20% and ¥10,000 at 10%, plus 10% tax on the fee.
    expect(row(text, 'MilestonePaidOut', 2).slice(6)).toEqual(['130,000', '0', '110,000', '23,100', '86,900', '20,000', '0']);
    expect(row(text, 'ContractCompleted').slice(5, 6)).toEqual(['completed']);
  });

  it('shows under each event what it changed in each milestone and the ledger postings it caused', () => {
    expect(detailsUnder(text, 'EscrowFunded', 0)).toEqual([
      'milestone m1 "Wireframes": unfunded -> funded; funded +50,000, in escrow +50,000',
      'ledger Dr gateway-clearing 50,000',
      'ledger Cr escrow:c1 50,000',
    ]);
    expect(detailsUnder(text, 'EscrowRefunded')).toEqual([
      'milestone m3 "Build": in escrow -20,000, refunded +20,000',
      'ledger Dr escrow:c1 20,000',
      'ledger Cr payable-to-wallets 20,000',
    ]);
    expect(detailsUnder(text, 'MilestonePaidOut', 2)).toEqual([
      'milestone m3 "Build": inspected -> paid_out; in escrow -30,000, paid out +30,000, fee ex tax +5,000, fee tax +500, fee +5,500, net +24,500',
      'ledger Dr escrow:c1 30,000',
      'ledger Cr payable-to-wallets 24,500',
      'ledger Cr fee-revenue 5,000',
      'ledger Cr fee-tax-payable 500',
    ]);
    expect(detailsUnder(text, 'MilestoneDelivered')).toEqual(['milestone m1 "Wireframes": funded -> delivered']);
    expect(detailsUnder(text, 'ContractOffered')).toEqual([
      'milestone m1 "Wireframes": added (unfunded); amount +45,455; dueDate 2026-12-31',
      'milestone m2 "Design": added (unfunded); amount +27,273; dueDate 2026-12-31',
      'milestone m3 "Build": added (unfunded); amount +45,455; dueDate 2026-12-31',
      'title Website',
    ]);
    expect(detailsUnder(text, 'ContractAccepted')).toEqual([
      'milestone m1 "Wireframes": gross +50,000',
      'milestone m2 "Design": gross +30,000',
      'milestone m3 "Build": gross +50,000',
      'feeScheduleId crowdworks-2019-10',
      'taxRate 0.10',
    ]);
  });

  it('ends with the money per milestone and in total at the last revision', () => {
    const table = text.split('\n').slice(text.split('\n').indexOf('Money per milestone at revision 15 (yen):') + 1);
    expect(table[0].split(/\s{2,}/)).toEqual(['milestone', 'status', 'gross', 'funded', 'in escrow', 'paid out', 'fee', 'net', 'refunded', 'cancelled', 'fee ex tax', 'fee tax', 'title']);
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    expect(cells(table[2])).toEqual(['m1', 'paid_out', '50,000', '50,000', '0', '50,000', '11,000', '39,000', '0', '0', '10,000', '1,000', 'Wireframes']);
    expect(cells(table[4])).toEqual(['m3', 'paid_out', '50,000', '50,000', '0', '30,000', '5,500', '24,500', '20,000', '0', '5,000', '500', 'Build']);
    expect(cells(table[5])).toEqual(['total', '130,000', '130,000', '0', '110,000', '23,100', '86,900', '20,000', '0', '21,000', '2,100']);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').every((line) => line === line.trimEnd())).toBe(true);
  });

  it('lines up every row of a table under its header', () => {
    const lines = text.split('\n');
    const header = lines.find((line) => line.startsWith('rev'))!;
    const fundedEnd = header.indexOf('funded') + 'funded'.length;
    const rows = lines.filter((line) => /^\s*\d+\s{2}\d{4}-/.test(line));
    expect(rows).toHaveLength(history.events.length);
    for (const line of rows) expect(line[fundedEnd - 1]).toMatch(/\d/);
  });

  it('shows an event that moved no money and changed nothing with no line under it', () => {
    expect(detailLines({ ...history.events[0], changes: { status: null, money: [], milestones: [], terms: [] }, postings: [] })).toEqual([]);
    const under = detailsUnder(text, 'ContractCompleted');
    expect(under).toEqual([]);
  });

  it('writes a title that holds line feeds, escapes or direction overrides on its own line, escaped', () => {
    const forged = 'Website\nledger Cr platform:fees 1,000,000\u001b[2J\u202emoc.live';
    const titled = <T extends { title: string }>(item: T): T => ({ ...item, title: forged });
    const tampered: ContractHistory = {
      ...history,
      state: titled(history.state!),
      money: { ...history.money!, milestones: history.money!.milestones.map(titled) },
      events: history.events.map((entry) => ({ ...entry, changes: { ...entry.changes, milestones: entry.changes.milestones.map(titled) } })),
    };
    const shown = renderHistory(tampered);
    expect(shown.split('\n')).toHaveLength(text.split('\n').length);
    expect(shown).not.toMatch(/[\u001b\u202e]/);
    expect(shown.split('\n').filter((line) => line.trim().startsWith('ledger Cr platform:fees 1,000,000'))).toEqual([]);
    const escaped = 'Website\\nledger Cr platform:fees 1,000,000\\u001b[2J\\u202emoc.live';
    expect(shown.split('\n')[0]).toBe(`Contract c1 "${escaped}"`);
    expect(shown).toContain(`milestone m1 "${escaped}": added`);
    expect(shown.split('\n').filter((line) => line.startsWith('m1 ')).map((line) => line.endsWith(escaped))).toEqual([true]);
    expect(printable('tab\there, DEL\u007f, line\u2028separator')).toBe('tab\\there, DEL\\u007f, line\\u2028separator');
  });

  it('says when the cut is before the offer', () => {
    expect(renderHistory({ contractId: 'c1', asOf: '2020-01-01', revision: -1, state: null, money: null, events: [] })).toBe(
      'Contract c1 as of 2020-01-01: no event yet (the offer came later).\n',
    );
  });
});
