/**
 * The formatters by name. Each is pure: `format(item, ctx)` returns the
 * line(s) for one item without the trailing newline; `header(ctx)`, when
 * present, is printed once before the first item.
 */
import type { FormatName } from './names.js';
import type { Formatter } from './types.js';
import { csvHeader, formatCsv } from './csv.js';
import { formatJsonl } from './jsonl.js';
import { formatPretty } from './pretty.js';
import { formatRaw } from './raw.js';
import { formatTable, tableHeader } from './table.js';

const FORMATTERS: Readonly<Record<FormatName, Formatter>> = {
  pretty: { format: formatPretty },
  jsonl: { format: formatJsonl },
  table: { format: formatTable, header: tableHeader },
  raw: { format: formatRaw },
  csv: { format: formatCsv, header: csvHeader },
};

export function getFormatter(name: FormatName): Formatter {
  const f = FORMATTERS[name];
  if (f === undefined) throw new Error(`unknown format: ${String(name)}`);
  return f;
}

export type { Colorizer, FormatContext, FormatFn, Formatter } from './types.js';
export { createColorizer, PLAIN_COLORIZER } from './colorizer.js';
