import { competitionStanding, competitionStreamId, type CompetitionState } from '@escrow/domain/competition';
import type { OtherWorkFormat, WorkStanding } from '@escrow/domain/escrow';
import type { DomainEvent } from '@escrow/domain/shared/decider';
import type { AggregateDefinition } from '../commands/aggregate';
import { TASK_WORK_CLOSURE } from '../tasks/task-closure';
import { competitionAggregate } from '../competitions/competition-commands';
import { type HourlyState, hourlyStanding, hourlyStreamId } from '@escrow/domain/hourly';
import { hourlyAggregate } from '../hourly/hourly-commands';

/**
 * How closure reads one format's works an account is party to (its party-contracts index names them by escrow id,
 * `<format>~<id>`): the format's aggregate and stream, the client whose escrow it holds, and whether it is still open
 * for the account on either side, as the format's rules say.
 */
export interface WorkClosure<State extends object = object> {
  aggregate: AggregateDefinition<never, State, DomainEvent>;
  streamId(id: string): string;
  clientOf(state: State): string;
  standing(state: State, accountId: string): WorkStanding;
}

export const WORK_CLOSURE: Partial<Record<OtherWorkFormat, WorkClosure>> = {
  task: TASK_WORK_CLOSURE as WorkClosure,
  competition: {
    aggregate: competitionAggregate as AggregateDefinition<never, CompetitionState, DomainEvent>,
    streamId: competitionStreamId,
    clientOf: (state) => (state as CompetitionState).clientId,
    standing: (state, accountId) => competitionStanding(state as CompetitionState, accountId),
  },
  hourly: {
    aggregate: hourlyAggregate as AggregateDefinition<never, HourlyState, DomainEvent>,
    streamId: hourlyStreamId,
    clientOf: (state) => (state as HourlyState).clientId,
    standing: (state, accountId) => hourlyStanding(state as HourlyState, accountId),
  },
};
