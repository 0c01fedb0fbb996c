import { singleUser } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

// The list gives each image's id and API URI only. The image itself is behind GET /receiptimages/{id}, whose URL
// is temporary (docs/concur-api.md#receipt-image-urls-expire), so it is not stored here: fetch it when needed.
export const receiptImages = concurStream({
  name: 'receipt_images',
  pages: v3List('/api/v3.0/expense/receiptimages', (ctx) => ({ user: singleUser(ctx.options) })),
});
