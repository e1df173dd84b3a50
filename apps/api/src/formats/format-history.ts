import { asOfBreach } from '@escrow/projections/contract-history/contract-history';
import { type FormatFold, type FormatHistory, formatHistoryOf } from '@escrow/projections/format-history/format-history';
import type { CommandExecutor } from '../commands/command-executor';
import { badRequest } from '../http/problem';

/**
 * The history route of a format (`GET /v1/<format>/{id}/history?asOf=`): the stream read whole, a bad asOf a 400 naming
 * the field and rule, a stream with no events the format's own 404.
 */
export async function readFormatHistory<State, View>(
  executor: CommandExecutor,
  request: { fold: FormatFold<State, View>; streamId: string; id: string; asOf?: string; notFound: () => Error },
): Promise<FormatHistory<View>> {
  const recorded = await executor.history(request.streamId);
  if (recorded.length === 0) throw request.notFound();
  const breach = request.asOf === undefined ? undefined : asOfBreach(request.asOf);
  if (breach) throw badRequest([{ field: 'asOf', ...breach }]);
  return formatHistoryOf(request.fold, request.id, recorded, request.asOf);
}
