/**
 * Colorizer factory: colour is a value passed in the FormatContext. Nothing
 * here looks at the terminal or the environment (the CLI decides, from
 * `--color`, NO_COLOR, FORCE_COLOR and isTTY, and passes a boolean).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Colorizer } from './types.js';

const identity = (s: string): string => s;

/** The colorizer that adds nothing. */
export const PLAIN_COLORIZER: Colorizer = Object.freeze({
  enabled: false,
  bold: identity,
  dim: identity,
  underline: identity,
  red: identity,
  green: identity,
  yellow: identity,
  blue: identity,
  magenta: identity,
  cyan: identity,
});

/** chalk's colour levels: 1 = 16 colours (what this tool uses), 2 = 256, 3 = truecolor. */
export type ColorLevel = 1 | 2 | 3;

/**
 * A colorizer: plain when `enabled` is false, else backed by a private
 * `new Chalk({ level })` (never the global chalk instance, whose level chalk
 * decides at import time from the environment).
 */
export function createColorizer(enabled: boolean, level: ColorLevel = 1): Colorizer {
  if (!enabled) return PLAIN_COLORIZER;
  const c: ChalkInstance = new Chalk({ level });
  return Object.freeze({
    enabled: true,
    bold: (s: string) => c.bold(s),
    dim: (s: string) => c.dim(s),
    underline: (s: string) => c.underline(s),
    red: (s: string) => c.red(s),
    green: (s: string) => c.green(s),
    yellow: (s: string) => c.yellow(s),
    blue: (s: string) => c.blue(s),
    magenta: (s: string) => c.magenta(s),
    cyan: (s: string) => c.cyan(s),
  });
}
