import { ConcurError } from './concur/errors.js';
import { StateError } from './engine/cursor.js';
import { RecordShapeError } from './engine/shape.js';
import { CancelledError, ConfigError, ConnectorError, SystemError, TransientError } from './protocol/errors.js';

/**
 * The one place where Concur and engine errors get their Airbyte outcome (the layers below know nothing of
 * failure types): credentials, roles and missing APIs are for the user to fix; throttling, outages and garbled
 * answers are worth retrying; the rest is ours.
 */
export function toConnectorError(error: unknown): unknown {
  if (error instanceof ConnectorError || error instanceof CancelledError) return error;
  if (error instanceof StateError) return new ConfigError(error.message, { cause: error });
  if (error instanceof RecordShapeError) return new SystemError(error.message, { cause: error });
  if (error instanceof ConcurError) {
    switch (error.kind) {
      case 'auth':
      case 'permission':
      case 'unsafe':
        return new ConfigError(error.message, { cause: error });
      case 'not_found':
      case 'gone':
        return new ConfigError(
          `${error.message} The API is not available to this connection: it may be decommissioned in your data center, or your Concur app lacks access to it.`,
          { cause: error },
        );
      case 'rate_limited':
      case 'server':
      case 'network':
      case 'timeout':
      case 'payload':
        return new TransientError(`${error.message} Retries are exhausted; the next sync resumes from the last checkpoint.`, { cause: error });
      case 'bad_request':
        return new SystemError(error.message, { cause: error });
    }
  }
  return error;
}
