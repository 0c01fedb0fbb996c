import { defineStream } from '../../engine/define.js';
import type { StreamEnv } from '../env.js';
import { v3List } from './defaults.js';

export const listItems = defineStream<StreamEnv>({
  name: 'list_items',
  primaryKey: ['ID'],
  scope: 'company',
  deprecated: { since: '2021-04-16', replacement: 'List Item v4' },
  pages: v3List('/api/v3.0/common/listitems', () => ({})),
});
