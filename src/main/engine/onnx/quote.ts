/**
 * A name read from a model file, quoted for a one-line message: control characters escaped (a
 * newline in a tensor name must not break the line) and long names shortened.
 */
export function quote(name: string, max = 80): string {
  return JSON.stringify(name.length > max ? `${name.slice(0, max)}…` : name);
}
