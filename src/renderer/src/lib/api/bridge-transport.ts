import { PortTransport, type MessagePortLike } from '../../../../shared/contract/port-transport';
import { decodeFrame, encodeFrame } from '../../../../shared/contract/wire';

/**
 * The browser door: one WebSocket to the loopback bridge. The access token travels as the
 * session cookie set with the page (and in the query on first load).
 */
export function bridgeTransport(location: Location, token: string | null): PortTransport {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const socket = new WebSocket(`${scheme}://${location.host}/api${query}`);
  socket.binaryType = 'arraybuffer';
  const queue: Array<string | Uint8Array> = [];
  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame);
  });
  const port: MessagePortLike = {
    postMessage: (message) => {
      const frame = encodeFrame(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    },
    onMessage: (listener) => {
      const handler = (event: MessageEvent): void => {
        try {
          listener(decodeFrame(event.data as string | ArrayBuffer));
        } catch {
          // A frame we cannot read is dropped; the request it answered will report a timeout-free
          // failure when the socket closes.
        }
      };
      socket.addEventListener('message', handler);
      return () => socket.removeEventListener('message', handler);
    },
    onClose: (listener) => {
      const handler = (): void => listener('the connection to the Lumen engine closed');
      socket.addEventListener('close', handler);
      return () => socket.removeEventListener('close', handler);
    },
  };
  return new PortTransport(port);
}
