import * as vscode from 'vscode';
import type { ExportFormat } from '../shared/protocol';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV table': ['csv'] },
  json: { JSON: ['json'] },
};

/** Where the user wants an export, through the save dialog (next to `near`); undefined when cancelled. */
export function pickExportTarget(format: ExportFormat, suggestedName: string, near: vscode.Uri): Thenable<vscode.Uri | undefined> {
  const folder = vscode.Uri.joinPath(near, '..');
  const extension = `.${format}`;
  const name = suggestedName.endsWith(extension) ? suggestedName : suggestedName + extension;
  return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), filters: FILTERS[format], saveLabel: vscode.l10n.t('Export') });
}

export function showExported(target: vscode.Uri): void {
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}', target.path.split('/').pop() ?? ''));
}

/** Saves an export where the user picks, through the save dialog. Nothing is written without it. */
export async function saveExport(
  message: { format: ExportFormat; suggestedName: string; content: string },
  near: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const target = await pickExportTarget(message.format, message.suggestedName, near);
  if (!target) return undefined;
  const bytes = message.format === 'png' ? Buffer.from(message.content, 'base64') : Buffer.from(message.content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  showExported(target);
  return target;
}
