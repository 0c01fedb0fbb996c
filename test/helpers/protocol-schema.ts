// The Airbyte message envelope as a source must write it, from the protocol (airbyte_protocol.yaml v0,
// protocol-models 0.18) as summarised in our notes. Stricter than the upstream schema in one way: the payload
// named by `type` must be present (upstream does not tie them, so `{"type":"RECORD"}` alone would pass).
import { Ajv, type ValidateFunction } from 'ajv';

const descriptor = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } } };

const payloads: Record<string, object> = {
  RECORD: {
    type: 'object',
    required: ['stream', 'data', 'emitted_at'],
    properties: {
      stream: { type: 'string', minLength: 1 },
      data: { type: 'object' },
      emitted_at: { type: 'integer' },
      namespace: { type: 'string' },
      meta: {
        type: 'object',
        properties: {
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'change', 'reason'],
              properties: {
                field: { type: 'string' },
                change: { enum: ['NULLED', 'TRUNCATED'] },
                reason: {
                  enum: [
                    'SOURCE_RECORD_SIZE_LIMITATION', 'DESTINATION_RECORD_SIZE_LIMITATION', 'PLATFORM_RECORD_SIZE_LIMITATION',
                    'SOURCE_FIELD_SIZE_LIMITATION', 'DESTINATION_FIELD_SIZE_LIMITATION', 'PLATFORM_FIELD_SIZE_LIMITATION',
                    'SOURCE_SERIALIZATION_ERROR', 'DESTINATION_SERIALIZATION_ERROR', 'PLATFORM_SERIALIZATION_ERROR',
                    'SOURCE_RETRIEVAL_ERROR', 'DESTINATION_TYPECAST_ERROR',
                  ],
                },
              },
            },
          },
        },
      },
    },
  },
  STATE: {
    type: 'object',
    // A source of ours only ever writes per-stream state with its record count (CAT rejects LEGACY state).
    required: ['type', 'stream', 'sourceStats'],
    properties: {
      type: { const: 'STREAM' },
      stream: {
        type: 'object',
        required: ['stream_descriptor', 'stream_state'],
        properties: { stream_descriptor: descriptor, stream_state: { type: 'object' } },
      },
      sourceStats: { type: 'object', required: ['recordCount'], properties: { recordCount: { type: 'number', minimum: 0 } } },
    },
  },
  LOG: {
    type: 'object',
    required: ['level', 'message'],
    properties: { level: { enum: ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] }, message: { type: 'string' }, stack_trace: { type: 'string' } },
  },
  SPEC: {
    type: 'object',
    required: ['connectionSpecification'],
    properties: { connectionSpecification: { type: 'object' }, documentationUrl: { type: 'string', format: 'uri' } },
  },
  CONNECTION_STATUS: {
    type: 'object',
    required: ['status'],
    properties: { status: { enum: ['SUCCEEDED', 'FAILED'] }, message: { type: 'string' } },
  },
  CATALOG: {
    type: 'object',
    required: ['streams'],
    properties: {
      streams: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'json_schema', 'supported_sync_modes'],
          properties: {
            name: { type: 'string', minLength: 1 },
            json_schema: { type: 'object' },
            supported_sync_modes: { type: 'array', minItems: 1, items: { enum: ['full_refresh', 'incremental'] } },
            source_defined_cursor: { type: 'boolean' },
            default_cursor_field: { type: 'array', items: { type: 'string' } },
            source_defined_primary_key: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
            is_resumable: { type: 'boolean' },
          },
        },
      },
    },
  },
  TRACE: {
    type: 'object',
    required: ['type', 'emitted_at'],
    properties: {
      type: { enum: ['ERROR', 'ESTIMATE', 'STREAM_STATUS', 'ANALYTICS'] },
      emitted_at: { type: 'number' },
      error: {
        type: 'object',
        required: ['message', 'failure_type'],
        properties: {
          message: { type: 'string', minLength: 1 },
          internal_message: { type: 'string' },
          stack_trace: { type: 'string' },
          failure_type: { enum: ['system_error', 'config_error', 'transient_error'] },
          stream_descriptor: descriptor,
        },
      },
      estimate: {
        type: 'object',
        required: ['name', 'type'],
        properties: { name: { type: 'string' }, type: { enum: ['STREAM', 'SYNC'] }, row_estimate: { type: 'integer' }, byte_estimate: { type: 'integer' } },
      },
      stream_status: {
        type: 'object',
        required: ['stream_descriptor', 'status'],
        properties: {
          stream_descriptor: descriptor,
          status: { enum: ['STARTED', 'RUNNING', 'COMPLETE', 'INCOMPLETE'] },
          reasons: {
            type: 'array',
            items: {
              type: 'object',
              required: ['type'],
              properties: { type: { enum: ['RATE_LIMITED'] }, rate_limited: { type: 'object', properties: { quota_reset: { type: 'integer' } } } },
            },
          },
        },
      },
    },
    allOf: [
      { if: { properties: { type: { const: 'ERROR' } } }, then: { required: ['error'] } },
      { if: { properties: { type: { const: 'ESTIMATE' } } }, then: { required: ['estimate'] } },
      { if: { properties: { type: { const: 'STREAM_STATUS' } } }, then: { required: ['stream_status'] } },
    ],
  },
  CONTROL: {
    type: 'object',
    required: ['type', 'emitted_at', 'connectorConfig'],
    properties: {
      type: { const: 'CONNECTOR_CONFIG' },
      emitted_at: { type: 'number' },
      connectorConfig: { type: 'object', required: ['config'], properties: { config: { type: 'object' } } },
    },
  },
};

const payloadKey: Record<string, string> = {
  RECORD: 'record', STATE: 'state', LOG: 'log', SPEC: 'spec', CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog', TRACE: 'trace', CONTROL: 'control',
};

export const airbyteMessageSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: Object.keys(payloadKey) } },
  allOf: Object.entries(payloadKey).map(([type, key]) => ({
    if: { properties: { type: { const: type } } },
    then: { required: [key], properties: { [key]: payloads[type] } },
  })),
};

let compiled: ValidateFunction | undefined;

/** Throws with the line and ajv's errors when `message` is not a valid Airbyte message. */
export function assertAirbyteMessage(message: unknown, line?: string): void {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/\S+$/i);
    compiled = ajv.compile(airbyteMessageSchema);
  }
  if (!compiled(message)) {
    throw new Error(`invalid Airbyte message ${JSON.stringify(compiled.errors)}: ${(line ?? JSON.stringify(message)).slice(0, 500)}`);
  }
}
