/**
 * Node module-resolution hooks for TensorFlow.js's ESM build. Its gradient registrations
 * (tfjs-core/dist/register_all_gradients.js) exist only as ESM files whose relative imports omit
 * the `.js` extension, which Node's ESM resolver rejects; this retries such imports with `.js`,
 * then `/index.js`. Only files under @tensorflow/ are affected.
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/@tensorflow/') ?? false;
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!fromTfjs || !relative) throw error;
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch {
      return nextResolve(`${specifier}/index.js`, context);
    }
  }
}
