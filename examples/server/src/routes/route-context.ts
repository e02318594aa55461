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
}
