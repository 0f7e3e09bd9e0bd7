// What a world is to the benchmark: a name, a size at scale 1 and a way to live one customer's
// life. The mechanisms themselves are in WORLDS.md and in worlds/*.ts, one file per world.
import type { SimulatedCustomer } from './life.ts';

export interface World {
  key: string;
  title: string;
  seed: number;
  customers: number;
  simulate(index: number): SimulatedCustomer;
}
