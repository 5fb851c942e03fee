// One map from environment kind to its driver.
import { venvDriver } from './venv/driver.js';
import type { Driver, Kind } from './types.js';

export const DRIVERS: Record<Kind, Driver | undefined> = {
  venv: venvDriver as unknown as Driver,
  docker: undefined,
  vm: undefined,
};
