import { select, type Executor } from '../storage/sql';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** （一）…（十）, as the articles number their items; index 0 is （一）. */
export const item = (index: number): string => `（${NUMERALS[index]}）`;

/**
 * The registers the zone numbers: 容错免责申请 RC, 改革创新风险备案 FB, 澄清正名 QM, 批复 PF,
 * 回复 HF, 问责事项 WZ, 谈心谈话 TH, 组织调整 TZ. Each counts on its own, from 1 every year.
 */
export type Register = 'RC' | 'FB' | 'QM' | 'PF' | 'HF' | 'WZ' | 'TH' | 'TZ';

/** Digits after the year: talks are many (every cadre, every year), so TH has always had five. */
const DIGITS: Partial<Record<string, number>> = { TH: 5 };

/**
 * The next number of `register` in `year` ("RC2026-0007"), taken in the caller's transaction. The
 * one statement that bumps the counter also locks its row until that transaction ends, so two
 * submits at once queue on it (MariaDB) or on the single writer (SQLite); a transaction that rolls
 * back gives its number back, so the register has no gaps.
 */
export async function nextNumber(tx: Executor, register: Register, year: string): Promise<string> {
  await tx.query(
    isMysql(tx)
      ? 'INSERT INTO register_sequences (register, year, last_value) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE last_value = last_value + 1'
      : 'INSERT INTO register_sequences (register, year, last_value) VALUES (?, ?, 1) ON CONFLICT (register, year) DO UPDATE SET last_value = last_value + 1',
    [register, Number(year)],
  );
  const [row] = await select<{ last_value: number }>(tx, 'SELECT last_value FROM register_sequences WHERE register = ? AND year = ?', [register, Number(year)]);
  return formatNumber(register, year, Number(row.last_value));
}

export function formatNumber(register: string, year: string, value: number): string {
  return `${register}${year}-${String(value).padStart(DIGITS[register] ?? 4, '0')}`;
}

/** "RC2026-0007" → its register, year and place in the register. */
export function parseNumber(number: string): { register: string; year: number; value: number } | undefined {
  const m = /^([A-Z]{2})(\d{4})-(\d{1,9})$/.exec(number);
  return m ? { register: m[1], year: Number(m[2]), value: Number(m[3]) } : undefined;
}

function isMysql(db: Executor): boolean {
  return ('connection' in db ? db.connection : db).options.type === 'mysql';
}

/**
 * Lets one transaction at a time of this process take a number from a register. The counter's row
 * lock already orders them, but a transaction waiting on it holds a pooled connection, and the one
 * holding it may need another for a read outside the transaction: enough waiters would use up the
 * pool and leave the holder waiting for them. Waiting here costs no connection.
 */
export class RegisterTurns {
  private readonly tails = new Map<Register, Promise<unknown>>();

  run<T>(register: Register, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(register) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    this.tails.set(register, tail);
    void tail.then(() => this.tails.get(register) === tail && this.tails.delete(register));
    return mine;
  }
}
