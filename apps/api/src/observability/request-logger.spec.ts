import { Writable } from 'node:stream';
import { createRootLogger } from './logging';
import { nestLoggerOver, runWithRequestLogger } from './request-logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, lines: () => text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the request-scoped logger', () => {
  it('gives a Nest message written while a request is handled, after an await too, the request id; none outside', async () => {
    const out = capture();
    const root = createRootLogger({ logLevel: 'info' }, out.stream);
    const nest = nestLoggerOver(root);
    await new Promise<void>((resolve) =>
      runWithRequestLogger(root, 'request-7', () => {
        void (async () => {
          await Promise.resolve();
          nest.warn('inside with {"accountNumber":"7654321"}', 'Payments');
          resolve();
        })();
      }),
    );
    nest.log('outside', 'Main');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'warn', reqId: 'request-7', context: 'Payments', msg: 'inside with {"accountNumber":"[REDACTED]"}' }),
      expect.objectContaining({ level: 'info', context: 'Main', msg: 'outside' }),
    ]);
    expect(out.lines()[1]).not.toHaveProperty('reqId');
  });

  it('makes no child logger for a request that writes nothing, nor for messages below the level', () => {
    const out = capture();
    const root = createRootLogger({ logLevel: 'warn' }, out.stream);
    const child = jest.spyOn(root, 'child');
    runWithRequestLogger(root, 'request-8', () => undefined);
    runWithRequestLogger(root, 'request-9', () => nestLoggerOver(root).log('below the level', 'Quiet'));
    expect(child).not.toHaveBeenCalled();
    expect(out.lines()).toEqual([]);
  });
});
