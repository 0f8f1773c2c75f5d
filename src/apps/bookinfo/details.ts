/**
 * Bookinfo's details service (Ruby/WEBrick in the original), port 9080: `GET /details/<id>` answers
 * the book's details as JSON, `/health` `{"status":"Details is healthy"}`.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';

export const BOOKINFO_PORT = 9080;
const SERVER = 'WEBrick/1.8.1 (Ruby/3.3.0/2023-12-25)';
const JSON_TYPE = 'application/json';

/** The details every Bookinfo tutorial shows (key order as the original prints it). */
export function bookDetails(id: number): Record<string, unknown> {
  return {
    id,
    author: 'William Shakespeare',
    year: 1595,
    type: 'paperback',
    pages: 200,
    publisher: 'PublisherA',
    language: 'English',
    'ISBN-10': '1234567890',
    'ISBN-13': '123-1234567890',
  };
}

function notFound(req: AppRequest, res: AppResponse): void {
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">\n<HTML>\n  <HEAD><TITLE>Not Found</TITLE></HEAD>\n  <BODY>\n' +
    `    <H1>Not Found</H1>\n    \`${req.path.replace(/[<>&]/g, '')}' not found.\n    <HR>\n  </BODY>\n</HTML>\n`;
  res.send(404, { 'content-type': 'text/html; charset=ISO-8859-1' }, body);
}

function handle(req: AppRequest, res: AppResponse): void {
  if (req.path === '/health') {
    res.send(200, { 'content-type': JSON_TYPE }, JSON.stringify({ status: 'Details is healthy' }));
    return;
  }
  if (req.path !== '/details' && !req.path.startsWith('/details/')) {
    notFound(req, res);
    return;
  }
  const last = req.path.split('/').filter((p) => p !== '').pop() ?? '';
  if (!/^[+-]?\d+$/.test(last)) {
    res.send(400, { 'content-type': JSON_TYPE }, JSON.stringify({ error: 'please provide numeric product id' }));
    return;
  }
  res.send(200, { 'content-type': JSON_TYPE }, JSON.stringify(bookDetails(Number(last))));
}

export function createDetailsApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'bookinfo-details',
    repository,
    defaultPorts: () => [BOOKINFO_PORT],
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({ host: options.host, ports: options.ports.length > 0 ? options.ports : [BOOKINFO_PORT], handler: handle, serverHeader: SERVER }),
  };
}
