/**
 * The JSON body of every webhook: `{ id, event, occurredAt, data }`. It is encoded once, when the
 * delivery is queued, and stored as text, so every retry sends (and signs) the very same bytes.
 */

export interface WebhookEvent {
  /** Identifies the event; the same for every webhook it is sent to (receivers may dedupe on it). */
  id: string;
  /** Dotted event name, e.g. `case.assigned`. */
  event: string;
  occurredAt: Date;
  data: unknown;
}

/** Encodes the body as sent (ISO-8601 UTC instant). */
export function encodeWebhookBody(e: WebhookEvent): string {
  return JSON.stringify({ id: e.id, event: e.event, occurredAt: e.occurredAt.toISOString(), data: e.data });
}
