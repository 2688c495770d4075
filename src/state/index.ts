import type { Clock } from '../clock';
import type { RedisConnection } from '../config';
import { MemoryStateStore } from './memoryStateStore';
import { RedisStateStore } from './redisStateStore';
import type { StateStore } from './stateStore';

export function createStateStore(redis: RedisConnection | undefined, clock: Clock, prefix?: string): StateStore {
  return redis ? new RedisStateStore(redis, prefix) : new MemoryStateStore(clock);
}
