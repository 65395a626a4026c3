/**
 * ProtocolModel: what a spec revision says about the wire, independent of how its schema.json is
 * organised. Emitters read this, never the raw schema structure, so a new revision needs only an adapter.
 * All collections are sorted so dumps and generated code are deterministic.
 */
export type Direction = 'client->server' | 'server->client' | 'both';
export type Side = 'client' | 'server';

export interface CapabilityRef {
  /** Whose capability gates the method: the receiver's. */
  side: Side;
  /** Dotted path in ClientCapabilities/ServerCapabilities, e.g. `tools`, `resources.subscribe`. */
  path: string;
}

export interface MethodInfo {
  /** Wire name, e.g. `tools/call`. */
  method: string;
  kind: 'request' | 'notification';
  direction: Direction;
  /**
   * How a server→client request travels: `input-request` = embedded in an InputRequiredResult
   * (2026-07-28 Multi Round-Trip Requests); `jsonrpc` = a JSON-RPC request of its own.
   */
  transport: 'jsonrpc' | 'input-request';
  /** The $def describing the whole message. */
  messageDef: string;
  /** The $def of `params` when it is a named def. */
  paramsDef?: string;
  paramsRequired: boolean;
  /** Possible result defs (requests only), e.g. [InputRequiredResult, CallToolResult]. */
  resultDefs: string[];
  /** The response envelope def when the revision names one (2026-07-28 `*ResultResponse`). */
  responseDef?: string;
  capability?: CapabilityRef;
}

export interface ErrorCodeInfo {
  code: number;
  name: string;
  /** The $def that describes it, when the schema has one. */
  def?: string;
  /** `schema`: defined by a $def; `json-rpc`: the JSON-RPC 2.0 reserved codes the schema assumes. */
  source: 'schema' | 'json-rpc';
  /** Fields of `error.data` the def requires. */
  dataRequired: string[];
}

export interface MetaKey {
  key: string;
  def?: string;
  type?: string;
  required: boolean;
}

export interface ProtocolFeatures {
  /** `server/discover` exists. */
  discover: boolean;
  /** The initialize/initialized handshake exists. */
  initialize: boolean;
  /** Server→client requests ride in InputRequiredResult (Multi Round-Trip Requests). */
  multiRoundTrip: boolean;
  /** `subscriptions/listen` exists. */
  subscriptionsListen: boolean;
  /** Requests carry protocol version and client capabilities in `params._meta`. */
  perRequestMeta: boolean;
  /** Results carry `resultType`. */
  resultType: boolean;
  /** List results carry `ttlMs`/`cacheScope`. */
  cacheableLists: boolean;
}

export interface ProtocolModel {
  revision: string;
  sha256: string;
  era: 'stateless' | 'session';
  features: ProtocolFeatures;
  methods: MethodInfo[];
  errorCodes: ErrorCodeInfo[];
  meta: { request: MetaKey[]; result: MetaKey[]; notification: MetaKey[] };
  capabilities: { client: string[]; server: string[] };
  /** Every $def name, sorted. */
  defs: string[];
}
