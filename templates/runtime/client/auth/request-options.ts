import type * as oauth from 'oauth4webapi';

/** What every oauth4webapi call gets: the client's own fetch, the insecure-endpoint decision, the caller's signal. */
export interface OAuthRequestOptions {
  [oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>;
  [oauth.allowInsecureRequests]: boolean;
  signal?: AbortSignal;
}
