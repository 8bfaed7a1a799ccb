/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped at 30 s, each scaled by a random 50–100 %. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(exp * (0.5 + random() * 0.5));
}
