import { describe, expect, it } from 'vitest';
import { ForegroundActivity } from '../../../../src/main/engine/attribution/foreground-activity';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background work gives way to the requests a person waits on', () => {
  it('idle() waits for the requests in flight to settle, then for a quiet moment', async () => {
    const foreground = new ForegroundActivity();
    let finish!: () => void;
    const request = foreground.track(() => new Promise<string>((resolve) => (finish = () => resolve('answer'))));
    let idle = false;
    const waiting = foreground.idle(5).then(() => (idle = true));
    await tick(30);
    expect(idle).toBe(false);
    finish();
    expect(await request).toBe('answer');
    await waiting;
    expect(idle).toBe(true);
  });

  it('a request that follows during the quiet moment is waited for too', async () => {
    const foreground = new ForegroundActivity();
    const order: string[] = [];
    const first = foreground.track(async () => {
      await tick(5);
      order.push('first');
    });
    const waiting = foreground.idle(20).then(() => order.push('idle'));
    await first;
    const second = foreground.track(async () => {
      await tick(40);
      order.push('second');
    });
    await Promise.all([second, waiting]);
    expect(order).toEqual(['first', 'second', 'idle']);
  });

  it('a failed request counts as settled', async () => {
    const foreground = new ForegroundActivity();
    await expect(foreground.track(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await foreground.idle(1);
  });
});
