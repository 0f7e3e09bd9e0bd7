// PostgreSQL cannot store the NUL character (U+0000) in text or jsonb: a write holding one fails
// in the database with "invalid byte sequence", which a client would only see as an unexpected
// error after part of the work was done. Found by the HTTP fuzzer (test/fuzz). Every string an
// operation carries — in its variables, at any depth, keys of JSON values included, and in its
// string literals — is checked before anything runs, and a request holding a NUL is refused with
// a code saying so. No legitimate text needs it; removing it silently would change what was sent.
// The same holds for a lone UTF-16 surrogate ("\ud800" in JSON): it has no UTF-8 form, so jsonb
// refuses it (22P02, found by the fuzzer too) — refused up front as INVALID_UNICODE.
import { Kind, visit, type DocumentNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const NUL_IN_TEXT_CODE = 'NUL_IN_TEXT';
export const INVALID_UNICODE_CODE = 'INVALID_UNICODE';

type Problem = { where: string; kind: 'nul' | 'surrogate' };

/** What PostgreSQL could not store in a string, if anything. */
function problemIn(text: string): Problem['kind'] | undefined {
  if (text.includes('\u0000')) return 'nul';
  // In u-mode a paired surrogate is one code point: only a lone half matches \p{Surrogate}.
  if (/\p{Surrogate}/u.test(text)) return 'surrogate';
  return undefined;
}

export function useTextInputChecks(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem = problemInVariables(args.variableValues) ?? problemInLiterals(args.document);
      if (problem) setResultAndStopExecution({ errors: [textError(problem)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = problemInVariables(args.variableValues) ?? problemInLiterals(args.document);
      if (problem) setResultAndStopExecution({ errors: [textError(problem)] });
    },
  };
}

function textError({ where, kind }: Problem) {
  if (kind === 'surrogate') {
    return createGraphQLError(
      `${where}: text holds a lone UTF-16 surrogate (half of a character), which is not valid Unicode and cannot be stored`,
      {
        extensions: { code: INVALID_UNICODE_CODE, http: { status: 400 } },
      },
    );
  }
  return createGraphQLError(
    `${where}: text may not contain the NUL character (U+0000), which the database cannot store`,
    {
      extensions: { code: NUL_IN_TEXT_CODE, http: { status: 400 } },
    },
  );
}

/** Where a value sits in the variables, built only for a value found wanting. */
type Place = { name: string; parent?: undefined } | { parent: Place; index: number } | { parent: Place; key: string };

function pathOf(place: Place): string {
  if (!place.parent) return `$${place.name}`;
  return 'index' in place ? `${pathOf(place.parent)}[${place.index}]` : `${pathOf(place.parent)}.${place.key}`;
}

/** The first string (or object key) PostgreSQL could not store, walked without recursion (values may nest thousands deep). */
function problemInVariables(variables: Readonly<Record<string, unknown>> | null | undefined): Problem | undefined {
  const stack: [unknown, Place][] = Object.entries(variables ?? {}).map(([name, value]) => [value, { name }]);
  while (stack.length) {
    const [value, place] = stack.pop()!;
    if (typeof value === 'string') {
      const kind = problemIn(value);
      if (kind) return { where: pathOf(place), kind };
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push([item, { parent: place, index }]);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const kind = problemIn(key);
        if (kind) return { where: `${pathOf(place)} (a key)`, kind };
        stack.push([item, { parent: place, key }]);
      }
    }
  }
  return undefined;
}

// Parsed documents are cached by yoga (one object per distinct query text), so a document's
// literals are checked once, not on every request that sends it.
const literalsChecked = new WeakMap<DocumentNode, Problem | null>();

function problemInLiterals(document: DocumentNode): Problem | undefined {
  const known = literalsChecked.get(document);
  if (known !== undefined) return known ?? undefined;
  let found: Problem | undefined;
  visit(document, {
    [Kind.STRING]: (node) => {
      const kind = found ? undefined : problemIn(node.value);
      if (kind) found = { where: `a string literal at line ${node.loc?.startToken.line ?? '?'}`, kind };
    },
  });
  literalsChecked.set(document, found ?? null);
  return found;
}
