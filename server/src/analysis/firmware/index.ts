// Firmware analysis: the public face of the C/C++ scanner, the cross-file facts and the rules.
// The language server (diagnostics, code actions, lenses, hovers) and `tinyml check` call
// these functions; everything here is pure: text and bytes in, plain data out.

import type { Finding, FindingCode, Severity } from '../findings';
import { computeBudget } from '../budget';
import { loadModel } from '../../model/load';
import { formatBytes } from '../units';
import type { ArrayFact } from './facts';
import { lensesFor } from './lenses';
import { hoversFor } from './hovers';
import { arenaNeed, looksLikeTflite } from './modelArrays';
import { entryFor, keepOnly, Project, type FileEntry, type Located } from './project';
import { arenaSizeRule } from './rules/arenaSize';
import type { RuleContext } from './rules/context';
import { flashRule, ramRule } from './rules/memoryBudget';
import { graphFindings, modelChecksRule } from './rules/modelChecks';
import { opLayers, resolverRule } from './rules/resolverOps';
import { tflmCodeBytes } from './codeSize';
import { grouped } from './text';
import type { FirmwareAnalysis, FirmwareOptions, WorkspaceView } from './types';

export type { FirmwareAnalysis, FirmwareOptions, SourceFile, WorkspaceView } from './types';
export { forgetFile } from './project';

export const FIRMWARE_EXTENSIONS: readonly string[] = ['.c', '.cc', '.cpp', '.cxx', '.h', '.hh', '.hpp', '.ino'];

const RULES = [modelChecksRule, arenaSizeRule, resolverRule, ramRule, flashRule];

function applyOverride(f: Finding, overrides: FirmwareOptions['severityOverrides']): Finding | undefined {
  const o: Severity | 'off' | undefined = overrides?.[f.code as FindingCode];
  if (o === 'off') return undefined;
  return o ? { ...f, severity: o } : f;
}

function modelArraysOf(project: Project, deployments: RuleContext['deployments']): Located<ArrayFact>[] {
  const out: Located<ArrayFact>[] = [];
  const seen = new Set<ArrayFact>();
  const add = (a: Located<ArrayFact> | undefined) => {
    if (a && a.fact.init && !seen.has(a.fact)) {
      seen.add(a.fact);
      out.push(a);
    }
  };
  for (const d of deployments) add(d.model);
  for (const file of project.files) {
    for (const g of file.facts.getModels) if (g.array) add(project.arrayDefinition(g.array, file));
    for (const a of file.facts.arrays) if (looksLikeTflite(file, a)) add({ file, fact: a });
  }
  return out;
}

/** Analyze the workspace; findings/lenses/hovers only for `uris` when given (but resolve across all files). */
export function analyzeFirmware(
  ws: WorkspaceView,
  options: FirmwareOptions,
  uris?: readonly string[],
  cancel?: { readonly cancelled: boolean },
): FirmwareAnalysis {
  const empty: FirmwareAnalysis = { findings: [], lenses: [], hovers: [] };
  const entries: FileEntry[] = [];
  for (const f of ws.files()) {
    if (cancel?.cancelled) return empty;
    entries.push(entryFor(f.uri, f.text, f.version));
  }
  keepOnly(new Set(entries.map((e) => e.uri)));
  const project = new Project(entries);
  const deployments = project.deployments();
  const findings: Finding[] = [];
  const keys = new Set<string>();
  const ctx: RuleContext = {
    project,
    options,
    deployments,
    modelArrays: modelArraysOf(project, deployments),
    emit(f) {
      const key = `${f.uri}|${f.code}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
      if (keys.has(key)) return;
      keys.add(key);
      const kept = applyOverride(f, options.severityOverrides);
      if (kept) findings.push(kept);
    },
  };
  for (const rule of RULES) {
    if (cancel?.cancelled) return empty;
    rule(ctx);
  }
  const wanted = uris ? new Set(uris) : undefined;
  const keep = <T extends { uri: string }>(items: T[]) => (wanted ? items.filter((x) => wanted.has(x.uri)) : items);
  const byPosition = (a: Finding, b: Finding) =>
    a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  return { findings: keep(findings).sort(byPosition), lenses: keep(lensesFor(ctx)), hovers: keep(hoversFor(ctx)) };
}

/** Findings for a model file itself (.tflite/.onnx bytes): unreadable, does not fit the board (flash/RAM), ops TFLM has no kernel for. */
export function analyzeModelFile(uri: string, bytes: Uint8Array, options: FirmwareOptions): Finding[] {
  const at = { uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const { board, kernels } = options;
  const out: Finding[] = [];
  let graph;
  try {
    graph = loadModel(bytes, name);
  } catch (e) {
    out.push({ ...at, severity: 'error', code: 'model-unreadable', message: `${name} is not a valid model: ${(e as Error).message}` });
    return out.flatMap((f) => applyOverride(f, options.severityOverrides) ?? []);
  }
  const budget = computeBudget(graph, board, { kernels });
  const need = arenaNeed(budget, board, kernels);
  if (need.bytes > board.ramBytes) {
    out.push({
      ...at,
      severity: 'error',
      code: 'ram-over-budget',
      message: `${name} needs a ${grouped(need.bytes)}-byte (${formatBytes(need.bytes)}) tensor arena, more than the ${formatBytes(board.ramBytes)} of SRAM on the ${board.name}`,
    });
  }
  const code = tflmCodeBytes(opLayers(graph).size);
  if (budget.totals.flashBytes + code > board.flashBytes) {
    out.push({
      ...at,
      severity: 'error',
      code: 'flash-over-budget',
      message: `${name} (${formatBytes(budget.totals.flashBytes)}) plus ~${formatBytes(code)} of TFLM code exceeds the ${formatBytes(board.flashBytes)} of flash on the ${board.name}`,
    });
  }
  out.push(...graphFindings(graph, name, board, at));
  return out.flatMap((f) => applyOverride(f, options.severityOverrides) ?? []);
}
