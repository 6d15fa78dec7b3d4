/**
 * Where a popup goes so that its whole box is inside the viewport: beside the anchor (right, then left),
 * else below or above it, else clamped over it. Pure, so every popup in the webview places itself the same way.
 */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Gap between the anchor and the popup, and between the popup and the viewport edge, in CSS px. */
const GAP = 8;
const EDGE = 4;

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** Top-left corner (viewport CSS px) for a popup of `size` next to `anchor`, inside a viewport of `view`. */
export function placePopup(
  anchor: Box,
  size: { readonly width: number; readonly height: number },
  view: { readonly width: number; readonly height: number },
): { x: number; y: number } {
  const maxX = Math.max(EDGE, view.width - size.width - EDGE);
  const maxY = Math.max(EDGE, view.height - size.height - EDGE);
  const besideY = clamp(anchor.top, EDGE, maxY);
  const right = anchor.left + anchor.width + GAP;
  if (right + size.width <= view.width - EDGE) return { x: right, y: besideY };
  const left = anchor.left - GAP - size.width;
  if (left >= EDGE) return { x: left, y: besideY };
  const alongX = clamp(anchor.left + anchor.width / 2 - size.width / 2, EDGE, maxX);
  const below = anchor.top + anchor.height + GAP;
  if (below + size.height <= view.height - EDGE) return { x: alongX, y: below };
  const above = anchor.top - GAP - size.height;
  if (above >= EDGE) return { x: alongX, y: above };
  // No side has room: cover the anchor rather than cut the popup off.
  return { x: alongX, y: maxY };
}
