/** Rewrites a safetensors file's tensors (rename, drop, reshape) to build bad or variant checkpoints in tests. */
import { parseSafetensorsHeader, safetensorsHeaderLength, type WeightDType } from '../../../src/core';

export interface RawTensor {
  readonly name: string;
  readonly dtype: WeightDType;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

export function readTensors(bytes: Uint8Array, file = 'model.safetensors'): RawTensor[] {
  const length = safetensorsHeaderLength(bytes.subarray(0, 8), file, bytes.length);
  const entries = parseSafetensorsHeader(bytes.subarray(8, 8 + length), file, bytes.length);
  return [...entries].map(([name, info]) => ({ name, dtype: info.dtype, shape: info.shape, data: bytes.subarray(info.begin, info.end) }));
}

export function writeTensors(tensors: readonly RawTensor[]): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

export function editTensors(bytes: Uint8Array, edit: (tensors: RawTensor[]) => RawTensor[]): Uint8Array {
  return writeTensors(edit(readTensors(bytes)));
}
