import type { ChannelName } from '../channels/port';

export const UNIT_KINDS = ['开发区', '镇街园', '特色园区', '机关部门', '事业单位', '国资公司', '村/社区', '内设机构'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/**
 * Roles that route work, each scoped to a unit. Code names are English; the labels are the
 * policy's words and are what the roster file uses.
 */
export const ROLES = {
  unitLeader: '主要领导',
  leadershipMember: '班子成员',
  departmentHead: '内设机构主要负责人',
  supervisingLeader: '分管领导',
  partySecretary: '党组织主要负责人',
  disciplineMember: '纪工委',
  partyCommitteeHead: '党（工）委主要负责人',
  zonePartyHead: '开发区党工委主要负责人',
  partyAffairsAdmin: '党群工作部',
  personnelOfficer: '组织人事部门',
} as const;
export type Role = keyof typeof ROLES;

export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}

export interface Person {
  id: number;
  code: string;
  name: string;
  post: string;
  nature: string;
  unitId: number;
  cityManaged: boolean;
  wecomUserId: string | null;
  dingtalkUserId: string | null;
  joinedOn: string | null;
  leftOn: string | null;
}

export interface RoleAssignment {
  personId: number;
  role: Role;
  unitId: number;
}

export interface ChannelIdentity {
  channel: ChannelName;
  channelUserId: string;
}
