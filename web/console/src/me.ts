import { createContext, useContext } from 'react';
import type { Me } from '../../../src/web/api/contract';

export const MeContext = createContext<Me | undefined>(undefined);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in console');
  return me;
}
