// The server live tests stream from: the demo workspace, small and without outcomes (a churned
// customer leaves live streams, and these tests follow named demo customers), listening on
// loopback, with the workspace's secret for signing customer and view tokens.
import { signViewToken } from '@pulso/tokens';
import { createTestServer, type TestServerOptions, type TestServer } from '../../testing.ts';

export interface LiveTestServer {
  t: TestServer;
  /** The server's address on loopback, e.g. http://127.0.0.1:40123. */
  url: string;
  secret: string;
}

export async function openLiveTestServer(
  database: 'pglite' | 'postgres' = 'pglite',
  options: Pick<TestServerOptions, 'apiKeyCacheMs'> = {},
): Promise<LiveTestServer> {
  const t = await createTestServer({ database, workspace: 'demo', demoCustomers: 8, demoOutcomes: false, ...options });
  const url = await t.server.listen(0, '127.0.0.1');
  const { tokenSigningSecret } = await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } });
  return { t, url, secret: tokenSigningSecret };
}

/** Closes the server without waiting for the streams a test left open to end. */
export async function closeLiveTestServer(t: TestServer | undefined): Promise<void> {
  t?.server.http.closeAllConnections();
  await t?.close();
}

/** An at-risk view token of the workspace, signed ten minutes ago for one minute: expired, not forged. */
export function expiredViewToken(secret: string, workspaceId: string): Promise<string> {
  return signViewToken({
    secret,
    workspaceId,
    grant: { kind: 'at_risk' },
    expiresInSeconds: 60,
    now: new Date(Date.now() - 600_000),
  });
}
