import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * How the test mail server behaves:
 * - accept: receives and keeps every message;
 * - refuse: answers every connection with "421 service not available";
 * - stall: accepts the connection and the message, then never answers the DATA command.
 */
export type SmtpMode = 'accept' | 'refuse' | 'stall';

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Messages refused or left hanging while not accepting. */
  readonly attempts: number;
  setMode(mode: SmtpMode): void;
  /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server on a free local port; received mail is parsed with mailparser. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  let mode: SmtpMode = 'accept';
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (mode === 'refuse') {
        attempts++;
        const error = new Error('service not available') as Error & { responseCode: number };
        error.responseCode = 421;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      if (mode === 'stall') {
        attempts++;
        stream.resume();
        return; // never answers
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const address = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    get attempts() {
      return attempts;
    },
    setMode(next) {
      mode = next;
    },
    waitFor(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`expected ${count} mail(s), got ${messages.length} in ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((done) => {
        // Stalled sessions would keep the server open: drop them.
        const connections = (server as unknown as { connections?: Set<{ close(): void }> })
          .connections;
        connections?.forEach((c) => c.close());
        server.close(() => done());
      }),
  };
}
