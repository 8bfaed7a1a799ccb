/** RFC 3339 UTC with millisecond precision from Unix ms; "invalid" times (NaN, out of range) become null. */
export function rfc3339FromMs(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
