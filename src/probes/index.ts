// The isolation probes, in report order.
import { portClashProbe } from './port-clash.js';
import { tmpVisibilityProbe } from './tmp-visibility.js';
import { kernelProbe } from './kernel.js';
import { processVisibilityProbe } from './process-visibility.js';
import { pythonVersionProbe } from './python-version.js';
import { osReleaseProbe } from './os-release.js';
import { systemPackagesProbe } from './system-packages.js';
import { packageVisibilityProbe } from './package-visibility.js';
import { syscallKernelProbe } from './syscall-kernel.js';
import { rootMappingProbe } from './root-mapping.js';
import type { Probe } from './types.js';

export const PROBES: readonly Probe[] = [
  portClashProbe,
  tmpVisibilityProbe,
  kernelProbe,
  syscallKernelProbe,
  rootMappingProbe,
  processVisibilityProbe,
  pythonVersionProbe,
  osReleaseProbe,
  systemPackagesProbe,
  packageVisibilityProbe,
];
