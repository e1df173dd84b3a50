import { client, fundedContract, settlement, support, TestService, worker } from './harness';

/**
 * The exports: the global log as NDJSON (ranges, filters, content negotiation), the ledger journal as CSV or JSON
 * pages, and the trial balance as CSV. Every answer is also checked against the OpenAPI document by the harness.
 */

const NDJSON = 'application/x-ndjson';
const EXPORT_MEMBERS = ['position', 'streamId', 'revision', 'id', 'type', 'data', 'metadata', 'recordedAt'];

interface ExportedEvent {
  position: number;
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

/** The lines of an NDJSON body: each ends with a newline and parses as one JSON object. */
function parseNdjson(text: string): ExportedEvent[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as ExportedEvent);
}

/** A strict RFC 4180 reader: quoted fields with doubled quotes, records ended by CRLF, nothing else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`a quote inside an unquoted field at ${i}`);
        cell += text[i++];
      }
    }
    record.push(cell);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`a record must end with CRLF, at ${i}`);
  }
  if (record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

describe('exports', () => {
  let service: TestService;
  let contractId: string;
  let everything: ExportedEvent[];
  let head: number;

  const exportOf = (query = '', accept = NDJSON) => service.get(`/v1/audit/events${query}`).set('Accept', accept).buffer(true);

  beforeAll(async () => {
    service = await TestService.start();
    const paid = await fundedContract(service);
    contractId = paid.contractId;
    for (const { milestoneId } of paid.milestones.slice(0, 2)) {
      await service
        .post(`/v1/contracts/${contractId}/milestones/${milestoneId}/deliver`, worker, {
          deliverables: [{ uri: 'https://files.example.com/d' }],
        })
        .expect(200);
      await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/inspect`, client).expect(200);
      await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/payout`, settlement).expect(200);
    }
    const refunded = await fundedContract(service, [{ title: 'Extra', amount: 10_000, dueDate: '2026-12-31' }]);
    await service
      .post(`/v1/contracts/${refunded.contractId}/milestones/${refunded.milestones[0].milestoneId}/refund`, support, {
        reason: 'Paid twice',
      })
      .expect(200);
    const page = await service.get('/v1/audit/events?limit=1000').expect(200);
    head = page.body.headPosition as number;
    everything = page.body.data as ExportedEvent[];
  }, 60_000);

  afterAll(() => service.stop());

  describe('the global log as NDJSON', () => {
    it('streams every event up to the head, as stored, with exactly the eight members, one per line', async () => {
      const res = await exportOf().expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="events-1-${head}.ndjson"`);
      expect(res.headers['x-export-through-position']).toBe(String(head));
      const lines = parseNdjson(res.text);
      expect(lines.map((event) => event.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      for (const line of lines) expect(Object.keys(line)).toEqual(EXPORT_MEMBERS);
      // The same events as the JSON pages, which show them as stored.
      expect(lines).toEqual(
        everything.map((event) => Object.fromEntries(EXPORT_MEMBERS.map((name) => [name, event[name as keyof ExportedEvent]]))),
      );
    });

    it('exports a position range: after exclusive, through inclusive, beyond the head the head', async () => {
      const range = parseNdjson((await exportOf('?after=3&through=7').expect(200)).text);
      expect(range.map((event) => event.position)).toEqual([4, 5, 6, 7]);
      const past = await exportOf(`?after=${head - 1}&through=${head + 100}`).expect(200);
      expect(past.headers['x-export-through-position']).toBe(String(head));
      expect(parseNdjson(past.text).map((event) => event.position)).toEqual([head]);
      expect((await exportOf(`?after=${head}`).expect(200)).text).toBe('');
    });

    it('exports a time range on recordedAt: since inclusive, until exclusive', async () => {
      const middle = everything[Math.floor(everything.length / 2)].recordedAt;
      const since = parseNdjson((await exportOf(`?since=${encodeURIComponent(middle)}`).expect(200)).text);
      expect(since.map((event) => event.position)).toEqual(
        everything.filter((event) => event.recordedAt >= middle).map((event) => event.position),
      );
      const until = parseNdjson((await exportOf(`?until=${encodeURIComponent(middle)}`).expect(200)).text);
      expect(until.map((event) => event.position)).toEqual(
        everything.filter((event) => event.recordedAt < middle).map((event) => event.position),
      );
      expect(since.length + until.length).toBe(head);
      // An instant with an offset names the same moment.
      const tokyo = new Date(Date.parse(middle) + 9 * 3600_000).toISOString().replace('Z', '+09:00');
      expect(parseNdjson((await exportOf(`?since=${encodeURIComponent(tokyo)}`).expect(200)).text)).toEqual(since);
    });

    it('filters by stream, category and type (a comma list or the parameter repeated)', async () => {
      const stream = `contract-${contractId}`;
      const ofStream = parseNdjson((await exportOf(`?stream=${stream}`).expect(200)).text);
      expect(ofStream.length).toBeGreaterThan(5);
      expect(ofStream.map((event) => event.position)).toEqual(
        everything.filter((event) => event.streamId === stream).map((event) => event.position),
      );

      const wallets = parseNdjson((await exportOf('?category=wallet').expect(200)).text);
      expect(wallets.length).toBeGreaterThan(0);
      expect(wallets.map((event) => event.position)).toEqual(
        everything.filter((event) => event.streamId.startsWith('wallet-')).map((event) => event.position),
      );

      const moneyTypes = ['EscrowFunded', 'MilestonePaidOut'];
      const expected = everything.filter((event) => moneyTypes.includes(event.type)).map((event) => event.position);
      expect(expected.length).toBeGreaterThan(0);
      for (const query of ['?type=EscrowFunded,MilestonePaidOut', '?type=EscrowFunded&type=MilestonePaidOut']) {
        expect(parseNdjson((await exportOf(query).expect(200)).text).map((event) => event.position)).toEqual(expected);
      }
      const combined = parseNdjson((await exportOf(`?category=contract&type=EscrowFunded&stream=${stream}&after=2`).expect(200)).text);
      expect(combined.map((event) => event.position)).toEqual(
        everything
          .filter((event) => event.streamId === stream && event.type === 'EscrowFunded' && event.position > 2)
          .map((event) => event.position),
      );
    });

    it('refuses a bad parameter before the first byte, naming the field and the rule', async () => {
      const cases: [string, string, string][] = [
        ['?type=NoSuchEvent', 'type', 'isIn'],
        ['?category=planets', 'category', 'isIn'],
        ['?since=yesterday', 'since', 'instant'],
        ['?until=2026-01-01T00:00:00', 'until', 'instant'],
        ['?after=-1', 'after', 'isInt'],
        ['?after=5&through=4', 'through', 'min'],
        ['?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'until', 'min'],
        ['?stream=contract%20x', 'stream', 'format'],
        ['?limit=10', 'limit', 'unknownField'],
        ['?cursor=abc', 'cursor', 'unknownField'],
        ['?colour=red', 'colour', 'unknownField'],
      ];
      for (const [query, field, rule] of cases) {
        const res = await exportOf(query).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect({ query, errors: JSON.parse(res.text).errors }).toEqual({
          query,
          errors: expect.arrayContaining([expect.objectContaining({ field, rule })]),
        });
      }
    });

    it('keeps JSON pages the default, and refuses an export filter on them rather than ignoring it', async () => {
      for (const accept of ['application/json', '*/*', 'application/*', `${NDJSON};q=0.5, application/json`]) {
        const res = await service.get('/v1/audit/events?limit=2').set('Accept', accept).expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body.data).toHaveLength(2);
      }
      const refused = await service.get('/v1/audit/events?type=EscrowFunded').expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'type', rule: 'ndjsonOnly' })]);
    });

    it('answers 406 to an Accept it cannot give', async () => {
      for (const accept of ['text/csv', 'application/xml, text/html', `${NDJSON};q=0`]) {
        const res = await service.get('/v1/audit/events').set('Accept', accept).expect(406);
        expect(res.body).toMatchObject({ status: 406, code: 'NOT_ACCEPTABLE', available: ['application/json', NDJSON] });
      }
    });

    it('is for staff only', async () => {
      await exportOf('').set('X-Actor-Id', client.id).set('X-Actor-Role', client.role).expect(403);
    });
  });

  describe('the ledger journal', () => {
    const journalCsv = (query = '') => service.get(`/v1/ledger/journal${query}`).set('Accept', 'text/csv').buffer(true);

    interface JournalLine {
      position: number;
      line: number;
      account: string;
      debit: number;
      credit: number;
      balanceAfter: number;
      eventType: string;
    }

    async function journalPages(query: string): Promise<JournalLine[]> {
      const lines: JournalLine[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/v1/ledger/journal?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await service.get(path).expect(200);
        lines.push(...(res.body.data as JournalLine[]));
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null);
      return lines;
    }

    it('streams every posting as RFC 4180 CSV with a header row, the same postings as the JSON pages', async () => {
      const res = await journalCsv().expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="journal-1-\d+\.csv"$/);
      const [header, ...rows] = parseCsv(res.text);
      expect(header).toEqual([
        'position',
        'line',
        'recorded_at',
        'occurred_at',
        'event_id',
        'event_type',
        'stream_id',
        'account',
        'debit',
        'credit',
        'balance_after',
      ]);
      const pages = await journalPages('');
      expect(rows.length).toBe(pages.length);
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.map((row) => [Number(row[0]), Number(row[1]), row[7], Number(row[8]), Number(row[9]), Number(row[10])])).toEqual(
        pages.map((line) => [line.position, line.line, line.account, line.debit, line.credit, line.balanceAfter]),
      );
      // Every event's postings balance.
      const byEvent = new Map<string, number>();
      for (const row of rows) byEvent.set(row[0], (byEvent.get(row[0]) ?? 0) + Number(row[8]) - Number(row[9]));
      expect([...byEvent.values()].every((difference) => difference === 0)).toBe(true);
    });

    it('covers a period from one trial balance to the next, by positions or by instants', async () => {
      const trial = async (asOf: string) =>
        (await service.get(`/v1/ledger/trial-balance?asOf=${encodeURIComponent(asOf)}`).expect(200)).body as {
          position: number;
          accounts: { account: string; normalBalance: string; balance: number }[];
        };
      const all = await journalPages('');
      const from = all[Math.floor(all.length / 3)].position;
      const to = all[Math.floor((2 * all.length) / 3)].position;
      const period = await journalPages(`&from=${from}&to=${to}`);
      expect(period.length).toBeGreaterThan(0);
      expect({ from, to, positions: period.map((line) => line.position) }).toEqual({
        from,
        to,
        positions: all.map((line) => line.position).filter((p) => p > from && p <= to),
      });
      const [before, after] = [await trial(String(from)), await trial(String(to))];
      for (const account of after.accounts) {
        const moved = period
          .filter((line) => line.account === account.account)
          .reduce((sum, line) => sum + (account.normalBalance === 'debit' ? line.debit - line.credit : line.credit - line.debit), 0);
        const opening = before.accounts.find((a) => a.account === account.account)?.balance ?? 0;
        expect({ account: account.account, balance: opening + moved }).toEqual({ account: account.account, balance: account.balance });
      }
      // The same period named by instants: the last position recorded at or before each.
      const csv = await journalCsv('');
      const rows = parseCsv(csv.text).slice(1);
      const recordedAtOf = (position: number) => rows.find((row) => Number(row[0]) === position)![2];
      const byInstants = await journalPages(`&from=${encodeURIComponent(recordedAtOf(from))}&to=${encodeURIComponent(recordedAtOf(to))}`);
      expect(byInstants.map((line) => [line.position, line.line])).toEqual(period.map((line) => [line.position, line.line]));
      const csvPeriod = parseCsv((await journalCsv(`?from=${from}&to=${to}`).expect(200)).text).slice(1);
      expect(csvPeriod.map((row) => [Number(row[0]), Number(row[1])])).toEqual(period.map((line) => [line.position, line.line]));
    });

    it('refuses a bad period or Accept, naming the field and the rule', async () => {
      const cases: [string, string, string][] = [
        ['?from=yesterday', 'from', 'positionOrInstant'],
        ['?to=5&from=9', 'to', 'min'],
        ['?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to', 'min'],
        ['?limit=5', 'limit', 'unknownField'],
      ];
      for (const [query, field, rule] of cases) {
        const res = await journalCsv(query).expect(400);
        expect({ query, errors: JSON.parse(res.text).errors }).toEqual({ query, errors: [expect.objectContaining({ field, rule })] });
      }
      expect((await service.get('/v1/ledger/journal?limit=1001').expect(400)).body.errors).toEqual([
        expect.objectContaining({ field: 'limit', rule: 'max' }),
      ]);
      expect((await service.get('/v1/ledger/journal').set('Accept', NDJSON).expect(406)).body.code).toBe('NOT_ACCEPTABLE');
      await service.get('/v1/ledger/journal').set('X-Actor-Id', worker.id).set('X-Actor-Role', worker.role).expect(403);
    });
  });

  describe('the trial balance as CSV', () => {
    it('has one row per account and a totals row, as of a position, agreeing with the JSON answer', async () => {
      const asOf = Math.floor(head / 2);
      const json = (await service.get(`/v1/ledger/trial-balance?asOf=${asOf}`).expect(200)).body as {
        position: number;
        totalDebits: number;
        totalCredits: number;
        accounts: { account: string; normalBalance: string; debits: number; credits: number; balance: number }[];
      };
      const res = await service.get(`/v1/ledger/trial-balance?asOf=${asOf}`).set('Accept', 'text/csv').buffer(true).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="trial-balance-${json.position}.csv"`);
      const [header, ...rows] = parseCsv(res.text);
      expect(header).toEqual(['position', 'account', 'normal_balance', 'debits', 'credits', 'balance']);
      expect(rows).toEqual([
        ...json.accounts.map((a) => [
          String(json.position),
          a.account,
          a.normalBalance,
          String(a.debits),
          String(a.credits),
          String(a.balance),
        ]),
        [String(json.position), '(total)', '', String(json.totalDebits), String(json.totalCredits), ''],
      ]);
      expect(json.accounts.length).toBeGreaterThan(2);
    });

    it('negotiates like the other exports', async () => {
      expect((await service.get('/v1/ledger/trial-balance').set('Accept', 'application/x-ndjson').expect(406)).body.code).toBe(
        'NOT_ACCEPTABLE',
      );
      expect((await service.get('/v1/ledger/trial-balance?asOf=nope').set('Accept', 'text/csv').expect(400)).body.errors).toEqual([
        expect.objectContaining({ field: 'asOf', rule: 'positionOrInstant' }),
      ]);
      const res = await service.get('/v1/ledger/trial-balance').set('Accept', 'text/html;q=0.9, */*;q=0.1').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });
  });
});
