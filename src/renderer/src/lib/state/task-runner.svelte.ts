import type { LumenError } from '../../../../shared/errors';
import { asLumenError } from './errors';

export interface Task {
  label: string;
  done: number;
  total: number;
  etaSeconds?: number;
  controller: AbortController;
}

export type TaskWork<T> = (signal: AbortSignal, onProgress: (p: { done: number; total: number; etaSeconds?: number }) => void) => Promise<T>;

/**
 * One long request at a time, with its progress for a bar and a cancel button: a new task cancels
 * the one running; a failure is kept as `error` (a cancellation is not a failure).
 */
export class TaskRunner {
  task: Task | null = $state(null);
  error: LumenError | null = $state(null);

  async run<T>(label: string, work: TaskWork<T>): Promise<T | null> {
    this.task?.controller.abort();
    const controller = new AbortController();
    const task: Task = { label, done: 0, total: 0, controller };
    this.task = task;
    this.error = null;
    try {
      return await work(controller.signal, (p) => {
        if (this.task?.controller === controller) this.task = { ...task, done: p.done, total: p.total, etaSeconds: p.etaSeconds };
      });
    } catch (e) {
      const error = asLumenError(e);
      if (error.code !== 'cancelled') this.error = error;
      return null;
    } finally {
      if (this.task?.controller === controller) this.task = null;
    }
  }

  cancel(): void {
    this.task?.controller.abort();
  }
}
