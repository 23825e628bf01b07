// Code generation commands (#7): export as a C array, op resolver, arena size, and the
// walkthrough's sample project. Wiring only; each command is its own file.

import type * as vscode from 'vscode';
import type { CodegenServer } from './codegenServer';
import { registerCreateSampleProject } from './createSampleProject';
import { registerExportModel } from './exportModel';
import { registerGenerateResolver } from './generateResolver';
import { registerInsertArenaSize } from './insertArenaSize';

export function registerCodegen(context: vscode.ExtensionContext, server: CodegenServer): void {
  registerExportModel(context, server);
  registerGenerateResolver(context, server);
  registerInsertArenaSize(context, server);
  registerCreateSampleProject(context, server);
}
