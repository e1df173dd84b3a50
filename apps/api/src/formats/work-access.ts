import type { OtherWorkFormat } from '@escrow/domain/escrow';
import { competitionStreamId, type CompetitionState, mayReadCompetition } from '@escrow/domain/competition';
import { competitionAggregate } from '../competitions/competition-commands';
import type { Actor } from '@escrow/domain/shared/actor';
import type { CommandExecutor } from '../commands/command-executor';
import { TASK_WORK_ACCESS } from '../tasks/task-access';
import { type HourlyState, hourlyStreamId, mayReadHourly } from '@escrow/domain/hourly';
import { hourlyAggregate } from '../hourly/hourly-commands';

/**
 * Who may read one piece of work of a format: its state as its stream folds (undefined when it does not exist) and the
 * domain's rule on that state. The access guard reads it for the format's routes and for the ledger account of its
 * escrow (`escrow:<format>~<id>`); a format not listed here is readable by staff only.
 */
export interface WorkAccess {
  read(executor: CommandExecutor, id: string): Promise<object | undefined>;
  mayRead(actor: Actor, state: object): boolean;
  /**
   * Who may read the work's money as a whole (its escrow's ledger account and its fee report, which name every
   * payout); `mayRead` when absent. A task's workers read their own submissions, not each other's pay.
   */
  mayReadMoney?(actor: Actor, state: object): boolean;
}

export const WORK_ACCESS: Partial<Record<OtherWorkFormat, WorkAccess>> = {
  task: TASK_WORK_ACCESS,
  competition: { read: async (executor, id) => (await executor.read(competitionAggregate, competitionStreamId(id)))?.state, mayRead: (actor, state) => mayReadCompetition(actor, state as CompetitionState) },
  hourly: { read: async (executor, id) => (await executor.read(hourlyAggregate, hourlyStreamId(id)))?.state, mayRead: (actor, state) => mayReadHourly(actor, state as HourlyState) },
};
