import { nodeBuiltin } from '../environment.js';

/**
 * Names the GL renderer the gpu.js kernels run on, where it can be known. Under Node: Mesa's
 * software rasteriser when the process mapped it (ANGLE's headless-gl reports its RENDERER as just
 * 'ANGLE', so the honest check is which driver is loaded: llvmpipe means the "GPU" kernels run on
 * the CPU), else null. In a browser: the WebGL renderer string (unmasked where the browser allows),
 * for example SwiftShader, Chromium's software renderer, or the GPU's name.
 */
export function softwareRenderer(): string | null {
  const fs = nodeBuiltin('node:fs');
  if (fs === null) return browserRenderer();
  let maps: string;
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
  if (/swrast_dri|llvmpipe|kms_swrast/.test(maps)) return 'Mesa llvmpipe (software rasteriser: runs on the CPU)';
  return null;
}

/** The renderer of a throwaway WebGL2 context, or null where there is none. */
function browserRenderer(): string | null {
  const canvas =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(1, 1)
      : (globalThis as { document?: Document }).document?.createElement('canvas');
  const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name) ? `${name} (software renderer: runs on the CPU)` : name;
}
