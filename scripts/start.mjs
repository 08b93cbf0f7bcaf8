// `npm start`: open the workstation in Electron; where Electron cannot start (binary not installed,
// no display), say why in one line and serve the same workstation to a local browser instead.
// Stopping it (Ctrl+C, SIGTERM, SIGHUP, or the end of the `npm start` that ran it) stops what it
// started: the child is asked to stop (SIGTERM), and killed if it has not within 10 s.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The signals that stop Lumen (and the child running now). */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long a child may take to close its engine and bridge before it is killed. */
const stopGraceMs = 10_000;

/** The child running now (Electron, or `lumen serve`). */
let current = null;
/** The signal Lumen was asked to stop with, once it was. */
let stopping = null;

function stop(signal) {
  if (stopping) return;
  stopping = signal;
  if (!current || current.exitCode !== null || current.signalCode !== null) process.exit(0);
  // SIGTERM whatever the signal: `lumen serve` and Electron close cleanly on it, and a Ctrl+C the
  // terminal already sent the child as well does not count twice.
  current.kill('SIGTERM');
  setTimeout(() => current?.kill('SIGKILL'), stopGraceMs).unref();
}

for (const signal of stopSignals) process.on(signal, () => stop(signal));

// npm runs this under `sh -c`: a SIGTERM to npm ends npm and that shell, and reaches neither this
// process nor its children. A changed parent says whoever started Lumen is gone: stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 500).unref();

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
  if (stopping) process.exit(0);
  current = spawn(process.execPath, ['bin/lumen.mjs', 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LUMEN_SERVE_REASON: `Electron cannot start here (${reason})` },
  });
  current.on('exit', (code) => process.exit(code ?? 0));
}

const { binary, reason } = electronProblem();
if (!binary) {
  serve(reason);
} else {
  const started = Date.now();
  current = spawn(binary, ['.'], { stdio: 'inherit' });
  current.on('error', (error) => serve(`it failed to launch: ${error.message}`));
  current.on('exit', (code, signal) => {
    // A crash within seconds of launch means Electron could not run here (missing system
    // libraries, no GPU/display access); a later exit is the user closing the app (or a stop).
    if (!stopping && (code !== 0 || signal) && Date.now() - started < 5000) serve(`it exited at start-up with ${signal ?? `code ${code}`}`);
    else process.exit(code ?? 0);
  });
}
