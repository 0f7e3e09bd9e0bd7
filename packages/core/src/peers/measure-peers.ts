// Peers measured by scoring: when no stored score holds activity yet (a workspace's first scoring
// under formula 2, the demo's seeding), every customer is scored once without peers to read its
// activity, chunk by chunk, and the groups built from that are primed as the workspace's current
// peers. It costs one more pass over the workspace, once.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PrismaClient } from '@pulso/database';
import {
  buildPeerGroups,
  type CompiledModel,
  type PeerGroups,
  type PeerRates,
  peerRatesOf,
  scoreCustomer,
} from '@pulso/scoring';
import { activeCustomerInputs, interactionsAt, scoringInputAt } from '../scores/scoring-inputs.ts';
import { primePeerGroups } from './peer-groups.ts';

export async function measurePeers(
  prisma: PrismaClient,
  workspaceId: string,
  compiled: CompiledModel,
  asOf: Date,
  chunkSize = 500,
): Promise<PeerGroups> {
  const peers: PeerRates[] = [];
  for await (const customers of activeCustomerInputs(prisma, workspaceId, asOf, chunkSize)) {
    for (const customer of customers) {
      const input = scoringInputAt(customer, asOf);
      peers.push(peerRatesOf(scoreCustomer(compiled, input, interactionsAt(customer, asOf), asOf), input.segment));
    }
    await yieldToEventLoop();
  }
  return primePeerGroups(workspaceId, buildPeerGroups(peers));
}
