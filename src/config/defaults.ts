/**
 * Defaults that both the help text (cli/) and the resolution (resolve.ts)
 * use, so help never states a default the code does not have. A leaf module:
 * importing it costs `--help` nothing.
 */
export const DEFAULT_CONNECT_TIMEOUT_SEC = 10;
export const DEFAULT_STATS_INTERVAL_SEC = 0;
export const DEFAULT_STUCK_AFTER_SEC = 60;
