import { systemClock } from '../../clock';
import { operatorName, runImportCli } from '../../imports/cli';
import { RosterRepository } from '../../roster/rosterRepository';
import { openConfiguredDatabase } from '../../storage/dataSource';
import { AuditLog } from '../audit';
import { formatQuotaRulesReport, TalkQuotaRules } from './quotaRules';
import { planQuotaRules, readQuotaRulesFile } from './quotaRulesFile';

/** `npm run quotas:import FILE`: units' 谈心谈话 frequencies from YAML or Excel; exit codes as in src/imports/cli.ts. */
runImportCli({
  usage: '用法：npm run quotas:import -- 谈话频次文件（.xlsx、.yaml 或 .yml）',
  read: readQuotaRulesFile,
  async run(file, config) {
    const db = await openConfiguredDatabase(config, true);
    try {
      const roster = new RosterRepository(db);
      const rules = new TalkQuotaRules(db, { audit: new AuditLog(systemClock), clock: systemClock, roster });
      const changes = planQuotaRules(file.rules, await roster.units());
      return formatQuotaRulesReport(await rules.apply(changes, { actor: null, channel: 'import', source: `${file.source}，${operatorName()}` }));
    } finally {
      await db.destroy();
    }
  },
});
