import { resolve } from 'node:path';

export type StopReason = 'pause' | 'cancel';

/**
 * The running jobs of this engine, by project and job id, each with the controller that stops it
 * and why: a pause leaves the job resumable and marked paused, a cancel marks it cancelled.
 * Either way every committed result stays, and running the audit again resumes.
 */
export class JobControls {
  private readonly running = new Map<string, AbortController>();

  private key(project: string, jobId: number): string {
    return `${resolve(project)}#${jobId}`;
  }

  /** Registers a job; the returned signal aborts on the request's own cancel too. */
  start(project: string, jobId: number, requestSignal: AbortSignal | undefined): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const onRequestAbort = (): void => controller.abort('cancel' satisfies StopReason);
    requestSignal?.addEventListener('abort', onRequestAbort);
    if (requestSignal?.aborted) onRequestAbort();
    const key = this.key(project, jobId);
    this.running.set(key, controller);
    return {
      signal: controller.signal,
      done: () => {
        requestSignal?.removeEventListener('abort', onRequestAbort);
        this.running.delete(key);
      },
    };
  }

  /** Stops a running job; false when it is not running in this engine. */
  stop(project: string, jobId: number, reason: StopReason): boolean {
    const controller = this.running.get(this.key(project, jobId));
    if (!controller) return false;
    controller.abort(reason);
    return true;
  }
}
