import type { Actor, TestService } from './harness';
import { uniqueId, user } from './wallets.fixtures';

export interface TestTask {
  taskId: string;
  client: Actor;
  position: number;
}

const DAY_MS = 86_400_000;

/** Posts a task of `slots` slots at `unitPrice`, its deadline `deadlineInDays` after the service's now. */
export async function postedTask(service: TestService, options: { client?: Actor; slots?: number; unitPrice?: number; deadlineInDays?: number } = {}): Promise<TestTask & { applicationDeadline: string }> {
  const client = options.client ?? user(uniqueId('task-client'));
  const applicationDeadline = new Date(service.clock.now().getTime() + (options.deadlineInDays ?? 14) * DAY_MS).toISOString();
  const res = await service
    .post('/v1/tasks', client, {
      title: 'Label photos',
      unitPrice: options.unitPrice ?? 1_000,
      slots: options.slots ?? 10,
      applicationDeadline,
      paymentReference: uniqueId('pay-task'),
      method: 'card',
    })
    .expect(201);
  return { taskId: res.body.taskId as string, client, position: res.body.position as number, applicationDeadline };
}

/** A worker's submission to the task: its id and the position of the answer. */
export async function submitted(service: TestService, taskId: string, worker: Actor): Promise<{ submissionId: string; position: number }> {
  const res = await service.post(`/v1/tasks/${taskId}/submissions`, worker, { content: `Labels by ${worker.id}` }).expect(201);
  const submissions = res.body.submissions as { submissionId: string; workerId: string }[];
  return { submissionId: submissions.at(-1)!.submissionId, position: res.body.position as number };
}
