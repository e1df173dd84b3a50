import type { ProjectionStatus } from '@escrow/projections/projection';
import { BooleanField, CountField, EnumField, InstantField, PositionField, TextField } from '../http/openapi/response-fields';
import type { ProcessStatus } from './projections.controller';

type ProcessFields = ProjectionStatus & { kind: ProcessStatus['kind']; failures: number; lastError: string | null };

/** A projection or a reactor: the fields both have, and those of each kind (present on that kind only). */
export class ProcessStatusSchema implements ProcessFields {
  @EnumField(['projection', 'reactor']) kind!: ProcessStatus['kind'];
  @TextField() name!: string;
  @PositionField({ minimum: 1 }) version!: number;
  @PositionField({ description: 'Global position of the last event applied' }) position!: number;
  @PositionField({ description: 'Head of the log when the status was taken' }) headPosition!: number;
  @CountField({ description: 'Events behind the head' }) lag!: number;
  @InstantField({ nullable: true }) updatedAt!: string | null;
  @CountField({ description: 'Attempts failed in a row; 0 while it keeps up' }) failures!: number;
  @TextField({ nullable: true }) lastError!: string | null;
  @InstantField({ optional: true, nullable: true, description: 'Projections: since when it fails' }) failingSince?: string | null;
  @CountField({ optional: true, description: 'Reactors: events parked and not resolved yet' }) parked?: number;
  @BooleanField({ optional: true, description: 'Reactors: whether it runs in this process' }) running?: boolean;
}
