import * as vscode from 'vscode';
import type { ExportFormat } from '../shared/protocol';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV table': ['csv'] },
  json: { JSON: ['json'] },
};

/** Saves an export where the user picks, through the save dialog. Nothing is written without it. */
export async function saveExport(
  message: { format: ExportFormat; suggestedName: string; content: string },
  near: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const folder = vscode.Uri.joinPath(near, '..');
  const extension = `.${message.format}`;
  const name = message.suggestedName.endsWith(extension) ? message.suggestedName : message.suggestedName + extension;
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, name),
    filters: FILTERS[message.format],
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return undefined;
  const bytes = message.format === 'png' ? Buffer.from(message.content, 'base64') : Buffer.from(message.content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}', target.path.split('/').pop() ?? ''));
  return target;
}
