import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import { OpenApiResponseValidator, type ObservedResponse, type OpenApiDocument } from './response-validator';

/** Where each test file leaves its tally for the run's summary (set by the e2e global setup). */
export const TALLY_DIR_VARIABLE = 'OPENAPI_TALLY_DIR';

export interface Tally {
  validated: number;
  /** Responses to paths the document does not have: deliberately bad URLs, /docs. */
  undocumentedPaths: number;
}

const tally: Tally = { validated: 0, undocumentedPaths: 0 };
let validator: OpenApiResponseValidator | undefined;

/** The committed document, which the document spec keeps equal to the one the service serves. */
function documentValidator(): OpenApiResponseValidator {
  validator ??= new OpenApiResponseValidator(
    JSON.parse(readFileSync(join(__dirname, '../../../../docs/openapi.json'), 'utf8')) as OpenApiDocument,
  );
  return validator;
}

/** An error naming the operation and every way the response differs from what the document says. */
export class ContractViolation extends Error {
  constructor(method: string, url: string, status: number, operation: string, problems: string[]) {
    super(`${method} ${url} answered ${status}, which the OpenAPI document does not allow (${operation}):\n  ${problems.join('\n  ')}`);
    this.name = 'ContractViolation';
  }
}

/** Checks a response against the document; a violation comes back as the error the request fails with. */
export function checkResponse(observed: ObservedResponse): ContractViolation | undefined {
  const path = observed.url.split('?')[0];
  const verdict = documentValidator().check({ ...observed, url: path });
  if (verdict.kind === 'undocumented-path') tally.undocumentedPaths += 1;
  else if (verdict.kind === 'validated') tally.validated += 1;
  else return new ContractViolation(observed.method, path, observed.status, verdict.operation, verdict.problems);
  return undefined;
}

/** JSON bodies parsed; others (an event stream, the metrics text) as the text they are. */
const isJson = (contentType: string | null | undefined) => /[/+]json\b/.test(contentType ?? '');

/** A supertest response as the validator reads it. */
const observedOf = (test: request.Test, response: request.Response): ObservedResponse => ({
  method: test.method,
  url: new URL(test.url).pathname,
  status: response.status,
  headers: response.headers as Record<string, string | undefined>,
  body: isJson(response.headers['content-type']) ? response.body : response.text,
});

/** A fetch whose every response is checked: a violation rejects the call (for clients built on fetch). */
export const checkedFetch = async (input: Request): Promise<Response> => {
  const response = await fetch(input);
  const text = await response.clone().text();
  const violation = checkResponse({
    method: input.method,
    url: new URL(input.url).pathname,
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: isJson(response.headers.get('content-type')) && text !== '' ? JSON.parse(text) : text,
  });
  if (violation) throw violation;
  return response;
};

/** Makes every response of `test` checked: `await`, `.expect(...)` and `.end(...)` fail on a violation. */
export function validated(test: request.Test): request.Test {
  const end = test.end.bind(test);
  test.end = (callback?: request.CallbackHandler) =>
    end((error: unknown, response: request.Response) => {
      const violation = response ? checkResponse(observedOf(test, response)) : undefined;
      callback?.call(test, error ?? violation ?? null, response);
    });
  return test;
}

/** Writes this test file's tally where the global teardown sums them. */
export function saveTally(): void {
  const dir = process.env[TALLY_DIR_VARIABLE];
  if (!dir || tally.validated + tally.undocumentedPaths === 0) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`), JSON.stringify(tally));
}
