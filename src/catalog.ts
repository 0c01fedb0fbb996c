import { loadSchema } from './assets.js';
import { cursorOf, type StreamDef } from './engine/define.js';
import type { AirbyteStream } from './protocol/messages.js';
import type { StreamEnv } from './streams/env.js';

/** The catalog entry of a stream, derived from its definition and schema, so it cannot claim what it cannot do. */
export function describeStream(def: StreamDef<StreamEnv>): AirbyteStream {
  const cursor = cursorOf(def);
  return {
    name: def.name,
    json_schema: loadSchema(def.name),
    supported_sync_modes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: def.primaryKey.map((key) => [key]),
    ...(cursor ? { source_defined_cursor: true, default_cursor_field: [cursor.field], is_resumable: true } : { is_resumable: false }),
  };
}
