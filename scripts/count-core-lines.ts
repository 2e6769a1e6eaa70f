import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Counts the engine core's lines of code: non-blank lines outside comments in the .ts files of
 * src/tensor, src/ops and src/backend/cpu (the part a newcomer should be able to read in an
 * evening). Run: `npx tsx scripts/count-core-lines.ts` (prints a Markdown table).
 */

/** The directories that make up the engine core, relative to the repository root. */
export const coreDirectories = ['src/tensor', 'src/ops', 'src/backend/cpu'] as const;

/** Lines of code of one file. */
export interface FileCount {
  readonly path: string;
  readonly lines: number;
}

/** Lines of code per core directory, per file, and in total. */
export interface CoreCount {
  readonly directories: readonly { readonly directory: string; readonly lines: number; readonly files: number }[];
  readonly files: readonly FileCount[];
  readonly total: number;
}

/**
 * Non-blank lines that hold code (or string contents). A line that is only comments (`// ...`,
 * or inside or on a `/* ... *\/` block) does not count; a line with code and a comment does.
 * Scans characters so that comment markers inside strings ('src/**\/*.ts') are not comments;
 * a template literal counts as one string (its `${}` parts included). Regex literals are not
 * recognised, which the core does not need.
 */
export function countCodeLines(source: string): number {
  let count = 0;
  let state: 'code' | 'line' | 'block' | "'" | '"' | '`' = 'code';
  let lineHasCode = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    const next = source[i + 1];
    if (char === '\n') {
      if (lineHasCode) count++;
      lineHasCode = false;
      // Line comments end here; so do quoted strings (only template literals span lines).
      if (state === 'line' || state === "'" || state === '"') state = 'code';
      continue;
    }
    if (state === 'line') continue;
    if (state === 'block') {
      if (char === '*' && next === '/') {
        state = 'code';
        i++;
      }
      continue;
    }
    if (state !== 'code') {
      lineHasCode = true;
      if (char === '\\') i++;
      else if (char === state) state = 'code';
      continue;
    }
    if (char === '/' && next === '/') state = 'line';
    else if (char === '/' && next === '*') {
      state = 'block';
      i++;
    } else if (char.trim() !== '') {
      lineHasCode = true;
      if (char === "'" || char === '"' || char === '`') state = char;
    }
  }
  return lineHasCode ? count + 1 : count;
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((entry) => {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) return typeScriptFiles(path);
      return entry.endsWith('.ts') ? [path] : [];
    });
}

/** Counts the core of the repository at `root` (default: this script's repository). */
export function countCoreLines(root = resolve(fileURLToPath(import.meta.url), '../..')): CoreCount {
  const files: FileCount[] = [];
  const directories = coreDirectories.map((directory) => {
    const paths = typeScriptFiles(join(root, directory));
    let lines = 0;
    for (const path of paths) {
      const count = countCodeLines(readFileSync(path, 'utf8'));
      files.push({ path: relative(root, path), lines: count });
      lines += count;
    }
    return { directory, lines, files: paths.length };
  });
  return { directories, files, total: directories.reduce((sum, d) => sum + d.lines, 0) };
}

/** The count as a Markdown table (for the README). */
export function formatCoreTable(count: CoreCount): string {
  const rows = count.directories.map((d) => `| ${d.directory} | ${d.files} | ${d.lines} |`);
  const files = count.directories.reduce((sum, d) => sum + d.files, 0);
  return [
    '| directory | files | lines of code |',
    '|---|---:|---:|',
    ...rows,
    `| **core** | ${files} | **${count.total}** |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const count = countCoreLines();
  console.log(formatCoreTable(count));
  if (process.argv.includes('--files')) {
    for (const file of [...count.files].sort((a, b) => b.lines - a.lines))
      console.log(`${String(file.lines).padStart(5)}  ${file.path}`);
  }
}
