import { nodeBuiltin } from '../environment.js';

/**
 * Names the GL renderer when it is Mesa's software rasteriser. ANGLE's headless-gl reports its
 * RENDERER as just 'ANGLE', so the honest check is which driver the process mapped: llvmpipe
 * (swrast) means the "GPU" kernels run on the CPU. Returns null when no software driver is mapped
 * or the platform has no /proc.
 */
export function softwareRenderer(): string | null {
  const fs = nodeBuiltin('node:fs');
  if (fs === null) return null;
  let maps: string;
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
  if (/swrast_dri|llvmpipe|kms_swrast/.test(maps)) return 'Mesa llvmpipe (software rasteriser: runs on the CPU)';
  return null;
}
