// Refuses a document longer than a limit in lexical tokens, while it is parsed: parsing and
// validation cost grows with the document, and a huge one (thousands of fields or arguments) is
// work done before any other limit can look. graphql-armor's counting parser stops at the first
// token over the limit; Pulso then counts the rest with graphql-js's lexer (cheap, no tree built)
// so the refusal, TOO_MANY_TOKENS, says how long the document really was.
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_OPERATION_LIMITS, limitExceededError } from './operation-limits.ts';

export interface TokenLimitOptions {
  /** Tokens allowed in a document (names, punctuation, values). Default 2,000 (DEFAULT_OPERATION_LIMITS). */
  maxTokens?: number;
}

class TokenLimitReached extends Error {}

/** Every token of the document, or undefined when it stops lexing (a stray character) past the limit. */
function tokensIn(source: string): number | undefined {
  try {
    const lexer = new Lexer(new Source(source));
    let count = 0;
    while (lexer.advance().kind !== TokenKind.EOF) count++;
    return count;
  } catch {
    return undefined;
  }
}

export function useTokenLimit(options: TokenLimitOptions = {}): Plugin {
  const { maxTokens = DEFAULT_OPERATION_LIMITS.maxTokens } = options;
  const counting = maxTokensPlugin({
    n: maxTokens,
    propagateOnRejection: false,
    onReject: [
      () => {
        throw new TokenLimitReached();
      },
    ],
  });
  return {
    onPluginInit({ addPlugin }) {
      // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
      addPlugin(counting as Plugin);
    },
    onParse({ params }) {
      return ({ result, replaceParseResult }) => {
        if (!(result instanceof TokenLimitReached)) return;
        const count = tokensIn(String(params.source));
        replaceParseResult(
          limitExceededError('maxTokens', maxTokens, typeof count === 'number' ? count : `more than ${maxTokens}`),
        );
      };
    },
  };
}
