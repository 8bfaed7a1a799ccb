/**
 * Notices for stderr: one line each, prefixed, never on stdout. `info` notices
 * (connecting, subscribed) are shown only when stderr is a terminal, so a
 * script's stderr stays empty unless something needs attention; warnings and
 * state changes (waiting, reconnecting) are always shown.
 */
export type Notify = (msg: string, level?: 'info' | 'warn') => void;

export function stderrNotify(chatty: boolean = Boolean(process.stderr.isTTY), prefix = 'htlc-tail: '): Notify {
  return (msg, level = 'warn') => {
    if (level === 'info' && !chatty) return;
    process.stderr.write(`${prefix}${msg.replace(/\s*\n\s*/g, ' ')}\n`);
  };
}

/** A node's notices when a run tails several nodes: each line starts with the node's name (read when the line is written). */
export function nodeNotify(notify: Notify, name: () => string): Notify {
  return (msg, level) => notify(`${name()}: ${msg}`, level);
}
