// `npm start`: open the workstation in Electron; where Electron cannot start (binary not installed,
// no display), say why in one line and serve the same workstation to a local browser instead.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronProblem() {
  let binary;
  try {
    binary = require('electron');
  } catch {
    return { reason: 'the Electron binary is not installed; `npm run setup:electron` fetches it when online' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { binary };
}

function serve(reason) {
  const child = spawn(process.execPath, ['bin/lumen.mjs', 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LUMEN_SERVE_REASON: `Electron cannot start here (${reason})` },
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const { binary, reason } = electronProblem();
if (!binary) {
  serve(reason);
} else {
  const started = Date.now();
  const electron = spawn(binary, ['.'], { stdio: 'inherit' });
  electron.on('error', (error) => serve(`it failed to launch: ${error.message}`));
  electron.on('exit', (code, signal) => {
    // A crash within seconds of launch means Electron could not run here (missing system
    // libraries, no GPU/display access); a later exit is the user closing the app.
    if ((code !== 0 || signal) && Date.now() - started < 5000) serve(`it exited at start-up with ${signal ?? `code ${code}`}`);
    else process.exit(code ?? 0);
  });
}
