import { join } from 'node:path';
import { SAMPLE } from '../../test/channels/wecom/callbacks';
import { startServer, type Server } from './processes';

/** The peers dandang is measured beside, each a process of its own on the server core. */
export type Peer = 'koa' | 'co-wechat';

export const PEER_LABELS: Record<Peer, string> = {
  koa: 'bare Koa 3 "ok"',
  'co-wechat': 'co-wechat 2.4 (sign, decrypt, parse, encrypted reply)',
};

/** What each peer needs appended to a callback's query: co-wechat only takes `encrypt_type=aes`. */
export const PEER_SUFFIX: Record<Peer, string> = { koa: '', 'co-wechat': '&encrypt_type=aes' };

export function startPeer(peer: Peer, workDir: string): Promise<Server> {
  return startServer({
    label: PEER_LABELS[peer],
    command: process.execPath,
    args: [join(__dirname, 'peers', peer === 'koa' ? 'koaOk.mjs' : 'coWechat.mjs')],
    env: { PATH: process.env.PATH, NODE_ENV: 'production', BENCH_TOKEN: SAMPLE.token, BENCH_AES_KEY: SAMPLE.encodingAesKey, BENCH_CORP_ID: SAMPLE.corpId },
    logPath: join(workDir, `${peer}.log`),
    ready: /listening at (http:\/\/\S+)/,
  });
}
