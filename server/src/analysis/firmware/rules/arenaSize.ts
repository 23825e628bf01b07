// arena-too-small / arena-oversized: the declared kTensorArenaSize against what the model
// needs on this board's TFLM build, with a fix that writes need + margin in the user's style.

import { formatBytes } from '../../units';
import { arenaNeed, budgetOf, modelOf } from '../modelArrays';
import type { ValueSite } from '../project';
import { grouped, rangeOf, replace, roundUp } from '../text';
import { kernelLabel, type RuleContext } from './context';

/** The text to write for `bytes` in the form the user wrote: `23 * 1024`, `0x6000`, `25120`. */
export function sizeText(site: ValueSite, bytes: number): { text: string; value: number } {
  const old = site.file.text.slice(site.span.start, site.span.end);
  const kib = /^(\(?\s*)(\d+)(\s*\*\s*1024[uUlL]*\s*\)?)$/.exec(old) ?? /^(\(?\s*1024[uUlL]*\s*\*\s*)(\d+)(\s*\)?)$/.exec(old);
  const k = Math.ceil(bytes / 1024);
  if (kib) return { text: `${kib[1]}${k}${kib[3]}`, value: k * 1024 };
  // Any other `(...) * 1024`: the user counts in KiB, so write whole KiB.
  if (/\*\s*1024[uUlL]*\s*\)?$/.test(old)) return { text: `${k} * 1024`, value: k * 1024 };
  if (/^0[xX]/.test(old)) return { text: `0x${bytes.toString(16).toUpperCase()}`, value: bytes };
  return { text: String(bytes), value: bytes };
}

/** need + margin, rounded up to 16 bytes (TFLM aligns the arena to 16). */
export function recommendedArena(needBytes: number, marginPercent: number): number {
  return roundUp(Math.ceil((needBytes * (100 + marginPercent)) / 100), 16);
}

export function arenaSizeRule(ctx: RuleContext): void {
  const { board, kernels, arenaMarginPercent } = ctx.options;
  for (const d of ctx.deployments) {
    const site = d.arena?.size;
    const declared = d.arena?.declaredBytes;
    if (!d.model || !site || declared === undefined) continue;
    const info = modelOf(d.model);
    if (!info.graph) continue;
    const need = arenaNeed(budgetOf(d.model, info.graph, board, kernels), board, kernels);
    const fix = sizeText(site, recommendedArena(need.bytes, arenaMarginPercent));
    const model = d.model.fact.name;
    const related = [{ uri: d.model.file.uri, range: rangeOf(d.model.file, d.model.fact.nameSpan), message: `the model array ${model}` }];
    const setFix = {
      title: `Set ${site.label} to ${fix.text} (${grouped(fix.value)} bytes: need + ${arenaMarginPercent}% margin)`,
      edits: [replace(site.file, site.span, fix.text)],
      isPreferred: true,
    };
    const parts = `planned ${grouped(need.planned)} + persistent ${grouped(need.persistent)}${need.headroom > 0 ? ` + ${grouped(need.headroom)} set-up headroom` : ''}`;
    if (declared < need.bytes) {
      ctx.emit({
        uri: site.file.uri,
        range: rangeOf(site.file, site.span),
        severity: 'error',
        code: 'arena-too-small',
        message:
          `${site.label} is ${grouped(declared)} bytes (${formatBytes(declared)}) but ${model} needs ${grouped(need.bytes)} bytes ` +
          `(${formatBytes(need.bytes)}) on a 32-bit TFLM build with ${kernelLabel(need.kernels)} kernels (${parts}): AllocateTensors() fails`,
        fixes: [setFix],
        related,
      });
    } else if (declared > fix.value) {
      const wasted = declared - need.bytes;
      ctx.emit({
        uri: site.file.uri,
        range: rangeOf(site.file, site.span),
        severity: 'info',
        code: 'arena-oversized',
        message:
          `${site.label} is ${grouped(declared)} bytes (${formatBytes(declared)}) but ${model} needs only ${grouped(need.bytes)} bytes ` +
          `(${formatBytes(need.bytes)}) with ${kernelLabel(need.kernels)} kernels: ${grouped(wasted)} bytes (${formatBytes(wasted)}) of RAM wasted; ` +
          `${fix.text} keeps a ${arenaMarginPercent}% margin`,
        fixes: [setFix],
        related,
      });
    }
  }
}
