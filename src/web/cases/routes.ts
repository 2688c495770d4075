import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Router from '@koa/router';
import type { Context } from 'koa';
import { DocumentLinks } from '../../documents/links';
import type { CaseDocument, FormFormat } from '../../documents/render';
import type { CaseRecord } from '../../domain/workflow/types';
import { NotAllowedError, UserFacingError } from '../../errors';
import { readBody } from '../../http/middleware';
import { viewerOf, type Viewer } from '../access';
import { readCookie } from '../cookies';
import { contentSecurityPolicy, newNonce } from '../securityHeaders';
import type { Session } from '../sessions';
import type { WebDeps } from '../webDeps';
import { mayOpenCase, openedBy } from './caseAccess';
import { caseNoticeHtml, casePageHtml, type PageState } from './caseHtml';
import { casePageData } from './casePage';
import { decideOnPage, FORM_NAMES } from './pageDecision';

/**
 * The page compressed as the browser accepts it: a phone on a slow network in WeCom's browser gets
 * a tenth of the bytes. Brotli at a low quality costs about a millisecond for a page this size.
 */
function compressed(ctx: Context, html: string): Buffer | string {
  ctx.vary('accept-encoding');
  const encoding = ctx.acceptsEncodings('br', 'gzip', 'identity');
  if (encoding === 'br') {
    ctx.set('content-encoding', 'br');
    return brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  }
  if (encoding === 'gzip') {
    ctx.set('content-encoding', 'gzip');
    return gzipSync(html);
  }
  return html;
}

const NUMBER = /^[A-Za-z]{2}\d{4}-\d{1,6}$/;
const DOCUMENTS: readonly string[] = ['form', 'reply', 'submission'] satisfies CaseDocument[];
const FORMATS: readonly string[] = ['docx', 'pdf'] satisfies FormFormat[];

/**
 * /m/cases/RC2026-0001: the case behind every card, for a phone. Signing in is the messengers' own
 * (inside WeCom the silent 网页授权, in DingTalk 免登) and comes back here; the page is shown only
 * to those who may see the case, and anyone else gets a refusal that is audited.
 */
export function casePageRoutes(deps: WebDeps): Router {
  const router = new Router({ prefix: '/m/cases' });
  const links = new DocumentLinks(deps.state, deps.clock, deps.publicBaseUrl);

  const send = (ctx: Context, status: number, html: (nonce: string) => string) => {
    const nonce = newNonce();
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('content-security-policy', contentSecurityPolicy(nonce));
    ctx.body = compressed(ctx, html(nonce));
  };

  /** The signed-in viewer and the case they may open, or undefined with the answer already sent. */
  async function open(ctx: Context): Promise<{ viewer: Viewer; session: Session; c: CaseRecord } | undefined> {
    const number = String(ctx.params.number ?? '');
    const session = await deps.sessions.get(readCookie(ctx, deps.cookies, 'session'));
    const person = session && (await deps.roster.person(session.personId));
    if (!session || !person || person.leftOn !== null) {
      ctx.redirect(`/login?next=${encodeURIComponent(`/m/cases/${NUMBER.test(number) ? number : ''}`)}`);
      return undefined;
    }
    const viewer = await viewerOf(deps.roster, person, session);
    const c = NUMBER.test(number) ? await deps.services.cases.byNumber(number) : undefined;
    if (!c) {
      send(ctx, 404, (n) => caseNoticeHtml('没有找到这项申请', `没有找到编号为 ${number.slice(0, 20).toUpperCase()} 的申请，请核对编号。`, n, person.name));
      return undefined;
    }
    if (!(await mayOpenCase(viewer, c, deps.services.cases))) {
      await deps.audit.append(deps.db, { actorId: person.id, channel: 'web', action: 'case.view.refused', subject: `case:${c.id}`, detail: { number: c.number, path: ctx.path.slice(0, 100) } });
      send(ctx, 403, (n) =>
        caseNoticeHtml('无权查看', `您无权查看 ${c.number}。${openedBy(c)}；如有疑问请联系党群工作部。`, n, person.name),
      );
      return undefined;
    }
    return { viewer, session, c };
  }

  async function show(ctx: Context, found: { viewer: Viewer; session: Session; c: CaseRecord }, state: Omit<PageState, 'csrf' | 'viewerName'>, status = 200) {
    const c = (await deps.services.cases.get(found.c.id))!;
    const data = await casePageData(deps.db, deps.services, c, found.viewer.person, deps.clock.now());
    send(ctx, status, (n) => casePageHtml(data, { ...state, csrf: found.session.csrf, viewerName: found.viewer.person.name }, n));
  }

  router.get('/:number', async (ctx) => {
    const found = await open(ctx);
    if (found) await show(ctx, found, {});
  });

  router.post('/:number/decide', async (ctx) => {
    // A finding's 六看 in Chinese, percent-encoded, runs to tens of kilobytes.
    const form = new URLSearchParams((await readBody(ctx, 128 * 1024)).toString('utf8'));
    const found = await open(ctx);
    if (!found) return;
    if (!deps.csrf.valid(ctx, found.session, form.get('csrf') ?? '')) {
      return show(ctx, found, { message: { kind: 'error', text: '页面已过期或请求来源无法验证，请刷新页面后重试。' } }, 403);
    }
    const stageId = Number(form.get('stage'));
    const op = (form.get('op') ?? '').slice(0, 20);
    const stage = Number.isSafeInteger(stageId) ? await deps.services.cases.stage(stageId) : undefined;
    if (!stage || stage.caseId !== found.c.id) return show(ctx, found, { message: { kind: 'error', text: '没有找到这项审批，请刷新页面。' } }, 400);
    try {
      const outcome = await decideOnPage(deps.services, deps.clock, found.viewer.person, stageId, op, form);
      if ('invalid' in outcome) {
        // Everything typed comes back, not only what was wrong: a 六看 with one short line keeps the other five.
        const typed = Object.fromEntries([...new Set(form.keys())].filter((k) => !FORM_NAMES.has(k)).map((k) => [k, form.getAll(k).join('、').slice(0, 1000)]));
        return show(ctx, found, { message: { kind: 'error', text: '请按提示修改后再提交，尚未记录。' }, invalid: { op, errors: outcome.invalid, typed } }, 422);
      }
      return show(ctx, found, { message: { kind: 'done', text: outcome.done } });
    } catch (error) {
      // The stage was handled already (on the card, or by another tab): nothing changed, and the page says so.
      if (error instanceof NotAllowedError) return show(ctx, found, { message: { kind: 'error', text: error.message } }, 403);
      if (!(error instanceof UserFacingError)) throw error;
      return show(ctx, found, { message: { kind: 'info', text: error.message } }, 409);
    }
  });

  router.get('/:number/documents/:document/:format', async (ctx) => {
    const found = await open(ctx);
    if (!found) return;
    const { document, format } = ctx.params;
    if (!DOCUMENTS.includes(document) || !FORMATS.includes(format)) return send(ctx, 404, (n) => caseNoticeHtml('没有这份文书', '没有这份文书。', n, found.viewer.person.name));
    const link = await links.issue({ kind: 'form', caseId: found.c.id, document: document as CaseDocument, format: format as FormFormat, personId: found.viewer.person.id, channel: 'web' });
    ctx.redirect(link.url);
  });

  return router;
}
