import * as os from 'node:os';
import * as vscode from 'vscode';
import { budgetBytes, DEFAULT_MEMORY_BUDGET_MB } from '../core';

/** The memory budget in bytes: setting selfAttention.memoryBudgetMB, capped at a quarter of this machine's memory. */
export function memoryBudgetBytes(): number {
  return budgetBytes(vscode.workspace.getConfiguration('selfAttention').get<number>('memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB), os.totalmem());
}
