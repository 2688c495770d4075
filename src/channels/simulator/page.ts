/** The simulator's single page: pick a roster person, chat, click card buttons. No build step. */
export const simulatorPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>担当 · 本地聊天模拟器</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #eef0f3; }
  header { background: #c0392b; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; }
  header h1 { font-size: 16px; margin: 0; flex: 1; }
  main { max-width: 760px; margin: 0 auto; display: flex; flex-direction: column; height: calc(100vh - 48px); }
  #log { flex: 1; overflow-y: auto; padding: 12px; }
  .msg { max-width: 80%; margin: 8px 0; padding: 8px 12px; border-radius: 8px; white-space: pre-wrap; line-height: 1.5; }
  .bot { background: #fff; }
  .user { background: #95ec69; margin-left: auto; }
  .card { background: #fff; border: 1px solid #d0d4da; border-radius: 8px; padding: 10px 12px; max-width: 80%; margin: 8px 0; }
  .card h3 { margin: 0 0 6px; font-size: 15px; }
  .card .desc { white-space: pre-wrap; color: #444; font-size: 14px; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; font-size: 14px; margin: 6px 0; }
  .card dt { color: #888; }
  .card .buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
  .card button { padding: 5px 12px; border: 1px solid #c0392b; background: #fff; color: #c0392b; border-radius: 4px; cursor: pointer; }
  .card button.primary { background: #c0392b; color: #fff; }
  .card button:disabled { border-color: #ccc; color: #999; background: #f3f3f3; cursor: default; }
  .card .closed { color: #888; margin-top: 8px; font-size: 13px; }
  .msg a { color: #1a5fb4; word-break: break-all; }
  .msg .quote { border-left: 3px solid #ccc; padding-left: 8px; color: #555; }
  .msg .heading { font-weight: 600; font-size: 15px; }
  .msg .info { color: #2e7d32; } .msg .comment { color: #888; } .msg .warning { color: #c77800; }
  form { display: flex; gap: 8px; padding: 10px; background: #f7f7f7; border-top: 1px solid #ddd; }
  form input { flex: 1; padding: 8px; font-size: 15px; }
  select { padding: 4px; }
</style>
</head>
<body>
<header><h1>担当 · 本地聊天模拟器（仅供开发与演示）</h1>
  <label>我是：<select id="who" aria-label="选择名册人员"></select></label></header>
<main>
  <div id="log" aria-live="polite"></div>
  <form id="send"><input id="text" autocomplete="off" placeholder="输入消息，例如：菜单" aria-label="消息"><button>发送</button></form>
  <form id="attach"><input id="file" type="file" aria-label="文件或图片"><button>发送文件</button></form>
</main>
<script>
const who = document.getElementById('who');
const log = document.getElementById('log');
let lastSeq = 0;
const shown = new Map();
// Bumped on every full reload, so that a poll answered after it cannot append stale entries.
let generation = 0;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.assign(node, attrs || {});
  if (text !== undefined) node.textContent = text;
  return node;
}

// The markdown WeCom and DingTalk render (**bold**, [text](url), # headings, > quotes, WeCom's
// <font color>), built as DOM nodes, never as HTML: what the bot says cannot inject markup.
// Bare http(s) addresses in plain text are links too, as the messengers show them.
const INLINE = /\\*\\*(.+?)\\*\\*|\\[([^\\]]+)\\]\\(([^)\\s]+)\\)|<font color="(info|comment|warning)">(.*?)<\\/font>|(https?:\\/\\/[^\\s)）\\]]+)/g;

function link(text, href) {
  if (!/^(https?:\\/\\/|\\/)/.test(href)) return document.createTextNode(text);
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text);
}

function inline(text, markdown) {
  const nodes = [];
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    if (!markdown && !m[6]) continue;
    nodes.push(document.createTextNode(text.slice(at, m.index)));
    if (m[1] !== undefined) nodes.push(el('strong', {}, m[1]));
    else if (m[2] !== undefined) nodes.push(link(m[2], m[3]));
    else if (m[4] !== undefined) nodes.push(el('span', { className: m[4] }, m[5]));
    else nodes.push(link(m[6], m[6]));
    at = m.index + m[0].length;
  }
  nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

function renderMessage(entry) {
  const box = el('div', { className: 'msg ' + entry.from });
  const markdown = entry.markdown !== undefined;
  const lines = (markdown ? entry.markdown : entry.text || '').split('\\n');
  lines.forEach((line, i) => {
    const heading = markdown && /^#{1,6}\\s+(.*)$/.exec(line);
    const quote = markdown && /^>\\s?(.*)$/.exec(line);
    const body = heading ? heading[1] : quote ? quote[1] : line;
    const holder = heading || quote ? el('div', { className: heading ? 'heading' : 'quote' }) : box;
    holder.append(...inline(body, markdown));
    if (holder !== box) box.append(holder);
    else if (i < lines.length - 1) box.append(document.createTextNode('\\n'));
  });
  return box;
}

function renderCard(card) {
  const box = el('div', { className: 'card' });
  box.dataset.cardId = card.cardId;
  box.append(el('h3', {}, card.title));
  if (card.description) box.append(el('div', { className: 'desc' }, card.description));
  if (card.fields && card.fields.length) {
    const dl = el('dl');
    for (const f of card.fields) { dl.append(el('dt', {}, f.label), el('dd', {}, f.value)); }
    box.append(dl);
  }
  const buttons = el('div', { className: 'buttons' });
  for (const b of card.buttons) {
    const button = el('button', { className: b.style === 'primary' ? 'primary' : '', disabled: !!card.closedLabel }, b.label);
    button.addEventListener('click', () => click(card.cardId, b.key));
    buttons.append(button);
  }
  box.append(buttons);
  if (card.closedLabel) box.append(el('div', { className: 'closed' }, card.closedLabel));
  return box;
}

function render(entry) {
  const node = entry.card ? renderCard(entry.card) : renderMessage(entry);
  const old = shown.get(entry.seq);
  if (old) old.replaceWith(node); else log.append(node);
  shown.set(entry.seq, node);
  log.scrollTop = log.scrollHeight;
}

async function refresh(full) {
  if (!who.value) return;
  const asked = generation;
  const person = who.value;
  const after = full ? 0 : lastSeq;
  const res = await fetch('/simulator/api/transcript?as=' + encodeURIComponent(person) + '&after=' + after);
  const { messages } = await res.json();
  if (asked !== generation || person !== who.value) return;
  for (const m of messages) { render(m); lastSeq = Math.max(lastSeq, m.seq); }
}

async function reloadAll() {
  generation += 1;
  log.textContent = ''; shown.clear(); lastSeq = 0;
  await refresh(true);
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) { const e = await res.json().catch(() => ({})); render({ seq: -Date.now(), from: 'bot', text: '（模拟器错误：' + (e.error || res.status) + '）' }); }
  await reloadAll();
}

function click(cardId, action) { return post('/simulator/api/clicks', { as: who.value, cardId, action }); }

document.getElementById('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  await post('/simulator/api/messages', { as: who.value, text });
});

// A file as a messenger sends it: the bytes travel (base64) and wait for the bot's fetch job.
document.getElementById('attach').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = document.getElementById('file').files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const type = file.type || 'application/octet-stream';
  const mediaKind = type.startsWith('image/') ? 'image' : type.startsWith('video/') ? 'video' : 'file';
  document.getElementById('file').value = '';
  await post('/simulator/api/attachments', { as: who.value, fileName: file.name, mediaKind, contentBase64: btoa(binary), contentType: type });
});

who.addEventListener('change', reloadAll);

(async () => {
  const people = await (await fetch('/simulator/api/people')).json();
  for (const p of people) who.append(el('option', { value: p.code }, p.name + ' · ' + p.unit + ' ' + p.post));
  await reloadAll();
  setInterval(() => refresh(false), 1500);
})();
</script>
</body>
</html>
`;
