import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { insert, select, update } from '../../storage/sql';

export interface DirectoryDepartment {
  id: number;
  name: string;
}

export interface DirectoryMember {
  userid: string;
  name: string;
  department: number[];
}

/** A messenger's organisation directory as far as the app can see it. */
export interface Directory {
  departments: DirectoryDepartment[];
  members: DirectoryMember[];
}

/** Which messenger a sync links, and how its ids are named to the people who fix the roster. */
export interface DirectoryChannel {
  channel: 'wecom' | 'dingtalk';
  column: 'wecom_user_id' | 'dingtalk_user_id';
  /** What cadres call the messenger: 企业微信, 钉钉. */
  label: string;
  /** The roster file's column that pins a person's id by hand. */
  rosterColumn: string;
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
  notInDirectory: LinkedPerson[];
  stillUnlinked: { code: string; name: string }[];
}

interface PersonRecord {
  id: number;
  code: string;
  name: string;
  unit_name: string;
  linked_id: string | null;
}

const normalize = (name: string) => name.replace(/\s+/g, '');

/**
 * Links directory user ids to roster people by name and unit (a member's department named like the
 * person's unit). The roster's explicit id column always wins: a linked person or id is never
 * re-linked. Nothing is ever unset or deleted: party roles and everything else exist only in the
 * roster, and a member missing from the directory is reported for a person to look at.
 */
export async function syncRoster(
  db: DataSource,
  directory: Directory,
  clock: Clock,
  target: DirectoryChannel,
  options: { dryRun?: boolean } = {},
): Promise<SyncReport> {
  const people = await select<PersonRecord>(
    db,
    `SELECT p.id, p.code, p.name, u.name AS unit_name, p.${target.column} AS linked_id FROM people p JOIN units u ON u.id = p.unit_id
     WHERE p.left_on IS NULL ORDER BY p.id`,
  );
  const { label, rosterColumn } = target;
  const departmentName = new Map(directory.departments.map((d) => [d.id, normalize(d.name)]));
  const linkedIds = new Set(people.map((p) => p.linked_id).filter((id): id is string => id !== null));
  const listed = new Set(directory.members.map((m) => m.userid));
  const report: SyncReport = { linked: [], alreadyLinked: 0, unmatched: [], notInDirectory: [], stillUnlinked: [] };

  const proposals = new Map<number, { person: PersonRecord; members: { userid: string; name: string }[] }>();
  for (const member of directory.members) {
    if (linkedIds.has(member.userid)) {
      report.alreadyLinked++;
      continue;
    }
    const departments = member.department.map((id) => departmentName.get(id)).filter((n): n is string => n !== undefined);
    const unmatched = (reason: string) => report.unmatched.push({ userid: member.userid, name: member.name, departments, reason });
    const namesakes = people.filter((p) => p.linked_id === null && normalize(p.name) === normalize(member.name));
    const candidates = namesakes.filter((p) => departments.includes(normalize(p.unit_name)));
    if (namesakes.length === 0) unmatched(`名册中没有尚未关联${label}的同名人员`);
    else if (candidates.length === 0) unmatched(`名册中有同名人员，但所在单位与${label}部门不符`);
    else if (candidates.length > 1) unmatched(`名册中同一单位有多名同名人员，请在名册“${rosterColumn}”列中指定`);
    else {
      const proposal = proposals.get(candidates[0].id) ?? { person: candidates[0], members: [] };
      proposal.members.push({ userid: member.userid, name: member.name });
      proposals.set(candidates[0].id, proposal);
    }
  }

  const links: { person: PersonRecord; userid: string }[] = [];
  for (const { person, members } of proposals.values()) {
    if (members.length === 1) links.push({ person, userid: members[0].userid });
    else for (const m of members) report.unmatched.push({ userid: m.userid, name: m.name, departments: [person.unit_name], reason: `${label}中有多名同名同部门成员，请在名册“${rosterColumn}”列中指定` });
  }

  if (!options.dryRun) await writeLinks(db, links, clock, target);
  report.linked = links.map(({ person, userid }) => ({ code: person.code, name: person.name, userid })).sort((a, b) => a.code.localeCompare(b.code));
  report.unmatched.sort((a, b) => a.userid.localeCompare(b.userid));
  const nowLinked = new Set(links.map((l) => l.person.id));
  for (const p of people) {
    if (p.linked_id !== null && !listed.has(p.linked_id)) report.notInDirectory.push({ code: p.code, name: p.name, userid: p.linked_id });
    if (p.linked_id === null && !nowLinked.has(p.id)) report.stillUnlinked.push({ code: p.code, name: p.name });
  }
  return report;
}

async function writeLinks(db: DataSource, links: { person: PersonRecord; userid: string }[], clock: Clock, target: DirectoryChannel): Promise<void> {
  const now = clock.now().toISOString();
  await db.transaction(async (m) => {
    for (const { person, userid } of links) {
      // Only where the person is still unlinked: an import racing this sync keeps its word.
      const changed = await update(m, 'people', { [target.column]: userid, updated_at: now }, `id = ? AND ${target.column} IS NULL`, [person.id]);
      if (changed === 1) {
        await insert(m, 'audit_log', {
          at: now,
          actor_id: null,
          channel: target.channel,
          action: `roster.${target.channel}_linked`,
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

export function formatSyncReport(report: SyncReport, target: DirectoryChannel, dryRun = false): string {
  const { label } = target;
  return [
    dryRun ? '（试运行：以下关联未写入名册）' : '',
    `新关联 ${report.linked.length} 人，原已关联 ${report.alreadyLinked} 人，未能匹配的${label}成员 ${report.unmatched.length} 人`,
    ...lines(report.linked, (l) => `关联 ${l.code} ${l.name} → ${l.userid}`),
    ...lines(report.unmatched, (u) => `未匹配 ${u.userid} ${u.name}（${u.departments.join('、') || '无部门'}）：${u.reason}`),
    `名册中已关联、但${label}通讯录中找不到的 ${report.notInDirectory.length} 人（未作改动）`,
    ...lines(report.notInDirectory, (p) => `${p.code} ${p.name} → ${p.userid}`),
    `名册中仍未关联${label}的 ${report.stillUnlinked.length} 人`,
    ...lines(report.stillUnlinked, (p) => `${p.code} ${p.name}`),
  ]
    .filter((line) => line !== '')
    .join('\n');
}
