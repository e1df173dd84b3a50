import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../..');

/** The bash block of the README's walk-through, as a reader copies it. */
function walkThrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf("## One contract, all the way to the worker's bank"));
  const block = /```bash\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('The README has no bash block under its walk-through');
  return block[1];
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

describe("the README's walk-through, run as written", () => {
  let output = '';
  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const port = await freePort();
    const run = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', walkThrough()], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
    output = run.stdout;
  }, 240_000);

  it('gets the answer it expects to every request', () => {
    const statuses = [...output.matchAll(/^ {3}(GET|POST) (\S+) → (\d{3})$/gm)].map((match) => `${match[1]} ${match[3]}`);
    expect(statuses.length).toBeGreaterThanOrEqual(17);
    expect(statuses.filter((status) => !/ 20[01]$/.test(status))).toEqual([]);
  });

  it('shows the money as the spec gives it: ¥11,000 gross, ¥2,420 fee, ¥8,580 to the worker, ¥8,480 to the bank, books balanced', () => {
    expect(output).toContain('"payout":{"gross":11000,"feeExTax":2200,"feeTax":220,"fee":2420,"net":8580}');
    expect(output).toMatch(/"status":"in_review","reasons":\["FAST_COMPLETION"\],"fee":100,"netAmount":8480/);
    expect(output).toContain('"status":"paid","netAmount":8480,"available":0');
    expect(output).toMatch(/"balanced":true/);
    expect(output).toMatch(/"bank-payouts":8480,"escrow:…":0,"fee-revenue":2200,"fee-tax-payable":220/);
    expect(output).toMatch(/ContractCompleted +system\/settlement/);
  });
});
