/**
 * Exact a − b for uint64 decimal strings (the result may be negative).
 * Numbers when both operands are below 10^15 (< 2^53, so the subtraction is
 * exact), BigInt otherwise.
 */
export function subtractDecimal(a: string, b: string): string {
  if (a.length < 16 && b.length < 16) return String(Number(a) - Number(b));
  return (BigInt(a) - BigInt(b)).toString();
}
