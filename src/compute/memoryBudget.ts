import * as os from 'node:os';
import * as vscode from 'vscode';
import { budgetBytes } from '../shared/core';
import { memoryBudgetMB } from '../shared/settings';

/** The memory budget in bytes: setting selfAttention.memoryBudgetMB, capped at a quarter of this machine's memory. */
export function memoryBudgetBytes(): number {
  return budgetBytes(memoryBudgetMB(vscode.workspace.getConfiguration('selfAttention').get('memoryBudgetMB')), os.totalmem());
}
