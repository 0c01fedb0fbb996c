import { defineStream } from '../../engine/define.js';
import { singleUser, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';

// The list gives each image's id and API URI only. The image itself is behind GET /receiptimages/{id}, whose URL
// is temporary (docs/concur-api.md#receipt-image-urls-expire), so it is not stored here: fetch it when needed.
export const receiptImages = defineStream<StreamEnv>({
  name: 'receipt_images',
  primaryKey: ['ID'],
  scope: 'token-user',
  pages: v3List('/api/v3.0/expense/receiptimages', (ctx) => ({ user: singleUser(ctx) })),
});
