import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { startBridge } from '../../bridge/bridge-server';
import { forkEngine } from '../../engine-host/forked-engine';
import { defineCommand } from '../command';

/** The built renderer, next to the built CLI (out/cli -> out/renderer). */
function rendererDir(): string {
  const dir = fileURLToPath(new URL('../renderer', import.meta.url));
  if (!existsSync(`${dir}/index.html`)) {
    throw new LumenError('not-found', 'The workstation UI is not built.', 'Run `npm run build` first.');
  }
  return dir;
}

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve the workstation to a local browser (loopback only, with an access token)',
  usage: 'lumen serve [--port N]',
  options: {
    port: { type: 'string', short: 'p', value: 'N', description: 'Port on 127.0.0.1 (default: a free one)' },
  },
  schema: z.object({ port: z.coerce.number().int().min(0).max(65535).default(0) }).strict(),
  examples: ['lumen serve', 'lumen serve --port 8765'],
  async run(args, io) {
    const staticDir = rendererDir();
    const engine = forkEngine({ LUMEN_CONFINE_PATHS: '1' });
    const bridge = await startBridge({ engine: engine.port, staticDir, port: args.port });
    // `npm start` passes why Electron did not start, so the user reads one line, not two.
    const reason = process.env['LUMEN_SERVE_REASON'];
    io.out(
      reason
        ? `${reason}; serving the workstation at ${bridge.url} (loopback only, Ctrl+C stops it)`
        : `Lumen is serving the workstation at ${bridge.url} (loopback only, Ctrl+C stops it)`,
    );
    let stopping = false;
    engine.port.onClose((why) => {
      if (!stopping) io.err(`The engine stopped (${why}); restart lumen serve.`);
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    stopping = true;
    await bridge.close();
    await engine.close();
    return 0;
  },
});
