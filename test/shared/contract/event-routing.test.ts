import { describe, expect, it } from 'vitest';
import { routeEvent } from '../../../src/shared/contract/event-routing';

describe('routing engine events to the client that asked', () => {
  it('sends progress to its owner with the owner’s own request id', () => {
    const message = { type: 'event', event: 'progress', payload: { requestId: '7:abc-1', done: 1, total: 4 } };
    expect(routeEvent(message)).toEqual({ owner: '7', message: { type: 'event', event: 'progress', payload: { requestId: 'abc-1', done: 1, total: 4 } } });
  });
  it('broadcasts events that belong to no request', () => {
    const notice = { type: 'event', event: 'notice', payload: { level: 'info', message: 'hello' } };
    expect(routeEvent(notice)).toEqual({ owner: null, message: notice });
    const unprefixed = { type: 'event', event: 'progress', payload: { requestId: 'abc', done: 1, total: 4 } };
    expect(routeEvent(unprefixed).owner).toBeNull();
  });
  it('broadcasts a project change to every client, whichever asked for the change', () => {
    const change = { type: 'event', event: 'project.changed', payload: { project: '/p', what: 'audit', runId: 3, dataset: 'xray', running: true } };
    expect(routeEvent(change)).toEqual({ owner: null, message: change });
  });
});
