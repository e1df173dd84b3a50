import { type Actor, auditor, settlement, support, TestService } from './harness';

const user = (id: string): Actor => ({ id, role: 'user' });
const [clientA, clientB, clientC] = ['search-client-a', 'search-client-b', 'search-client-c'].map(user);
const [workerA, workerB] = ['search-worker-a', 'search-worker-b'].map(user);

interface Summary {
  contractId: string;
  status: string;
}
interface Page {
  data: Summary[];
  nextCursor: string | null;
}

/**
 * Five contracts, each offered at 20:00 UTC (05:00 the next day in Japan) on its own day:
 * A 03-02 JST client A → worker A ¥10,000 offered; B 03-03 A → B ¥50,000 active; C 03-04 B → A ¥100,000 declined;
 * D 03-05 B → B ¥200,000 withdrawn; E 03-06 C → A ¥30,000 active.
 */
describe('the contract search', () => {
  let service: TestService;
  const ids: Record<string, string> = {};
  let lastPosition = 0;

  beforeAll(async () => {
    service = await TestService.start({ clock: '2026-03-01T20:00:00Z' });
    const plan: [string, Actor, Actor, number, 'accept' | 'decline' | 'withdraw' | null][] = [
      ['A', clientA, workerA, 10_000, null],
      ['B', clientA, workerB, 50_000, 'accept'],
      ['C', clientB, workerA, 100_000, 'decline'],
      ['D', clientB, workerB, 200_000, 'withdraw'],
      ['E', clientC, workerA, 30_000, 'accept'],
    ];
    for (const [index, [name, client, worker, amount, then]] of plan.entries()) {
      service.clock.set(`2026-03-0${index + 1}T20:00:00Z`);
      const milestones = [{ title: 'Work', amount, dueDate: '2026-12-31' }];
      const offered = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: `Contract ${name}`, milestones }).expect(201);
      ids[name] = offered.body.contractId;
      lastPosition = offered.body.position;
      if (then === null) continue;
      const actor = then === 'withdraw' ? client : worker;
      lastPosition = (await service.post(`/v1/contracts/${ids[name]}/${then}`, actor, {}).expect(200)).body.position;
    }
  });
  afterAll(() => service.stop());

  const search = async (query: string, actor: Actor = support): Promise<Page> =>
    (await service.get(`/v1/contracts?minPosition=${lastPosition}${query === '' ? '' : `&${query}`}`, actor).expect(200)).body;
  const names = (page: Page) => page.data.map((summary) => Object.keys(ids).find((name) => ids[name] === summary.contractId));

  it('finds contracts by party, status, day of the offer in Japan and amount, oldest offer first', async () => {
    expect(names(await search(''))).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(names(await search(`clientId=${clientA.id}`))).toEqual(['A', 'B']);
    expect(names(await search(`workerId=${workerA.id}`))).toEqual(['A', 'C', 'E']);
    expect(names(await search(`partyId=${workerB.id}`))).toEqual(['B', 'D']);
    expect(names(await search('status=active'))).toEqual(['B', 'E']);
    expect(names(await search('offeredFrom=2026-03-03&offeredTo=2026-03-05'))).toEqual(['B', 'C', 'D']);
    expect(names(await search('offeredTo=2026-03-01'))).toEqual([]);
    expect(names(await search('minAmount=30000&maxAmount=100000'))).toEqual(['B', 'C', 'E']);
    expect(names(await search(`workerId=${workerA.id}&status=active&minAmount=20000`))).toEqual(['E']);
    const [first] = (await search(`clientId=${clientC.id}`)).data;
    expect(first).toMatchObject({ contractId: ids.E, clientId: clientC.id, workerId: workerA.id, status: 'active', totals: { amount: 30_000, gross: 33_000 } });
  });

  it('pages with a cursor that visits every match once, with the filters sent on every page', async () => {
    const visited: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await search(`workerId=${workerA.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      visited.push(...(names(page) as string[]));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(visited).toEqual(['A', 'C', 'E']);
    expect(pages).toBe(2);

    const clientPage = (await service.get(`/v1/clients/${clientA.id}/contracts?limit=1&minPosition=${lastPosition}`).expect(200)).body as Page;
    const refused = await service.get(`/v1/contracts?cursor=${clientPage.nextCursor}`, support).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'cursor', rule: 'cursor' })]);
  });

  it('lets support, system and auditor find every contract, and a user only those they are party to', async () => {
    for (const staff of [support, settlement, auditor]) expect(names(await search('', staff))).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(names(await search('', workerA))).toEqual(['A', 'C', 'E']);
    expect(names(await search('', clientB))).toEqual(['C', 'D']);
    expect(names(await search('', user('search-nobody')))).toEqual([]);
  });

  it('never lets a user see or probe contracts of others, whatever the filters or the cursor', async () => {
    // Naming other accounts only narrows a user's search to their own contracts with them.
    expect(names(await search(`clientId=${clientB.id}`, workerA))).toEqual(['C']);
    expect(names(await search(`clientId=${clientB.id}&workerId=${workerB.id}`, workerA))).toEqual([]);
    expect(names(await search(`partyId=${clientA.id}`, workerB))).toEqual(['B']);
    expect(names(await search(`partyId=${clientC.id}`, clientA))).toEqual([]);
    expect(names(await search('status=withdrawn', workerA))).toEqual([]);
    // A staff cursor is only a position: it grants a user nothing beyond their own contracts.
    const staffPage = await search('limit=1', support);
    expect(names(await search(`cursor=${staffPage.nextCursor}`, clientB))).toEqual(['C', 'D']);
  });

  it('refuses, for a user too, a scope of their own choosing, a cursor altered or cut short, and a limit outside 1 to 500', async () => {
    const refusals = async (query: string, actor: Actor = workerA) =>
      ((await service.get(`/v1/contracts?${query}`, actor).expect(400)).body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);
    // The scope a user's search is held to is not a parameter: it cannot be named, widened or emptied.
    expect(await refusals(`visibleTo=${clientB.id}`)).toEqual(['visibleTo:unknownField']);
    expect(await refusals('visibleTo=')).toEqual(['visibleTo:unknownField']);
    expect(await refusals(`partyId[$ne]=${workerA.id}`)).toEqual([`partyId[$ne]:unknownField`]);
    const { nextCursor } = await search('limit=1', workerA);
    expect(nextCursor).not.toBeNull();
    const cursor = nextCursor!;
    const altered = `${cursor.slice(0, 4)}${cursor[4] === 'A' ? 'B' : 'A'}${cursor.slice(5)}`;
    for (const tampered of [altered, cursor.slice(0, -2), `${cursor}AA`, 'x'.repeat(129)]) {
      expect(await refusals(`cursor=${tampered}`)).toEqual(['cursor:cursor']);
    }
    expect(await refusals(`cursor=${cursor}&cursor=${cursor}`)).toEqual(['cursor:single']);
    expect(await refusals('limit=0')).toEqual(['limit:min']);
    expect(await refusals('limit=-1')).toEqual(['limit:isInt']);
    expect(await refusals('limit=1e2')).toEqual(['limit:isInt']);
    expect(await refusals('limit=99999999999999999999')).toEqual(['limit:isInt']);
    expect(names(await search('limit=500', workerA))).toEqual(['A', 'C', 'E']);
  });

  it('refuses unknown parameters and values that are not ids, real days, amounts or ranges, naming each', async () => {
    const refusals = async (query: string) =>
      ((await service.get(`/v1/contracts?${query}`, support).expect(400)).body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);
    expect(await refusals('clientID=x')).toEqual(['clientID:unknownField']);
    expect(await refusals('clientId=a%20b&status=open')).toEqual(['clientId:format', 'status:isIn']);
    expect(await refusals('offeredFrom=2026-02-30&offeredTo=2026-3-01')).toEqual(['offeredFrom:format', 'offeredTo:format']);
    expect(await refusals('offeredFrom=2026-03-05&offeredTo=2026-03-01')).toEqual(['offeredTo:notBeforeFrom']);
    expect(await refusals('minAmount=-1&maxAmount=1e3')).toEqual(['minAmount:isInt', 'maxAmount:isInt']);
    expect(await refusals('minAmount=5000&maxAmount=100')).toEqual(['maxAmount:notBelowMinAmount']);
    expect(await refusals('limit=501')).toEqual(['limit:max']);
    expect(await refusals('workerId=a&workerId=b')).toEqual(['workerId:single']);
  });
});
