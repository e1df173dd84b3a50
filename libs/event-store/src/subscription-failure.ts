import type { SubscribeToAllOptions } from './port';

/**
 * Hands the error that ended a subscription to its `onError`. Without one, the failure surfaces as an
 * unhandled rejection rather than passing silently; an `onError` that throws must not keep the
 * subscription from finishing.
 */
export function reportSubscriptionFailure(onError: SubscribeToAllOptions['onError'], error: unknown): void {
  if (onError === undefined) {
    void Promise.reject(error);
    return;
  }
  try {
    onError(error);
  } catch {
    // Ignored: see above.
  }
}
