// The figures a reason's or a flag's message is worded from, so that a client words it in its
// own language (the widgets do) instead of showing the server's English sentence.
import type { MessageParams } from '@pulso/scoring';
import { builder } from '../../builder.ts';

interface MessageParam {
  name: string;
  value: number | string;
}

export const MessageParamRef = builder.objectRef<MessageParam>('MessageParam').implement({
  description:
    'One figure or name a message is worded from: a number in `number`, anything else (an ISO day, a category key) in `text`.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What it is, e.g. `days`, `points`, `category`.' }),
    number: t.float({
      nullable: true,
      description: 'Its value when a number.',
      resolve: (p) => (typeof p.value === 'number' ? p.value : null),
    }),
    text: t.string({
      nullable: true,
      description: 'Its value when not a number: an ISO day (YYYY-MM-DD), a key, a name.',
      resolve: (p) => (typeof p.value === 'string' ? p.value : null),
    }),
  }),
});

/** The params as a list in a stable order (by name); none for a score stored before they existed. */
export function messageParamList(params: MessageParams | undefined): MessageParam[] {
  return Object.entries(params ?? {})
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
