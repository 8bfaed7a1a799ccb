/**
 * The terminal prompt for the password of lncli's encrypted macaroons: the
 * prompt goes to stderr (stdout carries events only), nothing typed is
 * echoed (readline with a muted output: line editing works, nothing is
 * shown). Without a terminal on stdin, it fails with a configuration error
 * telling the user to set HTLC_TAIL_MACAROON_PASSWORD. The config layer calls
 * it at most once per run, and only when that variable is unset.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { configError } from '../errors.js';
import { PASSWORD_ENV, type PasswordProvider } from '../config/profile-connection.js';

export interface PromptStreams {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

export function terminalPasswordPrompt(
  streams: PromptStreams = { input: process.stdin, output: process.stderr },
): PasswordProvider {
  return ({ profile }) => {
    if (streams.input.isTTY !== true) {
      return Promise.reject(
        configError(
          `profile "${profile}" holds an encrypted macaroon and there is no terminal to ask for its password; set ${PASSWORD_ENV} to the password given at lncli profile add`,
        ),
      );
    }
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    // The terminal goes raw (no echo) before the prompt shows, so nothing typed ahead is echoed.
    const rl = readline.createInterface({ input: streams.input, output: muted, terminal: true });
    streams.output.write(`htlc-tail: password for the encrypted macaroon of profile "${profile}": `);
    return new Promise<Buffer>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, answer?: string) => {
        if (done) return;
        done = true;
        streams.output.write('\n');
        rl.close();
        if (err) reject(err);
        else resolve(Buffer.from(answer ?? '', 'utf8'));
      };
      rl.question('', (answer) => finish(null, answer));
      const cancelled = () =>
        finish(
          configError(
            `no password entered for the encrypted macaroon of profile "${profile}"; run again and type it, or set ${PASSWORD_ENV}`,
          ),
        );
      rl.once('SIGINT', cancelled);
      rl.once('close', cancelled);
    });
  };
}
