// How the page server names a page: method, path and the query with its parameters sorted, so a client that
// sends the same parameters in another order still gets the recorded page. Shared by the server and the
// benchmark's checks; nothing here decodes or re-encodes a value, so the recorded bytes decide equality.

/**
 * @param {string} method
 * @param {string} url the request target as sent: path, then optionally `?` and the query
 * @returns {string}
 */
export function pageKey(method, url) {
  const mark = url.indexOf('?');
  if (mark === -1) return `${method} ${url}`;
  const query = url.slice(mark + 1);
  const sorted = query === '' ? '' : query.split('&').sort().join('&');
  return `${method} ${url.slice(0, mark)}?${sorted}`;
}

/** The request target (path and query) of an absolute URL or of a target already relative. */
export function targetOf(url) {
  if (url.startsWith('/')) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
