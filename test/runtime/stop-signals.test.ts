/** StopSignals: the first signal stops, later ones change nothing, a late callback hears an early signal. */
import { describe, expect, test } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { StopSignals } from '../../src/runtime/stop-signals.js';

describe('StopSignals', () => {
  test('the first signal runs the callbacks once; repeats are counted and ignored', () => {
    const proc = new EventEmitter();
    const s = new StopSignals(proc);
    const seen: string[] = [];
    s.onStop((sig) => seen.push(`a:${sig}`));
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    proc.emit('SIGTERM');
    expect(seen).toEqual(['a:SIGTERM']);
    expect([s.received, s.signals]).toEqual(['SIGTERM', 3]);
    // Registered after the signal: runs at once.
    s.onStop((sig) => seen.push(`b:${sig}`));
    expect(seen).toEqual(['a:SIGTERM', 'b:SIGTERM']);
    // Still installed: a signal never reaches a default handler.
    expect([proc.listenerCount('SIGINT'), proc.listenerCount('SIGTERM')]).toEqual([1, 1]);
    s.dispose();
    expect([proc.listenerCount('SIGINT'), proc.listenerCount('SIGTERM')]).toEqual([0, 0]);
  });
});
