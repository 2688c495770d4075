// The best-known Node WeChat/WeCom callback middleware, node-webot/co-wechat 2.4, on Koa 3 with
// the bench's Token, EncodingAESKey and corp id (BENCH_TOKEN, BENCH_AES_KEY, BENCH_CORP_ID): it
// checks the signature, decrypts, parses the XML and answers each text with an encrypted reply,
// keeping nothing. Its encrypted mode needs `encrypt_type=aes` in the query (as WeChat sends it);
// the bench appends it to the same callbacks.
import Koa from 'koa';
import wechat from 'co-wechat';

const app = new Koa();
const config = { token: process.env.BENCH_TOKEN, encodingAESKey: process.env.BENCH_AES_KEY, appid: process.env.BENCH_CORP_ID };
app.use(wechat(config).middleware(async (message) => (message.MsgType === 'text' ? '收到' : '')));
const server = app.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
