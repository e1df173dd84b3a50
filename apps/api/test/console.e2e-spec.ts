import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { payoutFee } from '@escrow/domain/money/fee';
import { DEFAULT_FEE_SCHEDULE_ID, getFeeSchedule } from '@escrow/domain/money/fee-schedules';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@escrow/event-store/port';
import { World } from './access/route-cases';
import { chromiumExecutable } from './chromium';
import { TestService } from './harness';
import { postedTask, submitted } from './tasks.fixtures';
import { contractBetween, payOut, uniqueId, user } from './wallets.fixtures';

/**
 * The support console in Debian's Chromium, headless, against a running service: the console is built with vite
 * into a temporary folder the service serves at /console, staff sign in with the support client's token, and every
 * page is driven as support would. One browser and one service for the whole file. Screenshots of each page go to
 * CONSOLE_SCREENSHOTS_DIR (`.tmp/console-screenshots` unless set; `docs/console` refreshes the documentation's).
 */
const ROOT = resolve(__dirname, '../../..');
const SCREENSHOTS = resolve(ROOT, process.env.CONSOLE_SCREENSHOTS_DIR ?? join('.tmp', 'console-screenshots'));
const TOKENS = { user: 'u'.repeat(40), support: 's'.repeat(40), system: 'y'.repeat(40), auditor: 'a'.repeat(40) };
const CLIENTS = [
  { id: 'job-board', roles: ['user'], tokens: [TOKENS.user] },
  { id: 'support-console', roles: ['support'], tokens: [TOKENS.support] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.system] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.auditor] },
];
const STAFF_ID = 'staff-sato';

jest.setTimeout(60_000);

describe('the support console at /console', () => {
  let consoleDir: string;
  let service: TestService;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const pageErrors: string[] = [];
  /** The wallet whose credits another writer wins every race for, while set: the credit process parks them. */
  let contendedWallet: string | null = null;
  /** When this run began: every screenshot the documentation shows must be newer. */
  const startedAt = Date.now();

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    consoleDir = mkdtempSync(join(tmpdir(), 'console-build-'));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(ROOT, 'apps/console/vite.config.mts'), '--outDir', consoleDir], { cwd: ROOT, stdio: 'pipe' });
    service = await TestService.start({ env: { API_CLIENTS: JSON.stringify(CLIENTS), CONSOLE_DIR: consoleDir }, tokens: TOKENS, clock: '2026-12-01T01:00:00.000Z' });
    const store = service.app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      if (streamId === contendedWallet && events.some((event) => event.type === 'WalletCredited')) {
        throw new WrongExpectedRevisionError(streamId, expected, typeof expected === 'number' ? expected + 1 : 0);
      }
      return append(streamId, events, expected);
    };
    await service.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`;
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  // Whatever a test drove, the page itself threw nothing.
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const text = async (selector: string) => {
    const locator = page.locator(selector).first();
    await locator.waitFor();
    return (await locator.textContent())?.trim() ?? '';
  };
  /** Waits until the element's text satisfies the predicate, and answers it. */
  const textUntil = async (selector: string, predicate: (value: string) => boolean) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await text(selector);
      if (predicate(value)) return value;
      if (Date.now() > deadline) throw new Error(`${selector}: "${value}" never matched`);
      await page.waitForTimeout(25);
    }
  };
  const go = async (hash: string) => {
    const url = `${origin}/console/${hash}`;
    // Going to the page already shown changes nothing (not even the hash): it is read again instead.
    if (page.url() === url) await page.reload();
    else await page.goto(url);
  };

  /** A payout whose wallet credit is parked while another writer contends for the wallet; the contention then ends. */
  const parkedCredit = async (): Promise<number> => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    contendedWallet = `wallet-${contract.worker.id}`;
    await payOut(service, contract, 0);
    try {
      for (let attempt = 0; attempt < 200; attempt++) {
        const page = (await service.get('/v1/processors/parked?reactor=wallet-credits&limit=500').expect(200)).body.data as { parkedId: number; event: { streamId: string } }[];
        const parked = page.find((item) => item.event.streamId === `contract-${contract.contractId}`);
        if (parked) return parked.parkedId;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the contended credit was not parked');
    } finally {
      contendedWallet = null;
    }
  };

  it('serves the page without a token, with a strict content security policy and no secret in it', async () => {
    const answer = await fetch(`${origin}/console/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await answer.text();
    expect(html).toContain('/console/assets/');
    expect(html).not.toContain(TOKENS.support);
    const redirect = await fetch(`${origin}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    // The API it calls is not opened by it: without the token a read is still refused.
    expect((await fetch(`${origin}/v1/support/queues`, { headers: { 'x-actor-id': STAFF_ID, 'x-actor-role': 'support' } })).status).toBe(401);
  });

  it('signs in with the support client token and the staff id, in Japanese by default and in English on request', async () => {
    await go('');
    expect(await text('h1')).toBe('サインイン');
    await page.click('[data-action=language]');
    expect(await text('h1')).toBe('Sign in');
    await screenshot('sign-in');
    await page.click('[data-action=language]');
    await page.fill('input[name=token]', TOKENS.support);
    await page.fill('input[name=staffId]', STAFF_ID);
    await page.click('button[type=submit]');
    expect(await text('h1')).toBe('契約検索');
    expect(await text('nav')).toContain('キュー');
    expect(await page.evaluate('sessionStorage.getItem("console.session")')).toContain(STAFF_ID);
    // The rest of the file works in English, which the screenshots show (Chromium here has no Japanese font).
    await page.click('[data-action=language]');
    expect(await text('h1')).toBe('Contract search');
  });

  it('finds a contract by party, opens it and steps through its timeline as the escrow fills and the fee is charged', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [45_455, 27_273]);
    await payOut(service, contract, 0);

    await go('#/search');
    await page.fill('input[name=partyId]', clientId);
    await page.click('[data-action=search]');
    await page.locator(`[data-contract="${contract.contractId}"]`).waitFor();
    expect(await page.locator('table.results tbody tr').count()).toBe(1);
    await screenshot('search');
    await page.click(`[data-contract="${contract.contractId}"]`);

    // Offered, accepted, two prepayments, delivered, inspected, paid out.
    await textUntil('[data-step]', (value) => value === 'Step 7 of 7');
    await page.click('[data-action=first]');
    expect(await text('[data-event-type]')).toBe('ContractOffered');
    expect(await text('[data-actor]')).toBe(`${clientId} (user)`);
    expect(await text('[data-calling-service]')).toBe('job-board');
    expect(await text('[data-total=inEscrow]')).toBe('¥0');

    const seen: { type: string; inEscrow: string; fee: string; net: string }[] = [];
    for (let step = 0; step < 7; step++) {
      seen.push({ type: await text('[data-event-type]'), inEscrow: await text('[data-total=inEscrow]'), fee: await text('[data-total=fee]'), net: await text('[data-total=net]') });
      if (step < 6) await page.click('[data-action=next]');
    }
    expect(seen).toEqual([
      { type: 'ContractOffered', inEscrow: '¥0', fee: '¥0', net: '¥0' },
      { type: 'ContractAccepted', inEscrow: '¥0', fee: '¥0', net: '¥0' },
      { type: 'EscrowFunded', inEscrow: '¥50,000', fee: '¥0', net: '¥0' },
      { type: 'EscrowFunded', inEscrow: '¥80,000', fee: '¥0', net: '¥0' },
      { type: 'MilestoneDelivered', inEscrow: '¥80,000', fee: '¥0', net: '¥0' },
      { type: 'MilestoneInspected', inEscrow: '¥80,000', fee: '¥0', net: '¥0' },
      // ¥50,000 paid out: a fee of 20% (¥10,000) plus its 10% tax.
      { type: 'MilestonePaidOut', inEscrow: '¥30,000', fee: '¥11,000', net: '¥39,000' },
    ]);
    expect(await text('[data-actor]')).toBe('settlement (system)');
    expect(await page.locator('table.postings tbody tr').count()).toBeGreaterThan(1);
    await screenshot('contract-timeline');
    await page.click('[data-action=previous]');
    expect(await text('[data-total=fee]')).toBe('¥0');
  });

  it('terminates with a split after showing the fee and net the split implies, as the domain charges them', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [45_455, 27_273]);
    await go(`#/contracts/${contract.contractId}`);
    await page.locator(`[data-split="${contract.milestoneIds[0]}"]`).waitFor();
    expect(await page.locator('[data-action=terminate]').isDisabled()).toBe(true);
    await page.fill('.terminate input[name=reason]', 'Agreed with both parties: part of the first milestone');
    await page.fill(`[data-split="${contract.milestoneIds[0]}"]`, '30000');
    await page.click('[data-action=preview]');

    const expected = payoutFee(getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)!, '0.10', 0, 30_000);
    expect(await text('[data-preview=fee]')).toBe(`¥${expected.fee.toLocaleString('ja-JP')}`);
    expect(await text('[data-preview=net]')).toBe(`¥${expected.net.toLocaleString('ja-JP')}`);
    // ¥20,000 of the first milestone and all ¥30,000 of the second go back to the client.
    expect(await text('[data-preview=refund]')).toBe('¥50,000');
    await screenshot('termination-split');
    await page.click('[data-action=terminate]');

    await textUntil('.contract .meta', (value) => value.includes('terminated'));
    const history = (await service.get(`/v1/contracts/${contract.contractId}/history`).expect(200)).body;
    expect(history.money.totals).toMatchObject({ paidOut: 30_000, fee: expected.fee, net: expected.net, refunded: 50_000, inEscrow: 0 });
    const terminated = history.events.find((event: { type: string }) => event.type === 'ContractTerminated');
    expect(terminated).toMatchObject({ actor: { id: STAFF_ID, role: 'support' }, callingService: 'support-console' });
    expect(terminated.idempotencyKey).toMatch(/^console-[0-9a-f]{32}$/);
  });

  it('works the queues: approves a contact reminder, approves and rejects flagged withdrawals, retries a parked event, and shows a refusal with its message', async () => {
    const world = new World(service);
    const reminded = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    await service.post(`/v1/contracts/${reminded.contractId}/milestones/${reminded.milestoneIds[0]}/deliver`, reminded.worker, { deliverables: [{ uri: 'https://files.example.com/part.zip' }] }).expect(200);
    await service.post(`/v1/contracts/${reminded.contractId}/contact-reminders`, reminded.worker, { message: 'No word from the client since delivery' }).expect(201);
    const approved = await world.withdrawalInReview();
    const rejected = await world.withdrawalInReview();
    const parkedId = await parkedCredit();

    await go('#/queues');
    const reminderRow = page.locator('[data-queue=contactReminders] tr', { has: page.locator(`[data-contract="${reminded.contractId}"]`) });
    const approvedRow = page.locator('[data-queue=withdrawalReviews] tr', { has: page.locator(`[data-withdrawal="${approved.withdrawalId}"]`) });
    const rejectedRow = page.locator('[data-queue=withdrawalReviews] tr', { has: page.locator(`[data-withdrawal="${rejected.withdrawalId}"]`) });
    const parkedRow = page.locator('[data-queue=parkedEvents] tbody tr').filter({ has: page.locator(`td:first-child:text-is("${parkedId}")`) });
    await reminderRow.waitFor();
    await approvedRow.waitFor();
    await parkedRow.waitFor();
    await screenshot('queues');

    // A refusal: a review decision needs its reason; the service's message is shown and nothing is decided.
    await rejectedRow.locator('[data-action=reject-withdrawal]').click();
    const refusal = await textUntil(`[data-queue=withdrawalReviews] tr:has([data-withdrawal="${rejected.withdrawalId}"]) .outcome`, (value) => value.startsWith('Refused:'));
    expect(refusal).toContain('reason');
    await screenshot('refusal');
    expect((await service.get(`/v1/withdrawals/${rejected.withdrawalId}`).expect(200)).body.status).toBe('in_review');

    await reminderRow.locator('input[name=reminder-reason]').fill('Reminding the client');
    await reminderRow.locator('[data-action=approve-reminder]').click();
    await reminderRow.waitFor({ state: 'detached' });
    const reminder = (await service.get(`/v1/contracts/${reminded.contractId}`).expect(200)).body.contactReminders[0];
    expect(reminder).toMatchObject({ status: 'approved', decidedBy: STAFF_ID });

    await approvedRow.locator('input[name=review-reason]').fill('Identity documents checked');
    await approvedRow.locator('[data-action=approve-withdrawal]').click();
    await approvedRow.waitFor({ state: 'detached' });
    await rejectedRow.locator('input[name=review-reason]').fill('Account holder does not match');
    await rejectedRow.locator('[data-action=reject-withdrawal]').click();
    await rejectedRow.waitFor({ state: 'detached' });
    expect((await service.get(`/v1/withdrawals/${approved.withdrawalId}`).expect(200)).body).toMatchObject({ status: 'scheduled', reviewSteps: [{ action: 'approved', reviewerId: STAFF_ID }] });
    expect((await service.get(`/v1/withdrawals/${rejected.withdrawalId}`).expect(200)).body).toMatchObject({ status: 'rejected', reviewSteps: [{ action: 'rejected', reviewerId: STAFF_ID, reason: 'Account holder does not match' }] });

    await parkedRow.locator('[data-action=retry]').click();
    await parkedRow.waitFor({ state: 'detached' });
    const parked = (await service.get('/v1/processors/parked?reactor=wallet-credits&status=all&limit=500').expect(200)).body.data.find((item: { parkedId: number }) => item.parkedId === parkedId);
    expect(parked).toMatchObject({ status: 'resolved', resolvedBy: { id: STAFF_ID, role: 'support' } });

    // The account page of the reviewed owner: wallet, the withdrawal with its review, and closure eligibility.
    await go(`#/accounts/${approved.accountId}`);
    await textUntil('[data-closure]', (value) => value.length > 0);
    expect(await page.locator('table', { hasText: approved.withdrawalId }).locator('li').first().textContent()).toContain(`approved (${STAFF_ID})`);
    await screenshot('account');
  });
  it('denies a contact reminder and asks for information on a withdrawal, showing markup people wrote as text on every page', async () => {
    // Were any of it read as HTML, the page would hold an img element (the policy would only stop its handler).
    const markup = '<img src=x onerror="document.body.dataset.injected=1">';
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const client = { id: clientId, role: 'user' as const };
    const worker = { id: workerId, role: 'user' as const };
    const offered = await service
      .post('/v1/contracts', client, { clientId, workerId, title: `Logo ${markup}`, milestones: [{ title: `Draft ${markup}`, amount: 10_000, dueDate: '2026-12-31' }] })
      .expect(201);
    const contractId: string = offered.body.contractId;
    const milestoneId: string = offered.body.milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/accept`, worker, {}).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' }).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`/v1/contracts/${contractId}/contact-reminders`, worker, { message: `Please answer ${markup}` }).expect(201);
    const asked = await new World(service).withdrawalInReview();
    const noMarkupRendered = async () => {
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate('document.body.dataset.injected ?? null')).toBeNull();
    };

    await go('#/search');
    await page.fill('input[name=partyId]', clientId);
    await page.click('[data-action=search]');
    const found = page.locator('table.results tbody tr', { has: page.locator(`[data-contract="${contractId}"]`) });
    await found.waitFor();
    expect(await found.textContent()).toContain(`Logo ${markup}`);
    await noMarkupRendered();

    await go(`#/contracts/${contractId}`);
    expect(await text('h1')).toBe(`Contract: Logo ${markup}`);
    expect(await page.locator('main').textContent()).toContain(`Draft ${markup}`);
    await noMarkupRendered();

    await go('#/queues');
    const reminderRow = page.locator('[data-queue=contactReminders] tr', { has: page.locator(`[data-contract="${contractId}"]`) });
    const reviewRow = page.locator('[data-queue=withdrawalReviews] tr', { has: page.locator(`[data-withdrawal="${asked.withdrawalId}"]`) });
    await reminderRow.waitFor();
    expect(await reminderRow.textContent()).toContain(`Please answer ${markup}`);
    await noMarkupRendered();
    await reminderRow.locator('input[name=reminder-reason]').fill(`The client answered by phone ${markup}`);
    await reminderRow.locator('[data-action=deny-reminder]').click();
    await reminderRow.waitFor({ state: 'detached' });
    expect((await service.get(`/v1/contracts/${contractId}`).expect(200)).body.contactReminders[0]).toMatchObject({ status: 'denied', decidedBy: STAFF_ID });

    await reviewRow.locator('input[name=review-reason]').fill(`Send the delivery messages ${markup}`);
    await reviewRow.locator('[data-action=request-info]').click();
    // The withdrawal stays in review (and in the queue): the service is asked until the step is recorded.
    let withdrawal = (await service.get(`/v1/withdrawals/${asked.withdrawalId}`).expect(200)).body;
    for (let attempt = 0; attempt < 200 && withdrawal.reviewSteps.length === 0; attempt++) {
      await page.waitForTimeout(25);
      withdrawal = (await service.get(`/v1/withdrawals/${asked.withdrawalId}`).expect(200)).body;
    }
    expect(withdrawal).toMatchObject({ status: 'in_review', reviewSteps: [{ action: 'info_requested', reviewerId: STAFF_ID, reason: `Send the delivery messages ${markup}` }] });

    await go(`#/accounts/${asked.accountId}`);
    await textUntil('[data-closure]', (value) => value.length > 0);
    expect(await page.locator('table', { hasText: asked.withdrawalId }).locator('li').first().textContent()).toContain(`info_requested (${STAFF_ID}): Send the delivery messages ${markup}`);
    await noMarkupRendered();
  });

  it('sends an action once however often its button is pressed: one request, or the same Idempotency-Key on each', async () => {
    const pressed = await new World(service).withdrawalInReview();
    const sent: (string | undefined)[] = [];
    const record = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (request.method() === 'POST' && request.url().endsWith(`/v1/withdrawals/${pressed.withdrawalId}/approve`)) sent.push(request.headers()['idempotency-key']);
    };
    page.on('request', record);
    try {
      await go('#/queues');
      const row = page.locator('[data-queue=withdrawalReviews] tr', { has: page.locator(`[data-withdrawal="${pressed.withdrawalId}"]`) });
      await row.locator('input[name=review-reason]').fill('Checked twice over');
      await row.locator('[data-action=approve-withdrawal]').dblclick();
      await row.waitFor({ state: 'detached' });
    } finally {
      page.off('request', record);
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent).size).toBe(1);
    expect(sent[0]).toMatch(/^console-[0-9a-f]{32}$/);
    expect((await service.get(`/v1/withdrawals/${pressed.withdrawalId}`).expect(200)).body.reviewSteps).toEqual([expect.objectContaining({ action: 'approved', reviewerId: STAFF_ID })]);
  });

  // Last of the file: it moves the service's clock eight days on.
  it('inspects a delivery the client left silent for a week, with the reason support gives', async () => {
    const silent = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    await service.post(`/v1/contracts/${silent.contractId}/milestones/${silent.milestoneIds[0]}/deliver`, silent.worker, { deliverables: [{ uri: 'https://files.example.com/part.zip' }] }).expect(200);
    service.clock.advance('P8D');

    await go('#/queues');
    const row = page.locator('[data-queue=silentDeliveries] tr', { has: page.locator(`[data-contract="${silent.contractId}"]`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('silent for 8 days');
    await row.locator('input[name=inspect-reason]').fill('Client silent for 8 days after delivery');
    await row.locator('[data-action=inspect]').click();
    await row.waitFor({ state: 'detached' });
    const history = (await service.get(`/v1/contracts/${silent.contractId}/history`).expect(200)).body;
    expect(history.events.at(-1)).toMatchObject({ type: 'MilestoneInspected', actor: { id: STAFF_ID, role: 'support' }, callingService: 'support-console' });
  });

  it('opens a task by its id and steps through its history as the prepayment lands and an approved submission is paid', async () => {
    const { taskId, client } = await postedTask(service, { slots: 3, unitPrice: 1_000 });
    const { submissionId } = await submitted(service, taskId, user(uniqueId('task-worker')));
    await service.post(`/v1/tasks/${taskId}/submissions/${submissionId}/approve`, client).expect(200);

    await go('#/search');
    await page.selectOption('[data-form=open-by-id] select[name=format]', 'task');
    await page.fill('[data-form=open-by-id] input[name=id]', taskId);
    await page.click('[data-action=open]');
    expect(await text('h1')).toBe('Task: Label photos');
    await textUntil('[data-step]', (value) => value === 'Step 4 of 4');
    await page.click('[data-action=first]');
    const seen: { type: string; inEscrow: string; fee: string; net: string }[] = [];
    for (let step = 0; step < 4; step++) {
      seen.push({ type: await text('[data-event-type]'), inEscrow: await text('[data-total=inEscrow]'), fee: await text('[data-total=fee]'), net: await text('[data-total=net]') });
      if (step < 3) await page.click('[data-action=next]');
    }
    // ¥3,000 prepaid for three slots; the approved one is paid ¥1,000 minus 20% (¥200) and its 10% tax.
    expect(seen.map((step) => [step.inEscrow, step.fee, step.net])).toEqual([
      ['¥0', '¥0', '¥0'],
      ['¥3,000', '¥0', '¥0'],
      ['¥3,000', '¥0', '¥0'],
      ['¥2,000', '¥220', '¥780'],
    ]);
    expect(seen.at(-1)!.type).toBe('TaskSubmissionApproved');
    expect(await text('[data-actor]')).toBe(`${client.id} (user)`);
    expect(await page.locator('table.postings tbody tr').count()).toBe(4);
    await screenshot('work-timeline');
  });

  it('has saved a screenshot of every page in this run, for the documentation', () => {
    const pages = ['sign-in', 'search', 'contract-timeline', 'termination-split', 'queues', 'refusal', 'account', 'work-timeline'];
    const saved = pages.filter((name) => {
      try {
        const file = statSync(join(SCREENSHOTS, `${name}.png`));
        return file.size > 0 && file.mtimeMs >= startedAt - 1_000;
      } catch {
        return false;
      }
    });
    expect(saved).toEqual(pages);
  });
});
