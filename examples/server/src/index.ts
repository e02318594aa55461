/**
 * `@dataportal/server`: the DataPortal reference server. {@link buildApp} builds the Fastify
 * app around a portal (it never listens), {@link createRuntime} opens the store and engines
 * from a {@link ServerConfig}, and {@link loadConfig} reads that configuration from the
 * environment.
 *
 * @module
 */
export { type BuildAppOptions, buildApp, REDACTED_LOG_PATHS } from './app';
export {
  type CallbackAuth,
  type CallbackAuthConfig,
  createCallbackAuth,
  SECRET_HEADER,
  SIGNATURE_HEADER,
  signCallback,
  TIMESTAMP_HEADER,
} from './callback-auth';
export {
  type ClientConfig,
  ConfigError,
  type DinkyConfig,
  type DolphinConfig,
  loadClientConfig,
  loadConfig,
  type ServerConfig,
} from './config';
export { DEMO_SCHEMAS, type DemoResult, type LoadDemoOptions, loadDemo } from './demo/load-demo';
export {
  type ApiErrorCode,
  isServerError,
  ServerError,
  type ServerErrorCode,
  STATUS_BY_SDK_CODE,
  toErrorBody,
} from './errors';
export { type CreateRuntimeOptions, createRuntime, type Runtime } from './runtime';
