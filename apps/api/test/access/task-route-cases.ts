import type { CallerKind, RouteCase } from './route-cases';
import { postedTask, submitted } from '../tasks.fixtures';
import { uniqueId, user } from '../wallets.fixtures';

/** Who may call each route of tasks: a task is its client's and its workers' to read; staff read every one. */

const STAFF: readonly CallerKind[] = ['support', 'system', 'auditor'];
const DAY_MS = 86_400_000;

const taskRead = (suffix: string): RouteCase => ({
  allowed: ['party', ...STAFF],
  status: 200,
  prepare: async (world) => {
    const task = await postedTask(world.service);
    return { path: `/v1/tasks/${task.taskId}${suffix}`, party: task.client };
  },
});

export const TASK_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /v1/tasks/{taskId}': taskRead(''),
  'GET /v1/tasks/{taskId}/history': taskRead('/history'),
  // Any user may post a task of their own, and submit to another's: a stranger succeeds as well.
  'POST /v1/tasks': {
    allowed: ['party', 'stranger'],
    status: 201,
    prepare: async (world) => ({
      path: '/v1/tasks',
      body: {
        title: 'Label photos',
        unitPrice: 100,
        slots: 2,
        applicationDeadline: new Date(world.service.clock.now().getTime() + 30 * DAY_MS).toISOString(),
        paymentReference: uniqueId('pay-task'),
        method: 'card',
      },
      party: user(uniqueId('task-client')),
    }),
  },
  'POST /v1/tasks/{taskId}/submissions': {
    allowed: ['party', 'stranger'],
    status: 201,
    prepare: async (world) => {
      const task = await postedTask(world.service, { deadlineInDays: 30 });
      return { path: `/v1/tasks/${task.taskId}/submissions`, body: { content: 'Labels' }, party: user(uniqueId('task-worker')) };
    },
  },
  'POST /v1/tasks/{taskId}/submissions/{submissionId}/approve': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const task = await postedTask(world.service, { deadlineInDays: 30 });
      const { submissionId } = await submitted(world.service, task.taskId, user(uniqueId('task-worker')));
      return { path: `/v1/tasks/${task.taskId}/submissions/${submissionId}/approve`, party: task.client };
    },
  },
  'POST /v1/tasks/{taskId}/submissions/{submissionId}/reject': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const task = await postedTask(world.service, { deadlineInDays: 30 });
      const { submissionId } = await submitted(world.service, task.taskId, user(uniqueId('task-worker')));
      return { path: `/v1/tasks/${task.taskId}/submissions/${submissionId}/reject`, body: { reason: 'Wrong labels' }, party: task.client };
    },
  },
  'POST /v1/tasks/{taskId}/close': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const task = await postedTask(world.service, { deadlineInDays: 30 });
      return { path: `/v1/tasks/${task.taskId}/close`, party: task.client };
    },
  },
};
