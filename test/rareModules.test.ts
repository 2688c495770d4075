import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../src');
const RARE = ['exceljs', 'docx', 'pdfkit', 'fontkit', 'fflate', '@aws-sdk/client-s3'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/**
 * The server loads the libraries of rare paths (workbooks, Word, PDF, zip, S3) at first use,
 * through src/rareModules.ts, so that an instance answering chat does not carry some 70 MB of them
 * (issue 18). One value import anywhere else brings the library back in at start.
 */
describe('the libraries only rare paths need', () => {
  it('are imported as values by src/rareModules.ts alone; elsewhere only their types', () => {
    const offenders = sources(SRC).flatMap((file) => {
      if (file.endsWith('rareModules.ts')) return [];
      const text = readFileSync(file, 'utf8');
      return RARE.filter((name) => new RegExp(`^import (?!type )[^;]*from '${name}';`, 'm').test(text) || text.includes(`require('${name}')`)).map(
        (name) => `${relative(SRC, file)}: ${name}`,
      );
    });
    expect(offenders).toEqual([]);
  });
});
