const MARKERS: Readonly<Record<string, string>> = { Ġ: '␣', '▁': '␣', Ċ: '⏎', ĉ: '⇥' };

/**
 * Makes a token readable in a cell: spaces become '␣', newlines '⏎', tabs '⇥', other control
 * characters '·', an empty token '∅'. BPE/SentencePiece markers at the start of a token are
 * read the same way ('Ġthe' and '▁the' → '␣the', 'ĊĊ' → '⏎⏎'); elsewhere they are left
 * alone, as they may be real letters.
 */
export function displayToken(token: string): string {
  if (token.length === 0) return '∅';
  return token
    .replace(/^[Ġ▁Ċĉ]+/, (run) => Array.from(run, (c) => MARKERS[c]).join(''))
    .replace(/\r\n|[\n\r]/g, '⏎')
    .replace(/\t/g, '⇥')
    .replace(/ /g, '␣')
    .replace(/\p{Cc}/gu, '·');
}
