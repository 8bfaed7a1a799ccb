// Module hooks of hold-main.mjs (they run on node's loader thread).
import { existsSync, writeFileSync } from 'node:fs';

let dir;
let pid;

export function initialize(data) {
  dir = data.dir;
  pid = data.pid;
}

export async function load(url, context, nextLoad) {
  if (url.endsWith('/dist/cli/main.js')) {
    writeFileSync(`${dir}/held-${pid}`, '');
    const limit = Date.now() + 120_000;
    while (!existsSync(`${dir}/go-${pid}`) && Date.now() < limit) await new Promise((r) => setTimeout(r, 5));
  }
  return nextLoad(url, context);
}
