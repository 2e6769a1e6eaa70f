import { isAbsolute, relative, resolve } from 'node:path';
import { readImageFile } from './decode-image.js';
import type { GrayImage } from './gray-image.js';
import { checkIndex, type LabeledImageSource } from './image-source.js';

/**
 * A plain list of image files (for example every image a pair list names), resolved against
 * `root`. All images carry label 0: the source is for embedding, not training.
 */
export class ImageFileList implements LabeledImageSource {
  readonly classNames: readonly string[] = ['unlabelled'];
  readonly paths: readonly string[];

  constructor(
    /** The names as given (keys of the embeddings). */
    readonly names: readonly string[],
    root = '.',
    options: {
      /**
       * Refuse a name that resolves outside `root` (an absolute path, `../..`): a list of names
       * is data, and data should not make the program read the user's other files.
       */
      confineToRoot?: boolean;
    } = {},
  ) {
    this.paths = names.map((name) => resolve(root, name));
    if (options.confineToRoot) {
      this.paths.forEach((path, i) => {
        const inside = relative(resolve(root), path);
        if (inside.startsWith('..') || isAbsolute(inside)) {
          throw new Error(`ImageFileList: '${names[i]}' is outside the root ${root}`);
        }
      });
    }
  }

  get size(): number {
    return this.names.length;
  }

  label(index: number): number {
    checkIndex(index, this.names.length);
    return 0;
  }

  describe(index: number): string {
    return this.paths[checkIndex(index, this.names.length)];
  }

  load(index: number): Promise<GrayImage> {
    return readImageFile(this.describe(index));
  }
}
