/**
 * The sandbox proxy of the test host (extensions/apps-2026-01-26.mdx "Sandbox proxy"), served on a
 * different origin than the host. It tells the host it is ready, receives the view's HTML with its
 * declared CSP, loads it in an inner sandboxed iframe under a Content-Security-Policy built from
 * the declared domains (restrictive defaults otherwise), and relays every other message both ways.
 */
interface Csp {
  connectDomains?: string[];
  resourceDomains?: string[];
  frameDomains?: string[];
  baseUriDomains?: string[];
}
interface ResourceReady {
  html: string;
  sandbox?: string;
  csp?: Csp;
  permissions?: Record<string, object>;
}

const RESERVED = 'ui/notifications/sandbox-';
const hostOrigin = new URLSearchParams(location.search).get('host') ?? '*';
let inner: HTMLIFrameElement | undefined;

/** Declared origins only: anything that could add a directive or keyword is dropped. */
function sources(list: string[] | undefined): string[] {
  return (list ?? []).filter((s) => /^[^\s;,'"]+$/.test(s));
}

export function buildCsp(csp: Csp = {}): string {
  const resources = sources(csp.resourceDomains);
  const connect = sources(csp.connectDomains);
  const frames = sources(csp.frameDomains);
  const bases = sources(csp.baseUriDomains);
  const join = (base: string[], extra: string[]) => [...base, ...extra].join(' ');
  return [
    "default-src 'none'",
    `script-src ${join(["'self'", "'unsafe-inline'"], resources)}`,
    `style-src ${join(["'self'", "'unsafe-inline'"], resources)}`,
    `img-src ${join(["'self'", 'data:'], resources)}`,
    `font-src ${join(["'self'"], resources)}`,
    `media-src ${join(["'self'", 'data:'], resources)}`,
    `connect-src ${connect.length ? connect.join(' ') : "'none'"}`,
    `frame-src ${frames.length ? frames.join(' ') : "'none'"}`,
    `base-uri ${bases.length ? bases.join(' ') : "'self'"}`,
    "object-src 'none'",
  ].join('; ');
}

const ALLOW: Record<string, string> = { camera: 'camera', microphone: 'microphone', geolocation: 'geolocation', clipboardWrite: 'clipboard-write' };

function load(params: ResourceReady): void {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${buildCsp(params.csp).replace(/"/g, '&quot;')}">`;
  const html = /<head\b[^>]*>/i.test(params.html) ? params.html.replace(/<head\b[^>]*>/i, (head) => head + meta) : meta + params.html;
  inner?.remove();
  inner = document.createElement('iframe');
  inner.id = 'view';
  inner.setAttribute('sandbox', params.sandbox ?? 'allow-scripts');
  const allow = Object.keys(params.permissions ?? {}).flatMap((p) => (ALLOW[p] ? [ALLOW[p]] : []));
  if (allow.length) inner.setAttribute('allow', allow.join('; '));
  inner.srcdoc = html;
  document.body.append(inner);
}

window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { method?: unknown; params?: unknown } | null;
  const method = typeof data?.method === 'string' ? data.method : undefined;
  if (event.source === window.parent) {
    if (hostOrigin !== '*' && event.origin !== hostOrigin) return;
    if (method === `${RESERVED}resource-ready`) load(data!.params as ResourceReady);
    else if (!method?.startsWith(RESERVED)) inner?.contentWindow?.postMessage(data, '*');
  } else if (inner && event.source === inner.contentWindow) {
    if (!method?.startsWith(RESERVED)) window.parent.postMessage(data, hostOrigin);
  }
});

window.parent.postMessage({ jsonrpc: '2.0', method: `${RESERVED}proxy-ready`, params: {} }, hostOrigin);
