// The part of negotiator 1.x that Pulso uses (its DefinitelyTyped types describe 0.6, without
// the `preferred` option).
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | string[] | undefined> });
    /**
     * The most preferred of `available` by the request's Accept-Encoding (`identity` acceptable
     * unless refused), ties broken by `preferred`; undefined when the request accepts none.
     */
    encoding(available: readonly string[], options?: { preferred?: readonly string[] }): string | undefined;
  }
}
