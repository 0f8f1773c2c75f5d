/**
 * The part of an nginx configuration weft's nginx honours: each `server` block's `listen` ports
 * (with `ssl`) and its `ssl_certificate` / `ssl_certificate_key` files. Everything else (root,
 * index, locations, includes) is read past: the server still answers with nginx's default pages.
 * Enough for the tutorials that mount an nginx.conf from a ConfigMap and certificates from a
 * Secret (TLS passthrough in seed 003).
 */
import { err, ok, type Result } from '../../lib/result.ts';

export interface NginxListen {
  readonly port: number;
  readonly ssl: boolean;
  readonly certificate?: string;
  readonly certificateKey?: string;
}

type Token = { readonly kind: 'word'; readonly text: string } | { readonly kind: 'punct'; readonly text: '{' | '}' | ';' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s+|#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1] !== undefined || m[2] !== undefined) out.push({ kind: 'word', text: (m[1] ?? m[2]).replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) out.push({ kind: 'punct', text: m[3] as '{' | '}' | ';' });
    else if (m[4] !== undefined) out.push({ kind: 'word', text: m[4] });
  }
  return out;
}

interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly block?: readonly Directive[];
}

function parseBlock(tokens: Token[], pos: { i: number }, nested: boolean): Result<Directive[], string> {
  const out: Directive[] = [];
  let words: string[] = [];
  while (pos.i < tokens.length) {
    const t = tokens[pos.i++];
    if (t.kind === 'word') words.push(t.text);
    else if (t.text === ';') {
      if (words.length > 0) out.push({ name: words[0], args: words.slice(1) });
      words = [];
    } else if (t.text === '{') {
      const inner = parseBlock(tokens, pos, true);
      if (!inner.ok) return inner;
      out.push({ name: words[0] ?? '', args: words.slice(1), block: inner.value });
      words = [];
    } else {
      if (!nested) return err('unexpected "}"');
      return words.length > 0 ? err(`unexpected "}" after "${words.join(' ')}"`) : ok(out);
    }
  }
  if (nested) return err('unexpected end of file, expecting "}"');
  return words.length > 0 ? err(`unexpected end of file, expecting ";" after "${words.join(' ')}"`) : ok(out);
}

function servers(directives: readonly Directive[]): Directive[] {
  const out: Directive[] = [];
  for (const d of directives) {
    if (d.name === 'server' && d.block) out.push(d);
    else if (d.block) out.push(...servers(d.block));
  }
  return out;
}

/** Parses nginx configuration text into the ports to listen on; errors read like nginx's `[emerg]` lines. */
export function parseNginxConfig(text: string): Result<NginxListen[], string> {
  const parsed = parseBlock(tokenize(text), { i: 0 }, false);
  if (!parsed.ok) return err(`nginx: [emerg] ${parsed.error}`);
  const out: NginxListen[] = [];
  for (const server of servers(parsed.value)) {
    const block = server.block ?? [];
    const arg = (name: string): string | undefined => block.find((d) => d.name === name)?.args[0];
    const listens = block.filter((d) => d.name === 'listen');
    // A server without `listen` listens on 80, as nginx does when run as root.
    for (const listen of listens.length > 0 ? listens : [{ name: 'listen', args: ['80'] }]) {
      const address = listen.args[0] ?? '';
      if (address.startsWith('unix:')) continue;
      const m = /(?:^|:)(\d+)$/.exec(address);
      if (!m) return err(`nginx: [emerg] invalid port in "${address}" of the "listen" directive`);
      const ssl = listen.args.includes('ssl');
      const certificate = arg('ssl_certificate');
      const certificateKey = arg('ssl_certificate_key');
      // Several servers on one port share its socket (name-based virtual hosts): the first decides.
      if (out.some((l) => l.port === Number(m[1]))) continue;
      out.push({ port: Number(m[1]), ssl, ...(certificate ? { certificate } : {}), ...(certificateKey ? { certificateKey } : {}) });
    }
  }
  return ok(out);
}
