import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

export const listItems = concurStream({
  name: 'list_items',
  deprecated: { since: '2021-04-16', replacement: 'List Item v4' },
  pages: v3List('/api/v3.0/common/listitems', () => ({})),
});
