/** Colours by meaning, shared by pretty and table. */
import type { EventKind } from '../../events/model.js';
import type { Colorizer } from '../types.js';
import type { Tone } from './event-view.js';

export function paintType(c: Colorizer, type: number, text: string): string {
  switch (type) {
    case 1:
      return c.magenta(text);
    case 2:
      return c.blue(text);
    case 3:
      return c.yellow(text);
    default:
      return c.dim(text);
  }
}

export function paintKind(c: Colorizer, kind: EventKind, tone: Tone, text: string): string {
  switch (kind) {
    case 'forward':
      return c.cyan(text);
    case 'settle':
      return c.green(text);
    case 'forward_fail':
    case 'link_fail':
      return c.red(text);
    case 'final_htlc':
      return tone === 'ok' ? c.green(text) : c.red(text);
    case 'subscribed':
      return c.dim(text);
    case 'unknown':
      return c.yellow(text);
  }
}

export function paintTone(c: Colorizer, tone: Tone, text: string): string {
  switch (tone) {
    case 'ok':
      return c.green(text);
    case 'fail':
      return c.red(text);
    case 'warn':
      return c.yellow(text);
    case 'info':
      return c.dim(text);
  }
}
