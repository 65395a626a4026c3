/** The runtime exactly as generated projects import it, plus a few internals the unit tests reach for. */
export * from '../../templates/runtime/index.ts';
export { silentLogger as silentLoggerForTests } from '../../templates/runtime/log.ts';
export { createTokenSealer } from '../../templates/runtime/sealed-token.ts';
export { decodeHeaderValue, checkStandardHeaders, checkParamHeaders } from '../../templates/runtime/mirrored-headers.ts';
export { compileUriTemplate } from '../../templates/runtime/uri-template.ts';
export { sealRequestState, openRequestState } from '../../templates/runtime/request-state.ts';
