import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Command, Option } from 'commander';
import {
  IdentityFolder,
  ImageFileList,
  imageExtensions,
  type LabeledImageSource,
  writeFileAtomic,
} from '../../data/index.js';
import { embedSource, l2Normalize } from '../../eval/index.js';
import { serializeSafetensors } from '../../io/index.js';
import { noGrad, Tensor } from '../../tensor/index.js';
import { loadEmbeddingModel } from '../../train/index.js';
import { integerIn, runAction } from '../options.js';

interface EmbedFlags {
  model: string;
  images: string;
  out: string;
  format?: 'json' | 'safetensors';
  batchSize: number;
  inputSize?: number;
  embeddingSize?: number;
  raw?: boolean;
  flip?: boolean;
}

/** The images of a folder: an identity folder if it has sub-folders, else the image files in it. */
async function openImages(folder: string): Promise<{ source: LabeledImageSource; names: string[] }> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read folder ${folder} (${error.code ?? error.message})`);
  });
  if (entries.some((e) => e.isDirectory())) {
    const identities = await IdentityFolder.open(folder);
    return { source: identities, names: Array.from({ length: identities.size }, (_, i) => identities.relativePath(i)) };
  }
  const names = entries
    .filter((e) => e.isFile() && imageExtensions.includes(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  if (names.length === 0)
    throw new Error(`${folder} has no images (${imageExtensions.join(', ')}) and no identity folders`);
  return { source: new ImageFileList(names.map((n) => join(folder, n))), names };
}

/** `arcgrad embed`: write the embeddings of a folder of images. */
export function embedCommand(): Command {
  return new Command('embed')
    .description('Embed every image of a folder (or of an identity folder) with a trained model.')
    .requiredOption('--model <file>', 'checkpoint from arcgrad train, or plain FaceMobileNet safetensors')
    .requiredOption('--images <folder>', 'folder of images, or identity folder with one sub-folder per person')
    .requiredOption('--out <file>', 'output file (.json or .safetensors)')
    .addOption(
      new Option('--format <format>', 'output format (default: from the extension)').choices(['json', 'safetensors']),
    )
    .option('--batch-size <n>', 'images per forward pass', integerIn(1), 64)
    .option('--input-size <px>', 'input side, for plain weights without arcgrad metadata', integerIn(16))
    .option('--embedding-size <n>', 'embedding length, for plain weights', integerIn(1))
    .option('--raw', "write the model's raw outputs instead of unit-length (L2-normalised) embeddings")
    .option('--flip', 'flip test-time augmentation: each embedding is the image plus its mirror image')
    .addHelpText(
      'after',
      `
Embeddings are L2-normalised (length 1) unless --raw is given, so the dot product of two is their
cosine similarity, the score arcgrad test and arcgrad verify use; the raw outputs' lengths vary
from image to image and mean nothing for verification.

JSON: {"model", "inputSize", "embeddingSize", "normalized", "embeddings": {"<name>": [numbers]}}.
safetensors: one tensor "embeddings" [images, embeddingSize]; metadata "names" holds the image names
(JSON list), "normalized" is "true" or "false".

Examples:
  $ arcgrad embed --model runs/orl/checkpoint-epoch-030.safetensors --images ../shared/datasets/orl_faces --out orl.json
  $ arcgrad embed --model runs/demo/checkpoints/checkpoint-epoch-006.safetensors --images photos/ --out photos.safetensors
  $ arcgrad embed --model model.safetensors --images photos/ --out raw.json --raw     # the model's outputs as they are`,
    )
    .action(
      runAction('embed', async (flags: EmbedFlags) => {
        const format = flags.format ?? (flags.out.endsWith('.safetensors') ? 'safetensors' : 'json');
        const { model, inputSize } = loadEmbeddingModel(flags.model, flags);
        const { source, names } = await openImages(flags.images);
        const outputs = await embedSource((x) => noGrad(() => model.forward(x)), source, {
          side: inputSize,
          batchSize: flags.batchSize,
          flip: flags.flip,
        });
        const normalized = !flags.raw;
        const embeddings = normalized ? outputs.map(l2Normalize) : outputs;
        const size = embeddings[0].length;
        if (format === 'json') {
          const byName = Object.fromEntries(names.map((name, i) => [name, Array.from(embeddings[i])]));
          const document = { model: flags.model, inputSize, embeddingSize: size, normalized, embeddings: byName };
          await writeFileAtomic(flags.out, `${JSON.stringify(document)}\n`);
        } else {
          const matrix = new Float32Array(names.length * size);
          embeddings.forEach((e, i) => {
            matrix.set(e, i * size);
          });
          const bytes = serializeSafetensors(
            { embeddings: new Tensor(matrix, [names.length, size]) },
            {
              metadata: {
                names: JSON.stringify(names),
                model: flags.model,
                inputSize: String(inputSize),
                normalized: String(normalized),
              },
            },
          );
          await writeFileAtomic(flags.out, bytes);
        }
        console.log(
          `${flags.out}: ${names.length} ${normalized ? 'unit-length' : 'raw'} embeddings of length ${size} (${format})`,
        );
      }),
    );
}
