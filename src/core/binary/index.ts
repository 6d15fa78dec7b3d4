/** Binary attention tensors: .npy, .npz (NumPy) and .safetensors (Hugging Face). Pure readers. */
export { type BinaryTensor, type TensorRead, MAX_TENSOR_ELEMENTS, halfToFloat } from './common';
export { isNpy, readNpy } from './npy';
export { isZip, readNpz, zipEntries } from './npz';
export { readSafetensors } from './safetensors';
export { type BinaryAttention, attentionFromTensor, checkAttentionWeights, positionTokens, tokensFromMetadata } from './attention';
export { type BinaryFormat, BINARY_EXTENSIONS, binaryFormat, readBinaryTensor } from './read';
export { type BinaryAttentionInput, parseBinaryAttention } from './load';
