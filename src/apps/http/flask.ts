/** Answers Flask (Werkzeug) gives for unknown paths, used by the Python apps (helloworld, productpage). */
import type { AppResponse } from './exchange.ts';

const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

const METHOD_NOT_ALLOWED_HTML =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n' +
  '<p>The method is not allowed for the requested URL.</p>\n';

export const FLASK_HTML = 'text/html; charset=utf-8';

export function sendFlaskNotFound(res: AppResponse): void {
  res.send(404, { 'content-type': FLASK_HTML }, NOT_FOUND_HTML);
}

export function sendFlaskMethodNotAllowed(res: AppResponse, allow: readonly string[]): void {
  res.send(405, { 'content-type': FLASK_HTML, allow: allow.join(', ') }, METHOD_NOT_ALLOWED_HTML);
}
