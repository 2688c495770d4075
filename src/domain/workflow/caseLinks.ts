import type { CardLink } from '../../channels/port';

/** The case's page for phones (`/m/cases/RC2026-0001`): everything a card cannot hold. */
export function caseDetailUrl(publicBaseUrl: string, number: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/m/cases/${encodeURIComponent(number)}`;
}

/** The 查看完整材料 link of a case's cards; none when the deployment has no public address set. */
export function caseDetailLink(publicBaseUrl: string | undefined, number: string): CardLink | undefined {
  return publicBaseUrl ? { label: '查看完整材料', url: caseDetailUrl(publicBaseUrl, number) } : undefined;
}
