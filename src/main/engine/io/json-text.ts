/**
 * JSON.parse without its message: V8 quotes the text it could not read ("Unexpected token 'r',
 * "root:x:0:0"... is not valid JSON"), and a file's contents must never come back in an error (a
 * token holder of the bridge could read any file that way). The problem says where, not what, and
 * follows the file's name: "card.json is not valid JSON (line 2, column 5)".
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /at position (\d+)/.exec(message);
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      return { ok: false, problem: `is not valid JSON (line ${line}, column ${column})` };
    }
    if (/end of JSON input/.test(message)) return { ok: false, problem: text.trim() === '' ? 'is empty' : 'is not valid JSON (it ends too early)' };
    return { ok: false, problem: 'is not valid JSON' };
  }
}
