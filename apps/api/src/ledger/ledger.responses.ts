import type { NormalBalance } from '@escrow/projections/ledger/chart-of-accounts';
import type { AccountStatement, StatementLine } from '@escrow/projections/ledger/ledger.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { EnumField, InstantField, PositionField, TextField, YenField } from '../http/openapi/response-fields';

const NORMAL_BALANCES: readonly NormalBalance[] = ['debit', 'credit'];

export class StatementLineSchema implements StatementLine {
  @PositionField({ minimum: 1, description: 'Global position of the event posted: the list order' }) position!: number;
  @TextField() eventId!: string;
  @TextField() eventType!: string;
  @TextField() streamId!: string;
  @InstantField() occurredAt!: string;
  @InstantField() recordedAt!: string;
  @YenField() debit!: number;
  @YenField() credit!: number;
  @YenField({ signed: true, description: "The account's balance right after this posting, on its normal side" }) balance!: number;
}

/** A statement page: the postings, and the account's totals as of the statement's position. */
export class AccountStatementPageSchema
  extends ListPageSchema(StatementLineSchema)
  implements Omit<AccountStatement, 'postings' | 'nextAfter'>
{
  @TextField() account!: string;
  @EnumField(NORMAL_BALANCES) normalBalance!: NormalBalance;
  @PositionField({ description: 'Global position the statement is as of' }) position!: number;
  @YenField({ description: 'Total debits as of position' }) debits!: number;
  @YenField({ description: 'Total credits as of position' }) credits!: number;
  @YenField({ signed: true, description: 'Balance as of position, on the normal side' }) balance!: number;
  @YenField({ signed: true, description: 'Balance before the first posting of this page' }) openingBalance!: number;
  @TextField({ nullable: true, description: 'The asOf asked for, as given' }) asOf!: string | null;
}
