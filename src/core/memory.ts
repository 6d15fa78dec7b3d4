/** Memory sizes: the budget a setting gives, and how a size is written. A leaf: it imports nothing. */
const MB = 1024 * 1024;

/** The budget in bytes: `megabytes` (the setting, already checked), at most a quarter of the machine's memory. */
export function budgetBytes(megabytes: number, totalMemoryBytes: number): number {
  return Math.floor(Math.min(megabytes * MB, totalMemoryBytes / 4));
}

export function formatMemory(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(bytes >= 100 * MB ? 0 : 1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
