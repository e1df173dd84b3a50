import { createServer, Server } from 'node:http';
import { AuditService, ServiceError } from './service-client';

/** A stand-in for the service's inclusion route, answering what `answer` says for each position. */
function serve(answer: (position: number) => { status: number; body: unknown }): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const position = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('position'));
    const { status, body } = answer(position);
    response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' });
    response.end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const problem = (field: string, rule: string) => ({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field, rule, message: '…' }] } });

describe('the verifier\'s inclusion proofs from the service', () => {
  let server: Server;
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('takes a position the tree does not hold (not notarised, or after the tree) as no proof, and any other refusal as a failure', async () => {
    const answers: Record<number, { status: number; body: unknown }> = {
      7: { status: 200, body: { leafIndex: 3, leafHash: 'ab'.repeat(32), auditPath: ['cd'.repeat(32)], treeSize: 9 } },
      8: problem('position', 'notarised'),
      9: problem('treeSize', 'min'),
      10: problem('treeSize', 'max'),
      11: { status: 503, body: { code: 'NOTARY_UNAVAILABLE' } },
    };
    let url: string;
    ({ server, url } = await serve((position) => answers[position]));
    const service = new AuditService({ url, actorId: 'finance-1', actorRole: 'auditor' });
    expect(await service.inclusionProof(7, 9)).toEqual({ leafIndex: 3, leafHash: Buffer.from('ab'.repeat(32), 'hex'), auditPath: [Buffer.from('cd'.repeat(32), 'hex')] });
    expect(await service.inclusionProof(8, 9)).toBeUndefined();
    expect(await service.inclusionProof(9, 9)).toBeUndefined();
    await expect(service.inclusionProof(10, 9)).rejects.toThrow(ServiceError);
    await expect(service.inclusionProof(11, 9)).rejects.toThrow(/503/);
  });
});
