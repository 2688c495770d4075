import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveManifest } from '../../src/documents/archive';
import { settle } from '../support/chatters/base';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, recordBefore, type Chat, type Chatter } from '../support/chat';
import { sampleDocx, samplePdf, samplePng, type SampleFile } from '../support/sampleFiles';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const runs = databaseBackends.flatMap((database) => (['wecom', 'dingtalk'] as const).map((channel) => ({ database, channel })));

/** Follows a link the bot gave, on this test's server (PUBLIC_BASE_URL is the default). */
const local = (chat: Chat, url: string) => `${chat.url}${new URL(url).pathname}`;
const linksIn = (text: string) => [...text.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1]);

describe.each(runs)('evidence of a 容错 request, kept and archived, over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter;
  let files: { png: SampleFile; pdf: SampleFile; docx: SampleFile };

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[stateBackends.length - 1], {}, channel);
    yangFan = chat.as('P014');
    files = { png: samplePng(), pdf: await samplePdf(), docx: await sampleDocx('整改说明.docx') };
  });
  afterEach(async () => chat.close());

  /** WeCom's chat carries pictures only: the documents go through the upload page the step links to. */
  async function attachThree(who: Chatter): Promise<void> {
    expect((await who.sends(files.png.name, files.png)).text).toContain('已收到第 1 个附件（图片）');
    if (channel === 'dingtalk') {
      await who.sends(files.pdf.name, files.pdf);
      expect((await who.sends(files.docx.name, files.docx)).text).toContain('已收到第 3 个附件（文件）');
      return;
    }
    const asked = who.transcript().map((m) => m.text ?? m.card?.description ?? '').reverse().find((t) => t.includes('/upload/'));
    if (!asked) throw new Error(JSON.stringify(who.transcript().slice(-3)));
    const upload = local(chat, /(https?:\/\/\S+\/upload\/[\w-]{43})/.exec(asked)![1]);
    const page = await fetch(upload);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('上传材料');
    for (const file of [files.pdf, files.docx]) {
      chat.clock.advance(20_000);
      const form = new FormData();
      form.append('file', new Blob([file.bytes], { type: file.contentType }), file.name);
      const answer = await fetch(upload, { method: 'POST', body: form });
      expect(await answer.text()).toContain(`已上传“${file.name}”`);
      await settle(chat.bot);
    }
    expect(who.transcript().at(-1)!.text).toContain('已收到第 3 个附件（文件）');
  }

  it('fetches the three files, lists them for the approvers and packs them in the 归档 zip with a valid manifest', async () => {
    const receipt = await applyForTolerance(yangFan, { attach: attachThree });
    const number = /编号 (RC2026-\d{4})/.exec(receipt.text)![1];
    await chat.bot.scheduler.runDue();
    const stored: { file_name: string | null; status: string; sha256: string; media_kind: string }[] = await chat.db.query('SELECT file_name, status, sha256, media_kind FROM received_files ORDER BY id');
    expect(stored.map((f) => [f.media_kind, f.status, f.sha256])).toEqual([
      ['image', 'stored', sha(files.png.bytes)],
      ['file', 'stored', sha(files.pdf.bytes)],
      ['file', 'stored', sha(files.docx.bytes)],
    ]);

    // The approver's card says there are files; the list gives each with its size and a link.
    const liuYang = chat.as('P012');
    const card = liuYang.lastCard()!;
    expect(card.fields).toContainEqual({ label: '附件', value: '3 个' });
    expect(recordBefore(liuYang, card.cardId)).toContain(`（发送“附件 ${number}”查看名称、大小并下载）`);
    const listing = await liuYang.says(`附件 ${number}`);
    expect(listing.text).toContain(`${files.pdf.name}`);
    expect(listing.text).toMatch(/整改说明\.docx\]\(.+\)（\d+ KB）/);
    const links = linksIn(listing.text);
    expect(links).toHaveLength(3);
    const pdf = await fetch(local(chat, links[1]));
    expect(Buffer.from(await pdf.arrayBuffer())).toEqual(files.pdf.bytes);
    expect((await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'file.downloaded'`))[0].n).toEqual(expect.anything());
    // Someone with no part in the case is refused, and the refusal is on record.
    expect((await chat.as('P020').says(`附件 ${number}`)).text).toContain('您无权查看');

    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    const wuHaiyan = chat.as('P009');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chat.as('P001'), '同意', '同意纪工委意见，予以容错免责。');

    const todo = await wuHaiyan.says('我的待办');
    const task = /待办 #(\d+)：相关资料和会议纪要存储归档/.exec(todo.text)![1];
    await wuHaiyan.says(`办结 ${task}`);
    await wuHaiyan.says('材料已整理归档。');
    const closed = await wuHaiyan.taps('提交');
    expect(closed.text).toContain('归档包已生成并保存');

    const offered = await chat.as('P005').says(`归档包 ${number}`);
    const zip = unzipSync(new Uint8Array(await (await fetch(local(chat, linksIn(offered.text)[0]))).arrayBuffer()));
    const manifest = JSON.parse(Buffer.from(zip['manifest.json']).toString('utf8')) as ArchiveManifest;
    expect(manifest.case.number).toBe(number);
    for (const entry of manifest.entries) expect(sha(zip[entry.path])).toBe(entry.sha256);
    expect(Object.keys(zip).sort()).toEqual([...manifest.entries.map((e) => e.path), 'manifest.json'].sort());
    const paths = manifest.entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining([`01-审批表/${number}-容错免责审批表.docx`, '05-办理过程.txt', '06-审计记录.json']));
    expect(paths.some((p) => p.startsWith('02-批复回复/') && p.endsWith('容错免责批复.docx'))).toBe(true);
    const evidence = manifest.entries.filter((e) => e.path.startsWith('03-材料/证明材料/'));
    expect(evidence.map((e) => e.sha256)).toEqual([sha(files.png.bytes), sha(files.pdf.bytes), sha(files.docx.bytes)]);
    expect(Buffer.from(zip['05-办理过程.txt']).toString('utf8')).toContain('相关资料和会议纪要存储归档');
    // Someone outside the two offices is refused the package.
    expect((await yangFan.says(`归档包 ${number}`)).text).toContain('归档包仅限纪工委、党群工作部下载');
  }, 180_000);
});
