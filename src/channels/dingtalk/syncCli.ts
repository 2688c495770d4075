import { createLogger } from '../../logger';
import { runSyncCommand } from '../shared/syncCli';
import { DingtalkApi } from './api';
import { DINGTALK_DIRECTORY, fetchDirectory } from './rosterSync';

runSyncCommand({
  usage: '用法：npm run org:sync-dingtalk [-- --dry-run]',
  target: DINGTALK_DIRECTORY,
  notConfigured: '未配置钉钉：请先设置 DINGTALK_APP_KEY、DINGTALK_APP_SECRET 等（见 .env.example）。',
  platformAdvice: '请确认应用已开通通讯录部门信息读权限与成员信息读权限，且服务器 IP 在应用的出口 IP 白名单中。',
  directory: (config, state) => (config.dingtalk ? fetchDirectory(new DingtalkApi(config.dingtalk, state, createLogger('warn'))) : undefined),
});
