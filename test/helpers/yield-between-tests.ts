import { afterEach } from 'vitest';

/**
 * Lets each test worker's event loop turn once after every test. A worker reports to vitest over
 * IPC and gives up on a reply after a fixed 60 s; tests that run the CLI with spawnSync (or do
 * long synchronous work) keep the loop from reading replies, and vitest's runner moves from test
 * to test without returning to it, so on a loaded machine a file of such tests ran past 60 s and
 * the run exited 1 with every test passed ("[vitest-worker]: Timeout calling \"onTaskUpdate\"").
 * setImmediate resolves after the loop's poll phase, where the replies are read.
 */
afterEach(() => new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0))));
