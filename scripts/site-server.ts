/**
 * Serves a folder over HTTP for the browser build, with the two headers that make a page
 * cross-origin isolated (the condition for SharedArrayBuffer, hence for the CPU thread pool on
 * Web Workers). Paths under /not-isolated/ are served without them, to show the fallback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

/** A running server: its base URL and how to stop it. */
export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `folder` on `port` (0: any free port) on the loopback interface. */
export function serveSite(folder: string, port = 0): Promise<SiteServer> {
  const files = sirv(folder, { dev: true, etag: false });
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith('/not-isolated/')) {
      request.url = request.url.slice('/not-isolated'.length);
    } else {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    files(request, response, () => {
      response.statusCode = 404;
      response.end(`not found: ${request.url}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
