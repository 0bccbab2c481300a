import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  query: URLSearchParams;
  body: unknown;
  at: number;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  received: ReceivedHook[];
  /** Answer HTTP 500 (true) or the robot's success answer (false). */
  failing: boolean;
  close(): Promise<void>;
}

/** A stand-in for the 企业微信 / 钉钉 robot endpoints: records every request, answers like them. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const state = { failing: false };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (state.failing) {
        res.writeHead(500).end('unavailable');
        return;
      }
      received.push({
        path: url.pathname,
        query: url.searchParams,
        body: JSON.parse(data || 'null'),
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
