// Test preload (`node --import test/e2e/hold-main.mjs bin/htlc-tail.js …`): holds the
// loading of dist/cli/main.js in each process until the test allows it, so a test can
// signal the CLI at a known moment of its start-up. With HOLD_MAIN_DIR set, a process
// writes HOLD_MAIN_DIR/held-PID when it reaches that import and goes on once
// HOLD_MAIN_DIR/go-PID exists. Nothing of htlc-tail reads this.
import { register } from 'node:module';

if (process.env.HOLD_MAIN_DIR) {
  register(new URL('./hold-main-hooks.mjs', import.meta.url), {
    data: { dir: process.env.HOLD_MAIN_DIR, pid: process.pid },
  });
}
