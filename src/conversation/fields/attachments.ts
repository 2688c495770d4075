import { sizeText } from '../../files/receivedFile';
import { ok, fail, type Attachment, type Field } from '../field';

const DONE = ['完成', '好了', '没有', '无', '跳过', '不需要'];
const WORDS = { image: '图片', video: '视频', file: '文件' } as const;

/**
 * Files, pictures and videos sent in the chat, one message each, until the person says 完成. Each
 * is recorded as it arrives, and a job fetches it from the messenger while its media id is still
 * valid (WeCom: 3 days). The count and the total size are held to the zone's per-case limits.
 */
export function attachments(prompt: string, options: { max?: number; required?: boolean } = {}): Field<Attachment[]> {
  return {
    prompt,
    optional: !options.required,
    buttons: ['完成'],
    hint: '请直接在聊天中发送图片、视频或文件，可发多个；Word、PDF 等文件也可以通过上传链接上传（企业微信的聊天只能发送图片和视频）。发完或没有材料时回复“完成”。',
    // WeCom delivers no documents to the app: the step offers a page to upload them on.
    async listing(ctx) {
      const uploads = ctx.services.uploads;
      if (!uploads) return undefined;
      const link = await uploads.issue({ personId: ctx.person.id });
      return `Word、PDF 等文件请用此链接上传（30 分钟内有效，仅限本人）：${link.url}`;
    },
    async parse(input, ctx, previous) {
      const sofar = previous ?? [];
      const { files } = ctx.services;
      const max = options.max ?? files.limits.maxCaseFiles;
      if (input.kind === 'attachment') {
        if (sofar.length >= max) return fail(`最多 ${max} 个附件（本区设置），请回复“完成”继续。`);
        const known = await files.byIds(sofar.flatMap((a) => (a.fileId === undefined ? [] : [a.fileId])));
        const bytes = known.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0);
        if (bytes >= files.limits.maxCaseBytes) {
          return fail(`已收到的附件共 ${sizeText(bytes)}，达到每件申请 ${sizeText(files.limits.maxCaseBytes)} 的上限（本区设置），这个没有收下。请回复“完成”继续。`);
        }
        const { channel, mediaKind, mediaId, fileName, receivedAt } = input.attachment;
        const file = await files.receive({ channel, mediaKind, mediaId, fileName, receivedAt, senderId: ctx.person.id });
        const attachment = { ...input.attachment, fileId: file.id };
        const next = [...sofar.filter((a) => a.mediaId !== attachment.mediaId || a.channel !== attachment.channel), attachment];
        return { ok: 'partial', value: next, message: `已收到第 ${next.length} 个附件（${WORDS[attachment.mediaKind]}）。继续发送，或回复“完成”。` };
      }
      if (input.kind === 'option' || DONE.includes(input.text.trim())) {
        return options.required && sofar.length === 0 ? fail('这一步至少需要一个文件或图片，请直接在聊天中发送。') : ok(sofar);
      }
      return fail('请发送图片、视频或文件；发完或没有材料时回复“完成”。');
    },
    format: (value) => (value.length === 0 ? '未附材料' : value.map((a, i) => `${i + 1}. ${a.fileName ?? WORDS[a.mediaKind]}`).join('\n')),
    // The card's one button is 完成: "已选择：无" would read as if nothing had been chosen at all.
    closedLabel: (value) => (value.length === 0 ? '未附材料' : `已附 ${value.length} 个材料`),
  };
}
