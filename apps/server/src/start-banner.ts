// What a start prints for the person who ran it: where Pulso answers, and the keys to use (or the
// command that makes the first ones). It comes last, after the logs and the demo's progress, and
// framed by two rules, so it is the block found at the bottom of the terminal without scrolling.
// Rules rather than a box: a key or a URL copied from the screen takes no border with it.

export interface StartBanner {
  /** "PGlite /path" or "PostgreSQL host/db" (describeTarget). */
  database: string;
  version: string;
  url: string;
  hasDemo: boolean;
  /** Lines about metrics and traces, each starting with two spaces; none when neither is on. */
  observability: string[];
  /** What the demo said about its keys (demo.ts), printed inside the frame. */
  keys: string[];
  /** The command that creates a first workspace, when there is none. */
  firstWorkspaceHint?: string;
}

const RULE = '─'.repeat(72);

export function startBanner(b: StartBanner): string {
  const lines = [
    RULE,
    `Pulso is running on ${b.database}`,
    `  Version:  ${b.version}`,
    `  GraphQL:  ${b.url}/graphql`,
    `  Widgets:  ${b.url}/widgets/pulso.js${b.hasDemo ? ` (demo page: ${b.url}/)` : ''}`,
    `  Probes:   ${b.url}/livez (alive), ${b.url}/readyz (ready)`,
    ...b.observability,
    ...b.keys,
    ...(b.firstWorkspaceHint ? [b.firstWorkspaceHint] : []),
    RULE,
  ];
  return `${lines.join('\n')}\n`;
}
