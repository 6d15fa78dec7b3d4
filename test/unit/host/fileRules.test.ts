// The file rules against real files: symlinks out and in, a FIFO, /dev/zero, a folder, an oversize file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedRoots, checkFile, isInside, readFileWithinRules, refusal, type ReadRules } from '../../../src/sources/fileRules';

let base: string;
let workspace: string;
let outside: string;
const rules = (over: Partial<ReadRules> = {}): ReadRules => ({ roots: [workspace], maxBytes: 1024, what: 'The file', ...over });

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-rules-'));
  workspace = path.join(base, 'workspace');
  outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(workspace, 'sub'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(workspace, 'a.npy'), 'inside');
  fs.writeFileSync(path.join(workspace, 'big.npy'), Buffer.alloc(1025));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'out.npy'));
  fs.symlinkSync(path.join(workspace, 'a.npy'), path.join(workspace, 'sub', 'in.npy'));
  fs.symlinkSync('/dev/zero', path.join(workspace, 'zero.npy'));
  fs.symlinkSync(path.join(workspace, 'loop2'), path.join(workspace, 'loop1'));
  fs.symlinkSync(path.join(workspace, 'loop1'), path.join(workspace, 'loop2'));
  fs.symlinkSync(outside, path.join(workspace, 'linked-dir'));
  execFileSync('mkfifo', [path.join(workspace, 'fifo.npy')]);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('file rules', () => {
  it('reads a regular file inside the workspace, whole', async () => {
    const read = await readFileWithinRules(path.join(workspace, 'a.npy'), rules());
    expect(read).toEqual({ ok: true, bytes: new Uint8Array(Buffer.from('inside')) });
    // The bytes fill their own buffer, so they can be transferred to the worker without a copy.
    if (read.ok) expect(read.bytes.buffer.byteLength).toBe(6);
  });

  it('follows a symlink that stays inside the workspace', async () => {
    const read = await readFileWithinRules(path.join(workspace, 'sub', 'in.npy'), rules());
    expect(read.ok && Buffer.from(read.bytes).toString()).toBe('inside');
  });

  it('refuses a symlink out of the workspace, naming where it leads', async () => {
    const read = await readFileWithinRules(path.join(workspace, 'out.npy'), rules());
    expect(read).toEqual({ ok: false, message: `The file was not read: its real path is ${fs.realpathSync(path.join(outside, 'secret.txt'))}, outside the workspace folder, and only files inside it are read.` });
    expect((await readFileWithinRules(path.join(workspace, 'linked-dir', 'secret.txt'), rules())).ok).toBe(false);
  });

  it('reads beside the file that names it only when that folder is a root', async () => {
    expect((await readFileWithinRules(path.join(outside, 'secret.txt'), rules())).ok).toBe(false);
    expect((await readFileWithinRules(path.join(outside, 'secret.txt'), rules({ roots: [workspace, outside] }))).ok).toBe(true);
  });

  it('refuses a symlink to /dev/zero at once, by its type', async () => {
    const read = await readFileWithinRules(path.join(workspace, 'zero.npy'), rules({ roots: [workspace, '/dev'] }));
    expect(read).toEqual({ ok: false, message: 'The file was not read: it is not a regular file (a device, pipe or socket).' });
    expect((await readFileWithinRules(path.join(workspace, 'zero.npy'), rules())).ok).toBe(false);
  });

  it('refuses a FIFO without opening it, so no read waits for a writer', async () => {
    const reads = await Promise.all([1, 2, 3, 4, 5].map(() => readFileWithinRules(path.join(workspace, 'fifo.npy'), rules())));
    for (const read of reads) expect(read).toEqual({ ok: false, message: 'The file was not read: it is not a regular file (a device, pipe or socket).' });
    // File I/O still answers after them.
    expect((await readFileWithinRules(path.join(workspace, 'a.npy'), rules())).ok).toBe(true);
  });

  it('refuses a folder, a file over the cap, a missing file and a symlink loop', async () => {
    expect(await readFileWithinRules(path.join(workspace, 'sub'), rules())).toEqual({ ok: false, message: 'The file was not read: it is a folder.' });
    expect(await readFileWithinRules(path.join(workspace, 'big.npy'), rules())).toEqual({ ok: false, message: 'The file was not read: it is 1.0 KB, more than the limit of 1.0 KB.' });
    expect(await readFileWithinRules(path.join(workspace, 'nope.npy'), rules())).toEqual({ ok: false, message: 'The file was not found.' });
    expect(await readFileWithinRules(path.join(workspace, 'loop1'), rules())).toEqual({ ok: false, message: 'The file was not read: it is a symbolic link loop.' });
  });

  it('an untrusted workspace reads only inside its folders, even beside a file the user opened', async () => {
    expect(allowedRoots([workspace], outside, true)).toEqual([workspace, outside]);
    expect(allowedRoots([workspace], outside, false)).toEqual([workspace]);
    const untrusted = rules({ roots: allowedRoots([workspace], outside, false) });
    expect((await readFileWithinRules(path.join(outside, 'secret.txt'), untrusted)).ok).toBe(false);
    expect((await readFileWithinRules(path.join(workspace, 'a.npy'), untrusted)).ok).toBe(true);
  });

  it('with no root (no folder, or an untrusted workspace without one) reads nothing', async () => {
    expect(await checkFile(path.join(workspace, 'a.npy'), rules({ roots: [] }))).toEqual({ ok: false, message: 'The file was not read: no workspace folder is open, and only files inside one are read.' });
  });

  it('decides by path segments, not string prefixes', () => {
    expect(isInside('/w/proj', '/w/proj/a')).toBe(true);
    expect(isInside('/w/proj', '/w/proj')).toBe(true);
    expect(isInside('/w/proj', '/w/project/a')).toBe(false);
    expect(isInside('/w/proj', '/w/proj/../x')).toBe(false);
    expect(isInside('/w/proj', '/w/proj/..name')).toBe(true);
    const file = { isFile: () => true, isDirectory: () => false, size: 10 * 1024 * 1024 };
    expect(refusal('/w/proj/a', file, { roots: ['/w/proj'], maxBytes: 5 * 1024 * 1024, what: 'a.npz' })).toBe('a.npz was not read: it is 10.0 MB, more than the limit of 5.0 MB.');
  });
});
