import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumExecutable } from './chromium';
import { TestService } from './harness';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * How /console serves its folder, without a browser: a stand-in build (an index and an asset) in a folder whose
 * parent holds a file that must never be reached, and a dotfile inside it. Paths are sent as written, byte for byte,
 * so that `..` and its encodings reach the server unresolved.
 */
describe('the console page as files', () => {
  let root: string;
  let service: TestService;
  let port: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'console-files-'));
    const consoleDir = join(root, 'console');
    mkdirSync(join(consoleDir, 'assets'), { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/main.js"></script>');
    writeFileSync(join(consoleDir, 'assets', 'main.js'), 'export {};');
    writeFileSync(join(consoleDir, '.env'), 'NOT-FOR-THE-BROWSER');
    writeFileSync(join(root, 'outside.txt'), 'OUTSIDE-THE-CONSOLE');
    service = await TestService.start({ env: { CONSOLE_DIR: consoleDir } });
    await service.app.listen(0, '127.0.0.1');
    port = (service.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await service?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const send = (path: string, method = 'GET') =>
    new Promise<Answer>((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, path, method }, (answer) => {
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (body += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body }));
      });
      sent.on('error', reject);
      sent.end();
    });

  it('serves its files with a strict policy, no sniffing, and revalidation on every load', async () => {
    for (const path of ['/console/', '/console/index.html', '/console/assets/main.js']) {
      const answer = await send(path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      // A new build is picked up at once: the browser always asks again (and gets a 304 when nothing changed).
      expect(answer.headers['cache-control']).toBe('no-cache');
    }
    expect((await send('/console/assets/main.js')).headers['content-type']).toMatch(/^(text|application)\/javascript/);
  });

  it('never serves a file outside its folder, however the path is spelt', async () => {
    const attempts = [
      '/console/../outside.txt',
      '/console/assets/../../outside.txt',
      '/console/%2e%2e/outside.txt',
      '/console/%2E%2E/outside.txt',
      '/console/..%2foutside.txt',
      '/console/%2e%2e%2foutside.txt',
      '/console/%252e%252e/outside.txt',
      '/console/..%5coutside.txt',
      '/console/..\\outside.txt',
      '/console/%2e%2e%5coutside.txt',
      '/console/..%00/outside.txt',
      '/console/index.html%00.txt',
      '/console//' + join(root, 'outside.txt'),
      '/console/' + encodeURIComponent(join(root, 'outside.txt')),
    ];
    for (const path of attempts) {
      const answer = await send(path);
      expect({ path, refused: [400, 403, 404].includes(answer.status) }).toEqual({ path, refused: true });
      expect(answer.body).not.toContain('OUTSIDE-THE-CONSOLE');
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers a file it does not have with a 404 problem, a dotfile included, and another method with a 405', async () => {
    for (const path of ['/console/missing.js', '/console/assets/missing.css', '/console/contracts/x', '/console/.env']) {
      const answer = await send(path);
      expect({ path, status: answer.status, code: JSON.parse(answer.body).code }).toEqual({ path, status: 404, code: 'ROUTE_NOT_FOUND' });
      expect(answer.body).not.toContain('NOT-FOR-THE-BROWSER');
    }
    expect((await send('/console/missing.js', 'HEAD')).status).toBe(404);
    const posted = await send('/console/index.html', 'POST');
    expect(posted.status).toBe(405);
    expect(posted.headers.allow).toBe('GET, HEAD');
  });

  it("says how to install Chromium when the browser tests cannot find it", () => {
    const missing = join(root, 'no-chromium-here');
    expect(() => chromiumExecutable({ CHROMIUM_PATH: missing })).toThrow(
      `Chromium is missing at ${missing}: the console's browser tests need it. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
    expect(chromiumExecutable({ CHROMIUM_PATH: join(root, 'console', 'index.html') })).toBe(join(root, 'console', 'index.html'));
  });
});
