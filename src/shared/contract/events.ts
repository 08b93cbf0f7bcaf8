import { z } from 'zod';
import { ProjectChanged } from './project-changed';

/** Events flow from the engine to every connected client, unprompted. */
export const events = {
  /** Something the user should know that is not an error, e.g. a provider fell back to CPU. */
  notice: z.object({ level: z.enum(['info', 'warning']), message: z.string() }),
  /** Progress of a long request, keyed by the request's id. */
  progress: z.object({
    requestId: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
    /** Items per second so far, and the seconds left at that rate (long jobs). */
    ratePerSecond: z.number().nonnegative().optional(),
    etaSeconds: z.number().nonnegative().optional(),
    message: z.string().optional(),
    /** For a job (an audit): its id in the project, so the client can pause or cancel it. */
    jobId: z.number().int().positive().optional(),
  }),
  /**
   * A project's stored data changed (an audit's results landed or it ended, a dataset was imported
   * or merged, annotations or stored explanations changed): every view of that project fetches
   * what it shows again, whichever client or door made the change.
   */
  'project.changed': ProjectChanged,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
