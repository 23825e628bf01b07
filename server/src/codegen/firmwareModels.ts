// Which model a firmware source runs (`tinyml/codegen/firmwareModels`, for Generate Op Resolver
// and Insert Arena Size): the `{ uri, arrayName }` of the model array, the same target the budget
// request and the code lenses use, found by linking MicroInterpreter → GetModel() → array.

import { entryFor, Project } from '../analysis/firmware/project';
import { looksLikeTflite } from '../analysis/firmware/modelArrays';
import type { WorkspaceView } from '../analysis/firmware/types';

export interface FirmwareModel {
  /** The file that defines the model array (its initializer). */
  uri: string;
  arrayName: string;
  /**
   * How it was found: `runs` a MicroInterpreter in this file runs it; `defined` this file defines
   * a model array; `workspace` the file neither runs nor defines one, but the workspace does.
   */
  via: 'runs' | 'defined' | 'workspace';
}

/** Model arrays for `uri`, most specific first, without duplicates. */
export function firmwareModels(ws: WorkspaceView, uri: string): FirmwareModel[] {
  const entries = [...ws.files()].map((f) => entryFor(f.uri, f.text, f.version));
  const project = new Project(entries);
  const deployments = project.deployments().filter((d) => d.model?.fact.init !== undefined);
  const out: FirmwareModel[] = [];
  const seen = new Set<string>();
  const add = (model: { uri: string; arrayName: string }, via: FirmwareModel['via']) => {
    const key = `${model.uri}#${model.arrayName}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...model, via });
  };

  for (const d of deployments) if (d.file.uri === uri && d.model) add({ uri: d.model.file.uri, arrayName: d.model.fact.name }, 'runs');
  if (out.length > 0) return out;

  const self = entries.find((e) => e.uri === uri);
  if (self) {
    for (const d of deployments) if (d.model && d.model.file === self) add({ uri, arrayName: d.model.fact.name }, 'defined');
    for (const a of self.facts.arrays) if (a.init && looksLikeTflite(self, a)) add({ uri, arrayName: a.name }, 'defined');
  }
  if (out.length > 0) return out;

  for (const d of deployments) if (d.model) add({ uri: d.model.file.uri, arrayName: d.model.fact.name }, 'workspace');
  return out;
}
