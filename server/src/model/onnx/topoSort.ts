// ONNX requires nodes in topological order, but hand-edited and some converted files are not.
// This keeps file order when it is already valid, otherwise sorts stably (lowest file index
// first among ready nodes) and rejects cycles.
import { ModelError } from '../graph';

export interface SortableNode {
  name: string;
  inputs: string[];
  outputs: string[];
}

/** Returns node indices in execution order. `producer` maps each value to the node writing it. */
export function topoOrder(nodes: SortableNode[], producer: Map<string, number>): number[] {
  const deps = nodes.map((n) => {
    const set = new Set<number>();
    for (const name of n.inputs) {
      const p = name ? producer.get(name) : undefined;
      if (p !== undefined) set.add(p);
    }
    return set;
  });
  if (deps.every((set, i) => [...set].every((p) => p < i))) return nodes.map((_, i) => i);

  const pending = deps.map((s) => s.size);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((set, i) => set.forEach((p) => users[p].push(i)));
  const ready = new MinHeap();
  pending.forEach((count, i) => count === 0 && ready.push(i));
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const u of users[i]) if (--pending[u] === 0) ready.push(u);
  }
  if (order.length < nodes.length) {
    const stuck = pending.findIndex((c) => c > 0);
    throw new ModelError(`ONNX: the graph has a cycle through node '${nodes[stuck].name}'`);
  }
  return order;
}

class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
