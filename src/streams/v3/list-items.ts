import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

export const listItems = concurStream({
  name: 'list_items',
  deprecated: { since: '2021-04-16', replacement: 'List v4 and List Item v4, read by the lists_v4 and list_items_v4 streams' },
  pages: v3List('/api/v3.0/common/listitems', () => ({})),
});
