// Turns introspection off when a deployment does not want its schema read by strangers
// (production, by default): `__schema` and `__type` are refused with INTROSPECTION_DISABLED, and
// "Did you mean …" suggestions are removed from validation errors, which would otherwise spell the
// schema out field by field. yoga's @graphql-yoga/plugin-disable-introspection and graphql-armor's
// block-field-suggestions do the work; Pulso adds the code to graphql-js's refusal, which has none.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';

export const INTROSPECTION_DISABLED_CODE = 'INTROSPECTION_DISABLED';

export interface IntrospectionOptions {
  /** Answer introspection and suggest field names. Default true; false refuses both. */
  enabled?: boolean;
}

export function useIntrospection(options: IntrospectionOptions = {}): Plugin {
  const { enabled = true } = options;
  if (enabled) return {};
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useDisableIntrospection() as Plugin);
      // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
      addPlugin(blockFieldSuggestionsPlugin() as Plugin);
    },
    onValidate() {
      return ({ valid, result }) => {
        if (valid) return;
        for (const error of result) {
          if (error.message.startsWith('GraphQL introspection has been disabled')) {
            (error.extensions as Record<string, unknown>).code = INTROSPECTION_DISABLED_CODE;
          }
        }
      };
    },
  };
}
