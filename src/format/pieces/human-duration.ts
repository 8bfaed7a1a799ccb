/**
 * A duration in nanoseconds (decimal string, may be negative: lnd's clock can
 * step back) for people: "850 ns", "42 µs", "9.4 ms", "250 ms", "1.25 s",
 * "12.5 s", "2m 05s", "1h 02m". Display only, so float rounding is fine here.
 */
function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

export function humanDuration(ns: string): string {
  const n = Number(ns);
  if (!Number.isFinite(n)) return '?';
  const a = Math.abs(n);
  let s: string;
  if (a < 1e3) s = a + ' ns';
  else if (a < 1e6) s = Math.round(a / 1e3) + ' µs';
  else if (a < 1e8) s = trimZero((a / 1e6).toFixed(1)) + ' ms';
  else if (a < 1e9) s = Math.round(a / 1e6) + ' ms';
  else if (a < 1e10) s = (a / 1e9).toFixed(2) + ' s';
  else if (a < 60e9) s = trimZero((a / 1e9).toFixed(1)) + ' s';
  else if (a < 3600e9) {
    const sec = Math.floor(a / 1e9);
    s = Math.floor(sec / 60) + 'm ' + String(sec % 60).padStart(2, '0') + 's';
  } else {
    const min = Math.floor(a / 60e9);
    s = Math.floor(min / 60) + 'h ' + String(min % 60).padStart(2, '0') + 'm';
  }
  return n < 0 ? '-' + s : s;
}
