// Answers the code-generation requests (`tinyml/codegen/*` in protocol.ts): reads a model's bytes
// (a model file, or an array in a C/C++ source, open buffers with their edits) and hands them to
// the core's generators; the extension host never parses a model.

import { basename, extname } from 'node:path';
import { findBoard } from '../analysis/boards';
import { computeBudget } from '../analysis/budget';
import { arenaSizeDeclaration } from '../codegen/arenaDeclaration';
import { exportCArray } from '../codegen/cArrayExport';
import { firmwareModels } from '../codegen/firmwareModels';
import { generateResolver } from '../codegen/resolver';
import type { Graph } from '../model/graph';
import { canonicalUri } from './diskWorkspace';
import { readModelSource } from './modelSource';
import type {
  CodegenArenaSizeRequest,
  CodegenExportRequest,
  CodegenFailure,
  CodegenFirmwareModelsRequest,
  CodegenModelTarget,
  CodegenResolverRequest,
} from './protocol';
import type { Settings } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CodegenDeps {
  index: Pick<WorkspaceIndex, 'folderOf' | 'scanned' | 'view'>;
  /** The settings of the folder holding a (canonical) uri. */
  settings: (uri: string) => Promise<Settings>;
  /** The text of an open buffer, by canonical uri. */
  textOf: (uri: string) => string | undefined;
}

interface ReadModel {
  bytes: Uint8Array;
  graph: Graph;
  /** The file's stem for a model file, the array's name for an embedded model. */
  modelName: string;
}

export function codegenHandlers(deps: CodegenDeps) {
  return {
    firmwareModels: async (params: CodegenFirmwareModelsRequest.Params): Promise<CodegenFirmwareModelsRequest.Result> => {
      const uri = canonicalUri(params.uri);
      const folder = deps.index.folderOf(uri);
      await deps.index.scanned(folder);
      return { models: firmwareModels(deps.index.view(folder), uri) };
    },

    resolver: async (params: CodegenResolverRequest.Params): Promise<CodegenResolverRequest.Result> => {
      if (params.variableName !== undefined && !IDENTIFIER.test(params.variableName)) {
        return { ok: false, reason: 'bad-request', message: `'${params.variableName}' is not a C identifier.` };
      }
      const read = await readModel(params, deps.textOf);
      if ('ok' in read) return read;
      const generated = generateResolver(read.graph, { variableName: params.variableName, style: params.style, modelName: read.modelName });
      return { ok: true, modelName: read.modelName, ...generated };
    },

    arenaSize: async (params: CodegenArenaSizeRequest.Params): Promise<CodegenArenaSizeRequest.Result> => {
      const settings = await deps.settings(canonicalUri(params.firmwareUri));
      const board = params.board !== undefined ? findBoard(params.board) : settings.board;
      if (!board) return { ok: false, reason: 'unknown-board', message: `Unknown board '${params.board}' (run 'tinyml boards' for the list).` };
      const margin = params.marginPercent ?? settings.arenaMarginPercent;
      if (!Number.isFinite(margin) || margin < 0) return { ok: false, reason: 'bad-request', message: `A margin of ${margin}% is not a non-negative number.` };
      const kernels = params.kernels ?? settings.kernels;
      const read = await readModel(params.model, deps.textOf);
      if ('ok' in read) return read;
      const budget = computeBudget(read.graph, board, { kernels });
      const declaration = arenaSizeDeclaration(budget, board, margin, kernels, read.modelName);
      return { ok: true, modelName: read.modelName, board: board.id, marginPercent: margin, ...declaration };
    },

    exportCArray: async (params: CodegenExportRequest.Params): Promise<CodegenExportRequest.Result> => {
      if (!IDENTIFIER.test(params.name)) return { ok: false, reason: 'bad-request', message: `'${params.name}' is not a C identifier.` };
      const read = await readModel(params, deps.textOf);
      if ('ok' in read) return read;
      const { header, source } = exportCArray(read.bytes, { name: params.name, headerName: params.headerName, progmem: params.progmem });
      return { ok: true, header, source, byteLength: read.bytes.length };
    },
  };
}

/** A model's bytes and graph, or a failure that names the file (and array). */
async function readModel(target: CodegenModelTarget, textOf: CodegenDeps['textOf']): Promise<ReadModel | CodegenFailure> {
  const read = await readModelSource(target, textOf(canonicalUri(target.uri)), (where, message) => `${where} is not a valid model: ${message}`);
  if (!read.ok) return read;
  return { bytes: read.bytes, graph: read.graph, modelName: read.array?.name ?? basename(read.fileName, extname(read.fileName)) };
}
