import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { formatSyncReport as formatReport, syncRoster as syncDirectory, type Directory, type DirectoryChannel, type SyncReport } from '../shared/rosterLink';
import type { WecomApi } from './api';

export type { SyncReport };

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

export const WECOM_DIRECTORY: DirectoryChannel = { channel: 'wecom', column: 'wecom_user_id', label: '企业微信', rosterColumn: '企业微信ID' };

/**
 * Reads the departments the app can see, then the members of each. user/list is asked per
 * department because WeCom no longer returns sub-departments' members in one call.
 */
export async function fetchDirectory(api: WecomApi): Promise<Directory> {
  const { department = [] } = await api.get<{ department?: WecomDepartment[] }>('/cgi-bin/department/list');
  const members = new Map<string, WecomMember>();
  for (const d of department) {
    const { userlist = [] } = await api.get<{ userlist?: WecomMember[] }>('/cgi-bin/user/list', { department_id: d.id });
    for (const m of userlist) if (!members.has(m.userid)) members.set(m.userid, { userid: m.userid, name: m.name, department: m.department ?? [] });
  }
  return { departments: department, members: [...members.values()] };
}

/** Links WeCom user ids to roster people by name and department; see shared/rosterLink. */
export function syncRoster(db: DataSource, directory: Directory, clock: Clock, options: { dryRun?: boolean } = {}): Promise<SyncReport> {
  return syncDirectory(db, directory, clock, WECOM_DIRECTORY, options);
}

export function formatSyncReport(report: SyncReport, dryRun = false): string {
  return formatReport(report, WECOM_DIRECTORY, dryRun);
}
