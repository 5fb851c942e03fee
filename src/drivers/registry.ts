// One map from environment kind to its driver.
import { venvDriver } from './venv/driver.js';
import { dockerDriver } from './docker/index.js';
import { vmDriver } from './vm/index.js';
import type { Driver, Kind } from './types.js';

export const DRIVERS: Record<Kind, Driver | undefined> = {
  venv: venvDriver as unknown as Driver,
  docker: dockerDriver as unknown as Driver,
  vm: vmDriver as unknown as Driver,
};
