/** The index of the token whose [start, end) range holds the offset (or ends at it), else null. */
export function tokenAt(ranges: readonly (readonly [number, number])[], offset: number): number | null {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid];
    if (offset < start) hi = mid - 1;
    else if (offset > end) lo = mid + 1;
    else return mid;
  }
  return null;
}
