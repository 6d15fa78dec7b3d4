import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayPath, modelRoot, readConfinedText, resolveModelFile, shortModelPath } from '../../../src/models/modelFolder';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'model-folder-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('modelRoot', () => {
  it('is the cache entry for a Hub snapshot and the folder itself otherwise', async () => {
    const snapshot = path.join(dir, 'models--a--b', 'snapshots', 'rev');
    mkdirSync(snapshot, { recursive: true });
    expect(await modelRoot(snapshot)).toBe(path.join(dir, 'models--a--b'));
    expect(await modelRoot(dir)).toBe(dir);
  });
});

describe('resolveModelFile', () => {
  it('follows a symlink that stays inside the root', async () => {
    mkdirSync(path.join(dir, 'blobs'));
    writeFileSync(path.join(dir, 'blobs', 'b1'), 'abc');
    mkdirSync(path.join(dir, 'snap'));
    symlinkSync('../blobs/b1', path.join(dir, 'snap', 'config.json'));
    expect(await resolveModelFile(path.join(dir, 'snap'), 'config.json', dir)).toMatchObject({ path: path.join(dir, 'blobs', 'b1'), size: 3 });
  });

  it('refuses a symlink out of the root, names with folders, folders and missing files, naming the file', async () => {
    const model = path.join(dir, 'model');
    mkdirSync(model);
    writeFileSync(path.join(dir, 'outside.txt'), 'x');
    symlinkSync(path.join(dir, 'outside.txt'), path.join(model, 'model.safetensors'));
    mkdirSync(path.join(model, 'sub'));
    await expect(resolveModelFile(model, 'model.safetensors', model)).rejects.toThrow(/model\.safetensors .*links outside the model's folder/);
    await expect(resolveModelFile(model, '../outside.txt', model)).rejects.toThrow(/not a plain file name/);
    await expect(resolveModelFile(model, 'sub', model)).rejects.toThrow(/sub .*not a regular file/);
    await expect(resolveModelFile(model, 'config.json', model)).rejects.toThrow(/config\.json is missing from/);
  });

  it('refuses a text file above its cap', async () => {
    writeFileSync(path.join(dir, 'config.json'), 'x'.repeat(2000));
    await expect(readConfinedText(dir, 'config.json', dir, 1000)).rejects.toThrow(/config\.json is 2 kB, more than the 1 kB/);
  });
});

describe('displayPath', () => {
  it('shortens the home folder to ~', () => {
    expect(displayPath('/home/u/.cache/x', '/home/u')).toBe('~/.cache/x');
    expect(displayPath('/opt/models/x', '/home/u')).toBe('/opt/models/x');
  });
});

describe('shortModelPath', () => {
  it('names a Hub snapshot by its cache and id, and other folders by their path', () => {
    expect(shortModelPath('/home/u/.cache/huggingface/hub/models--openai-community--gpt2/snapshots/abc', '/home/u')).toBe('~/.cache/huggingface/hub/…/openai-community/gpt2');
    expect(shortModelPath('/home/u/models/gpt2', '/home/u')).toBe('~/models/gpt2');
  });
});
