import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

/** Files above this size are not scanned for token positions (the views still work; the editor sync does not). */
const MAX_SCAN_CHARS = 8 * 1024 * 1024;

/** Offsets of the `tokens` (and `key_tokens`) strings in a tensor file, for editor sync. */
export function tokenStringRanges(text: string): { queries: [number, number][]; keys: [number, number][] } | undefined {
  if (text.length > MAX_SCAN_CHARS) return undefined;
  const root = parseTree(text);
  if (!root) return undefined;
  const queries = stringRanges(findNodeAtLocation(root, ['tokens']));
  if (!queries) return undefined;
  return { queries, keys: stringRanges(findNodeAtLocation(root, ['key_tokens'])) ?? queries };
}

function stringRanges(node: Node | undefined): [number, number][] | undefined {
  if (!node || node.type !== 'array' || !node.children) return undefined;
  return node.children.map((c) => [c.offset, c.offset + c.length]);
}
