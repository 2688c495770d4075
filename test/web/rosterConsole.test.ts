import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterPreview, SyncPreview } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

/** Edits an exported roster workbook: `edit` gets the people sheet and a row lookup by code. */
async function edited(bytes: ArrayBuffer, edit: (people: ExcelJS.Worksheet, row: (code: string) => ExcelJS.Row) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const people = book.getWorksheet('people')!;
  const row = (code: string) => {
    let found: ExcelJS.Row | undefined;
    people.eachRow((r) => void (r.getCell(1).value === code && (found = r)));
    return found!;
  };
  edit(people, row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const snapshot = async (stack: WebStack) => JSON.stringify(await stack.db.query('SELECT code, name, unit_id, post, left_on, wecom_user_id FROM people ORDER BY code')) + JSON.stringify(await stack.db.query('SELECT person_id, role, unit_id FROM role_assignments ORDER BY id'));

describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('名册 in the console (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let admin: WebClient;
  let exported: ArrayBuffer;
  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    admin = new WebClient(stack.url, stack.adminUrl);
    await admin.devSignIn('P005');
  });
  afterAll(async () => stack?.close());

  const preview = (bytes: Buffer | Uint8Array, name = '花名册.xlsx') =>
    admin.api('/roster/import/preview', { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) } });

  it('exports the whole roster in the import template, which imports back as “nothing changed”', async () => {
    const answer = await admin.api('/roster/export.xlsx');
    expect(answer.headers.get('content-disposition')).toContain(encodeURIComponent('花名册.xlsx'));
    exported = await answer.arrayBuffer();
    const shown = (await (await preview(Buffer.from(exported))).json()) as RosterPreview;
    expect(shown.people.added).toEqual([]);
    expect(shown.people.updated).toEqual([]);
    expect(shown.roles).toEqual({ added: [], removed: [] });
    expect(shown.people.unchanged).toBeGreaterThan(30);
  });

  it('previews an edited file — added, updated, leaving, roles — writes nothing until applied, then applies exactly that once', async () => {
    const before = await snapshot(stack);
    const file = await edited(exported, (people, row) => {
      row('P039').getCell(4).value = '临港城投集团工程部副经理';
      row('P040').getCell(10).value = '2026-11-20';
      row('P012').getCell(11).value = '主要领导';
      people.addRow(['P100', '韩梅', 'GZ01', '工程部职员', '企业性质', '否', '', '', '2026-11-01', '', '']);
    });
    const answer = await preview(file, '城投集团调整.xlsx');
    expect(answer.status).toBe(200);
    const shown = (await answer.json()) as RosterPreview;
    expect(shown.fileName).toBe('城投集团调整.xlsx');
    expect(shown.people.added).toEqual([{ code: 'P100', name: '韩梅' }]);
    expect(shown.people.updated.map((p) => [p.code, p.fields])).toEqual([['P039', ['职务']], ['P040', ['离开日期']]]);
    expect(shown.people.leaving).toEqual([{ code: 'P040', name: '吕强' }]);
    expect(shown.roles.removed).toEqual([{ personCode: 'P012', personName: '刘洋', role: '党组织主要负责人', unitCode: 'JG03' }]);
    expect(await snapshot(stack)).toBe(before);

    const applied = await admin.api('/roster/import/apply', { method: 'POST', body: JSON.stringify({ token: shown.token }) });
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as RosterPreview).people.added).toEqual([{ code: 'P100', name: '韩梅' }]);
    expect((await stack.db.query(`SELECT post FROM people WHERE code = 'P039'`))[0].post).toBe('临港城投集团工程部副经理');
    const line = (await stack.db.query(`SELECT detail FROM audit_log WHERE action = 'roster.imported'`)) as { detail: string }[];
    expect(JSON.parse(line[0].detail)).toMatchObject({ file: '城投集团调整.xlsx', people: { added: 1, updated: 2, leaving: 1 } });
    // The same preview again: spent.
    expect((await admin.api('/roster/import/apply', { method: 'POST', body: JSON.stringify({ token: shown.token }) })).status).toBe(409);
  });

  it('lists every bad row with its row number and changes nothing; garbage is refused the same way', async () => {
    const before = await snapshot(stack);
    const rows = { p039: 0, p101: 0 };
    const file = await edited(exported, (people, row) => {
      row('P039').getCell(3).value = 'NOPE';
      rows.p039 = row('P039').number;
      rows.p101 = people.addRow(['P101', '', 'GZ01', '职员', '企业性质', '也许', '', '', '2026-13-01', '', '书记']).number;
    });
    const answer = await preview(file);
    expect(answer.status).toBe(422);
    const { problems } = (await answer.json()) as { problems: { row: string; reason: string }[] };
    const [p039, p101] = [rows.p039, rows.p101];
    expect(problems).toEqual(expect.arrayContaining([
      { row: `people 第${p039}行`, reason: '单位编码“NOPE”不存在' },
      { row: `people 第${p101}行`, reason: '“姓名”不能为空' },
      { row: `people 第${p101}行`, reason: '“市管干部”应填“是”或“否”，不是“也许”' },
    ]));
    for (const garbage of [new Uint8Array([0x50, 0x4b, 1, 2]), new TextEncoder().encode('not a workbook at all')]) {
      const refused = await preview(garbage);
      expect(refused.status).toBe(422);
      expect(JSON.stringify(await refused.json())).toContain('无法读取 Excel 文件');
    }
    expect((await preview(new Uint8Array(0))).status).toBe(400);
    expect((await preview(new Uint8Array(6 * 1024 * 1024))).status).toBe(413);
    expect((await admin.api('/roster/import/apply', { method: 'POST', body: '{"token":1}' })).status).toBe(409);
    expect(await snapshot(stack)).toBe(before);
  });

  it('syncs WeCom ids with the same preview: nothing linked until applied', async () => {
    await stack.db.query(`UPDATE people SET wecom_user_id = NULL WHERE code = 'P039'`);
    stack.wecom.departments = [{ id: 1, name: '澄港开发区', parentid: 0 }, { id: 7, name: '临港城投集团', parentid: 1 }];
    stack.wecom.members = [{ userid: 'yubo', name: '余波', department: [7] }];
    const shown = (await (await admin.api('/roster/sync/wecom/preview', { method: 'POST', body: '{}' })).json()) as SyncPreview;
    expect(shown.report.linked).toEqual([{ code: 'P039', name: '余波', userid: 'yubo' }]);
    expect((await stack.db.query(`SELECT wecom_user_id FROM people WHERE code = 'P039'`))[0].wecom_user_id).toBeNull();
    const applied = (await (await admin.api('/roster/sync/wecom/apply', { method: 'POST', body: JSON.stringify({ token: shown.token }) })).json()) as SyncPreview;
    expect(applied.report.linked).toHaveLength(1);
    expect((await stack.db.query(`SELECT wecom_user_id FROM people WHERE code = 'P039'`))[0].wecom_user_id).toBe('yubo');
    expect((await admin.api('/roster/sync/feishu/preview', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
