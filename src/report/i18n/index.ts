// Picks the report strings for a language.
import { en, type Messages } from './en.js';
import { ko } from './ko.js';

export type Lang = 'en' | 'ko';
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** The report strings of a language. */
export function messages(lang: Lang): Messages {
  return lang === 'ko' ? ko : en;
}
