import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../../../src/main/engine/io/json-text';

describe('parseJsonText: where the JSON breaks, never what the file holds', () => {
  it('parses JSON', () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it.each([
    ['root:x:0:0:root:/root:/bin/bash\n', 'is not valid JSON'],
    ['secret-host-name\n', 'is not valid JSON'],
    ['{"a": 1,\n "secret": }', 'is not valid JSON'],
    ['{"secret": 1', 'is not valid JSON (line 1, column 13)'],
    ['{"a":\n"\\q secret"}', 'is not valid JSON (line 2, column 3)'],
    ['  \n', 'is empty'],
  ])('%j: %s', (text, problem) => {
    const parsed = parseJsonText(text);
    expect(parsed).toEqual({ ok: false, problem });
  });
});
