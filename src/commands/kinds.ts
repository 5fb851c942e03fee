// Parses the --only / --require lists of environment kinds.
import { UserError } from '../config/errors.js';
import { KINDS, type Kind } from '../drivers/types.js';

/** "venv,docker" -> ['venv', 'docker'] in canonical order; an unknown kind is a usage error. */
export function parseKinds(flag: string, value: string): Kind[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new UserError('usage', `${flag} needs a comma list of ${KINDS.join(', ')}${flag === '--only' ? ', or all' : ''}`);
  for (const p of parts) {
    if (!(KINDS as readonly string[]).includes(p)) {
      throw new UserError('usage', `${flag}: unknown environment "${p}"; choose from ${KINDS.join(', ')}${flag === '--only' ? ' (or all alone: every row, Vagrant included)' : ''}`);
    }
  }
  return KINDS.filter((k) => parts.includes(k));
}
