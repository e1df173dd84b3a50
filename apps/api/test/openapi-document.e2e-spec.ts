import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestService } from './harness';

describe('the OpenAPI document', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('is served at /openapi.json exactly as written to docs/openapi.json by the build (run `npm run build` after changing a route)', async () => {
    const served: unknown = (await service.http().get('/openapi.json').expect(200)).body;
    const written: unknown = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8'));
    expect(served).toEqual(written);
  });
});
