import { ApiError } from '../../errors.js';
import type { Route } from '../../route.js';
import { FORM_TYPES, formById, formData, formFields, formTypeByCode, formsOfType } from '../../tenant/forms.js';
import { cardCharges, delegations } from '../../tenant/user-data.js';
import { listDocument, type XmlRecord } from '../../xml.js';
import { tokenUser, xmlResult, type XmlDeps } from './common.js';

const V11 = '/api/expense/expensereport/v1.1';
/** docs/concur-api.md#xml-conventions: the v1.1 samples use both the http:// and the https:// form; the simulator does too. */
export const V11_NAMESPACE = 'http://www.concursolutions.com/api/expense/expensereport/2011/03';
export const V11_NAMESPACE_HTTPS = 'https://www.concursolutions.com/api/expense/expensereport/2011/03';

export const FORM_FIELD_RULES = { integers: new Set(['MaxLength', 'Cols', 'Width', 'Sequence']) } as const;

/**
 * Expense Report v1.1 XML: CardCharges (deprecated), Delegators, and the three levels of Expense Form.
 * All read the token user's view; none takes a user parameter.
 */
export function expenseV11Routes(deps: XmlDeps): Route[] {
  const t = deps.tenant;
  const fieldsRoute = (pattern: string): Route => ({
    method: 'GET',
    pattern,
    kind: 'data',
    format: 'xml',
    api: 'expense-form',
    handle: (ctx) => {
      const id = ctx.params['formId'] ?? '';
      const form = formById(t, id);
      if (form === undefined) throw new ApiError(404, `The form '${id}' was not found.`);
      const fields = formFields(t, form) as unknown as XmlRecord[];
      // The Form Field sample uses the https:// namespace (docs/concur-api.md#xml-conventions).
      return xmlResult(listDocument('FormFieldsList', 'FormField', fields, FORM_FIELD_RULES, { namespace: V11_NAMESPACE_HTTPS, xsi: true }), 'form_fields', fields.length);
    },
  });
  return [
    {
      method: 'GET',
      pattern: `${V11}/CardCharges`,
      kind: 'data',
      format: 'xml',
      api: 'card-charges',
      handle: (ctx) => {
        // Only the token user's unassigned charges; a company token owns no card.
        const u = tokenUser(ctx);
        const charges = (u === null ? [] : cardCharges(t, u)) as unknown as XmlRecord[];
        return xmlResult(listDocument('CardCharges', 'CardCharge', charges, {}, { namespace: V11_NAMESPACE_HTTPS }), 'card_charges', charges.length);
      },
    },
    {
      method: 'GET',
      pattern: `${V11}/Delegators`,
      kind: 'data',
      format: 'xml',
      api: 'delegators',
      handle: (ctx) => {
        const raw = (ctx.query.get('includeInactive') ?? 'N').toUpperCase();
        if (raw !== 'Y' && raw !== 'N' && raw !== '') throw new ApiError(400, "The 'includeInactive' parameter must be Y or N.");
        const u = tokenUser(ctx);
        const list = (u === null ? [] : delegations(t, u)).filter((d) => raw === 'Y' || d.active).map((d) => d.record) as unknown as XmlRecord[];
        return xmlResult(listDocument('DelegatorsList', 'Delegator', list, {}, { namespace: V11_NAMESPACE, xsi: true }), 'delegators', list.length);
      },
    },
    {
      method: 'GET',
      pattern: `${V11}/report/Forms`,
      kind: 'data',
      format: 'xml',
      api: 'expense-form',
      handle: () => {
        const types = FORM_TYPES as unknown as XmlRecord[];
        return xmlResult(listDocument('FormTypesList', 'FormType', types, {}, { namespace: V11_NAMESPACE, xsi: true }), 'form_types', types.length);
      },
    },
    {
      method: 'GET',
      pattern: `${V11}/report/Forms/{formCode}`,
      kind: 'data',
      format: 'xml',
      api: 'expense-form',
      handle: (ctx) => {
        const code = ctx.params['formCode'] ?? '';
        const type = formTypeByCode(code);
        if (type === undefined) throw new ApiError(404, `The form type '${code}' was not found.`);
        const forms = formsOfType(type.FormCode).map((f) => formData(t, f)) as unknown as XmlRecord[];
        return xmlResult(listDocument('FormDataList', 'FormData', forms, {}, { namespace: V11_NAMESPACE, xsi: true }), 'forms', forms.length);
      },
    },
    // Reference path /report/Form/{FormId}/Fields; swagger spells it /report/Forms/{FormId}/Fields (docs/concur-api.md#xml-path-variants).
    fieldsRoute(`${V11}/report/Form/{formId}/Fields`),
    fieldsRoute(`${V11}/report/Forms/{formId}/Fields`),
  ];
}
