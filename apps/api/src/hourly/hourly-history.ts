import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { evolveHourly, type HourlyContractView, type HourlyEvent, hourlyContractView, hourlyStreamId, initialHourlyState } from '@escrow/domain/hourly';
import type { FormatFold, FormatHistory } from '@escrow/projections/format-history/format-history';
import { CommandExecutor } from '../commands/command-executor';
import { readFormatHistory } from '../formats/format-history';
import { hourlyContractNotFound } from './hourly-commands';

/** How the history folds an hourly contract's stream: the domain's own evolve and view. */
export const HOURLY_FOLD: FormatFold<ReturnType<typeof initialHourlyState>, HourlyContractView> = {
  format: 'hourly',
  initialState: initialHourlyState,
  evolve: (state, event) => evolveHourly(state, event as HourlyEvent),
  view: hourlyContractView,
};

export class GetHourlyHistoryQuery {
  constructor(
    readonly contractId: string,
    readonly asOf: string | undefined,
  ) {}
}

@QueryHandler(GetHourlyHistoryQuery)
export class GetHourlyHistoryQueryHandler implements IQueryHandler<GetHourlyHistoryQuery, FormatHistory<HourlyContractView>> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ contractId, asOf }: GetHourlyHistoryQuery): Promise<FormatHistory<HourlyContractView>> {
    return readFormatHistory(this.executor, {
      fold: HOURLY_FOLD,
      streamId: hourlyStreamId(contractId),
      id: contractId,
      ...(asOf !== undefined ? { asOf } : {}),
      notFound: () => hourlyContractNotFound(contractId),
    });
  }
}
