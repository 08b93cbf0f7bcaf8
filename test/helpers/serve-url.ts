import type { ChildProcess } from 'node:child_process';

/** Waits for a `lumen serve` style process to print its tokenised loopback URL. */
export function waitForServeUrl(child: ChildProcess): Promise<{ url: string; line: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (match) resolve({ url: match[0], line: out.split('\n')[0]! });
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before printing its URL: ${out}`)));
  });
}
