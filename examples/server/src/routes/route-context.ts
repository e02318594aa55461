import type { DolphinClient } from '@dataportal/adapters-dolphin';
import type { PortalService } from '@dataportal/sdk';
import type { CallbackAuth } from '../callback-auth';

/** What the route modules need from the app: the portal and the callback authenticator. */
export interface RouteContext {
  /** The portal's use cases. */
  readonly portal: PortalService;
  /** Checks callback requests (a no-op when no secret is configured). */
  readonly callbackAuth: CallbackAuth;
  /** Zone DolphinScheduler's alert server prints dates in (default `UTC`). */
  readonly dolphinAlertTimeZone?: string;
  /**
   * Client of the DolphinScheduler the portal publishes to: with it, a workflow-level alert of a
   * multi-task workflow is resolved into one execution per portal task (its task instances).
   */
  readonly dolphinClient?: DolphinClient;
}
