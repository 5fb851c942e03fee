// `isobench images build docker|vm`: builds the offline images from Debian's packages.
import { UserError } from '../config/errors.js';

interface Parsed {
  values: { force?: boolean };
  positionals: string[];
}

/** Runs `isobench images build KIND`. */
export async function imagesCommand({ positionals }: Parsed): Promise<number> {
  const [verb, kind] = positionals;
  if (verb !== 'build' || (kind !== 'docker' && kind !== 'vm')) {
    throw new UserError('usage', 'usage: isobench images build docker|vm [--force]');
  }
  throw new UserError('prerequisite', `building ${kind} images is not available in this version`);
}
