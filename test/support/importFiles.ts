import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { SheetImportError } from '../../src/imports/sheetFile';

/** A folder for the files an import test writes: `yaml` lays rows out under the file's one list. */
export function scratchFolder(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    yaml(name: string, list: string, rows: Record<string, unknown>[]): string {
      const path = join(dir, name);
      writeFileSync(path, stringify({ [list]: rows }));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The SheetImportError an import refused with; fails the test when it went through or failed otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<SheetImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SheetImportError);
  return error as SheetImportError;
}

/** Every row of the tables an import may write, as one string to compare before and after. */
export async function tablesOf(db: DataSource, tables: string[]): Promise<string> {
  const all: Record<string, unknown> = {};
  for (const table of tables) all[table] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
  return JSON.stringify(all);
}
