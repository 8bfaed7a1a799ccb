/**
 * The output part of a run's config: format, colour (for stdout and for
 * stderr, each by whether it is a terminal), times, peer aliases and the
 * summary. Usage errors (exit 2) name the option.
 */
import { usageError } from '../errors.js';
import { COLOR_MODES, FORMATS } from '../format/names.js';
import { DEFAULT_STATS_INTERVAL_SEC, DEFAULT_STUCK_AFTER_SEC } from './defaults.js';
import type { ResolveIO } from './io.js';
import type { Env } from './paths.js';
import type { OutputOptions } from './raw-options.js';
import type { OutputConfig } from './types.js';
import { decideColor, parseChoice, parseSeconds } from './values.js';

export function resolveOutput(
  raw: OutputOptions,
  env: Env,
  io: Pick<ResolveIO, 'stdoutIsTTY' | 'stderrIsTTY'>,
): OutputConfig {
  const format = raw.format === undefined ? 'pretty' : parseChoice(raw.format, '--format', FORMATS);
  const colorMode = raw.color === undefined ? 'auto' : parseChoice(raw.color, '--color', COLOR_MODES);
  const statsIntervalSec =
    raw.statsInterval === undefined
      ? DEFAULT_STATS_INTERVAL_SEC
      : parseSeconds(raw.statsInterval, '--stats-interval', { allowZero: true, min: 1, example: '60' });
  const stuckAfterSec =
    raw.stuckAfter === undefined
      ? DEFAULT_STUCK_AFTER_SEC
      : parseSeconds(raw.stuckAfter, '--stuck-after', { allowZero: false, example: '300' });
  if (raw.stats === false && statsIntervalSec > 0) {
    throw usageError('--stats-interval prints summaries and --no-stats turns them off; give only one of them');
  }
  return {
    format,
    colorMode,
    color: decideColor(colorMode, env, io.stdoutIsTTY),
    stderrColor: decideColor(colorMode, env, io.stderrIsTTY),
    utc: raw.utc === true,
    aliases: raw.aliases !== false,
    stats: raw.stats ?? (statsIntervalSec > 0 ? true : io.stderrIsTTY),
    statsIntervalSec,
    stuckAfterSec,
  };
}
