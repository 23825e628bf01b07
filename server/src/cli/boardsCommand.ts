// `tinyml boards [--json]`: the boards the budget knows.

import { listBoards } from '../analysis/boards';
import { formatBytes } from '../analysis/units';
import { parseArgs, UsageError } from './args';
import { renderTable } from './table';

export function boardsCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { flags: ['json'] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const boards = listBoards();
  if (args.flags.has('json')) {
    const rows = boards.map(({ id, name, mcu, core, clockMhz, ramBytes, flashBytes }) => ({
      id,
      name,
      mcu,
      core,
      clockMhz,
      ramBytes,
      flashBytes,
    }));
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  out(
    renderTable(
      [
        { title: 'id' },
        { title: 'name' },
        { title: 'mcu' },
        { title: 'core' },
        { title: 'MHz', align: 'right' },
        { title: 'RAM', align: 'right' },
        { title: 'flash', align: 'right' },
      ],
      boards.map((b) => [b.id, b.name, b.mcu, b.core, String(b.clockMhz), formatBytes(b.ramBytes), formatBytes(b.flashBytes)]),
    ),
  );
  return 0;
}
