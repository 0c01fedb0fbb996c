import type { FailureType } from './messages.js';

/**
 * Root of every error the connector reports on purpose. `message` is written for the user (what happened and
 * what to do); `failureType` tells the platform whether to retry (transient), ask the user (config) or page
 * an engineer (system).
 */
export class ConnectorError extends Error {
  override readonly name: string = 'ConnectorError';
  readonly failureType: FailureType;

  constructor(message: string, failureType: FailureType, options?: { cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.failureType = failureType;
  }
}

/** The user must change the config, catalog, state or credentials (or grant a role). */
export class ConfigError extends ConnectorError {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'config_error', options);
  }
}

/** Retrying later will probably work (throttling, outages, network). */
export class TransientError extends ConnectorError {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'transient_error', options);
  }
}

/** A bug or an answer we do not understand. */
export class SystemError extends ConnectorError {
  override readonly name = 'SystemError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'system_error', options);
  }
}

/** The run was cancelled (SIGTERM); not a failure of the stream. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled by SIGTERM');
  }
}

export interface TraceFields {
  message: string;
  internalMessage: string;
  stackTrace?: string;
  failureType: FailureType;
}

/** Describes any thrown value as trace fields. Unknown errors are system errors. */
export function describeFailure(error: unknown): TraceFields {
  if (error instanceof ConnectorError) {
    return {
      message: error.message,
      internalMessage: causeChain(error),
      ...(error.stack !== undefined ? { stackTrace: error.stack } : {}),
      failureType: error.failureType,
    };
  }
  if (error instanceof Error) {
    return {
      message: `Unexpected error: ${error.message}`,
      internalMessage: causeChain(error),
      ...(error.stack !== undefined ? { stackTrace: error.stack } : {}),
      failureType: 'system_error',
    };
  }
  return { message: `Unexpected error: ${String(error)}`, internalMessage: String(error), failureType: 'system_error' };
}

/** "Name: message <- Cause: message ..." so the internal message keeps what the user message summarises. */
function causeChain(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(`${current.name}: ${current.message}`);
    current = current.cause;
  }
  return parts.join(' <- ');
}
