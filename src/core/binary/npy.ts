/**
 * NumPy .npy reader (format versions 1.0, 2.0 and 3.0). Accepts little-endian float32 ('<f4'),
 * float64 ('<f8') and float16 ('<f2'), converted to float32, in C order only.
 *
 * Layout: "\x93NUMPY", major, minor, header length (uint16 LE in v1, uint32 LE in v2/v3), then a
 * Python dict literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (12, 12, 512, 512), },
 * then the raw data.
 */
import { type DType, type TensorRead, ITEM_SIZE, bad, checkShape, formatBytes, formatShape, toFloat32 } from './common';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** A real header is a few hundred bytes; anything far bigger is hostile. */
const MAX_HEADER = 1024 * 1024;

const DESCR: Readonly<Record<string, DType>> = {
  '<f4': 'f4', '<f8': 'f8', '<f2': 'f2',
  // Single-byte order marks: '|' and '=' (native order; every platform the extension runs on is little-endian).
  '=f4': 'f4', '=f8': 'f8', '=f2': 'f2',
};

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

interface NpyHeader {
  readonly dtype: DType;
  readonly shape: number[];
  readonly dataOffset: number;
}

function readHeader(bytes: Uint8Array): NpyHeader | string {
  if (!isNpy(bytes)) return 'it is not a NumPy .npy file (it does not start with "\\x93NUMPY")';
  if (bytes.length < 10) return `it is truncated: ${bytes.length} bytes, too short for a .npy header`;
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) return `it uses .npy format version ${major}.${bytes[7]}; versions 1.0, 2.0 and 3.0 are supported`;
  const lenBytes = major === 1 ? 2 : 4;
  const pre = 8 + lenBytes;
  if (bytes.length < pre) return `it is truncated inside the .npy preamble (${bytes.length} bytes)`;
  const headerLen = major === 1 ? bytes[8] | (bytes[9] << 8) : (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
  if (headerLen > MAX_HEADER) return `its header claims to be ${formatBytes(headerLen)} long, far more than a .npy header needs`;
  if (pre + headerLen > bytes.length) return `it is truncated: the header claims ${headerLen} bytes, but the file ends after ${bytes.length - pre}`;
  const raw = bytes.subarray(pre, pre + headerLen);
  const header = major === 3 ? new TextDecoder('utf-8').decode(raw) : latin1(raw);

  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(header);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(header)) return 'it holds a structured array (a record dtype); save a plain float array, e.g. np.save(path, attn.astype(np.float32))';
    return 'its header has no "descr" (the data type)';
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  if (!fortran) return 'its header has no "fortran_order"';
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) return 'its header has no "shape"';

  const code = descr[2];
  const dtype = DESCR[code] ?? (code.length === 3 && code[0] === '|' ? DESCR[`<${code.slice(1)}`] : undefined);
  if (dtype === undefined) {
    const hint = code.startsWith('>')
      ? 'it is big-endian; convert with attn.astype("<f4")'
      : 'convert with attn.astype(np.float32)';
    return `its data type is "${code}", but only float32 ("<f4"), float64 ("<f8") and float16 ("<f2") are read: ${hint}`;
  }
  if (fortran[1] === 'True') {
    return 'it is stored in Fortran (column-major) order; save a C-order array instead: np.save(path, np.ascontiguousarray(attn))';
  }
  const parts = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,16}L?$/.test(p)) return `its shape (${shapeMatch[1].trim()}) is not a tuple of whole numbers`;
    shape.push(Number(p.replace(/L$/, '')));
  }
  return { dtype, shape, dataOffset: pre + headerLen };
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Reads a .npy file. float32 data comes back as a view on `bytes` (no copy) when aligned, so do not
 * modify `bytes` afterwards. `label` names the file in messages.
 */
export function readNpy(bytes: Uint8Array, label = 'The .npy file'): TensorRead {
  const h = readHeader(bytes);
  if (typeof h === 'string') return bad(`${label} cannot be read: ${h}.`);
  const count = checkShape(h.shape);
  if (typeof count === 'string') return bad(`${label} cannot be read: ${count}.`);
  const need = count * ITEM_SIZE[h.dtype];
  const have = bytes.length - h.dataOffset;
  if (have < need) {
    return bad(`${label} is truncated: its shape ${formatShape(h.shape)} needs ${formatBytes(need)} of data, but only ${formatBytes(have)} follow the header.`);
  }
  return { ok: true, tensor: { shape: h.shape, data: toFloat32(bytes, h.dataOffset, count, h.dtype) } };
}
