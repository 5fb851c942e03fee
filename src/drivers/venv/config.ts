// The venv section of the config.
import { z } from 'zod';

export const venvConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Interpreters to create venvs with; each gives one environment. */
  interpreters: z.array(z.string().min(1)).min(1).default(['python3']),
});
