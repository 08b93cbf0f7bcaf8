/**
 * Doors that multiplex several clients over one engine (the bridge's pages, Electron's windows)
 * prefix request ids with `<client>:`. A progress event belongs to one request: it goes to that
 * client only, with the client's own request id; any other event (a notice, a project.changed)
 * goes to every client, so every page's views of a project follow changes made from any of them.
 */
export function routeEvent(message: unknown): { owner: string | null; message: unknown } {
  if (typeof message !== 'object' || message === null) return { owner: null, message };
  const payload = (message as { payload?: unknown }).payload;
  if (typeof payload !== 'object' || payload === null) return { owner: null, message };
  const requestId = (payload as { requestId?: unknown }).requestId;
  if (typeof requestId !== 'string') return { owner: null, message };
  const split = requestId.indexOf(':');
  if (split <= 0) return { owner: null, message };
  return {
    owner: requestId.slice(0, split),
    message: { ...(message as object), payload: { ...(payload as object), requestId: requestId.slice(split + 1) } },
  };
}
