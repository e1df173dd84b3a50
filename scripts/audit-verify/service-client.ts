/**
 * The service's audit routes, as an auditor's tool calls them: staff credentials on every request (a calling
 * service's bearer token and an actor with a staff role, see docs/security.md), hashes in lower-case hex.
 */

export interface ServiceCredentials {
  /** Base URL, e.g. http://localhost:3000. */
  url: string;
  /** The calling service's bearer token; absent for a service running open (development). */
  token?: string;
  actorId: string;
  actorRole: string;
}

export interface InclusionProofAnswer {
  leafIndex: number;
  leafHash: Buffer;
  auditPath: Buffer[];
}

/** Where the verifier gets inclusion proofs: the service, or a stand-in in tests. */
export interface InclusionProofSource {
  /** The proof of the event at `position` in the tree of `treeSize`; undefined when that tree holds no such position. */
  inclusionProof(position: number, treeSize: number): Promise<InclusionProofAnswer | undefined>;
}

export class ServiceError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the service answered. */
    readonly status?: number,
    /** The answer's body, when it was JSON. */
    readonly body?: unknown,
  ) {
    super(message);
  }

  /** Whether the service refused `field` for `rule` (a 400 problem naming them). */
  refused(field: string, rule: string): boolean {
    const errors = (this.body as { errors?: unknown } | undefined)?.errors;
    return this.status === 400 && Array.isArray(errors) && errors.some((error: { field?: unknown; rule?: unknown }) => error?.field === field && error?.rule === rule);
  }
}

const HEX_64 = /^[0-9a-f]{64}$/;

function hashes(value: unknown, what: string): Buffer[] {
  if (!Array.isArray(value) || value.length > 128 || !value.every((item) => typeof item === 'string' && HEX_64.test(item))) {
    throw new ServiceError(`the service's ${what} is not a list of at most 128 hashes in lower-case hex`);
  }
  return value.map((item: string) => Buffer.from(item, 'hex'));
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class AuditService implements InclusionProofSource {
  constructor(private readonly credentials: ServiceCredentials) {}

  private async get(path: string): Promise<Record<string, unknown>> {
    const url = new URL(path, this.credentials.url);
    const headers: Record<string, string> = { accept: 'application/json', 'x-actor-id': this.credentials.actorId, 'x-actor-role': this.credentials.actorRole };
    if (this.credentials.token !== undefined) headers.authorization = `Bearer ${this.credentials.token}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new ServiceError(`GET ${url}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) throw new ServiceError(`GET ${url}: ${response.status} ${text.slice(0, 500)}`, response.status, parseOrUndefined(text));
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new ServiceError(`GET ${url}: the answer is not a JSON object`);
  }

  async inclusionProof(position: number, treeSize: number): Promise<InclusionProofAnswer | undefined> {
    let body: Record<string, unknown>;
    try {
      body = await this.get(`/v1/audit/proofs/inclusion?position=${position}&treeSize=${treeSize}`);
    } catch (error) {
      // Not notarised at all, or notarised after the tree of that size (the tree would not hold it).
      if (error instanceof ServiceError && (error.refused('position', 'notarised') || error.refused('treeSize', 'min'))) return undefined;
      throw error;
    }
    if (typeof body.leafIndex !== 'number' || typeof body.leafHash !== 'string' || !HEX_64.test(body.leafHash)) {
      throw new ServiceError(`the inclusion proof of position ${position} has no leafIndex or leafHash`);
    }
    return { leafIndex: body.leafIndex, leafHash: Buffer.from(body.leafHash, 'hex'), auditPath: hashes(body.auditPath, 'auditPath') };
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    const body = await this.get(`/v1/audit/proofs/consistency?from=${from}&to=${to}`);
    return hashes(body.consistencyPath, 'consistencyPath');
  }
}
