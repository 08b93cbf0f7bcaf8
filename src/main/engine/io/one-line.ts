/**
 * Text taken from a user's file (a header key, a dtype, a file name) as an error message shows it:
 * control characters escaped as JSON writes them ("\n", "\u0000"), so the error stays one line and
 * a crafted file cannot forge lines of its own in a terminal or a log.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}
