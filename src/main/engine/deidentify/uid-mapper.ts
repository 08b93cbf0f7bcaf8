import { createHmac, randomBytes } from 'node:crypto';

/**
 * Replaces UIDs for the profile's U action: the same UID in always gives the same UID out (so the
 * objects of one export, and of every export in one session, still reference each other and
 * share one study), while the original cannot be recovered without the key, which never leaves
 * the process. Each replacement is a 2.25 UID (PS3.5 B.2: a UUID as an integer) taken from an
 * HMAC-SHA-256 of the original under the key.
 */
export class UidMapper {
  private readonly key: Uint8Array;
  private readonly mapped = new Map<string, string>();

  /** A random key unless one is given (tests, or a study de-identified across sessions). */
  constructor(key?: Uint8Array) {
    this.key = key ?? randomBytes(32);
  }

  map(uid: string): string {
    const original = uid.replace(/[\0 ]+$/, '');
    const known = this.mapped.get(original);
    if (known !== undefined) return known;
    const digest = createHmac('sha256', this.key).update(original).digest();
    const replacement = uidFromBytes(digest.subarray(0, 16));
    this.mapped.set(original, replacement);
    return replacement;
  }

  /** How many distinct UIDs were replaced. */
  get size(): number {
    return this.mapped.size;
  }
}

/** A fresh, globally unique UID (2.25 + a random 128-bit integer). */
export function newUid(): string {
  return uidFromBytes(randomBytes(16));
}

/** 2.25 and 16 bytes as a decimal integer, UUID-style (the version nibble set), at most 44 characters. */
function uidFromBytes(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes);
  // Mark it a version 4 (random) UUID, variant 1, as PS3.5 B.2 expects of a 2.25 UID.
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const value = BigInt(`0x${Buffer.from(b).toString('hex')}`);
  return `2.25.${value.toString(10)}`;
}
