import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCaseDocument, renderLedger } from '../../src/documents/render';
import { FieldCipher, FieldKeyError, attachFieldCipher, fieldCipherOf } from '../../src/storage/fieldCipher';
import { parseKeyRing } from '../../src/storage/fieldKeys';
import { rekey } from '../../src/storage/rekey';
import { AuditLog } from '../../src/domain/audit';
import { TalkRecords } from '../../src/domain/talks/talkRecords';
import { openDatabase } from '../../src/storage/dataSource';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { databaseBackends, stateBackends, testClock } from '../support/backends';
import { runScript, sharedDatabase } from '../support/cli';
import { openChat, type Chat } from '../support/chat';
import { TEST_DATA_KEYS, testCipher } from '../support/fieldKeys';
import { fillToSummary } from '../support/talkDialogue';
import { decide } from '../support/toleranceDialogue';
import { apply, caseId as documentCaseId } from '../documents/fixtures';
import { docxPart, paragraphsText } from '../documents/docText';

/**
 * Talk records and case narratives are confidential: what MariaDB and SQLite hold of them is
 * AES-256-GCM ciphertext, read with raw SQL here, while every reader (chat, Word form, 台账) still
 * gets the text. A second key rotates in, `rekey` moves every value to it, and a value that was
 * altered, or sealed with a key no longer configured, is refused with a message naming the column.
 */
const SUMMARY = '交流了综合科年度工作总结的安排和个人思想状况。';
const REASON = '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。';
const UNIT_OPINION = '情况属实，同意报纪工委调查核实。';
const MOTIVE = '出于推进项目的公心，未谋取私利。';
const key = (kid: string, byte: number) => `${kid}:${Buffer.alloc(32, byte).toString('base64')}`;
const cipher = (keys: string) => new FieldCipher(parseKeyRing(keys));

/** Every stored confidential value, raw, with where it lives. */
async function storedValues(chat: Chat): Promise<{ at: string; value: string }[]> {
  const columns: [string, string][] = [
    ['talks', 'summary'], ['cases', 'form'], ['case_stages', 'opinion'], ['case_stages', 'findings'], ['draft_copies', 'payload'],
  ];
  const out: { at: string; value: string }[] = [];
  for (const [table, column] of columns) {
    const rows: Record<string, string | null>[] = await chat.db.query(`SELECT ${column} FROM ${table} WHERE ${column} IS NOT NULL`);
    out.push(...rows.map((r) => ({ at: `${table}.${column}`, value: r[column]! })));
  }
  return out;
}

describe.each(databaseBackends)('confidential text at rest on $name', (backend) => {
  let chat: Chat;
  let talkNumber: string;
  let talkId: number;
  let caseId: number;

  beforeAll(async () => {
    chat = await openChat(backend, stateBackends[0]);
    const [liuYang, yangFan, wuHaiyan] = ['P012', 'P014', 'P009'].map((code) => chat.as(code));
    await fillToSummary(liuYang);
    const receipt = await liuYang.taps('提交');
    talkNumber = /TH\d{4}-\d{5}/.exec(receipt.text)![0];
    talkId = Number(talkNumber.slice(7));
    caseId = await documentCaseId(chat, await apply(yangFan, { situations: '二、三', reason: REASON }));
    await decide(liuYang, '同意', UNIT_OPINION);
    // Half-way through the 六看: the durable draft copy holds the findings typed so far.
    await wuHaiyan.taps('开始核实');
    await wuHaiyan.says('属于探索创新中的失误，不是有令不行。');
    await wuHaiyan.says('当时政策界限不明确，属先行先试。');
    await wuHaiyan.says(MOTIVE);
  });
  afterAll(async () => chat?.close());

  it('stores talk summaries, 申请事由, opinions and the draft being typed as ciphertext under the current key', async () => {
    const stored = await storedValues(chat);
    expect(stored.map((s) => s.at)).toEqual(expect.arrayContaining(['talks.summary', 'cases.form', 'case_stages.opinion', 'draft_copies.payload']));
    for (const { at, value } of stored) {
      expect(value, at).toMatch(/^enc:1:test1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
      for (const text of [SUMMARY, REASON, UNIT_OPINION, MOTIVE, '滨江', '补偿']) expect(value, at).not.toContain(text);
    }
  });

  it('reads them back wherever they are shown: the talk in chat, the 审批表, the 台账', async () => {
    const talk = (await chat.as('P012').says(`查看谈话 ${talkNumber}`)).text;
    expect(talk).toContain(`内容摘要：${SUMMARY}`);
    const form = paragraphsText(await docxPart((await renderCaseDocument(chat.db, caseId, 'form', 'docx'))!.content, 'word/document.xml'));
    expect(form).toContain(REASON);
    expect(form).toContain(UNIT_OPINION);
    const xlsx = await JSZip.loadAsync((await renderLedger(chat.db, {}, 'ledger.xlsx')).content);
    expect(await xlsx.file('xl/sharedStrings.xml')!.async('string')).toContain('情况属实');
  });

  it('carries the 六看 on from the sealed draft copy, and seals the findings when they are submitted', async () => {
    const wuHaiyan = chat.as('P009');
    await wuHaiyan.says('经街道党工委会议集体研究决定。');
    await wuHaiyan.says('积极作为，遵循了项目推进规律。');
    await wuHaiyan.says('发现问题后及时补救，挽回部分损失。');
    await wuHaiyan.taps('予以容错免责');
    await wuHaiyan.says('一、三');
    await wuHaiyan.says('经调查核实，建议予以容错免责。');
    expect((await wuHaiyan.taps('提交')).text).toContain('已记录您的认定：予以容错免责');
    const [raw]: { findings: string }[] = await chat.db.query(`SELECT findings FROM case_stages WHERE stage_key = 'discipline'`);
    expect(raw.findings).toMatch(/^enc:1:test1:/);
    const form = paragraphsText(await docxPart((await renderCaseDocument(chat.db, caseId, 'form', 'docx'))!.content, 'word/document.xml'));
    expect(form).toContain(MOTIVE);
  });

  it('refuses a value altered in the database, naming the column, and changes nothing', async () => {
    const [row]: { summary: string }[] = await chat.db.query('SELECT summary FROM talks WHERE id = ?', [talkId]);
    const parts = row.summary.split(':');
    const body = Buffer.from(parts[5], 'base64');
    body[0] ^= 1;
    const altered = [...parts.slice(0, 5), body.toString('base64')].join(':');
    await chat.db.query('UPDATE talks SET summary = ? WHERE id = ?', [altered, talkId]);
    try {
      await expect(new TalkRecords(chat.db, testClock()).get(talkId)).rejects.toThrow(/talks\.summary 的密文校验失败，拒绝读取/);
      // A summary pasted into another column does not open there either: the column is authenticated.
      await chat.db.query('UPDATE talks SET follow_ups = ? WHERE id = ?', [row.summary, talkId]);
      await expect(new TalkRecords(chat.db, testClock()).get(talkId)).rejects.toThrow(FieldKeyError);
    } finally {
      await chat.db.query('UPDATE talks SET summary = ?, follow_ups = NULL WHERE id = ?', [row.summary, talkId]);
    }
    expect((await new TalkRecords(chat.db, testClock()).get(talkId))!.summary).toBe(SUMMARY);
  });

  it('rotates: a new current key seals new writes, old values still open, rekey moves them all and is audited', async () => {
    const rotated = cipher(`${key('k2', 9)},${TEST_DATA_KEYS}`);
    attachFieldCipher(chat.db, rotated);
    try {
      const talks = new TalkRecords(chat.db, testClock());
      expect((await talks.get(talkId))!.summary).toBe(SUMMARY);
      const second = await talks.record({
        draftKey: 'rotation', talkerId: 1, talkeeIds: [2], talkedOn: '2026-11-21', kind: '其他', place: '会议室', topics: ['工作'],
        summary: '轮换后写入的摘要。', issuesRaised: '无', followUps: null, channel: 'test',
      });
      const kids = async () => ((await chat.db.query('SELECT summary FROM talks ORDER BY id')) as { summary: string }[]).map((r) => r.summary.split(':')[2]);
      expect(await kids()).toEqual(['test1', 'k2']);

      const progress: number[] = [];
      const report = await rekey(chat.db, new AuditLog(testClock()), { batchSize: 1, progress: (_t, last) => progress.push(last) });
      expect(report.keyId).toBe('k2');
      expect(report.tables.talks).toEqual({ rows: 2, values: 1 });
      expect(report.tables.cases.values).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThan(3);
      for (const { at, value } of await storedValues(chat)) expect(value.split(':')[2], at).toBe('k2');
      const [line]: { detail: string }[] = await chat.db.query(`SELECT detail FROM audit_log WHERE action = 'data.rekeyed'`);
      expect(JSON.parse(line.detail)).toMatchObject({ values: expect.any(Number), tables: { talks: { rows: 2, values: 1 } } });

      // Run again: nothing left to do, nothing decrypted.
      expect((await rekey(chat.db, new AuditLog(testClock()))).tables.talks.values).toBe(0);
      // The old key can now go: k2 alone reads everything, the old key alone reads nothing.
      attachFieldCipher(chat.db, cipher(key('k2', 9)));
      expect((await talks.get(second.id))!.summary).toBe('轮换后写入的摘要。');
      expect((await talks.get(talkId))!.summary).toBe(SUMMARY);
      attachFieldCipher(chat.db, testCipher);
      await expect(talks.get(talkId)).rejects.toThrow('无法解密 talks.summary：密钥 k2 未配置');
      // A key with the right id but the wrong bytes is refused as well.
      attachFieldCipher(chat.db, cipher(key('k2', 10)));
      await expect(talks.get(talkId)).rejects.toThrow(/密文校验失败/);
    } finally {
      attachFieldCipher(chat.db, rotated);
      await rekey(chat.db, new AuditLog(testClock()), {});
      attachFieldCipher(chat.db, cipher(`${TEST_DATA_KEYS},${key('k2', 9)}`));
      await rekey(chat.db, new AuditLog(testClock()), {});
      attachFieldCipher(chat.db, testCipher);
    }
    expect(fieldCipherOf(chat.db).currentKeyId).toBe('test1');
  });

  it('stops at a value it cannot open with the batch rolled back, and carries on when run again', async () => {
    const [first]: { id: number; summary: string }[] = await chat.db.query('SELECT id, summary FROM talks ORDER BY id LIMIT 1');
    const [broken]: { id: number; summary: string }[] = await chat.db.query('SELECT id, summary FROM talks ORDER BY id DESC LIMIT 1');
    await chat.db.query('UPDATE talks SET summary = ? WHERE id = ?', [`${broken.summary.slice(0, -4)}AAA=`, broken.id]);
    attachFieldCipher(chat.db, cipher(`${key('k3', 11)},${TEST_DATA_KEYS}`));
    try {
      await expect(rekey(chat.db, new AuditLog(testClock()), { batchSize: 1 })).rejects.toThrow(`talks id=${broken.id}: talks.summary 的密文校验失败`);
      const kid = async (id: number) => ((await chat.db.query('SELECT summary FROM talks WHERE id = ?', [id])) as { summary: string }[])[0].summary.split(':')[2];
      expect(await kid(first.id)).toBe('k3');
      expect(await kid(broken.id)).toBe('test1');
      await chat.db.query('UPDATE talks SET summary = ? WHERE id = ?', [broken.summary, broken.id]);
      const resumed = await rekey(chat.db, new AuditLog(testClock()), { batchSize: 1 });
      // The row's summary and its 反映的问题, both left as they were by the batch rolled back.
      expect(resumed.tables.talks.values).toBe(2);
      expect(await kid(broken.id)).toBe('k3');
    } finally {
      attachFieldCipher(chat.db, cipher(`${TEST_DATA_KEYS},${key('k3', 11)}`));
      await rekey(chat.db, new AuditLog(testClock()));
      attachFieldCipher(chat.db, testCipher);
    }
  });
});

describe.each(databaseBackends)('npm run data:rekey on $name', (backend) => {
  it('reseals with the key listed first, audited, and stops with the key named when it lacks one', async () => {
    const shared = await sharedDatabase(backend);
    const db = await openDatabase(shared.config, true, testCipher);
    try {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, testClock());
      const talk = await new TalkRecords(db, testClock()).record({
        draftKey: 'cli', talkerId: 1, talkeeIds: [2], talkedOn: '2026-11-20', kind: '其他', place: '会议室', topics: ['工作'],
        summary: SUMMARY, issuesRaised: null, followUps: '下月回访。', channel: 'test',
      });
      const rotated = `${key('k2', 9)},${TEST_DATA_KEYS}`;
      const done = await runScript('src/storage/rekeyCli.ts', ['--batch', '1'], shared.url, { DATA_ENCRYPTION_KEYS: rotated });
      expect(done).toMatchObject({ code: 0, stdout: expect.stringContaining('已用密钥 k2 重新加密 (resealed with key k2):\n  talks: 1 rows, 2 values resealed') });
      const [raw]: { summary: string; follow_ups: string }[] = await db.query('SELECT summary, follow_ups FROM talks');
      expect([raw.summary.split(':')[2], raw.follow_ups.split(':')[2]]).toEqual(['k2', 'k2']);
      attachFieldCipher(db, cipher(rotated));
      expect(await new TalkRecords(db, testClock()).get(talk.id)).toEqual(talk);
      expect(Number((await db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'data.rekeyed' AND subject = 'key:k2'`))[0].n)).toBe(1);

      const lacking = await runScript('src/storage/rekeyCli.ts', [], shared.url, { DATA_ENCRYPTION_KEYS: key('k3', 3) });
      expect(lacking.code).toBe(1);
      expect(lacking.stderr).toContain(`talks id=${talk.id}: 无法解密 talks.summary：密钥 k2 未配置`);
      expect(((await db.query('SELECT summary FROM talks')) as { summary: string }[])[0].summary).toBe(raw.summary);
      const misused = await runScript('src/storage/rekeyCli.ts', ['--batch', '0'], shared.url);
      expect(misused).toMatchObject({ code: 1, stderr: expect.stringContaining('--batch 应为 1 到 10000 的整数') });
    } finally {
      await db.destroy();
      await shared.drop();
    }
  }, 180_000);
});
