import type { FormLayout, FormLine } from '../../documents/formLayout';
import { escapeHtml as e } from '../pages';
import type { CasePageData } from './casePage';
import type { DecisionOption, PageField } from './pageDecision';

/**
 * The case page as HTML: server-rendered, no script, one small inline stylesheet, so that it opens
 * at once in WeCom's and DingTalk's in-app browsers and reads at 360 px. The decision forms are
 * <details> that open under the card's buttons.
 */

export interface PageMessage {
  kind: 'done' | 'info' | 'error';
  text: string;
}

export interface PageState {
  /** The result of a decision just posted. */
  message?: PageMessage;
  /** A decision form sent back with what was wrong, and what was typed. */
  invalid?: { op: string; errors: Record<string, string>; typed: Record<string, string> };
  csrf: string;
  viewerName: string;
}

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
export const when = (iso: string): string => (iso && !Number.isNaN(Date.parse(iso)) ? TIME.format(new Date(iso)).replace(/\//g, '-') : '');

const paragraphs = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => `<p>${e(l)}</p>`).join('');
const line = (l: FormLine) => `<p${l.bold ? ' class="b"' : ''}>${e(l.text)}</p>`;

function formTable(form: FormLayout): string {
  const [a, b] = form.head;
  const rows = form.rows.map(
    (r) => `<tr><th scope="row">${r.label.map(e).join('<br>')}</th><td colspan="3">${r.body.map(line).join('')}${r.sign.filter((s) => s.trim()).map((s) => `<p class="sign">${e(s)}</p>`).join('')}</td></tr>`,
  );
  // The section's heading names the form (附件1 …); the caption says it again for screen readers only.
  return `<p class="num">${e(form.numberLine)}</p>
<div class="scroll"><table class="form">
<caption class="sr">${e(form.title)}</caption>
<tr><th scope="row">${e(a.label)}</th><td>${e(a.value)}</td><th scope="row">${e(b.label)}</th><td>${e(b.value)}</td></tr>
${rows.join('\n')}
</table></div>
<p class="note">${e(form.footer)}</p>`;
}

/**
 * One field of a decision form: a text box, or the options of a choice as radio buttons or check
 * boxes (posted as their numbers, the answer chat takes); what was typed comes back with its error.
 */
function fieldHtml(op: string, f: PageField, invalid: PageState['invalid']): string {
  const id = `${op}-${f.key}`;
  const error = invalid?.errors[f.key];
  const typed = invalid?.typed[f.key] ?? '';
  const when = f.conditional ? '<span class="when">（视所选结论填写）</span>' : '';
  const errorHtml = error ? `<p class="error" id="${id}-error" role="alert">${e(error)}</p>` : '';
  if (f.choices) {
    const picked = new Set(typed.split('、'));
    const type = f.choices.multiple ? 'checkbox' : 'radio';
    const options = f.choices.options.map((option, i) =>
      `<label class="opt"><input type="${type}" name="${e(f.key)}" value="${i + 1}"${picked.has(String(i + 1)) ? ' checked' : ''}> ${e(option)}</label>`,
    );
    return `<fieldset id="${id}"${error ? ` aria-describedby="${id}-error"` : ''}><legend>${e(f.label)}${when}</legend>
<p class="hint">${e(f.prompt)}</p>
${options.join('\n')}
${errorHtml}</fieldset>`;
  }
  return `<label for="${id}">${e(f.label)}${when}</label>
<p class="hint" id="${id}-hint">${e(f.prompt)}${e(f.hint)}</p>
<textarea id="${id}" name="${e(f.key)}" rows="4" maxlength="1000" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${error ? ' aria-invalid="true"' : ''}>${e(typed)}</textarea>
${errorHtml}`;
}

function optionHtml(number: string, stageId: number, o: DecisionOption, state: PageState): string {
  if (o.unavailable) return `<p class="note">“${e(o.label)}”：${e(o.unavailable)}</p>`;
  if (!o.fields) return `<p class="note">“${e(o.label)}”需要逐项填写，请点击企业微信或钉钉中卡片上的“${e(o.label)}”按钮办理。</p>`;
  const invalid = state.invalid?.op === o.op ? state.invalid : undefined;
  const fields = o.fields.map((f) => fieldHtml(o.op, f, invalid));
  return `<details${invalid ? ' open' : ''}><summary class="btn ${o.style ?? 'default'}">${e(o.label)}</summary>
<form method="post" action="/m/cases/${e(number)}/decide">
<input type="hidden" name="csrf" value="${e(state.csrf)}"><input type="hidden" name="stage" value="${stageId}"><input type="hidden" name="op" value="${e(o.op)}">
${fields.join('\n')}
${o.note ? `<p class="note">${e(o.note)}</p>` : ''}
<button type="submit" class="btn ${o.style ?? 'default'}">${e(o.submit ?? `确认${o.label}`)}</button>
</form></details>`;
}

function sections(d: CasePageData, state: PageState): string[] {
  const out: string[] = [];
  const { c, view } = d;
  if (d.turn) {
    out.push(`<section class="turn" aria-labelledby="turn-h"><h2 id="turn-h">待您办理：${e(d.turn.stageTitle)}</h2>
<p class="note">与卡片上的按钮相同：在此或在卡片上办理其一即可，先办理的生效。</p>
${d.turn.options.map((o) => optionHtml(c.number, d.turn!.stageId, o, state)).join('\n')}</section>`);
  }
  out.push(`<section aria-labelledby="form-h"><h2 id="form-h">${e(d.form.annex)} ${e(d.form.title)}</h2>${formTable(d.form)}</section>`);

  const opinions = view.history.map(
    (h) => `<li><h3>${e(h.definition.title)}</h3><p class="who">${e(h.signer)} · <time datetime="${e(h.at)}">${e(when(h.at))}</time></p>${paragraphs(h.text)}</li>`,
  );
  const waiting = view.open.map((o) => `<li class="open"><h3>${e(o.definition.title)}</h3><p class="who">${o.stage.status === 'pending' ? `等待 ${e(o.assignee || '（尚无审批人）')} 办理` : e(o.assignee)}</p></li>`);
  out.push(`<section aria-labelledby="op-h"><h2 id="op-h">各环节意见</h2>${opinions.length + waiting.length > 0 ? `<ol class="list">${[...opinions, ...waiting].join('')}</ol>` : '<p class="note">尚无意见。</p>'}</section>`);

  const f = d.finding;
  out.push(`<section aria-labelledby="find-h"><h2 id="find-h">${e(f?.heading ?? '核实情况')}与结论</h2>${
    f
      ? `<p class="who">${e(f.by)} · <time datetime="${e(f.at)}">${e(when(f.at))}</time></p><dl>${f.criteria.map((x) => `<dt>${e(x.title)}</dt><dd>${paragraphs(x.finding)}</dd>`).join('')}</dl><p><strong>认定意见：</strong>${e(f.verdict)}</p>`
      : '<p class="note">尚未核实认定。</p>'
  }<p><strong>办理结果：</strong>${e(view.conclusion ?? view.status)}</p></section>`);

  if (d.returns.length > 0) {
    const rounds = d.returns.map(
      (r, i) => `<li><h3>第${i + 1}次退回补充（${e(r.stageTitle)}）</h3><p class="who">${e(r.by)} · ${e(when(r.at))}</p>${paragraphs(r.question)}${
        r.answer === null ? '<p class="note">申请人尚未补充。</p>' : `<p class="who">补充说明 · ${e(when(r.answeredAt ?? ''))}</p>${paragraphs(r.answer)}${r.attachments > 0 ? `<p class="note">附补充材料 ${r.attachments} 份</p>` : ''}`
      }</li>`,
    );
    out.push(`<section aria-labelledby="sup-h"><h2 id="sup-h">补充材料</h2><ol class="list">${rounds.join('')}</ol></section>`);
  }

  const docs = d.documents.map(
    (x) => `<li>${e(x.name)}：<a href="/m/cases/${e(c.number)}/documents/${x.document}/docx">Word</a> · <a href="/m/cases/${e(c.number)}/documents/${x.document}/pdf">PDF</a></li>`,
  );
  const files = d.attachments.map((a) => `<li>${e(a.part)}：${e(a.name)}${a.receivedAt ? `（${e(when(a.receivedAt))}）` : ''}</li>`);
  out.push(`<section aria-labelledby="doc-h"><h2 id="doc-h">附件与文书</h2><ul class="docs">${docs.join('')}</ul>
<p class="note">文书在打开时生成，下载链接 15 分钟内有效。</p>
${files.length > 0 ? `<h3>在对话中提交的附件</h3><ul>${files.join('')}</ul><p class="note">附件原件暂不能在网页中打开，请向申请人或经办人调阅。</p>` : ''}</section>`);

  out.push(`<section aria-labelledby="tl-h"><h2 id="tl-h">办理经过</h2><ol class="timeline">${d.timeline
    .map((t) => `<li><time datetime="${e(t.at)}">${e(when(t.at))}</time> ${e(t.text)}</li>`)
    .join('')}</ol></section>`);
  return out;
}

export function casePageHtml(d: CasePageData, state: PageState, nonce: string): string {
  const title = `${d.view.definition.title} ${d.c.number}`;
  const message = state.message ? `<p class="msg ${state.message.kind}" role="status">${e(state.message.text)}</p>` : '';
  return page(
    title,
    nonce,
    state.viewerName,
    `<h1>${e(title)}</h1>
<p class="meta"><span class="badge">${e(d.view.status)}</span> ${e(d.view.definition.applicant?.word ?? '申请人')}：${e(d.applicant)} · ${e(d.unit)} · ${e(d.view.path.title)}</p>
${message}
${sections(d, state).join('\n')}`,
  );
}

/** The refusal or not-found page, in the same frame. */
export function caseNoticeHtml(title: string, text: string, nonce: string, viewerName: string): string {
  return page(title, nonce, viewerName, `<h1>${e(title)}</h1><p class="msg error" role="alert">${e(text)}</p><p><a href="/console/">返回担当</a></p>`);
}

function page(title: string, nonce: string, viewerName: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - 担当</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header class="bar"><div class="wrap"><span class="brand">担当</span><span class="me">${e(viewerName)}</span></div></header>
<main class="wrap">
${body}
</main>
</body>
</html>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f5f5f5;color:#1f1f1f}
.wrap{max-width:52rem;margin:0 auto;padding:0 .75rem}
.bar{background:#0958d9;color:#fff}.bar .wrap{display:flex;justify-content:space-between;padding:.6rem .75rem}.brand{font-weight:600}
h1{font-size:1.25rem;margin:1rem 0 .25rem}h2{font-size:1.05rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:0}
section{background:#fff;border-radius:8px;padding:.9rem;margin:.75rem 0;box-shadow:0 1px 3px rgba(0,0,0,.06)}
p{margin:.25rem 0}.meta{color:#434343;font-size:.9rem}.note,.hint{color:#595959;font-size:.85rem}.who{color:#434343;font-size:.85rem}
.badge{display:inline-block;background:#e6f4ff;color:#003eb3;border-radius:4px;padding:0 .4rem;margin-right:.25rem}
.msg{padding:.6rem .75rem;border-radius:6px;margin:.75rem 0}.msg.done{background:#f6ffed;color:#135200}.msg.info{background:#e6f4ff;color:#003eb3}.msg.error{background:#fff1f0;color:#a8071a}
.turn{border:2px solid #0958d9}
details{margin:.5rem 0}summary{list-style:none}summary::-webkit-details-marker{display:none}
.btn{display:block;width:100%;padding:.7rem;border-radius:6px;border:1px solid #0958d9;background:#fff;color:#003eb3;font-size:1rem;text-align:center;cursor:pointer}
.btn.primary{background:#0958d9;color:#fff}.btn.danger{border-color:#cf1322;color:#a8071a}button.btn.danger{background:#cf1322;color:#fff}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
fieldset{border:0;padding:0;margin:.75rem 0 0}legend{font-weight:600;padding:0}label.opt{display:flex;gap:.4rem;align-items:flex-start;font-weight:400;margin:.3rem 0}
label.opt input{margin-top:.35rem;flex:none}.when{font-weight:400;color:#595959;font-size:.85rem}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #8c8c8c;border-radius:6px}
.error{color:#a8071a;font-size:.9rem}form .btn{margin-top:.5rem}
.scroll{overflow-x:auto}
table.form{width:100%;border-collapse:collapse;font-size:.9rem}
table.form th,table.form td{border:1px solid #595959;padding:.4rem;vertical-align:top;text-align:left}
table.form th{width:5.5em;font-weight:600;background:#fafafa;text-align:center;vertical-align:middle}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.num{text-align:right;font-size:.85rem}.b{font-weight:600}.sign{text-align:right;color:#434343}
.list{list-style:none;padding:0;margin:0}.list li{border-top:1px solid #f0f0f0;padding:.5rem 0}.list li:first-child{border-top:0}
.list li.open h3{color:#595959}
dl{margin:.25rem 0}dt{font-weight:600;margin-top:.4rem}dd{margin:0 0 0 1em}
.docs{padding-left:1.2em}a{color:#0958d9}
.timeline{padding-left:1.2em;font-size:.9rem}.timeline time{color:#434343;margin-right:.25rem}
`;
