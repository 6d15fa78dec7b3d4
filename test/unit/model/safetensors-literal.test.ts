/**
 * Checkpoint headers, shard indexes and folders, literal values: the offsets a tensor is read at and every refusal's
 * sentence with the file it names (badInput.test.ts runs the common failures through loadModel).
 */
import { describe, expect, it } from 'vitest';
import { memoryFolder, ModelError, parseSafetensorsHeader, parseShardIndex, safetensorsHeaderLength, type ModelFolder } from '../../../src/core';
import { folderConfig, folderTensorSource, folderTokenizer } from '../../../src/core/model/folder';
import { decodeTensor, ITEM, mergeShards } from '../../../src/core/model/safetensors';

function refusal(run: () => unknown): { message: string; file: string | undefined } {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return { message: (e as Error).message, file: (e as ModelError).file };
  }
  throw new Error('expected a ModelError');
}

const json = (header: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(header));
const prefix = (lo: number, hi = 0): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, lo, true);
  new DataView(out.buffer).setUint32(4, hi, true);
  return out;
};

/** A safetensors file of float32 tensors, the k-th filled with k + 1. */
function checkpoint(tensors: Record<string, number[]>): Uint8Array {
  const header: Record<string, unknown> = {};
  const values: number[] = [];
  Object.entries(tensors).forEach(([name, shape], k) => {
    const count = shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [4 * values.length, 4 * (values.length + count)] };
    values.push(...new Array<number>(count).fill(k + 1));
  });
  const head = json(header);
  const out = new Uint8Array(8 + head.length + 4 * values.length);
  out.set(prefix(head.length));
  out.set(head, 8);
  out.set(new Uint8Array(Float32Array.from(values).buffer), 8 + head.length);
  return out;
}

describe('safetensors headers', () => {
  it('the length prefix: too short, over 100 MB, past the end', () => {
    expect(safetensorsHeaderLength(prefix(10), 'm', 18)).toBe(10);
    expect(safetensorsHeaderLength(prefix(0), 'm', 8)).toBe(0); // 8 bytes hold the length prefix
    expect(refusal(() => safetensorsHeaderLength(prefix(10).subarray(0, 7), 'm', 100))).toEqual({ message: 'm is truncated: it is 100 bytes long, too short for a safetensors header.', file: 'm' });
    expect(refusal(() => safetensorsHeaderLength(prefix(10), 'm', 7)).message).toBe('m is truncated: it is 7 bytes long, too short for a safetensors header.');
    expect(refusal(() => safetensorsHeaderLength(prefix(0, 1), 'm', 100)).message).toBe('m is not a safetensors file: its header claims to be over 100 MB.');
    expect(refusal(() => safetensorsHeaderLength(prefix(100 * 2 ** 20 + 1), 'm', 2 ** 30)).message).toBe('m is not a safetensors file: its header claims to be over 100 MB.');
    expect(safetensorsHeaderLength(prefix(100 * 2 ** 20), 'm', 2 ** 30)).toBe(100 * 2 ** 20);
    expect(refusal(() => safetensorsHeaderLength(prefix(11), 'm', 18)).message).toBe('m is truncated: its header claims 11 bytes, but the file has 10 after the length.');
  });

  it('entries get absolute offsets; __metadata__ is skipped', () => {
    const header = json({ __metadata__: { format: 'pt' }, a: { dtype: 'BF16', shape: [2, 3], data_offsets: [4, 16] }, b: { dtype: 'F16', shape: [], data_offsets: [0, 2] } });
    expect([...parseSafetensorsHeader(header, 'm', 8 + header.length + 16)]).toEqual([
      ['a', { dtype: 'BF16', shape: [2, 3], file: 'm', begin: 8 + header.length + 4, end: 8 + header.length + 16 }],
      ['b', { dtype: 'F16', shape: [], file: 'm', begin: 8 + header.length, end: 8 + header.length + 2 }],
    ]);
    expect(ITEM).toEqual({ F32: 4, F16: 2, BF16: 2 });
  });

  it('names the tensor and what is wrong with it', () => {
    const bad = (entry: unknown, size = 1000) => {
      const header = json({ t: entry });
      return refusal(() => parseSafetensorsHeader(header, 'm', size)).message;
    };
    expect(refusal(() => parseSafetensorsHeader(new TextEncoder().encode('{'), 'm', 100)).message).toMatch(/^m has a header that is not valid JSON \(.+\)\.$/);
    expect(refusal(() => parseSafetensorsHeader(new Uint8Array([0x7b, 0xff, 0x7d]), 'm', 100)).message).toMatch(/^m has a header that is not valid JSON/);
    expect(refusal(() => parseSafetensorsHeader(json([]), 'm', 100)).message).toBe('m has a header that is not a JSON object.');
    expect(refusal(() => parseSafetensorsHeader(json(null), 'm', 100)).message).toBe('m has a header that is not a JSON object.');
    // Valid JSON around a byte that is not UTF-8 (inside a tensor name): refused, not read as U+FFFD.
    const badName = new Uint8Array([...new TextEncoder().encode('{"t'), 0xff, ...new TextEncoder().encode('": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}')]);
    expect(refusal(() => parseSafetensorsHeader(badName, 'm', 1000)).message).toMatch(/^m has a header that is not valid JSON \(.+\)\.$/);
    expect(bad(3)).toBe('m, tensor "t", is not described by an object.');
    expect(bad(null)).toBe('m, tensor "t", is not described by an object.');
    expect(bad({ dtype: 'I8', shape: [1], data_offsets: [0, 1] })).toBe('m, tensor "t", has dtype "I8"; only F32, F16 and BF16 weights are read.');
    expect(bad({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] })).toBe('m, tensor "t", has no valid shape.');
    expect(bad({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] })).toBe('m, tensor "t", has no valid shape.');
    expect(bad({ dtype: 'F32', shape: 1, data_offsets: [0, 4] })).toBe('m, tensor "t", has no valid shape.');
    for (const offsets of [[0], [0, 4, 8], [-4, 0], [8, 4], 'x', [0, 4.5]]) {
      expect(bad({ dtype: 'F32', shape: [1], data_offsets: offsets })).toBe('m, tensor "t", has no valid data_offsets.');
    }
    expect(bad({ dtype: 'F16', shape: [2, 2], data_offsets: [0, 16] })).toBe('m, tensor "t", declares shape [2, 2] of F16 (8 bytes) but its data_offsets span 16.');
    expect(bad({ dtype: 'F16', shape: [2, 2], data_offsets: [4, 20] })).toBe('m, tensor "t", declares shape [2, 2] of F16 (8 bytes) but its data_offsets span 16.');
    const header = json({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    expect(refusal(() => parseSafetensorsHeader(header, 'm', 8 + header.length + 7)).message).toBe(`m is truncated: tensor "t" ends at byte ${8 + header.length + 8}, but the file has ${8 + header.length + 7}.`);
    expect(parseSafetensorsHeader(header, 'm', 8 + header.length + 8).get('t')?.end).toBe(8 + header.length + 8);
  });

  it('an empty tensor (an axis of 0) is valid: no bytes, begin = end', () => {
    const header = json({ t: { dtype: 'F32', shape: [0, 3], data_offsets: [4, 4] }, u: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
    const size = 8 + header.length + 4;
    expect(parseSafetensorsHeader(header, 'm', size).get('t')).toEqual({ dtype: 'F32', shape: [0, 3], file: 'm', begin: 8 + header.length + 4, end: 8 + header.length + 4 });
  });

  it('decodes each dtype to float32', () => {
    expect([...decodeTensor(new Uint8Array(new Float32Array([1.5, -2]).buffer), 'F32')]).toEqual([1.5, -2]);
    expect([...decodeTensor(new Uint8Array(new Uint16Array([0x3c00, 0xc000]).buffer), 'F16')]).toEqual([1, -2]);
    expect([...decodeTensor(new Uint8Array(new Uint16Array([0x3fc0, 0xc080]).buffer), 'BF16')]).toEqual([1.5, -4]);
  });
});

describe('shard indexes', () => {
  it('lists the shards in first-mention order and maps every tensor', () => {
    const index = parseShardIndex(JSON.stringify({ metadata: {}, weight_map: { a: 's2', b: 's1', c: 's2' } }));
    expect(index.files).toEqual(['s2', 's1']);
    expect([...index.weightMap]).toEqual([['a', 's2'], ['b', 's1'], ['c', 's2']]);
  });

  it('refuses what is not an index, and shard names that leave the folder', () => {
    const bad = (text: string, file?: string) => refusal(() => parseShardIndex(text, file));
    expect(bad('{')).toMatchObject({ file: 'model.safetensors.index.json' });
    expect(bad('{').message).toMatch(/^model\.safetensors\.index\.json is not valid JSON \(.+\)\.$/);
    expect(bad('{"weight_map": []}', 'i.json')).toEqual({ message: 'i.json has no "weight_map" object.', file: 'i.json' });
    expect(bad('[]').message).toBe('model.safetensors.index.json has no "weight_map" object.');
    expect(bad('{"weight_map": null}').message).toBe('model.safetensors.index.json has no "weight_map" object.');
    for (const shard of ['../x', 'a/b', 'a\\b', '.hidden', 3]) {
      expect(bad(JSON.stringify({ weight_map: { t: shard } })).message).toBe(`model.safetensors.index.json maps "t" to ${JSON.stringify(shard)}, which is not a file name in the model folder.`);
    }
  });

  it('checks that every tensor is in the shard the index names', () => {
    const info = (file: string) => ({ dtype: 'F32' as const, shape: [1], file, begin: 0, end: 4 });
    const headers = new Map([['s1', new Map([['a', info('s1')]])], ['s2', new Map([['b', info('s2')]])]]);
    expect([...mergeShards(headers).keys()]).toEqual(['a', 'b']);
    expect(mergeShards(headers, new Map([['a', 's1'], ['b', 's2']])).size).toBe(2);
    expect(refusal(() => mergeShards(headers, new Map([['a', 's3']])))).toEqual({ message: 'model.safetensors.index.json names shard s3, which is missing.', file: 'model.safetensors.index.json' });
    expect(refusal(() => mergeShards(headers, new Map([['a', 's2']])))).toEqual({ message: 'model.safetensors.index.json puts tensor "a" in s2, but that file does not hold it.', file: 's2' });
    expect(refusal(() => mergeShards(headers, new Map([['c', 's2']]))).message).toBe('model.safetensors.index.json puts tensor "c" in s2, but that file does not hold it.');
  });
});

describe('model folders', () => {
  const weights = checkpoint({ a: [2], b: [3] });

  it('reads config.json and tokenizer.json by name, or says what is missing', () => {
    const folder = memoryFolder(new Map([['config.json', '{"x":1}'], ['tokenizer.json', '{}']]));
    expect(folderConfig(folder)).toBe('{"x":1}');
    expect(folderTokenizer(folder)).toBe('{}');
    expect(folderTokenizer(memoryFolder(new Map([['config.json', '{}']])))).toBeUndefined();
    expect(refusal(() => folderConfig(memoryFolder(new Map())))).toEqual({ message: 'The folder has no config.json, so it is not a Hugging Face model folder.', file: 'config.json' });
  });

  it('without model.safetensors or an index: a pickle is named and refused; else both names are given', () => {
    expect(refusal(() => folderTensorSource(memoryFolder(new Map([['pytorch_model-00001.bin', new Uint8Array(4)]]))))).toEqual({
      message: 'The folder has only pytorch_model-00001.bin, a PyTorch pickle, which is never loaded (unpickling can run code); convert it to model.safetensors.',
      file: 'pytorch_model-00001.bin',
    });
    // A sharded pickle: its shard is named, not its index (which ends in .json).
    const shardedPickle = memoryFolder(new Map<string, string | Uint8Array>([['pytorch_model.bin.index.json', '{}'], ['pytorch_model-00001-of-00002.bin', new Uint8Array(4)]]));
    expect(refusal(() => folderTensorSource(shardedPickle)).file).toBe('pytorch_model-00001-of-00002.bin');
    expect(refusal(() => folderTensorSource(memoryFolder(new Map([['model.bin', new Uint8Array(4)]]))))).toEqual({
      message: 'The folder has no model.safetensors and no model.safetensors.index.json.',
      file: 'model.safetensors',
    });
  });

  it('reads a tensor whole, in part, or into a buffer, at its offset', () => {
    const source = folderTensorSource(memoryFolder(new Map([['model.safetensors', weights]])));
    expect([...new Float32Array(source.read('b').slice().buffer)]).toEqual([2, 2, 2]);
    expect([...new Float32Array(source.readPart('b', 4, 8).slice().buffer)]).toEqual([2, 2]);
    const target = new Uint8Array(8);
    source.readInto('a', target);
    expect([...new Float32Array(target.buffer)]).toEqual([1, 1]);
    expect(refusal(() => source.read('c')).message).toBe('No weights file holds tensor "c".');
    expect(() => source.readPart('b', 4, 9)).toThrow(new RangeError('internal: bytes 4…13 are outside tensor "b"'));
    expect(() => source.readPart('b', -1, 4)).toThrow(RangeError);
    expect(() => source.readInto('a', new Uint8Array(4))).toThrow(new RangeError('internal: tensor "a" does not fit 4 bytes'));
    expect(() => source.readInto('c', new Uint8Array(0))).toThrow(new RangeError('internal: tensor "c" does not fit 0 bytes'));
  });

  it('a sharded folder: each tensor is read from the shard the index names', () => {
    const index = JSON.stringify({ metadata: {}, weight_map: { a: 's1.safetensors', b: 's2.safetensors' } });
    const folder = memoryFolder(new Map<string, string | Uint8Array>([
      ['model.safetensors.index.json', index], ['s1.safetensors', checkpoint({ a: [2] })], ['s2.safetensors', checkpoint({ x: [1], b: [3] })],
    ]));
    const source = folderTensorSource(folder);
    expect([...source.tensors].map(([name, info]) => [name, info.file])).toEqual([['a', 's1.safetensors'], ['x', 's2.safetensors'], ['b', 's2.safetensors']]);
    expect([...new Float32Array(source.read('a').slice().buffer)]).toEqual([1, 1]);
    expect([...new Float32Array(source.read('b').slice().buffer)]).toEqual([2, 2, 2]);
  });

  it('a read that comes back short names the file as truncated', () => {
    const inner = memoryFolder(new Map([['model.safetensors', weights]]));
    let cut = 0; // bytes missing from each read, once the headers are in
    const short: ModelFolder = { ...inner, read: (name, offset, length) => inner.read(name, offset, length).subarray(0, length - cut) };
    const source = folderTensorSource(short);
    cut = 1;
    expect(refusal(() => source.read('a'))).toEqual({ message: 'model.safetensors is truncated: tensor "a" could not be read in full.', file: 'model.safetensors' });
    const withInto: ModelFolder = { ...inner, readInto: (_name, _offset, target) => target.length - 1 };
    expect(refusal(() => folderTensorSource(withInto).readInto('a', new Uint8Array(8)))).toEqual({ message: 'model.safetensors is truncated: tensor "a" could not be read in full.', file: 'model.safetensors' });
    let into = 0;
    const counted: ModelFolder = { ...inner, readInto: (name, offset, target) => (into++, target.set(inner.read(name, offset, target.length)), target.length) };
    const target = new Uint8Array(12);
    folderTensorSource(counted).readInto('b', target);
    expect([into, ...new Float32Array(target.buffer)]).toEqual([1, 2, 2, 2]);
  });

  it('a memory folder says which file it lacks', () => {
    expect(refusal(() => memoryFolder(new Map()).size('x.json'))).toEqual({ message: 'The folder has no x.json.', file: 'x.json' });
    expect(memoryFolder(new Map([['t', new TextEncoder().encode('hé')]])).readText('t')).toBe('hé');
    // A file given as text has its UTF-8 size and bytes.
    const text = memoryFolder(new Map([['t', 'hé']]));
    expect([text.size('t'), ...text.read('t', 1, 2)]).toEqual([3, 0xc3, 0xa9]);
  });
});
