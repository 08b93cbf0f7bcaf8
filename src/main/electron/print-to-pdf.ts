import { BrowserWindow, session, type Session } from 'electron';
import { isPrintRequestAllowed, withPrivateHtmlFile } from './print-file';

/**
 * The print windows' own in-memory session: its request filter (only the report being printed)
 * and its refusal of every permission never touch the default session the main window uses.
 */
export const printPartition = 'lumen-print';

/** The report files being printed now (file: URLs); the partition's filter lets only these through. */
const printing = new Set<string>();
let printSession: Session | undefined;

function preparedSession(): Session {
  if (printSession) return printSession;
  const s = session.fromPartition(printPartition, { cache: false });
  s.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isPrintRequestAllowed(details.url, printing) }));
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  printSession = s;
  return s;
}

/**
 * A report's self-contained HTML as PDF, with Electron's own Chromium (printToPDF) in a hidden,
 * script-less window of its own session, loaded from a private temporary file: the desktop app
 * needs no separate browser for PDF export.
 */
export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const ownSession = preparedSession();
  return withPrivateHtmlFile(html, async (file) => {
    printing.add(file.url);
    const window = new BrowserWindow({ show: false, webPreferences: { session: ownSession, sandbox: true, javascript: false, contextIsolation: true, nodeIntegration: false } });
    try {
      await window.loadURL(file.url);
      const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { marginType: 'default' } });
      return new Uint8Array(pdf);
    } finally {
      window.destroy();
      printing.delete(file.url);
    }
  });
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
export function pdfPageCount(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}
