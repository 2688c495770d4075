import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultyApi } from './loopbackServer';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token?: string;
  body: Record<string, unknown>;
}

/**
 * An HTTP 500, a request never answered (before doing anything, or after doing it: its answer lost),
 * flow control on a send, an error answer, or a 200 with this body instead of the usual one.
 */
export type Fault =
  | 'http500'
  | 'timeout'
  | 'answerLost'
  | 'flowControl'
  | { status: number; code: string }
  | { errcode: number; errmsg: string }
  | { answer: Record<string, unknown> };

export interface FakeDepartment {
  dept_id: number;
  name: string;
  parent_id: number;
}

export interface FakeUser {
  userid: string;
  name: string;
  dept_id_list: number[];
}

/** A card instance as the fake keeps it: who has it, and its data as updated so far. */
export interface FakeCard {
  outTrackId: string;
  userId: string;
  params: Record<string, string>;
}

type Answer = { status: number; body: Record<string, unknown> };

const PATHS = {
  token: '/v1.0/oauth2/accessToken',
  send: '/v1.0/robot/oToMessages/batchSend',
  createCard: '/v1.0/card/instances/createAndDeliver',
  deliverCard: '/v1.0/card/instances/deliver',
  updateCard: '/v1.0/card/instances',
  registerCallback: '/v1.0/card/callbacks/register',
  messageFiles: '/v1.0/robot/messageFiles/download',
};

/** A file sent to the robot, by downloadCode; DingTalk refuses the code from `expiresAt` on (Date.now()). */
export interface FakeRobotFile {
  bytes: Buffer;
  contentType: string;
  expiresAt?: number;
}

/**
 * A stand-in for api.dingtalk.com and oapi.dingtalk.com on one loopback port: issues tokens, takes
 * robot messages, interactive cards and their updates, lists departments and users, records every
 * request, and can be told to fail, to throttle a send, or to expire every token it issued.
 */
export class FakeDingtalk extends FaultyApi<Fault> {
  static readonly paths = PATHS;
  readonly requests: RecordedRequest[] = [];
  /** Requests DingTalk took and delivered, in order: what people's chats show. */
  readonly accepted: RecordedRequest[] = [];
  readonly cards = new Map<string, FakeCard>();
  departments: FakeDepartment[] = [{ dept_id: 1, name: '澄港开发区', parent_id: 0 }];
  users: FakeUser[] = [];
  /** What robot/messageFiles/download hands out download links for, by downloadCode. */
  readonly files = new Map<string, FakeRobotFile>();
  private readonly downloads = new Map<string, FakeRobotFile>();
  /** User ids batchSend reports in invalidStaffIdList (people who left, say). */
  invalidStaff = new Set<string>();
  /** Largest page user/list answers with, whatever size is asked for. */
  pageLimit = 100;
  private readonly validTokens = new Set<string>();
  private issued = 0;
  /**
   * Who holds the DingTalk client (the workbench, or the phone that scans): a member by userid,
   * or someone of another organisation, known to DingTalk by a unionId only.
   */
  device?: { userid: string } | { unionId: string };
  /** The organisation's CorpId, which the 免登 JSAPI must be asked with. */
  corpId = 'dingcorp0001';
  private readonly authCodes = new Map<string, { userid: string } | { unionId: string }>();
  private readonly userTokens = new Map<string, string>();
  private codes = 0;

  /** A code for whoever holds the client: what dd.getAuthCode gives the page, or the QR login its redirect. */
  issueCode(): string {
    if (!this.device) throw new Error('nobody holds the DingTalk client');
    const code = `dt-code-${++this.codes}-${Math.random().toString(36).slice(2, 10)}`;
    this.authCodes.set(code, this.device);
    return code;
  }

  private unionIdOf(identity: { userid: string } | { unionId: string }): string {
    return 'unionId' in identity ? identity.unionId : `union-${identity.userid}`;
  }

  /** Takes a code once. */
  private redeem(code: unknown): { userid: string } | { unionId: string } | undefined {
    const identity = this.authCodes.get(String(code));
    this.authCodes.delete(String(code));
    return identity;
  }

  /**
   * The browser-facing pages: login.dingtalk.com's OAuth2 page, which sends the browser back with
   * `authCode` and the state once the person has scanned, and a stand-in for the workbench's JSAPI
   * (dingtalk.open.js), whose dd.getAuthCode hands the page a code for whoever holds the client.
   */
  private browserPage(request: RecordedRequest, res: ServerResponse): boolean {
    const q = request.query;
    if (request.path === '/oauth2/auth') {
      if (q.client_id !== this.appKey || q.response_type !== 'code' || !q.redirect_uri || !this.device) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('无效的 client_id 或 redirect_uri');
        return true;
      }
      const back = new URL(q.redirect_uri);
      back.searchParams.set('authCode', this.issueCode());
      back.searchParams.set('state', q.state ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return true;
    }
    if (request.path === '/dingtalk.open.js') {
      const code = this.device ? this.issueCode() : '';
      const script = `window.dd = { ready: function (f) { f(); }, getAuthCode: function (o) {
  if (o.corpId !== ${JSON.stringify(this.corpId)}) return o.fail({ errorMessage: 'corpId 错误' });
  if (!${JSON.stringify(code)}) return o.fail({ errorMessage: '未登录钉钉' });
  o.success({ code: ${JSON.stringify(code)} }); } };`;
      res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8' }).end(script);
      return true;
    }
    return false;
  }

  constructor(
    readonly appKey: string,
    readonly appSecret: string,
    readonly robotCode: string,
  ) {
    super();
  }

  /** Every token issued so far is refused from now on, as DingTalk does once one has expired. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  tokenRequests(): number {
    return this.calls(PATHS.token).length;
  }

  /** Bodies of the robot messages DingTalk took. */
  sent(): Record<string, unknown>[] {
    return this.accepted.filter((r) => r.path === PATHS.send).map((r) => r.body);
  }

  cardUpdates(): Record<string, unknown>[] {
    return this.accepted.filter((r) => r.method === 'PUT' && r.path === PATHS.updateCard).map((r) => r.body);
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
      token: (req.headers['x-acs-dingtalk-access-token'] as string | undefined) ?? url.searchParams.get('access_token') ?? undefined,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
    this.requests.push(request);
    if (this.browserPage(request, res)) return;

    const fault = this.nextFault(request.path);
    // The short-lived link downloadUrl points at: the file's bytes, no token needed.
    const download = request.path.startsWith('/download/') ? this.downloads.get(request.path.slice('/download/'.length)) : undefined;
    if (request.path.startsWith('/download/') && fault !== 'http500' && fault !== 'timeout') {
      if (download) res.writeHead(200, { 'content-type': download.contentType }).end(download.bytes);
      else res.writeHead(404).end('expired');
      return;
    }
    if (fault === 'timeout') return; // never answered; close() drops the socket
    if (fault === 'http500') {
      res.writeHead(500).end('internal error');
      return;
    }
    const answer = fault && fault !== 'flowControl' && fault !== 'answerLost' ? faultAnswer(fault) : this.answer(request, fault === 'flowControl');
    const undelivered = [answer.body.invalidStaffIdList, answer.body.flowControlledStaffIdList].some((list) => Array.isArray(list) && list.length > 0);
    if (answer.status === 200 && (answer.body.errcode ?? 0) === 0 && !undelivered) this.accepted.push(request);
    if (fault === 'answerLost') return; // done, but the answer never reaches the caller
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }

  private answer(request: RecordedRequest, flowControl: boolean): Answer {
    const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body });
    const refused = (code: string, status = 400): Answer => ({ status, body: { code, message: code, requestid: 'fake' } });
    const { body } = request;
    if (request.path === PATHS.token) {
      if (body.appKey !== this.appKey || body.appSecret !== this.appSecret) return refused('invalidClientIdOrSecret');
      const token = `token-${++this.issued}`;
      this.validTokens.add(token);
      return ok({ accessToken: token, expireIn: 7200 });
    }
    if (request.path === '/v1.0/oauth2/userAccessToken') {
      if (body.clientId !== this.appKey || body.clientSecret !== this.appSecret || body.grantType !== 'authorization_code') return refused('invalidClientIdOrSecret');
      const identity = this.redeem(body.code);
      if (!identity) return refused('invalidAuthCode');
      const token = `user-token-${++this.issued}`;
      this.userTokens.set(token, this.unionIdOf(identity));
      return ok({ accessToken: token, refreshToken: `refresh-${token}`, expireIn: 7200 });
    }
    if (request.method === 'GET' && request.path === '/v1.0/contact/users/me') {
      const unionId = this.userTokens.get(request.token ?? '');
      return unionId ? ok({ nick: '钉钉用户', unionId, openId: `open-${unionId}` }) : refused('InvalidAuthentication', 401);
    }
    const tokenValid = request.token !== undefined && this.validTokens.has(request.token);
    if (request.path.startsWith('/topapi/')) {
      return tokenValid ? ok({ errcode: 0, errmsg: 'ok', ...this.directory(request) }) : ok({ errcode: 40014, errmsg: '不合法的access_token' });
    }
    if (!tokenValid) return refused('InvalidAuthentication');
    const card = this.cards.get(String(body.outTrackId));
    switch (`${request.method} ${request.path}`) {
      case `POST ${PATHS.send}`: {
        const userIds = body.userIds as string[];
        if (body.robotCode !== this.robotCode) return refused('robot.not.found');
        if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > 20) return refused('param.invalid');
        const invalid = userIds.filter((u) => this.invalidStaff.has(u));
        return ok({ processQueryKey: `pqk-${this.requests.length}`, invalidStaffIdList: invalid, flowControlledStaffIdList: flowControl ? userIds : [] });
      }
      case `POST ${PATHS.createCard}`: {
        if (card) return refused('param.cardAlreadyExist');
        const userId = String(body.openSpaceId).replace('dtv1.card//IM_ROBOT.', '');
        const params = (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
        this.cards.set(String(body.outTrackId), { outTrackId: String(body.outTrackId), userId, params: { ...params } });
        return ok({ success: true, result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType: 'IM_ROBOT', spaceId: userId, success: true }] } });
      }
      case `POST ${PATHS.deliverCard}`:
        return card ? ok({ success: true, result: [{ spaceType: 'IM_ROBOT', spaceId: card.userId, success: true }] }) : refused('param.cardNotExist');
      case `PUT ${PATHS.updateCard}`: {
        if (!card) return refused('param.cardNotExist');
        Object.assign(card.params, (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap);
        return ok({ success: true, result: true });
      }
      case `POST ${PATHS.messageFiles}`: {
        const file = this.files.get(String(body.downloadCode));
        if (body.robotCode !== this.robotCode) return refused('robot.not.found');
        if (!file || (file.expiresAt !== undefined && Date.now() >= file.expiresAt)) return refused('param.downloadCodeInvalid');
        const link = `dl-${this.requests.length}`;
        this.downloads.set(link, file);
        return ok({ downloadUrl: `${this.url}/download/${link}` });
      }
      case `POST ${PATHS.registerCallback}`:
        return ok({ success: true, result: { callbackUrl: body.callbackUrl, apiSecret: body.apiSecret } });
      default:
        return refused('notFound', 404);
    }
  }

  private directory(request: RecordedRequest): Record<string, unknown> {
    const deptId = Number(request.body.dept_id);
    switch (request.path) {
      case '/topapi/v2/department/get':
        return { result: this.departments.find((d) => d.dept_id === deptId) };
      case '/topapi/v2/department/listsub':
        return { result: this.departments.filter((d) => d.parent_id === deptId) };
      case '/topapi/v2/user/getuserinfo': {
        const identity = this.redeem(request.body.code);
        if (!identity || !('userid' in identity)) return { errcode: 40078, errmsg: '不存在的临时授权码' };
        return { result: { userid: identity.userid, unionid: this.unionIdOf(identity), name: '', sys: false, sys_level: 0 } };
      }
      case '/topapi/user/getbyunionid': {
        const unionid = String(request.body.unionid);
        const user = this.users.find((u) => `union-${u.userid}` === unionid);
        return user ? { result: { contact_type: 0, userid: user.userid } } : { errcode: 60121, errmsg: '找不到该用户' };
      }
      case '/topapi/v2/user/list': {
        const cursor = Number(request.body.cursor ?? 0);
        const size = Math.min(Number(request.body.size ?? 100), this.pageLimit);
        const members = this.users.filter((u) => u.dept_id_list.includes(deptId));
        const page = members.slice(cursor, cursor + size);
        const more = cursor + size < members.length;
        return { result: { has_more: more, ...(more ? { next_cursor: cursor + size } : {}), list: page } };
      }
      default:
        return { errcode: 404, errmsg: `no such fake endpoint ${request.path}` };
    }
  }
}

function faultAnswer(fault: Exclude<Fault, 'http500' | 'timeout' | 'answerLost' | 'flowControl'>): Answer {
  if ('answer' in fault) return { status: 200, body: fault.answer };
  return 'errcode' in fault ? { status: 200, body: fault } : { status: fault.status, body: { code: fault.code, message: fault.code, requestid: 'fake' } };
}
