/**
 * The only places Lumen opens in the user's browser: documentation of the formats and runtimes it
 * builds on, the papers behind its methods, and its own repository. Anything else a page asks to
 * open (another host, http, a file, a custom scheme) is refused: a crafted link in a report or an
 * image name must not start programs or reach other sites through the desktop app.
 */
export const documentationHosts: readonly string[] = ['github.com', 'onnx.ai', 'onnxruntime.ai', 'arxiv.org', 'doi.org'];

/** Whether `url` may be handed to the system browser: https, a listed host (exactly), no credentials, no port. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && documentationHosts.includes(parsed.hostname);
}
