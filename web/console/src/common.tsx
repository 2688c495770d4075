import { useCallback, useEffect, useState } from 'react';
import { Select, Tag } from 'antd';
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

/** Solid tag colours dark enough for white text (WCAG AA); Ant Design's light tags are not. */
const TONES = { good: '#135200', bad: '#a8071a', warn: '#873800', info: '#003eb3', plain: '#434343' } as const;

export function StatusTag({ tone, children }: { tone: keyof typeof TONES; children: React.ReactNode }) {
  return <Tag color={TONES[tone]}>{children}</Tag>;
}

/** A count that needs attention, in a red that reads on white. */
export const Alarm = ({ children }: { children: React.ReactNode }) => <strong style={{ color: TONES.bad }}>{children}</strong>;

/** What an empty table says, in a grey that reads on white (Ant Design's own is too faint). */
export const EmptyText = ({ children }: { children: React.ReactNode }) => <span style={{ color: '#595959' }}>{children}</span>;
