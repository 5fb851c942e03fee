// The class code: short enough to read off a projector, compared in constant time.
import { randomInt, timingSafeEqual } from 'node:crypto';

/** Letters and digits that cannot be mistaken for each other on a projector (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_PATTERN = /^[A-HJKMNP-Z2-9]{6}$/;

/** A new random six-character class code. */
export function newClassCode(): string {
  return Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Whether a submitted code is the class's (case-insensitive, constant time). */
export function codeMatches(given: string, code: string): boolean {
  const a = Buffer.from(given.trim().toUpperCase());
  const b = Buffer.from(code);
  return a.length === b.length && timingSafeEqual(a, b);
}
