import { ok, fail, type Attachment, type Field } from '../field';

const DONE = ['完成', '好了', '没有', '无', '跳过', '不需要'];

/**
 * Files and pictures sent in the chat, one message each, until the person says 完成. Only the
 * messenger's media id is kept now; the file is fetched while the id is still valid.
 */
export function attachments(prompt: string, options: { max?: number; required?: boolean } = {}): Field<Attachment[]> {
  const max = options.max ?? 20;
  return {
    prompt,
    optional: !options.required,
    buttons: ['完成'],
    hint: '请直接在聊天中发送文件或图片，可发多个；发完或没有材料时回复“完成”。',
    parse(input, _ctx, previous) {
      const sofar = previous ?? [];
      if (input.kind === 'attachment') {
        if (sofar.length >= max) return fail(`最多 ${max} 个附件，请回复“完成”继续。`);
        const next = [...sofar, input.attachment];
        return { ok: 'partial', value: next, message: `已收到第 ${next.length} 个附件。继续发送，或回复“完成”。` };
      }
      if (input.kind === 'option' || DONE.includes(input.text.trim())) {
        return options.required && sofar.length === 0 ? fail('这一步至少需要一个文件或图片，请直接在聊天中发送。') : ok(sofar);
      }
      return fail('请发送文件或图片；发完或没有材料时回复“完成”。');
    },
    format: (value) => (value.length === 0 ? '未附材料' : value.map((a, i) => `${i + 1}. ${a.fileName ?? (a.mediaKind === 'image' ? '图片' : '文件')}`).join('\n')),
    // The card's one button is 完成: "已选择：无" would read as if nothing had been chosen at all.
    closedLabel: (value) => (value.length === 0 ? '未附材料' : `已附 ${value.length} 个材料`),
  };
}
