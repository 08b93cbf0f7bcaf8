import { describe, expect, it } from 'vitest';
import { plural } from '../../src/shared/plural';

describe('plural', () => {
  it('puts the noun in the number of the count', () => {
    expect(plural(1, 'region')).toBe('1 region');
    expect(plural(0, 'region')).toBe('0 regions');
    expect(plural(3, 'region')).toBe('3 regions');
    expect(plural(1024, 'image')).toBe('1,024 images');
  });

  it('takes a plural that is not the singular plus "s"', () => {
    expect(plural(1, 'class', 'classes')).toBe('1 class');
    expect(plural(2, 'class', 'classes')).toBe('2 classes');
    expect(plural(2, 'series', 'series')).toBe('2 series');
  });
});
