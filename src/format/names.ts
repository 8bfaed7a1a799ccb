/** The output formats, typed once: this list feeds Commander's `.choices()` and the config type. */
export const FORMATS = ['pretty', 'jsonl', 'table', 'raw', 'csv'] as const;
export type FormatName = (typeof FORMATS)[number];

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export const TRANSPORTS = ['grpc', 'rest', 'ws'] as const;
export type TransportName = (typeof TRANSPORTS)[number];
