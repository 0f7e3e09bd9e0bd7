// The five worlds in the order WORLDS.md gives them.
import type { World } from '../world.ts';
import { b2bQuiet } from './b2b-quiet.ts';
import { hollowUpsell } from './hollow-upsell.ts';
import { satisfiedDisengaged } from './satisfied-disengaged.ts';
import { supportFriction } from './support-friction.ts';
import { usageDecline } from './usage-decline.ts';

export const WORLDS: readonly World[] = [b2bQuiet, usageDecline, supportFriction, hollowUpsell, satisfiedDisengaged];
