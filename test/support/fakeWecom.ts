import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultyApi } from './loopbackServer';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  /** The body's bytes as they came, for WeCom's duplicate check (an identical request body). */
  raw: string;
  /** When the fake took it (its own clock: WeCom's). */
  at: number;
}

/** HTTP 500; a request never answered before doing anything, or after doing it (its answer lost); an errcode. */
export type Fault = 'http500' | 'timeout' | 'answerLost' | { errcode: number; errmsg: string };

/** A file WeCom holds for a member's message, until `expiresAt` (its own clock: Date.now()). */
export interface FakeMedia {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  expiresAt?: number;
}

export interface FakeMember {
  userid: string;
  name: string;
  department: number[];
}

export interface FakeDepartment {
  id: number;
  name: string;
  parentid: number;
}

/**
 * A stand-in for qyapi.weixin.qq.com on a loopback port: issues tokens, accepts message/send,
 * update_template_card, department/list and user/list, the sign-in pages and auth/getuserinfo, records every request, and can be told to
 * fail (HTTP 500, hang until the client gives up, an errcode) or to expire every token it issued.
 */
export class FakeWecom extends FaultyApi<Fault> {
  readonly requests: RecordedRequest[] = [];
  departments: FakeDepartment[] = [{ id: 1, name: '澄港开发区', parentid: 0 }];
  members: FakeMember[] = [];
  /** What media/get serves, by media_id: pictures and videos members sent the app. */
  readonly media = new Map<string, FakeMedia>();
  private readonly validTokens = new Set<string>();
  private issued = 0;
  private codes = 0;

  constructor(
    readonly corpId: string,
    readonly secret: string,
    readonly agentId: number,
  ) {
    super();
  }

  /** While set, every request (tokens included) fails this way: WeCom down for a while. */
  outage?: Fault;

  /** Every token issued so far is answered with 42001 from now on. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  tokenRequests(): number {
    return this.calls('/cgi-bin/gettoken').length;
  }

  /** Bodies of message/send calls that WeCom accepted. */
  delivered(): Record<string, unknown>[] {
    return this.accepted.filter((r) => r.path === '/cgi-bin/message/send').map((r) => r.body!);
  }

  cardUpdates(): Record<string, unknown>[] {
    return this.accepted.filter((r) => r.path === '/cgi-bin/message/update_template_card').map((r) => r.body!);
  }

  private readonly accepted: RecordedRequest[] = [];

  /**
   * Who is holding the WeCom client: the member whose identity 网页授权 attaches and who scans
   * the Web login's QR code. A member is a userid; someone outside the organisation only an openid.
   */
  device?: { userid: string } | { openid: string };
  /** Codes handed out by the authorize pages, each for one identity and good once. */
  private readonly codesIssued = new Map<string, { userid: string } | { openid: string }>();

  /** A code for whoever holds the client now, as the authorize pages hand out; also for tests of a stolen one. */
  issueCode(): string {
    if (!this.device) throw new Error('nobody holds the WeCom client');
    const code = `wecom-code-${++this.codes}-${Math.random().toString(36).slice(2, 10)}`;
    this.codesIssued.set(code, this.device);
    return code;
  }

  /**
   * The authorize pages (open.weixin.qq.com 网页授权 and login.work.weixin.qq.com Web 登录): with
   * the app's CorpID (and AgentId), they send the browser back to redirect_uri with a code and the
   * state, as WeCom does once the member is known (silently, or after the scan).
   */
  private authorize(request: RecordedRequest, res: ServerResponse): boolean {
    const q = request.query;
    const oauth = request.path === '/connect/oauth2/authorize';
    if (!oauth && request.path !== '/wwlogin/sso/login') return false;
    const valid = oauth
      ? q.appid === this.corpId && q.response_type === 'code' && q.scope === 'snsapi_base' && q.agentid === String(this.agentId)
      : q.login_type === 'CorpApp' && q.appid === this.corpId && q.agentid === String(this.agentId);
    if (!valid || !q.redirect_uri || !this.device) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('redirect_uri 参数错误');
      return true;
    }
    const back = new URL(q.redirect_uri);
    back.searchParams.set('code', this.issueCode());
    back.searchParams.set('state', q.state ?? '');
    res.writeHead(302, { location: back.toString() }).end();
    return true;
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      raw: text,
      at: Date.now(),
    };
    this.requests.push(request);
    if (this.authorize(request, res)) return;

    const fault = this.outage ?? this.nextFault(request.path);
    if (fault === 'timeout') return; // never answered; close() drops the socket
    if (fault === 'http500') {
      res.writeHead(500).end('internal error');
      return;
    }
    if (!fault && this.serveMedia(request, req, res)) return;
    const answer = fault && fault !== 'answerLost' ? fault : this.answer(request);
    if (answer.errcode === 0 && !this.duplicate(request)) this.accepted.push(request);
    if (fault === 'answerLost') return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  /**
   * media/get: the file with its type and Content-Disposition, honouring a Range (206 with
   * Content-Range) as WeCom does; an unknown or expired media_id is 40007, as JSON.
   */
  private serveMedia(request: RecordedRequest, req: IncomingMessage, res: ServerResponse): boolean {
    if (request.path !== '/cgi-bin/media/get' || !this.validTokens.has(request.query.access_token ?? '')) return false;
    const media = this.media.get(request.query.media_id ?? '');
    if (!media || (media.expiresAt !== undefined && Date.now() >= media.expiresAt)) return false;
    this.accepted.push(request);
    const headers = { 'content-type': media.contentType, 'content-disposition': `attachment; filename="${encodeURIComponent(media.fileName)}"` };
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    if (!range) {
      res.writeHead(200, headers).end(media.bytes);
      return true;
    }
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), media.bytes.length - 1);
    res.writeHead(206, { ...headers, 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${media.bytes.length}` }).end(media.bytes.subarray(start, end + 1));
    return true;
  }

  /**
   * message/send with enable_duplicate_check: a request body identical to one taken within
   * duplicate_check_interval seconds is answered as usual but not delivered again.
   */
  private duplicate(request: RecordedRequest): boolean {
    const body = request.body ?? {};
    if (request.path !== '/cgi-bin/message/send' || body.enable_duplicate_check !== 1) return false;
    const windowMs = Number(body.duplicate_check_interval ?? 1800) * 1000;
    return this.accepted.some((earlier) => earlier.path === request.path && earlier.raw === request.raw && request.at - earlier.at <= windowMs);
  }

  private answer(request: RecordedRequest): { errcode: number; errmsg: string; [key: string]: unknown } {
    const ok = { errcode: 0, errmsg: 'ok' };
    if (request.path === '/cgi-bin/gettoken') {
      if (request.query.corpid !== this.corpId || request.query.corpsecret !== this.secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `token-${++this.issued}`;
      this.validTokens.add(token);
      return { ...ok, access_token: token, expires_in: 7200 };
    }
    const token = request.query.access_token;
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    if (!this.validTokens.has(token)) return { errcode: 42001, errmsg: 'access_token expired' };
    switch (request.path) {
      case '/cgi-bin/message/send': {
        const body = request.body ?? {};
        if (body.agentid !== this.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
        if (body.msgtype !== 'template_card') return { ...ok, msgid: `msg-${this.requests.length}` };
        return { ...ok, msgid: `msg-${this.requests.length}`, response_code: `send-code-${++this.codes}` };
      }
      case '/cgi-bin/auth/getuserinfo': {
        const identity = this.codesIssued.get(request.query.code ?? '');
        if (!identity) return { errcode: 40029, errmsg: 'invalid code' };
        this.codesIssued.delete(request.query.code!);
        return { ...ok, ...identity };
      }
      case '/cgi-bin/message/update_template_card':
        return ok;
      case '/cgi-bin/media/get':
        return { errcode: 40007, errmsg: 'invalid media_id' };
      case '/cgi-bin/department/list':
        return { ...ok, department: this.departments.map((d) => ({ ...d, order: 0, department_leader: [] })) };
      case '/cgi-bin/user/list': {
        const id = Number(request.query.department_id);
        return { ...ok, userlist: this.members.filter((m) => m.department.includes(id)).map((m) => ({ ...m, status: 1 })) };
      }
      default:
        return { errcode: 404, errmsg: `no such fake endpoint ${request.path}` };
    }
  }
}
