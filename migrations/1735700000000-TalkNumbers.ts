import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { formatNumber } from '../src/domain/numbering';

/**
 * 谈话 records (TH) join the registers: their number used to be the row id (so a year's talks had
 * the gaps other years' talks left). Each record keeps the number it was given, now stored, and
 * each year's TH counter goes on from the highest of that year.
 */
export class TalkNumbers1735700000000 implements MigrationInterface {
  name = 'TalkNumbers1735700000000';

  async up(q: QueryRunner): Promise<void> {
    // Nullable only so the column can be added to rows that exist; every row has a number below
    // and every new one is inserted with its number.
    await q.addColumn('talks', new TableColumn({ name: 'number', type: 'varchar', length: '16', isNullable: true }));
    const highest = new Map<number, number>();
    for (const row of (await q.query('SELECT id, talked_on FROM talks')) as { id: number; talked_on: string }[]) {
      const year = Number(row.talked_on.slice(0, 4));
      await q.query('UPDATE talks SET number = ? WHERE id = ?', [formatNumber('TH', String(year), Number(row.id)), row.id]);
      highest.set(year, Math.max(highest.get(year) ?? 0, Number(row.id)));
    }
    await q.createIndex('talks', new TableIndex({ name: 'ux_talks_number', columnNames: ['number'], isUnique: true }));
    for (const [year, value] of highest) {
      await q.query('INSERT INTO register_sequences (register, year, last_value) VALUES (?, ?, ?)', ['TH', year, value]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DELETE FROM register_sequences WHERE register = 'TH'");
    await q.dropIndex('talks', 'ux_talks_number');
    await q.dropColumn('talks', 'number');
  }
}
