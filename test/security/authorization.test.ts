import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogues } from '../../conversations';
import type { Person } from '../../src/roster/types';
import { SIX_LOOKS } from '../../src/domain/tolerance/policy';
import type { StageEntry } from '../../src/domain/workflow/record';
import type { CaseRecord } from '../../src/domain/workflow/types';
import type { TalkRecord } from '../../src/domain/talks/talkRecords';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Answer, type Chat, type Chatter } from '../support/chat';

/**
 * Who may do what, as 《容错细则》 and DOMAIN.md have it, tried in chat by every role of the sample
 * roster against every action. The world: 邓丽 (西城村) has 容错 requests waiting at each stage
 * of their chain (所在单位党组织 曹国庆 → 属地纪工委 梁红 → 利港街道党工委 郭志明 → 开发区党工委
 * 陈建国; all are 八个一体化 so the last stage applies), one granted, one blocked for want of an
 * approver in the roster (since fixed), and a talk 曹国庆 held with them.
 *
 * A cell is `Y` when the person was let through (the dialogue started, the link or the record was
 * given) and `-` when refused: then the bot said why AND the audit log gained a line ending in
 * `.refused` for that person. A refusal said but not written down shows as `!`, anything else as `?`.
 *
 * Importing the roster is no chat action at all: it is `npm run org:import`, a command run by
 * 党群工作部's operators on the server with the database's credentials. See the last test.
 */
const ACTIONS = [
  'apply', //            申请容错
  'decideUnit', //       所在单位党组织意见
  'decideDiscipline', // 纪（工）委意见 (调查核实)
  'decideCommittee', //  基层党委意见
  'decideZone', //       开发区党工委意见
  'revoke', //           撤销容错 (第十条)
  'exportForm', //       导出 审批表
  'exportLedger', //     导出台账
  'readTalk', //         查看谈话 (content is confidential)
  'ownProgress', //      我的谈话进度
  'zoneProgress', //     谈话进度汇总
  'lookupFilings', //    查询备案
  'openMatter', //       启动问责
  'recordAdjustment', // 登记干部调整
  'reroute', //          重新分派 a blocked case
  'cadreProfile', //     干部情况 (能上能下办法, 激励办法: the offices and the cadre's own leaders)
  'warnings', //         能上能下预警
  'lookupExemptions', // 容错记录 (第十一条)
  'openClearance', //    澄清正名 (第九条)
] as const;
type ActionName = (typeof ACTIONS)[number];

// prettier-ignore
const MATRIX: [role: string, code: string, cells: string][] = [
  //                                                       apply 单位 纪委 党委 开发区 撤销 审批表 台账 谈话 本人进度 汇总 备案 问责 调整 分派 干部情况 预警 容错记录 澄清
  ['申请人（西城村村委委员 邓丽）',             'P029', '  Y    -    -    -    -     -     Y     -    -    Y     -    -    -    -    -    -        -    Y      -'],
  ['所在单位党组织主要负责人（西城村 曹国庆）', 'P028', '  Y    Y    -    -    -     -     Y     -    Y    Y     -    -    -    -    -    Y        -    -      -'],
  ['属地纪工委（利港街道纪工委书记 梁红）',     'P024', '  Y    -    Y    -    -     Y     Y     Y    -    Y     -    Y    Y    -    -    -        -    Y      Y'],
  ['另一属地的纪工委（申港街道 萧然）',         'P032', '  Y    -    -    -    -     -     Y     Y    -    Y     -    Y    Y    -    -    -        -    Y      Y'],
  ['党（工）委主要负责人（利港街道 郭志明）',   'P021', '  Y    -    -    Y    -     -     Y     -    Y    Y     -    Y    -    -    -    Y        -    -      -'],
  ['开发区党工委主要负责人（陈建国，市管干部）', 'P001', '  Y    -    -    -    Y     -     Y     -    Y    Y     -    Y    -    -    -    Y        -    -      -'],
  ['党群工作部（王芳）',                       'P005', '  Y    -    -    -    -     -     Y     Y    Y    Y     Y    Y    -    Y    Y    Y        Y    Y      -'],
  ['组织人事部门（郑晓燕）',                   'P008', '  Y    -    -    -    -     -     -     Y    -    Y     -    -    -    Y    -    Y        Y    Y      -'],
  ['无关干部（城投集团 余波）',                 'P039', '  Y    -    -    -    -     -     -     -    -    Y     -    -    -    -    -    -        -    -      -'],
  ['市管干部（李明华）',                       'P002', '  Y    -    -    -    -     -     -     -    -    Y     -    -    -    -    -    -        -    -      -'],
];

interface World {
  pending: Record<'unit' | 'discipline' | 'committee' | 'zone', { c: CaseRecord; stageId: number }>;
  granted: CaseRecord;
  blocked: CaseRecord;
  talk: TalkRecord;
}

/** What each action looks like in chat, and the words that tell a go-ahead from a refusal. */
interface ActionCheck {
  run(who: Chatter, world: World): Promise<Answer[]>;
  allowed: RegExp;
  refused: RegExp;
}

const decideAt = (stage: keyof World['pending'], op: 'approve' | 'decide'): ActionCheck => ({
  run: async (who, w) => [await who.tapsOn(`wf-st${w.pending[stage].stageId}`, `wfs:${w.pending[stage].stageId}:${op}`)],
  allowed: /填写意见并确认后才会生效|六看|确认后作出批复/,
  refused: /您不是“.+”这一环节的审批人/,
});

const CHECKS: Record<ActionName, ActionCheck> = {
  // Everyone may apply: a 市管干部's request goes the city's way (《容错细则》第六条（一）4), it is not refused.
  apply: { run: async (who) => [await who.says('申请容错')], allowed: /我来帮您填写《临港开发区容错免责审批表》/, refused: /^$/ },
  decideUnit: decideAt('unit', 'approve'),
  decideDiscipline: decideAt('discipline', 'decide'),
  decideCommittee: decideAt('committee', 'approve'),
  decideZone: decideAt('zone', 'approve'),
  revoke: {
    async run(who, w) {
      const start = await who.says('撤销容错');
      if (!start.text.includes('重新启动问责程序')) return [start];
      await who.says(w.granted.number);
      await who.says('1');
      await who.says('经复核发现申请材料中的会议纪要系事后补写。');
      return [start, await who.says('提交')];
    },
    allowed: /已撤销 RC\d{4}-\d{4} 的容错免责认定/,
    refused: /只有(属地)?纪（工）委的同志可以撤销容错免责认定/,
  },
  exportForm: { run: async (who, w) => [await who.says(`导出 ${w.granted.number}`)], allowed: /\/documents\/[\w-]{43}/, refused: /您无权导出/ },
  exportLedger: { run: async (who) => [await who.says('导出台账 2026')], allowed: /\/documents\/[\w-]{43}/, refused: /台账仅限纪工委、党群工作部和组织人事部门导出/ },
  readTalk: { run: async (who, w) => [await who.says(`查看谈话 ${w.talk.number}`)], allowed: /内容摘要：与邓丽交流了村务监督工作的思想顾虑/, refused: /您无权查看 TH\d{4}-\d+ 的内容/ },
  ownProgress: { run: async (who) => [await who.says('我的谈话进度')], allowed: /【我的谈话进度】/, refused: /^$/ },
  zoneProgress: { run: async (who) => [await who.says('谈话进度汇总')], allowed: /【谈心谈话进度汇总】/, refused: /只向党群工作部提供/ },
  lookupFilings: { run: async (who) => [await who.says('查询备案 利港街道')], allowed: /利港街道.*没有改革创新风险备案记录/, refused: /备案查询仅限/ },
  openMatter: { run: async (who) => [await who.says('启动问责')], allowed: /登记一项问责事项/, refused: /问责事项统一由纪（工）委的同志登记/ },
  recordAdjustment: { run: async (who) => [await who.says('登记干部调整')], allowed: /为一名干部立案办理组织调整/, refused: /组织调整由组织人事部门立案办理/ },
  cadreProfile: { run: async (who) => [await who.says('干部情况 邓丽')], allowed: /【干部情况】邓丽/, refused: /干部情况只向组织人事部门、党群工作部和该干部的上级领导提供/ },
  warnings: { run: async (who) => [await who.says('能上能下预警 2026')], allowed: /【2026 年能上能下预警】/, refused: /能上能下预警只向组织人事部门和党群工作部提供/ },
  reroute: { run: async (who, w) => [await who.tapsOn(`wf-blk${w.blocked.id}`, `wfc:${w.blocked.id}:reroute`)], allowed: /已将 RC\d{4}-\d{4} 分派给 曹国庆/, refused: /只有党群工作部可以重新分派/ },
  lookupExemptions: { run: async (who) => [await who.says('容错记录 邓丽')], allowed: /邓丽（西城村 西城村村委委员）：/, refused: /容错免责记录仅向组织人事部门、纪（工）委和党群工作部提供/ },
  openClearance: { run: async (who) => [await who.says('澄清正名')], allowed: /启动澄清正名/, refused: /澄清正名由纪（工）委的同志启动/ },
};

const cells = (row: string) => row.trim().split(/\s+/);

describe.each(databaseBackends)('the authorisation matrix over chat ($name)', (database) => {
  let chat: Chat;
  let world: World;
  const person = async (code: string): Promise<Person> => (await chat.bot.roster.personByIdentity({ channel: 'simulator', channelUserId: code }))!;
  const refusals = async (personId: number): Promise<number> =>
    Number((await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action LIKE '%.refused'`, [personId]))[0].n);

  beforeAll(async () => {
    chat = await openChat(database, stateBackends[0]);
    // The sample's one 市管干部 (陈建国) is also the zone's head; so that a 市管干部 without an
    // approving role has a row of their own, 李明华 (党工委副书记、管委会主任) is one here.
    await chat.db.query(`UPDATE people SET city_managed = 1 WHERE code = 'P002'`);
    const { tolerance, workflow, talks, cases } = chat.bot.services;
    const [applicant, unitHead, discipline, committee, zone] = await Promise.all(['P029', 'P028', 'P024', 'P021', 'P001'].map(person));
    let drafts = 0;
    const apply = async () =>
      (
        await tolerance.apply({
          draftKey: `auth-${++drafts}`, applicant, matterId: null, matterText: '西城村土地流转问题被纪工委启动问责', situations: [0], otherSituation: null,
          reason: '2026年推进西城村土地流转时，为赶农时先行签订了协议，后因政策调整造成损失。', handedDown: false, involvesCityCadre: false, integrated: true,
          filingId: null, attachments: [], channel: 'simulator',
        })
      ).record;
    const pendingStage = async (c: CaseRecord) => Number((await chat.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [c.id]))[0].id);
    /** Applies, then has the first `decided` approvers of the chain agree. */
    const caseAt = async (decided: number) => {
      const c = await apply();
      const chain = [unitHead, discipline, committee, zone];
      for (const [i, actor] of chain.slice(0, decided).entries()) {
        const entry: StageEntry =
          i === 0
            ? { kind: 'opinion', stance: 'agree', opinion: '同意。' }
            : i === 1
              ? { kind: 'finding', verdict: 'grant', opinion: '同意。', outcomes: [0, 2], criteria: SIX_LOOKS.map((l) => ({ key: l.key, title: l.title, finding: '经核实无问题。' })) }
              : { kind: 'approval', stance: 'agree', opinion: '同意。' };
        await workflow.decide({ stageId: await pendingStage(c), actor, entry, channel: 'simulator' });
      }
      return (await cases.get(c.id))!;
    };
    const pending = {} as World['pending'];
    for (const [i, stage] of (['unit', 'discipline', 'committee', 'zone'] as const).entries()) {
      const c = await caseAt(i);
      pending[stage] = { c, stageId: await pendingStage(c) };
    }
    const granted = await caseAt(4);
    expect(granted.status).toBe('granted');

    // A case that found no 所在单位党组织主要负责人 in the roster; the roster has been fixed since.
    const chainUnits = (await chat.bot.roster.unitChain(applicant.unitId)).map((u) => u.id).join(', ');
    const secretaries = await chat.db.query(`SELECT person_id, role, unit_id, created_at FROM role_assignments WHERE role = 'partySecretary' AND unit_id IN (${chainUnits})`);
    await chat.db.query(`DELETE FROM role_assignments WHERE role = 'partySecretary' AND unit_id IN (${chainUnits})`);
    const blocked = await apply();
    for (const r of secretaries) {
      await chat.db.query('INSERT INTO role_assignments (person_id, role, unit_id, created_at) VALUES (?, ?, ?, ?)', [r.person_id, r.role, r.unit_id, r.created_at]);
    }
    expect(blocked.status).toBe('blocked');

    const talk = await talks.record({
      draftKey: 'auth-talk', talkerId: unitHead.id, talkeeIds: [applicant.id], talkedOn: '2026-11-20', kind: '年度谈心谈话', place: '西城村村委会',
      topics: ['思想状况'], summary: '与邓丽交流了村务监督工作的思想顾虑。', issuesRaised: null, followUps: null, channel: 'simulator',
    });
    world = { pending, granted, blocked, talk };
  });
  afterAll(async () => chat?.close());

  /** Leaves whatever dialogue an allowed action started, so the next action starts clean. */
  const leave = async (who: Chatter) => {
    const answer = await who.says('取消');
    if (answer.text.includes('确定要取消吗')) await who.says('是');
  };

  it('lets each role do exactly what the rules give it, and writes down every refusal', async () => {
    const actual: string[] = [];
    for (const [, code] of MATRIX) {
      const who = chat.as(code);
      const id = (await person(code)).id;
      const row: string[] = [];
      for (const action of ACTIONS) {
        const before = await refusals(id);
        const text = (await CHECKS[action].run(who, world)).map((a) => a.text).join('\n');
        const audited = (await refusals(id)) > before;
        const { allowed, refused } = CHECKS[action];
        row.push(allowed.test(text) && !audited ? 'Y' : refused.test(text) ? (audited ? '-' : '!') : '?');
        await leave(who);
      }
      actual.push(row.join(' '));
    }
    expect(actual.map((row, i) => `${MATRIX[i][0]}  ${row}`)).toEqual(MATRIX.map(([role, , expected]) => `${role}  ${cells(expected).join(' ')}`));
  }, 60_000); // every role × every action over chat: ~20 s on MariaDB when the machine is busy

  it('records each refusal with who was refused, on which channel, and what', async () => {
    const rows: { action: string; channel: string; subject: string }[] = await chat.db.query(
      `SELECT DISTINCT action, channel, subject FROM audit_log WHERE action LIKE '%.refused' ORDER BY action, subject`,
    );
    expect(new Set(rows.map((r) => r.action))).toEqual(
      new Set([
        'dialogue.refused', 'click.refused', 'revoke.refused', 'document.refused', 'talk.read.refused', 'talk.progress.refused', 'filing.lookup.refused', 'reroute.refused',
        'cadre.profile.refused', 'adjustment.warnings.refused', 'exemption.lookup.refused',
      ]),
    );
    expect(rows.every((r) => r.channel === 'simulator' && r.subject.length > 0)).toBe(true);
    // A refused 启动问责 names the dialogue; a refused 撤销 by the wrong territory names the case.
    expect(rows).toContainEqual({ action: 'dialogue.refused', channel: 'simulator', subject: 'dialogue:accountabilityMatter' });
    expect(rows).toContainEqual({ action: 'revoke.refused', channel: 'simulator', subject: `case:${world.granted.id}` });
  });

  it('writes down the refusals of the other chat commands too: 撤回, 催办, 进度, 补充材料, 办结, 更正谈话 by someone else', async () => {
    const stranger = chat.as('P039');
    const c = world.pending.unit.c;
    const [task]: { id: number }[] = await chat.db.query('SELECT id FROM case_tasks WHERE case_id = ? ORDER BY id LIMIT 1', [world.granted.id]);
    const tries: [() => Promise<Answer>, RegExp, string][] = [
      [() => stranger.says(`撤回 ${c.number}`), /只有申请人本人可以撤回申请/, 'withdraw.refused'],
      [() => stranger.says(`催办 ${c.number}`), /只有申请人本人可以催办/, 'remind.refused'],
      [() => stranger.says(`进度 ${c.number}`), /您无权查看/, 'case.view.refused'],
      [() => stranger.tapsOn(`wf-sup${c.id}`, `wfc:${c.id}:supplement`), /只有申请人本人可以补充材料/, 'supplement.refused'],
      [() => stranger.says(`办结 ${task.id}`), /没有分派给您的待办/, 'task.refused'],
      [() => stranger.says(`更正谈话 ${world.talk.number}`), /只有谈话人本人可以更正或撤回谈话记录/, 'talk.edit.refused'],
      [() => stranger.says(`撤回谈话 ${world.talk.number}`), /只有谈话人本人可以更正或撤回谈话记录/, 'talk.edit.refused'],
    ];
    const id = (await person('P039')).id;
    for (const [attempt, said, action] of tries) {
      const before: number = Number((await chat.db.query('SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action = ?', [id, action]))[0].n);
      expect((await attempt()).text).toMatch(said);
      const after: number = Number((await chat.db.query('SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action = ?', [id, action]))[0].n);
      expect(after, action).toBe(before + 1);
    }
  });

  it('refuses in the domain too, and audits it, when a chat check is bypassed', async () => {
    const { workflow, talkCorrections, filing } = chat.bot.services;
    const stranger = await person('P039');
    const c = world.pending.unit.c;
    const [task]: { id: number }[] = await chat.db.query('SELECT id FROM case_tasks WHERE case_id = ? ORDER BY id LIMIT 1', [world.granted.id]);
    const [otherUnit]: { id: number }[] = await chat.db.query(`SELECT id FROM units WHERE code = 'ZJ02'`);
    const attempts: [string, () => Promise<unknown>][] = [
      ['decide.refused', () => workflow.decide({ stageId: world.pending.unit.stageId, actor: stranger, entry: { kind: 'opinion', stance: 'agree', opinion: '同意。' }, channel: 'test' })],
      ['withdraw.refused', () => workflow.withdraw(c.id, stranger, '不想办了。', 'test')],
      ['supplement.refused', () => workflow.resubmit(c.id, stranger, { text: '补充', attachments: [] }, 'test')],
      ['task.refused', () => workflow.completeTask(task.id, stranger, '已办', 'test')],
      ['talk.edit.refused', () => talkCorrections.correct(world.talk.number, stranger, '谈话地点', '别处', 'test')],
      ['filing.apply.refused', () =>
        filing.apply({
          draftKey: 'auth-filing', filer: stranger, unitId: otherUnit.id, title: '试点', reason: '试点', policyBasis: '无', risks: '无', discussedOn: '2026-11-01',
          minutes: [], periodStart: '2026-12-01', periodEnd: '2027-12-01', involvesCityCadre: false, cityLevel: false, integrated: false, attachments: [], channel: 'test',
        })],
    ];
    for (const [action, attempt] of attempts) {
      await expect(attempt(), action).rejects.toMatchObject({ name: 'NotAllowedError' });
      const [row]: { n: number }[] = await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action = ? AND channel = 'test'`, [stranger.id, action]);
      expect(Number(row.n), action).toBe(1);
    }
    expect((await chat.bot.services.cases.get(c.id))!.status).toBe('in_review');
  });

  it('has no chat command that imports the roster: that is the org:import CLI, run with database access', async () => {
    // Importing rewrites who holds which role, i.e. who may approve and read what. It is done by
    // 党群工作部's operators on the server (`npm run org:import -- file.xlsx`), who hold the database
    // credentials; a chat message, even from 党群工作部, must not be able to do it.
    const admin = chat.as('P005');
    const roster = async () => chat.db.query('SELECT person_id, role, unit_id FROM role_assignments ORDER BY id');
    const before = await roster();
    for (const text of ['导入名册', '导入花名册', '名册导入', '更新名册', '同步名册', 'org:import', 'npm run org:import', '导入 sampleRoster.yaml', '导入']) {
      const answer = await admin.says(text);
      expect(answer.text, text).toMatch(/^没听懂“/); // nothing matched: the nearest commands, no import
    }
    expect(await roster()).toEqual(before);
    expect(dialogues.flatMap((d) => d.triggers).filter((t) => /名册|导入|import/i.test(t))).toEqual([]);
    // The roster importer is reached from the CLI (and the development start's sample roster) and from
    // the console's 名册 page, which only 党群工作部 may use (test/security/webAuthorization.test.ts); never from the bot.
    // (Types alone, as the console's API contract names them, import nothing that runs.)
    const importers = sourceFiles(['src', 'conversations']).filter((f) => /^import (?!type )[^;]*from '[./]*(?:roster\/)?importRoster'/m.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => f.replace(/\\/g, '/')).sort()).toEqual(['src/main.ts', 'src/roster/importCli.ts', 'src/web/roster/rosterConsole.ts']);
    const main = readFileSync('src/main.ts', 'utf8');
    expect(main).toMatch(/loadSampleRoster/);
  });
});

function sourceFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) out.push(path);
    }
  };
  dirs.forEach(walk);
  return out;
}
