import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { insert, select, update } from '../../storage/sql';
import type { WecomApi } from './api';

export interface WecomDepartment {
  id: number;
  name: string;
  parentid?: number;
}

export interface WecomMember {
  userid: string;
  name: string;
  department: number[];
}

export interface WecomDirectory {
  departments: WecomDepartment[];
  members: WecomMember[];
}

/**
 * Reads the departments the app can see, then the members of each. user/list is asked per
 * department because WeCom no longer returns sub-departments' members in one call.
 */
export async function fetchDirectory(api: WecomApi): Promise<WecomDirectory> {
  const { department = [] } = await api.get<{ department?: WecomDepartment[] }>('/cgi-bin/department/list');
  const members = new Map<string, WecomMember>();
  for (const d of department) {
    const { userlist = [] } = await api.get<{ userlist?: WecomMember[] }>('/cgi-bin/user/list', { department_id: d.id });
    for (const m of userlist) if (!members.has(m.userid)) members.set(m.userid, { userid: m.userid, name: m.name, department: m.department ?? [] });
  }
  return { departments: department, members: [...members.values()] };
}

export interface LinkedPerson {
  code: string;
  name: string;
  userid: string;
}

export interface UnmatchedMember {
  userid: string;
  name: string;
  departments: string[];
  reason: string;
}

export interface SyncReport {
  linked: LinkedPerson[];
  alreadyLinked: number;
  unmatched: UnmatchedMember[];
  /** Roster links to user ids the directory does not list; reported, never removed. */
  notInWecom: LinkedPerson[];
  stillUnlinked: { code: string; name: string }[];
}

interface PersonRecord {
  id: number;
  code: string;
  name: string;
  unit_name: string;
  wecom_user_id: string | null;
}

const normalize = (name: string) => name.replace(/\s+/g, '');

/**
 * Links WeCom user ids to roster people by name and unit (a member's department named like the
 * person's unit). The roster's explicit 企业微信ID column always wins: a linked person or id is
 * never re-linked. Nothing is ever unset or deleted: party roles and everything else exist only in
 * the roster, and a member missing from WeCom is reported for a person to look at.
 */
export async function syncRoster(db: DataSource, directory: WecomDirectory, clock: Clock, options: { dryRun?: boolean } = {}): Promise<SyncReport> {
  const people = await select<PersonRecord>(
    db,
    `SELECT p.id, p.code, p.name, u.name AS unit_name, p.wecom_user_id FROM people p JOIN units u ON u.id = p.unit_id
     WHERE p.left_on IS NULL ORDER BY p.id`,
  );
  const departmentName = new Map(directory.departments.map((d) => [d.id, normalize(d.name)]));
  const linkedIds = new Set(people.map((p) => p.wecom_user_id).filter((id): id is string => id !== null));
  const listed = new Set(directory.members.map((m) => m.userid));
  const report: SyncReport = { linked: [], alreadyLinked: 0, unmatched: [], notInWecom: [], stillUnlinked: [] };

  const proposals = new Map<number, { person: PersonRecord; members: { userid: string; name: string }[] }>();
  for (const member of directory.members) {
    if (linkedIds.has(member.userid)) {
      report.alreadyLinked++;
      continue;
    }
    const departments = member.department.map((id) => departmentName.get(id)).filter((n): n is string => n !== undefined);
    const unmatched = (reason: string) => report.unmatched.push({ userid: member.userid, name: member.name, departments, reason });
    const namesakes = people.filter((p) => p.wecom_user_id === null && normalize(p.name) === normalize(member.name));
    const candidates = namesakes.filter((p) => departments.includes(normalize(p.unit_name)));
    if (namesakes.length === 0) unmatched('名册中没有尚未关联企业微信的同名人员');
    else if (candidates.length === 0) unmatched('名册中有同名人员，但所在单位与企业微信部门不符');
    else if (candidates.length > 1) unmatched('名册中同一单位有多名同名人员，请在名册“企业微信ID”列中指定');
    else {
      const proposal = proposals.get(candidates[0].id) ?? { person: candidates[0], members: [] };
      proposal.members.push({ userid: member.userid, name: member.name });
      proposals.set(candidates[0].id, proposal);
    }
  }

  const links: { person: PersonRecord; userid: string }[] = [];
  for (const { person, members } of proposals.values()) {
    if (members.length === 1) links.push({ person, userid: members[0].userid });
    else for (const m of members) report.unmatched.push({ userid: m.userid, name: m.name, departments: [person.unit_name], reason: '企业微信中有多名同名同部门成员，请在名册“企业微信ID”列中指定' });
  }

  if (!options.dryRun) await writeLinks(db, links, clock);
  report.linked = links.map(({ person, userid }) => ({ code: person.code, name: person.name, userid })).sort((a, b) => a.code.localeCompare(b.code));
  report.unmatched.sort((a, b) => a.userid.localeCompare(b.userid));
  const nowLinked = new Set(links.map((l) => l.person.id));
  for (const p of people) {
    if (p.wecom_user_id !== null && !listed.has(p.wecom_user_id)) report.notInWecom.push({ code: p.code, name: p.name, userid: p.wecom_user_id });
    if (p.wecom_user_id === null && !nowLinked.has(p.id)) report.stillUnlinked.push({ code: p.code, name: p.name });
  }
  return report;
}

async function writeLinks(db: DataSource, links: { person: PersonRecord; userid: string }[], clock: Clock): Promise<void> {
  const now = clock.now().toISOString();
  await db.transaction(async (m) => {
    for (const { person, userid } of links) {
      // Only where the person is still unlinked: an import racing this sync keeps its word.
      const changed = await update(m, 'people', { wecom_user_id: userid, updated_at: now }, 'id = ? AND wecom_user_id IS NULL', [person.id]);
      if (changed === 1) {
        await insert(m, 'audit_log', {
          at: now,
          actor_id: null,
          channel: 'wecom',
          action: 'roster.wecom_linked',
          subject: `person:${person.code}`,
          detail: JSON.stringify({ userid, matchedBy: 'name+department' }),
        });
      }
    }
  });
}

const DETAIL_LIMIT = 50;

function lines<T>(items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, DETAIL_LIMIT).map((item) => `  ${line(item)}`);
  return items.length > DETAIL_LIMIT ? [...shown, `  ……另有 ${items.length - DETAIL_LIMIT} 条`] : shown;
}

export function formatSyncReport(report: SyncReport, dryRun = false): string {
  return [
    dryRun ? '（试运行：以下关联未写入名册）' : '',
    `新关联 ${report.linked.length} 人，原已关联 ${report.alreadyLinked} 人，未能匹配的企业微信成员 ${report.unmatched.length} 人`,
    ...lines(report.linked, (l) => `关联 ${l.code} ${l.name} → ${l.userid}`),
    ...lines(report.unmatched, (u) => `未匹配 ${u.userid} ${u.name}（${u.departments.join('、') || '无部门'}）：${u.reason}`),
    `名册中已关联、但企业微信通讯录中找不到的 ${report.notInWecom.length} 人（未作改动）`,
    ...lines(report.notInWecom, (p) => `${p.code} ${p.name} → ${p.userid}`),
    `名册中仍未关联企业微信的 ${report.stillUnlinked.length} 人`,
    ...lines(report.stillUnlinked, (p) => `${p.code} ${p.name}`),
  ]
    .filter((line) => line !== '')
    .join('\n');
}
