import type { JournalLine } from '@escrow/projections/ledger/journal.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { CountField, InstantField, PositionField, TextField, YenField } from '../http/openapi/response-fields';

export class JournalLineSchema implements JournalLine {
  @PositionField({ minimum: 1, description: 'Global position of the event posted; with line, the list order' }) position!: number;
  @CountField({ description: "The posting's index within its event, from 0" }) line!: number;
  @InstantField() recordedAt!: string;
  @InstantField({ description: 'When the fact happened (the command time)' }) occurredAt!: string;
  @TextField() eventId!: string;
  @TextField() eventType!: string;
  @TextField() streamId!: string;
  @TextField({ description: 'A fixed account name, or escrow: / wallet: and an id' }) account!: string;
  @YenField() debit!: number;
  @YenField() credit!: number;
  @YenField({ signed: true, description: "The account's balance right after this posting, on its normal side" }) balanceAfter!: number;
}

/** A page of the journal, with the positions the period resolved to. */
export class JournalPageSchema extends ListPageSchema(JournalLineSchema) {
  @PositionField({ description: 'The period starts after this position (from, resolved)' }) afterPosition!: number;
  @PositionField({ description: 'The period ends at this position, included (to, resolved; never beyond what the ledger has applied)' })
  throughPosition!: number;
  @TextField({ nullable: true, description: 'The from asked for, as given' }) from!: string | null;
  @TextField({ nullable: true, description: 'The to asked for, as given' }) to!: string | null;
}
