/** A count with its noun for messages: "1 head", "2 heads" (nouns whose plural adds an s). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
