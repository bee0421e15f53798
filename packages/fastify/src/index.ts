export * from '@tokengate/core';
export type { TokengateOptions, TokengatePluginSettings, TokengateRouteConfig } from './options.js';
export { tokengate, tokengate as default } from './plugin.js';
export { toTokenRequest } from './request.js';
export type { TokengateHook } from './types.js';
