// The fenced code blocks of the packages' READMEs, read so that tests run them as written. A block
// says how it is run in its info string, after the language (GitHub shows the language only):
//
//   ```html test=head                      the widgets' script tag: the <head> of every test page
//   ```html test=page id=rating            a page's <body>, opened in Chromium under the README's CSP
//   ```js test=site path=/js/x.js          a file of the embedding site, served at that path
//   ```http test=csp                       the Content-Security-Policy header every page is served with
//   ```tsx test=react path=src/App.tsx     a file of the React consumer project (likewise vue, html)
//   ```ts test=node path=tokens.ts         a file of the Node consumer project (run after tsc)
//   ```python test=python                  run by python3
//
// Every block needs a `test=`, except shell commands (`sh`: installing, the repository's own
// development commands), so a snippet added without a test fails `readSnippets`. Placeholders (the
// server's URL, keys, tokens) are replaced as the README's placeholder table lists them, and
// nothing else is changed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server-process.ts';

export interface Snippet {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  lang: string;
  test: string;
  /** The other `key=value` words of the info string (`id`, `path`). */
  attributes: Record<string, string>;
  code: string;
}

const NOT_RUN = new Set(['sh']);

export function readSnippets(readme: string): Snippet[] {
  const lines = readFileSync(join(repoRoot, readme), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, fence, lang = '', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(fence!)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`${readme}:${i + 1}: a code block is never closed`);
    const attributes: Record<string, string> = {};
    for (const word of info.split(/\s+/).filter(Boolean)) {
      const pair = /^([a-z]+)=(\S+)$/.exec(word);
      if (!pair) throw new Error(`${readme}:${i + 1}: "${word}" in the info string is not key=value`);
      attributes[pair[1]!] = pair[2]!;
    }
    const { test, ...rest } = attributes;
    if (!test && !NOT_RUN.has(lang))
      throw new Error(`${readme}:${i + 1}: a ${lang || 'plain'} block without test=…: say how a test runs it`);
    if (test) snippets.push({ readme, line: i + 1, lang, test, attributes: rest, code: `${body.join('\n')}\n` });
    i = j;
  }
  return snippets;
}

/**
 * The placeholders a README's table lists: the first cell of each row, in backticks, of the table
 * under the heading "Placeholders".
 */
export function readPlaceholders(readme: string): string[] {
  const text = readFileSync(join(repoRoot, readme), 'utf8');
  const section = /^#+ Placeholders[^\n]*\n([\s\S]*?)(?=\n#)/m.exec(text);
  if (!section) throw new Error(`${readme} has no "Placeholders" section`);
  return [...section[1]!.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((match) => match[1]!);
}

/** The code with every placeholder replaced; fails when one the map names is not listed in the README. */
export function fill(snippet: Snippet, values: Record<string, string>, listed: string[]): string {
  let code = snippet.code;
  // Longest first: `eyJ...view token for cus_42...` holds the placeholder `cus_42`.
  for (const [placeholder, value] of Object.entries(values).sort(([a], [b]) => b.length - a.length)) {
    if (!listed.includes(placeholder))
      throw new Error(`"${placeholder}" is not in ${snippet.readme}'s placeholder table (${listed.join(', ')})`);
    code = code.split(placeholder).join(value);
  }
  return code;
}

/** The snippets of one kind; at least one, so a README reorganised away from a test fails it. */
export function snippetsFor(snippets: Snippet[], test: string): Snippet[] {
  const found = snippets.filter((snippet) => snippet.test === test);
  if (!found.length) throw new Error(`no README snippet is marked test=${test}`);
  return found;
}
