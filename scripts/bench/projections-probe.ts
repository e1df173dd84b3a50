/** What the benchmark learns from the service's read models: whether they exist, how to probe their lag, when they caught up. */

import { setTimeout as sleep } from 'node:timers/promises';
import type { LagProbe } from './driver';
import { KeepAliveClient } from './http-client';
import { twoDecimals } from './stats';

// ── projections, where the service has them ─────────────────────────────────────────────────────

export interface ProjectionsAvailability {
  statusAvailable: boolean;
  probe: LagProbe | null;
  /** Why projection lag cannot be measured, when it cannot. */
  lagUnavailable: string | null;
}

const KNOWN_PLACEHOLDERS = new Set(['contractId', 'clientId', 'workerId', 'userId', 'milestoneId']);

/** The GET routes taking a `minPosition` query parameter, best first: one about the contract just changed. */
function minPositionRoutes(openApi: { paths?: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }): string[] {
  const candidates: string[] = [];
  for (const [path, operations] of Object.entries(openApi.paths ?? {})) {
    const parameters = operations.get?.parameters ?? [];
    if (!parameters.some((parameter) => parameter.name === 'minPosition' && parameter.in === 'query')) continue;
    const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    if (placeholders.every((name) => KNOWN_PLACEHOLDERS.has(name))) candidates.push(path);
  }
  const rank = (path: string) => (path.includes('{contractId}') ? 0 : path.includes('{') ? 2 : 1);
  return candidates.sort((a, b) => rank(a) - rank(b) || a.length - b.length);
}

/** Positions of every projection from GET /v1/projections, whichever of the plausible shapes it answers in. */
function projectionPositions(body: unknown): number[] | undefined {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null
      ? Object.values(body as Record<string, unknown>).find((value) => Array.isArray(value))
      : undefined;
  if (!Array.isArray(list)) return undefined;
  const positions = list
    .filter((item): item is { position: number; kind?: string } => typeof item === 'object' && item !== null && typeof (item as { position?: unknown }).position === 'number')
    .filter((item) => item.kind === undefined || item.kind === 'projection')
    .map((item) => item.position);
  return positions.length > 0 ? positions : undefined;
}

export async function discoverProjections(client: KeepAliveClient, auth: Record<string, string>): Promise<ProjectionsAvailability> {
  const status = await client.request('GET', '/v1/projections', auth);
  const statusAvailable = status.status === 200;
  const openApi = await client.request('GET', '/openapi.json', auth);
  const routes = openApi.status === 200 ? minPositionRoutes(JSON.parse(openApi.body) as Parameters<typeof minPositionRoutes>[0]) : [];
  if (routes.length > 0) return { statusAvailable, probe: { pathTemplate: routes[0] }, lagUnavailable: null };
  return {
    statusAvailable,
    probe: null,
    lagUnavailable: statusAvailable
      ? 'GET /v1/projections answers, but no GET route documents a minPosition query parameter'
      : `the service has no projections yet (GET /v1/projections answered ${status.status}) and no route takes minPosition`,
  };
}

export async function headPosition(client: KeepAliveClient, auth: Record<string, string>): Promise<number> {
  const response = await client.request('GET', '/v1/audit/events?after=0&limit=1', auth);
  if (response.status !== 200) throw new Error(`GET /v1/audit/events answered ${response.status}: ${response.body.slice(0, 200)}`);
  return (JSON.parse(response.body) as { headPosition: number }).headPosition;
}

/** Waits until every projection reached the head, so that catch-up of a preloaded log is not measured as load. */
export async function waitForProjections(client: KeepAliveClient, auth: Record<string, string>, timeoutMs: number): Promise<number | null> {
  const startedAt = performance.now();
  const head = await headPosition(client, auth);
  while (performance.now() - startedAt < timeoutMs) {
    const response = await client.request('GET', '/v1/projections', auth);
    const positions = response.status === 200 ? projectionPositions(JSON.parse(response.body)) : undefined;
    if (positions === undefined) return null;
    if (positions.every((position) => position >= head)) return twoDecimals((performance.now() - startedAt) / 1000);
    await sleep(200);
  }
  throw new Error(`the projections did not reach position ${head} within ${timeoutMs} ms`);
}
