import type { MessageInput } from './port';

/** The channel's name of each template field (config subscribeTemplateKeys; note is optional). */
export type TemplateKeys = { [K in keyof MessageInput['fields']]: string };

/**
 * A subscribe/template message's `data`: { [field name]: { value } }, the shape both WeChat
 * (subscribeMessage.send) and Alipay (alipay.open.app.mini.templatemessage.send) take.
 * The note goes only when the template has a field for it and there is one.
 */
export function templateData(keys: TemplateKeys, fields: MessageInput['fields']): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {
    [keys.title]: { value: fields.title },
    [keys.patientNameMasked]: { value: fields.patientNameMasked },
    [keys.amountText]: { value: fields.amountText },
    [keys.time]: { value: fields.time },
  };
  if (keys.note && fields.note) data[keys.note] = { value: fields.note };
  return data;
}
