// The Get Started walkthrough as package.json declares it: every string, button, image and completion event resolves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizeWords } from '../../../src/core/tokenize/words';
import { parseExampleArgs } from '../../../src/walkthrough/exampleArgs';

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string | Record<string, string>; altText?: string; markdown?: string; svg?: string };
  completionEvents: string[];
}

const walkthroughs: { id: string; title: string; description: string; steps: Step[] }[] = manifest.contributes.walkthroughs;
const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
const steps = walkthroughs[0].steps;

const isCommand = (id: string) => commands.has(id);

/** The English text of a manifest string: "%key%" is looked up in package.nls.json. */
function text(value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  if (key === undefined) return value;
  expect(nls, `package.nls.json has "${key}"`).toHaveProperty([key]);
  return nls[key];
}

/** The command links of a description: [label](command:id?args). */
function links(description: string): { label: string; command: string; args: unknown }[] {
  return [...description.matchAll(/\[([^\]]+)\]\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)].map(([, label, command, query]) => ({
    label, command, args: query === undefined ? undefined : JSON.parse(decodeURIComponent(query)),
  }));
}

/** The tokens an example shows: a tensor file's "tokens", a text example's words. */
function exampleTokens(name: string): string[] {
  const content = readFileSync(join(root, 'examples', name), 'utf8');
  return name.endsWith('.txt') ? tokenizeWords(content.trim()).map((t) => t.text) : JSON.parse(content).tokens;
}

const EXAMPLE_CONTEXT = /^onContext:selfAttention\.walkthroughExample == '([^']+)'$/;

describe('the Get Started walkthrough', () => {
  it('is one walkthrough of seven or more steps, each with a title, text, image and completion event', () => {
    expect(walkthroughs).toHaveLength(1);
    expect(text(walkthroughs[0].title)).toBe('Self-attention, step by step');
    expect(steps.length).toBeGreaterThanOrEqual(7);
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    for (const step of steps) {
      expect(text(step.title).length, step.id).toBeGreaterThan(0);
      expect(text(step.description).length, step.id).toBeGreaterThan(0);
      expect(step.completionEvents.length, step.id).toBeGreaterThan(0);
      expect(step.media.image, step.id).toBeDefined();
    }
  });

  it('resolves every %key% of package.json in package.nls.json, and every nls key is used', () => {
    const raw = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set([...raw.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]));
    expect([...used].filter((k) => !(k in nls))).toEqual([]);
    expect(Object.keys(nls).filter((k) => !used.has(k))).toEqual([]);
  });

  it('has an image with alt text for every step, and every image file exists', () => {
    for (const step of steps) {
      const images = typeof step.media.image === 'string' ? [step.media.image] : Object.values(step.media.image ?? {});
      for (const image of images) expect(existsSync(join(root, image)), `${step.id}: ${image}`).toBe(true);
      expect(text(step.media.altText ?? '').length, step.id).toBeGreaterThan(0);
      const vsixIgnore = readFileSync(join(root, '.vscodeignore'), 'utf8');
      expect(vsixIgnore, 'media/ ships in the .vsix').toContain('!media/**');
    }
  });

  it('gives every step a button, and every button runs a contributed command', () => {
    for (const step of steps) {
      const found = links(text(step.description));
      expect(found.length, `${step.id} has a button`).toBeGreaterThan(0);
      for (const link of found) expect(isCommand(link.command), `${step.id}: ${link.label} runs ${link.command}`).toBe(true);
    }
  });

  it('opens only bundled examples, with valid arguments and a token each example has', () => {
    for (const step of steps) {
      for (const link of links(text(step.description)).filter((l) => l.command === 'selfAttention.openExample')) {
        const parsed = parseExampleArgs(link.args);
        expect(parsed, `${step.id}: ${link.label}`).toMatchObject({ ok: true });
        if (!parsed.ok) continue;
        expect(existsSync(join(root, 'examples', parsed.request.example)), parsed.request.example).toBe(true);
        const token = parsed.request.ui.lockedToken;
        if (token != null) expect(token, `${step.id}: ${link.label}`).toBeLessThan(exampleTokens(parsed.request.example).length);
      }
    }
  });

  it('focuses "it" in the Q, K, V step', () => {
    const qkv = steps.find((s) => s.id === 'qkv')!;
    const [first] = links(text(qkv.description));
    const parsed = parseExampleArgs(first.args);
    expect(parsed.ok && parsed.request).toMatchObject({ example: 'animal-it.attention.json', ui: { view: 'tokens' } });
    if (parsed.ok) expect(exampleTokens('animal-it.attention.json')[parsed.request.ui.lockedToken!]).toBe('it');
  });

  it('completes each step on a valid event that its own buttons (or the action it teaches) raise', () => {
    for (const step of steps) {
      const opened = links(text(step.description))
        .filter((l) => l.command === 'selfAttention.openExample' && !(l.args as { editorOnly?: boolean }).editorOnly)
        .map((l) => (l.args as { example: string }).example);
      for (const event of step.completionEvents) {
        const example = EXAMPLE_CONTEXT.exec(event)?.[1];
        if (example !== undefined) {
          expect(opened, `${step.id}: ${event}`).toContain(example);
          continue;
        }
        const command = /^onCommand:([\w.]+)$/.exec(event)?.[1];
        expect(command, `${step.id}: ${event} is onCommand or the example context`).toBeDefined();
        expect(isCommand(command!), `${step.id}: ${event}`).toBe(true);
      }
    }
  });

  it('does not let one button check off another step', () => {
    const owners = new Map<string, string>();
    for (const step of steps) {
      for (const event of step.completionEvents) {
        expect(owners.get(event), `${event} completes ${owners.get(event)} and ${step.id}`).toBeUndefined();
        owners.set(event, step.id);
      }
    }
  });
});
