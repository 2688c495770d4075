import { createLogger } from '../../logger';
import { runSyncCommand } from '../shared/syncCli';
import { WecomApi } from './api';
import { fetchDirectory, WECOM_DIRECTORY } from './rosterSync';

runSyncCommand({
  usage: '用法：npm run org:sync-wecom [-- --dry-run]',
  target: WECOM_DIRECTORY,
  notConfigured: '未配置企业微信：请先设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET 等（见 .env.example）。',
  platformAdvice: '请确认应用的可见范围包含要同步的部门，且服务器 IP 在企业可信 IP 中。',
  directory: (config, state) => (config.wecom ? fetchDirectory(new WecomApi(config.wecom, state, createLogger('warn'))) : undefined),
});
