/** The little of oidc-provider 9 (no bundled types) that test/helpers/oidc-provider.ts touches. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  // oidc-provider's configuration and context objects are large; tests pass plain objects.
  export type Configuration = Record<string, any>;
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: any;
    readonly AccessToken: any;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: any[]) => void): this;
  }
}
