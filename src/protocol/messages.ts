// Airbyte protocol message types and builders (airbyte_protocol.yaml v0, protocol-models 0.18).
// Only what a source emits or reads; every struct may carry more fields (the protocol says readers ignore them).

export type JsonObject = { [key: string]: unknown };

export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
export type FailureType = 'system_error' | 'config_error' | 'transient_error';
export type SyncMode = 'full_refresh' | 'incremental';
export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';
export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';

export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

export interface RecordChange {
  field: string;
  change: 'NULLED' | 'TRUNCATED';
  reason:
    | 'SOURCE_RECORD_SIZE_LIMITATION'
    | 'SOURCE_FIELD_SIZE_LIMITATION'
    | 'SOURCE_SERIALIZATION_ERROR'
    | 'SOURCE_RETRIEVAL_ERROR';
}

export interface AirbyteStream {
  name: string;
  json_schema: JsonObject;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  is_resumable?: boolean;
  namespace?: string;
}

export interface ConfiguredStream {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

export interface StreamStateMessage {
  type: 'STREAM';
  stream: { stream_descriptor: StreamDescriptor; stream_state: JsonObject | null };
  sourceStats?: { recordCount: number };
}

export interface ConnectorSpecification {
  documentationUrl: string;
  connectionSpecification: JsonObject;
  [key: string]: unknown;
}

export interface RateLimitedReason {
  type: 'RATE_LIMITED';
  rate_limited?: { quota_reset?: number };
}

export type AirbyteMessage =
  | { type: 'RECORD'; record: { stream: string; data: JsonObject; emitted_at: number; meta?: { changes: RecordChange[] } } }
  | { type: 'STATE'; state: StreamStateMessage }
  | { type: 'LOG'; log: { level: LogLevel; message: string; stack_trace?: string } }
  | { type: 'SPEC'; spec: ConnectorSpecification }
  | { type: 'CONNECTION_STATUS'; connectionStatus: { status: 'SUCCEEDED' | 'FAILED'; message?: string } }
  | { type: 'CATALOG'; catalog: { streams: AirbyteStream[] } }
  | { type: 'TRACE'; trace: TraceBody }
  | { type: 'CONTROL'; control: { type: 'CONNECTOR_CONFIG'; emitted_at: number; connectorConfig: { config: JsonObject } } };

export type TraceBody =
  | {
      type: 'ERROR';
      emitted_at: number;
      error: {
        message: string;
        internal_message?: string;
        stack_trace?: string;
        failure_type: FailureType;
        stream_descriptor?: StreamDescriptor;
      };
    }
  | {
      type: 'STREAM_STATUS';
      emitted_at: number;
      stream_status: { stream_descriptor: StreamDescriptor; status: StreamStatus; reasons?: RateLimitedReason[] };
    }
  | {
      type: 'ESTIMATE';
      emitted_at: number;
      estimate: { name: string; type: 'STREAM'; row_estimate?: number; byte_estimate?: number; namespace?: string };
    };

export const logMessage = (level: LogLevel, message: string): AirbyteMessage => ({ type: 'LOG', log: { level, message } });

export const recordMessage = (
  stream: string,
  data: JsonObject,
  emittedAt: number,
  changes?: RecordChange[],
): AirbyteMessage => ({
  type: 'RECORD',
  record: changes && changes.length > 0 ? { stream, data, emitted_at: emittedAt, meta: { changes } } : { stream, data, emitted_at: emittedAt },
});

export const stateMessage = (stream: string, streamState: JsonObject, recordCount: number): AirbyteMessage => ({
  type: 'STATE',
  state: {
    type: 'STREAM',
    stream: { stream_descriptor: { name: stream }, stream_state: streamState },
    sourceStats: { recordCount },
  },
});

export const streamStatusMessage = (
  stream: string,
  status: StreamStatus,
  emittedAt: number,
  reasons?: RateLimitedReason[],
): AirbyteMessage => ({
  type: 'TRACE',
  trace: {
    type: 'STREAM_STATUS',
    emitted_at: emittedAt,
    stream_status: reasons ? { stream_descriptor: { name: stream }, status, reasons } : { stream_descriptor: { name: stream }, status },
  },
});

export const errorTraceMessage = (
  error: { message: string; internalMessage?: string; stackTrace?: string; failureType: FailureType; stream?: string },
  emittedAt: number,
): AirbyteMessage => ({
  type: 'TRACE',
  trace: {
    type: 'ERROR',
    emitted_at: emittedAt,
    error: {
      message: error.message,
      failure_type: error.failureType,
      ...(error.internalMessage !== undefined ? { internal_message: error.internalMessage } : {}),
      ...(error.stackTrace !== undefined ? { stack_trace: error.stackTrace } : {}),
      ...(error.stream !== undefined ? { stream_descriptor: { name: error.stream } } : {}),
    },
  },
});

export const estimateMessage = (stream: string, rowEstimate: number, emittedAt: number): AirbyteMessage => ({
  type: 'TRACE',
  trace: { type: 'ESTIMATE', emitted_at: emittedAt, estimate: { name: stream, type: 'STREAM', row_estimate: rowEstimate } },
});

export const controlConfigMessage = (config: JsonObject, emittedAt: number): AirbyteMessage => ({
  type: 'CONTROL',
  control: { type: 'CONNECTOR_CONFIG', emitted_at: emittedAt, connectorConfig: { config } },
});
