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
 * update_template_card, department/list and user/list, records every request, and can be told to
 * fail (HTTP 500, hang until the client gives up, an errcode) or to expire every token it issued.
 */
export class FakeWecom extends FaultyApi<Fault> {
  readonly requests: RecordedRequest[] = [];
  departments: FakeDepartment[] = [{ id: 1, name: '澄港开发区', parentid: 0 }];
  members: FakeMember[] = [];
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

    const fault = this.outage ?? this.nextFault(request.path);
    if (fault === 'timeout') return; // never answered; close() drops the socket
    if (fault === 'http500') {
      res.writeHead(500).end('internal error');
      return;
    }
    const answer = fault && fault !== 'answerLost' ? fault : this.answer(request);
    if (answer.errcode === 0 && !this.duplicate(request)) this.accepted.push(request);
    if (fault === 'answerLost') return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
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
      case '/cgi-bin/message/update_template_card':
        return ok;
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
