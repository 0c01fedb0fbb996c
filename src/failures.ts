import { ConcurAuthError, ConcurError, ConcurTokenEndpointError } from './concur/errors.js';
import { DEFAULT_TOKEN_URL } from './config/load.js';
import { OptionError, type Deprecation } from './engine/define.js';
import { StateError } from './engine/cursor.js';
import { RecordShapeError } from './engine/shape.js';
import { CancelledError, ConfigError, ConnectorError, SystemError, TransientError } from './protocol/errors.js';

/**
 * The one place where Concur and engine errors get their Airbyte outcome (the layers below know nothing of
 * failure types): credentials, roles and missing APIs are for the user to fix; throttling, outages and garbled
 * answers are worth retrying; the rest is ours.
 */
export function toConnectorError(error: unknown, deprecated?: Deprecation): unknown {
  if (error instanceof ConnectorError || error instanceof CancelledError) return error;
  if (error instanceof StateError || error instanceof OptionError) return new ConfigError(error.message, { cause: error });
  if (error instanceof RecordShapeError) return new SystemError(error.message, { cause: error });
  if (error instanceof ConcurTokenEndpointError && error.configured) {
    return new ConfigError(
      `config.token_url: ${error.message} Set token_url to your data center's token endpoint (${DEFAULT_TOKEN_URL} for most companies; the user guide lists every data center), or leave it out for the default.`,
      { cause: error },
    );
  }
  if (error instanceof ConcurAuthError && error.credential === 'company_request_token') {
    return new ConfigError(`${error.message} ${KEEP_A_REFRESH_TOKEN}`, { cause: error });
  }
  if (error instanceof ConcurError) {
    switch (error.kind) {
      case 'auth':
      case 'unsafe':
        return new ConfigError(error.message, { cause: error });
      case 'permission':
        return new ConfigError(deprecated ? `${error.message} ${deprecationHint(deprecated)}` : error.message, { cause: error });
      case 'not_found':
      case 'gone':
        return new ConfigError(
          deprecated
            ? `${error.message} ${deprecationHint(deprecated)}`
            : `${error.message} The API is not available to this connection: it may be decommissioned in your data center, or your Concur app lacks access to it.`,
          { cause: error },
        );
      case 'rate_limited':
      case 'server':
      case 'network':
      case 'timeout':
      case 'payload':
      case 'token_endpoint':
        return new TransientError(`${error.message} Retries are exhausted; the next sync resumes from the last checkpoint.`, { cause: error });
      case 'bad_request':
        return new SystemError(error.message, { cause: error });
    }
  }
  return error;
}

/**
 * A company request token lasts 24 hours; a refresh token six months, renewed by use. Outside the Airbyte platform
 * nobody stores the refresh token a sync receives, so the way out is to exchange once and keep the result.
 */
const KEEP_A_REFRESH_TOKEN =
  'After generating a new company request token, run `source-concur exchange --config <config.json> --output <kept-config.json>` once ' +
  'and use the config it writes from then on: it holds a refresh token that lasts six months and is renewed by every sync, so the ' +
  'request token is no longer needed (the Airbyte platform keeps that refresh token by itself after a successful sync).';

// docs/concur-api.md#deprecation-policy: SAP closes deprecated APIs to new apps and switches them off after notice.
function deprecationHint(deprecated: Deprecation): string {
  return `SAP ${deprecated.decommissioned ? 'decommissioned' : 'deprecated'} this API (${deprecated.since}) and may refuse it to new apps or have switched it off; its replacement is ${deprecated.replacement}. Deselect this stream if your tenant no longer serves it.`;
}
