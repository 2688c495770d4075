import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { parseNumber } from '../src/domain/numbering';

/** The tables whose numbers belong to a register, and the column that holds them. */
const NUMBERED = ['cases', 'case_replies', 'accountability_matters'];

/**
 * One counter per register and year, where the numbers used to come from each table's row id (so
 * RC, FB and QM cases shared one count, with gaps). Numbers already given are kept; each counter
 * starts from the highest number its register has that year.
 */
export class RegisterSequences1735200000000 implements MigrationInterface {
  name = 'RegisterSequences1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'register_sequences',
        columns: [
          { name: 'register', type: 'varchar', length: '4', isPrimary: true },
          { name: 'year', type: 'integer', isPrimary: true },
          { name: 'last_value', type: 'integer' },
        ],
      }),
    );
    const highest = new Map<string, { register: string; year: number; value: number }>();
    for (const table of NUMBERED) {
      for (const { number } of (await q.query(`SELECT number FROM ${table}`)) as { number: string | null }[]) {
        const parsed = number ? parseNumber(number) : undefined;
        if (!parsed) continue;
        const key = `${parsed.register}${parsed.year}`;
        if ((highest.get(key)?.value ?? 0) < parsed.value) highest.set(key, parsed);
      }
    }
    for (const { register, year, value } of highest.values()) {
      await q.query('INSERT INTO register_sequences (register, year, last_value) VALUES (?, ?, ?)', [register, year, value]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('register_sequences');
  }
}
