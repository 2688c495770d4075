const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page's own policy: no script at all, inline style only, the form posts back here. */
export const UPLOAD_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:24px 16px;background:#f5f6f8;color:#1f2329}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:20px}h1{font-size:20px;margin:0 0 12px}
p{line-height:1.6;font-size:15px}input[type=file]{display:block;width:100%;margin:16px 0;font-size:16px}
button{width:100%;padding:12px;font-size:17px;border:0;border-radius:6px;background:#1456f0;color:#fff}
.note{color:#646a73;font-size:13px}.ok{color:#0a7a3d}.error{color:#c02828}`;

/** The upload page, server-rendered: one file input and a button; `message` reports the last upload. */
export function uploadPage(p: { name: string; maxText: string; message?: { ok: boolean; text: string } }): string {
  const message = p.message ? `<p class="${p.message.ok ? 'ok' : 'error'}" role="status">${escape(p.message.text)}</p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>上传材料</title><style>${STYLE}</style></head><body><main>
<h1>上传材料</h1><p>${escape(p.name)}，请选择要上传的 Word、PDF 等文件，上传后回到聊天继续填写。</p>${message}
<form method="post" enctype="multipart/form-data"><label for="file">选择文件（每个不超过 ${escape(p.maxText)}）</label>
<input id="file" name="file" type="file" required accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.zip,application/pdf">
<button type="submit">上传</button></form>
<p class="note">本链接仅供您本人使用，30 分钟内有效，请勿转发。可多次上传，每次一个文件。</p></main></body></html>`;
}

export function expiredPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>链接已失效</title><style>${STYLE}</style></head>
<body><main><h1>链接已失效</h1><p>上传链接已过期或无效。请回到聊天，在需要材料的步骤重新获取上传链接。</p></main></body></html>`;
}
