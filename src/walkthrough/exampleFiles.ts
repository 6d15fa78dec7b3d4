import * as vscode from 'vscode';

/** URIs of the bundled examples: `self-attention-example:/animal-it.attention.json`. */
export const EXAMPLE_SCHEME = 'self-attention-example';

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: EXAMPLE_SCHEME, path: `/${name}` });
}

/**
 * The extension's own `examples/` folder as a read-only file system. The walkthrough opens examples
 * through it, so they open without a workspace, can never be saved over, and never write into the
 * user's workspace. Being a file system (not only a text provider), it serves every source alike:
 * JSON files, a sidecar's binary file and restore after a reload all read through `workspace.fs`.
 */
export class ExampleFiles implements vscode.FileSystemProvider {
  private readonly root: vscode.Uri;
  readonly onDidChangeFile = new vscode.EventEmitter<vscode.FileChangeEvent[]>().event;

  constructor(extensionUri: vscode.Uri) {
    this.root = vscode.Uri.joinPath(extensionUri, 'examples');
  }

  static register(extensionUri: vscode.Uri): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(EXAMPLE_SCHEME, new ExampleFiles(extensionUri), { isCaseSensitive: true, isReadonly: true });
  }

  /** The bundled file behind an example URI: only names directly inside `examples/`. */
  private bundled(uri: vscode.Uri): vscode.Uri {
    const name = uri.path.replace(/^\//, '');
    if (name === '') return this.root;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) throw vscode.FileSystemError.FileNotFound(uri);
    return vscode.Uri.joinPath(this.root, name);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const stat = await vscode.workspace.fs.stat(this.bundled(uri));
    return { type: stat.type, ctime: stat.ctime, mtime: stat.mtime, size: stat.size, permissions: vscode.FilePermission.Readonly };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const entries = await vscode.workspace.fs.readDirectory(this.bundled(uri));
    return entries.filter(([, type]) => type === vscode.FileType.File);
  }

  readFile(uri: vscode.Uri): Thenable<Uint8Array> {
    return vscode.workspace.fs.readFile(this.bundled(uri));
  }

  /** The examples never change while the extension runs. */
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(oldUri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }
}
