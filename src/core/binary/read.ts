/** Picks the reader by file extension. */
import { type TensorRead, bad } from './common';
import { readNpy } from './npy';
import { readNpz } from './npz';
import { readSafetensors } from './safetensors';

export type BinaryFormat = 'npy' | 'npz' | 'safetensors';

export const BINARY_EXTENSIONS: readonly string[] = ['.npy', '.npz', '.safetensors'];

/** The format a file name says it has, or undefined. */
export function binaryFormat(fileName: string): BinaryFormat | undefined {
  const m = /\.(npy|npz|safetensors)$/i.exec(fileName);
  return m ? (m[1].toLowerCase() as BinaryFormat) : undefined;
}

/**
 * Reads the attention tensor of a binary file, by its extension. `name`: the array inside .npz / .safetensors.
 * `maxBytes` caps what decompressing may allocate (the other formats hold no more than the file's own size).
 */
export function readBinaryTensor(bytes: Uint8Array, fileName: string, name?: string, maxBytes = Infinity): TensorRead {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const format = binaryFormat(base);
  switch (format) {
    case 'npy':
      return readNpy(bytes, base);
    case 'npz':
      return readNpz(bytes, name, base, maxBytes);
    case 'safetensors':
      return readSafetensors(bytes, name, base);
    default:
      return bad(`${base} is not a binary attention file: use .npy, .npz or .safetensors.`);
  }
}
