/**
 * What the backends ask of the JavaScript host they run in, in one place, so that the same kernels
 * run under Node and in a browser. Node's built-ins are reached through `process.getBuiltinModule`
 * (Node 20.16+), a call no bundler follows, so a browser bundle needs no stubs for them.
 */

/** The Node built-ins the backends use (types only: nothing here loads them). */
interface NodeBuiltins {
  'node:fs': typeof import('node:fs');
  'node:module': typeof import('node:module');
  'node:os': typeof import('node:os');
  'node:url': typeof import('node:url');
  'node:worker_threads': typeof import('node:worker_threads');
}

interface NodeProcess {
  env?: Record<string, string | undefined>;
  platform?: string;
  getBuiltinModule?: (id: string) => unknown;
}

/** Node's `process`, or undefined in a browser page or worker. */
function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** The environment variable `name` under Node; undefined in a browser, which has none. */
export function environmentVariable(name: string): string | undefined {
  return nodeProcess()?.env?.[name];
}

/** Every environment variable under Node, an empty set in a browser. */
export function environmentVariables(): Readonly<Record<string, string | undefined>> {
  return nodeProcess()?.env ?? {};
}

/** The operating system as Node names it ('linux', 'darwin', ...), or 'browser'. */
export function hostPlatform(): string {
  return nodeProcess()?.platform ?? 'browser';
}

/** Node's built-in module `id` (for example 'node:worker_threads'), or null outside Node. */
export function nodeBuiltin<Id extends keyof NodeBuiltins>(id: Id): NodeBuiltins[Id] | null {
  const host = nodeProcess();
  if (typeof host?.getBuiltinModule !== 'function') return null;
  return host.getBuiltinModule(id) as NodeBuiltins[Id];
}
