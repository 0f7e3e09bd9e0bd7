// The tabs of one site share one live connection too: the six-connection limit is per host
// across tabs, so ten tabs of a portal with a stream each left four on "Loading…". One tab leads:
// it holds a Web Lock (the browser hands it to the next tab when the leader closes) and runs the
// connection (live-connection.ts) with the views of every tab; the others send it their view
// tokens over a BroadcastChannel (same origin only) and hear their events back. A tab that takes
// over tells the others, whose views catch up (read again) once its stream is answered. Without
// Web Locks (an insecure context, a sandboxed frame) or BroadcastChannel, each tab leads its own
// connection.
import { LiveConnection, type LiveView } from './live-connection.ts';

type Call = 'onData' | 'onReconnect' | 'onRefused' | 'onStale';
type Message =
  /** A follower's view tokens (all of them; none when it goes). Each newly joined view catches up. */
  | { tab: string; tokens: string[] }
  /** A tab took over: followers, send your tokens. */
  | { hello: 1 }
  /** An event for a follower's views with that token. */
  | { to: string; token: string; call: Call; arg?: unknown };

const FOREVER = new Promise<never>(() => {});

class SharedLive {
  /** This tab's views, and how to take each off the connection (when this tab leads). */
  readonly #local = new Map<LiveView, () => void>();
  #leader?: LiveConnection;
  /** Leading: each follower's tokens on the connection, and how to take them off. */
  readonly #remote = new Map<string, Map<string, () => void>>();
  readonly #tab = Math.random().toString(36).slice(2);
  readonly #channel?: BroadcastChannel;

  constructor(readonly endpoint: string) {
    const locks = navigator.locks;
    if (!locks || typeof BroadcastChannel !== 'function') {
      void this.#lead();
      return;
    }
    const name = `pulso-live ${endpoint}`;
    const channel = (this.#channel = new BroadcastChannel(name));
    channel.onmessage = ({ data }: MessageEvent<Message>) => this.#hear(data);
    addEventListener('pagehide', () => this.#leader || this.#post({ tab: this.#tab, tokens: [] }));
    // Back from the back/forward cache: its views missed what happened meanwhile.
    addEventListener('pageshow', (event) => event.persisted && this.#announce());
    // Free at once: the first tab leads. Otherwise wait in line, and take over when the lock comes.
    // Where the page may not use Web Locks although the browser has them (a sandboxed frame, an
    // opaque origin: the request is refused), the tab leads its own connection (leading never fails).
    locks
      .request(name, { ifAvailable: true }, (lock) => (lock ? this.#lead() : locks.request(name, () => this.#lead())))
      .catch(() => this.#lead());
  }

  join(view: LiveView): () => void {
    this.#local.set(view, this.#leader ? this.#leader.join(view) : () => {});
    this.#announce();
    return () => {
      this.#local.get(view)?.();
      this.#local.delete(view);
      this.#announce();
    };
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }

  #announce(): void {
    if (!this.#leader) this.#post({ tab: this.#tab, tokens: [...this.#local.keys()].map((view) => view.token) });
  }

  /** Leads from now on; the promise never settles, so the lock is held for as long as the tab lives. */
  #lead(): Promise<never> {
    const connection = (this.#leader = new LiveConnection(this.endpoint));
    // Taking over, this tab's views were followed by a leader that is gone: they catch up (as
    // every view joining a connection does).
    for (const view of this.#local.keys()) this.#local.set(view, connection.join(view));
    this.#post({ hello: 1 });
    return FOREVER;
  }

  #hear(message: Message): void {
    if ('tokens' in message) {
      if (this.#leader) this.#follow(message.tab, message.tokens);
    } else if ('hello' in message) this.#announce();
    else if (message.to === this.#tab)
      for (const view of this.#local.keys())
        if (view.token === message.token) (view[message.call] as (arg?: unknown) => void)(message.arg);
  }

  /** Leading: a follower's tokens join the connection as views whose events go back to it. */
  #follow(tab: string, tokens: string[]): void {
    const joined = this.#remote.get(tab) ?? new Map<string, () => void>();
    this.#remote.set(tab, joined);
    for (const [token, leave] of joined)
      if (!tokens.includes(token)) {
        leave();
        joined.delete(token);
      }
    for (const token of tokens) {
      if (joined.has(token)) continue;
      const relay = (call: Call) => (arg?: unknown) => this.#post({ to: tab, token, call, arg });
      const view: LiveView = {
        token,
        onData: relay('onData'),
        onReconnect: relay('onReconnect'),
        onRefused: relay('onRefused'),
        onStale: relay('onStale'),
      };
      joined.set(token, this.#leader!.join(view));
    }
  }
}

const shared = new Map<string, SharedLive>();

/** Joins the live connection of this page and its sibling tabs to a Pulso GraphQL endpoint; returns how to leave it. */
export function joinLive(endpoint: string, view: LiveView): () => void {
  let live = shared.get(endpoint);
  if (!live) shared.set(endpoint, (live = new SharedLive(endpoint)));
  return live.join(view);
}
