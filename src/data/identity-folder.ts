import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { imageExtensions, readImageFile } from './decode-image.js';
import type { GrayImage } from './gray-image.js';
import { checkIndex, type LabeledImageSource } from './image-source.js';

/** One image file of an identity folder. */
export interface IdentitySample {
  readonly path: string;
  readonly label: number;
}

/**
 * An image folder with one sub-folder per identity (the layout of CASIA-WebFace, ORL and
 * torchvision's ImageFolder). Identities and files are sorted by code unit, so labels are the same
 * on every machine.
 */
export class IdentityFolder implements LabeledImageSource {
  private constructor(
    /** The folder that holds the identity folders. */
    readonly root: string,
    readonly classNames: readonly string[],
    /** Every image, grouped by identity, in sorted order. */
    readonly samples: readonly IdentitySample[],
  ) {}

  /** Scans `root`; throws when it is missing, has no identity folders, or an identity has no image. */
  static async open(root: string): Promise<IdentityFolder> {
    const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`IdentityFolder: cannot read folder ${root} (${error.code ?? error.message})`);
    });
    const classNames = entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort(compareCodeUnits);
    if (classNames.length === 0) {
      throw new Error(`IdentityFolder: ${root} has no sub-folders (expected one folder of images per identity)`);
    }
    const samples: IdentitySample[] = [];
    for (const [label, name] of classNames.entries()) {
      const files = (await readdir(join(root, name), { withFileTypes: true }))
        .filter((entry) => entry.isFile() && imageExtensions.includes(extname(entry.name).toLowerCase()))
        .map((entry) => entry.name)
        .sort(compareCodeUnits);
      if (files.length === 0) {
        throw new Error(
          `IdentityFolder: identity folder ${join(root, name)} has no images (${imageExtensions.join(', ')})`,
        );
      }
      for (const file of files) samples.push({ path: join(root, name, file), label });
    }
    return new IdentityFolder(root, classNames, samples);
  }

  get size(): number {
    return this.samples.length;
  }

  label(index: number): number {
    return this.samples[checkIndex(index, this.samples.length)].label;
  }

  describe(index: number): string {
    return this.samples[checkIndex(index, this.samples.length)].path;
  }

  /** The path relative to the root with '/' separators, as pair lists write it (`s1/1.pgm`). */
  relativePath(index: number): string {
    const sample = this.samples[checkIndex(index, this.samples.length)];
    return sample.path
      .slice(this.root.length)
      .replace(/^[\\/]+/, '')
      .replaceAll('\\', '/');
  }

  load(index: number): Promise<GrayImage> {
    return readImageFile(this.describe(index));
  }
}

/** Plain code-unit order (Python's sorted), independent of the locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
