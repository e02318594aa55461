import type { DolphinClient } from '@dataportal/adapters-dolphin';
import type { PortalService } from '@dataportal/sdk';
import type { FastifyRequest } from 'fastify';
import type { CallbackAuth } from '../callback-auth';

/** What the route modules need from the app: the portal and the callback authenticator. */
export interface RouteContext {
  /** The portal's use cases. */
  readonly portal: PortalService;
  /** Checks callback requests (a no-op when no secret is configured). */
  readonly callbackAuth: CallbackAuth;
  /**
   * Whether the caller is already trusted for callbacks: `open` (auth off: the callback secret
   * decides alone), `trusted` (a developer's token), `unknown` (the secret or signature is
   * required, and without a configured secret the callback is refused).
   */
  readonly callbackCaller?: (req: FastifyRequest) => 'open' | 'trusted' | 'unknown';
  /** Zone DolphinScheduler's alert server prints dates in (default `UTC`). */
  readonly dolphinAlertTimeZone?: string;
  /**
   * Client of the DolphinScheduler the portal publishes to: with it, a workflow-level alert of a
   * multi-task workflow is resolved into one execution per portal task (its task instances).
   */
  readonly dolphinClient?: DolphinClient;
}
