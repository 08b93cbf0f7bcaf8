import { BrowserWindow } from 'electron';

/**
 * A report's self-contained HTML as PDF, with Electron's own Chromium (printToPDF) in a hidden,
 * script-less window: the desktop app needs no separate browser for PDF export.
 */
export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const window = new BrowserWindow({ show: false, webPreferences: { sandbox: true, javascript: false, contextIsolation: true, nodeIntegration: false } });
  try {
    // Nothing in the report may reach the network; the HTML has no external references either.
    window.webContents.session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { marginType: 'default' } });
    return new Uint8Array(pdf);
  } finally {
    window.destroy();
  }
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
export function pdfPageCount(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}
