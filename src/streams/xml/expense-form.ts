import type { JsonSchemaNode } from '../../concur/xml.js';
import type { RecordData } from '../../engine/define.js';
import { parentField, type StreamContext } from '../env.js';
import { decodeRecords, getXmlDocument } from './requests.js';
import { concurStream } from '../stream.js';

const BASE = '/api/expense/expensereport/v1.1/report';
const text = { type: ['null', 'string'] };

/** Form types (FormTypesList/FormType): the first of the three levels (docs/concur-api.md#expense-form-three-levels). Not a stream of its own. */
const formTypes = concurStream({
  name: 'expense_form_types',
  primaryKey: ['FormCode'],
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, `${BASE}/Forms`);
    yield decodeRecords(root, ['FormTypesList', 'FormType'], { properties: { FormCode: text, Name: text } });
  },
});

/** The forms of one form type (FormDataList/FormData), each carrying its type. */
const forms = concurStream({
  name: 'expense_form_data',
  primaryKey: ['FormId'],
  parent: { stream: formTypes, inherit: { FormCode: 'FormCode', FormTypeName: 'Name' } },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, `${BASE}/Forms/${encodeURIComponent(parentField(ctx, 'FormCode'))}`);
    yield decodeRecords(root, ['FormDataList', 'FormData'], { properties: { FormId: text, Name: text } });
  },
});

// One row per form: the form, its type and its fields (GET /report/Form/{FormId}/Fields; swagger spells it Forms).
export const expenseForm = concurStream({
  name: 'expense_form',
  primaryKey: ['FormId'],
  parent: { stream: forms, inherit: { FormId: 'FormId', Name: 'Name', FormCode: 'FormCode', FormTypeName: 'FormTypeName' } },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, `${BASE}/Form/${encodeURIComponent(parentField(ctx, 'FormId'))}/Fields`);
    const fieldSchema = ((ctx.schema?.['properties'] as Record<string, JsonSchemaNode> | undefined)?.['Fields'])?.items;
    yield [{ Fields: decodeRecords(root, ['FormFieldsList', 'FormField'], fieldSchema) }];
  },
});
