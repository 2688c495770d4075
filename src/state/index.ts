import type { Clock } from '../clock';
import { MemoryStateStore } from './memoryStateStore';
import { RedisStateStore } from './redisStateStore';
import type { StateStore } from './stateStore';

export function createStateStore(redisUrl: string | undefined, clock: Clock, prefix?: string): StateStore {
  return redisUrl ? new RedisStateStore(redisUrl, prefix) : new MemoryStateStore(clock);
}
