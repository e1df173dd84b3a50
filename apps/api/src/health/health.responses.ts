import { EnumField, everyValueOf, FreeFormField } from '../http/openapi/response-fields';
import type { HealthAnswer } from './health.controller';

const HEALTH_STATUSES = everyValueOf<HealthAnswer['status']>()(['ok', 'warn', 'error', 'shutting_down']);

/**
 * GET /health: each part (eventStore, processors, readModels, idempotencyRecords) by name with its `status`
 * (`up` or `down`) and, for support, system and auditor callers, its figures.
 */
export class HealthAnswerSchema implements HealthAnswer {
  @EnumField(HEALTH_STATUSES) status!: HealthAnswer['status'];
  @FreeFormField({ optional: true, description: 'The parts that are up' }) info?: HealthAnswer['info'];
  @FreeFormField({ optional: true, description: 'The parts that are down' }) error?: HealthAnswer['error'];
  @FreeFormField({ description: 'Every part' }) details!: HealthAnswer['details'];
}

/** GET /health/live: the process answers. */
export class LivenessAnswerSchema {
  @EnumField(['ok']) status!: 'ok';
}
