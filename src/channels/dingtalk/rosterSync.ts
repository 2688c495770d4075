import type { Directory, DirectoryChannel, DirectoryMember } from '../shared/rosterLink';
import type { DingtalkApi } from './api';

export const DINGTALK_DIRECTORY: DirectoryChannel = { channel: 'dingtalk', column: 'dingtalk_user_id', label: '钉钉', rosterColumn: '钉钉ID' };

/** DingTalk's top department; every organisation has it. */
const ROOT_DEPARTMENT = 1;
const PAGE_SIZE = 100;

interface DingtalkDepartment {
  dept_id: number;
  name: string;
}

interface UserPage {
  has_more: boolean;
  next_cursor?: number;
  list: { userid: string; name: string; dept_id_list?: number[] }[];
}

/**
 * Walks the department tree from the top, one level at a time (listsub names only direct
 * children), then reads each department's members page by page. A member of several departments
 * is listed once, with all of them.
 */
export async function fetchDirectory(api: DingtalkApi): Promise<Directory> {
  const root = await api.oapi<{ result: DingtalkDepartment }>('/topapi/v2/department/get', { dept_id: ROOT_DEPARTMENT });
  const departments = [{ id: ROOT_DEPARTMENT, name: root.result.name }];
  for (let level = [ROOT_DEPARTMENT]; level.length > 0; ) {
    const next: number[] = [];
    for (const parent of level) {
      const { result = [] } = await api.oapi<{ result?: DingtalkDepartment[] }>('/topapi/v2/department/listsub', { dept_id: parent });
      for (const d of result) {
        if (departments.some((known) => known.id === d.dept_id)) continue;
        departments.push({ id: d.dept_id, name: d.name });
        next.push(d.dept_id);
      }
    }
    level = next;
  }

  const members = new Map<string, DirectoryMember>();
  for (const { id } of departments) {
    for (let cursor: number | undefined = 0; cursor !== undefined; ) {
      const { result }: { result: UserPage } = await api.oapi<{ result: UserPage }>('/topapi/v2/user/list', { dept_id: id, cursor, size: PAGE_SIZE });
      for (const u of result.list) if (!members.has(u.userid)) members.set(u.userid, { userid: u.userid, name: u.name, department: u.dept_id_list ?? [id] });
      cursor = result.has_more ? result.next_cursor : undefined;
    }
  }
  return { departments, members: [...members.values()] };
}
