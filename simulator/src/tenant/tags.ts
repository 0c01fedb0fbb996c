/**
 * Hash domain tags: each generated aspect draws from its own stream so that adding a field
 * to one builder never shifts the values of another.
 */
export const TAG = {
  report: 1,
  reportExtra: 2,
  entry: 3,
  entryAmount: 4,
  entryExtra: 5,
  itemization: 6,
  allocation: 7,
  association: 8,
  attendee: 9,
  user: 10,
  mutation: 11,
  paymentType: 12,
  location: 13,
  listItem: 14,
  policy: 15,
  form: 16,
  expenseUuid: 17,
  userUuid: 18,
  cardTransaction: 19,
  eReceipt: 20,
  trip: 21,
  bankAccount: 22,
  attendeeType: 23,
  offset: 24,
  entryCount: 25,
} as const;
