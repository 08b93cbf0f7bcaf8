import { plural } from '../../../../shared/plural';
import type { JobStatus, StopAction } from '../jobs/job-state';

/** Every user-visible string of the jobs panel. */
export const jobsText = {
  title: 'Jobs',
  listLabel: 'Audit jobs',
  none: 'No jobs yet. Audits you start, here or with `lumen audit`, show up here.',
  jobName: (id: number | null, method: string | null) => (id === null ? method ?? 'Audit' : method ? `Job ${id} · ${method}` : `Job ${id}`),
  status: {
    queued: 'Queued',
    running: 'Running',
    pausing: 'Pausing…',
    cancelling: 'Cancelling…',
    paused: 'Paused',
    interrupted: 'Interrupted',
    done: 'Finished',
    failed: 'Failed',
    cancelled: 'Cancelled',
  } satisfies Record<JobStatus, string>,
  progressLabel: (name: string) => `Progress of ${name}`,
  progressCount: (done: number, total: number) => `${done.toLocaleString()} of ${plural(total, 'image')}`,
  progressUnknown: 'Waiting for the first image…',
  percent: (p: number) => `${Math.floor(p * 100)}%`,
  rate: (perSecond: number) =>
    perSecond >= 1 ? `${perSecond.toFixed(perSecond >= 10 ? 0 : 1)} images/s` : `${(perSecond * 60).toFixed(perSecond * 60 >= 10 ? 0 : 1)} images/min`,
  eta: (seconds: number) => `about ${duration(seconds)} left`,
  pause: 'Pause',
  cancel: 'Cancel',
  resume: 'Resume',
  view: 'View audit',
  dismiss: 'Remove from list',
  actionLabel: (action: string, name: string) => `${action}: ${name}`,
  resumeElsewhere: 'Started elsewhere: run the same audit again (here or with `lumen audit`) to resume it from the images already done.',
  interruptedHint: 'The process running it stopped; every image done so far is kept.',
  failuresNote: (n: number) => (n === 1 ? '1 image could not be read' : `${n} images could not be read`),
  stopElsewhere: (action: StopAction) =>
    `This job is not running in this engine (it may run in another process, such as \`lumen audit\`): ${action === 'pause' ? 'pause' : 'cancel'} it there.`,
  stopFailed: (action: StopAction, message: string) => `Could not ${action === 'pause' ? 'pause' : 'cancel'} the job: ${message}`,
  listFailed: 'Could not list the jobs of this project.',
  showFinished: (n: number) => `Show ${n} more finished`,
  hideFinished: 'Show fewer',
} as const;

/** "1 h 5 min", "3 min", "45 s": coarse, as an ETA should be. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
