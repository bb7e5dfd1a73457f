import { byId } from './dom.js';

/**
 * A worker's script, from this page's own text, as a data: URL: it is no request (a blob: URL's
 * load shows as one to a browser's network log), and the Content-Security-Policy allows only it.
 */
export const workerUrl = (scriptId: string): string =>
  `data:text/javascript;charset=utf-8,${encodeURIComponent(byId(scriptId).textContent ?? '')}`;
