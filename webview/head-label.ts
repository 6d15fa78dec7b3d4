/** How a head is named on screen and in exports: "L0H5", 0-based, plus its own name when a file gave one. */
import { headLabel } from '../src/shared/protocol';

export { headLabel };

/** Names the core makes up ("head 3") say nothing beyond the label and are 1-based: they are left out. */
export function headTitle(layer: number, head: number, name: string | undefined): string {
  const label = headLabel(layer, head);
  return !name || name === label || /^head \d+$/.test(name) ? label : `${label} (${name})`;
}
