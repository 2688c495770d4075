import { useCallback, useEffect, useState } from 'react';
import { Select } from 'antd';
import { api } from './api';

/** Loads `path` whenever it changes; `reload` fetches it again after a change. */
export function useApi<T>(path: string | undefined): { data?: T; error?: string; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path).then(
      (data) => current && setState({ data, loading: false }),
      (e: Error) => current && setState({ error: e.message, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

export const THIS_YEAR = new Date().getFullYear();

export function YearSelect({ value, onChange }: { value: number; onChange: (year: number) => void }) {
  const years = [THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2];
  return <Select aria-label="年度" value={value} onChange={onChange} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: `${y}年` }))} />;
}

export const rate = (done: number, owed: number): string => (done + owed === 0 ? '—' : `${Math.round((100 * done) / (done + owed))}%`);
