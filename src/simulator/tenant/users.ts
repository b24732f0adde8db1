/**
 * Graph users (mde-api.md §2.9) and the accounts that log on to machines (§2.4). Directory
 * users carry on-premises SAM name, domain and SID, so the connector can join a logged-on
 * account to its Graph user; local accounts (`administrator` on the machine's own domain)
 * have no Graph counterpart.
 */
import type { GraphUser } from '../../mde/types.ts';
import type { Rng } from '../random.ts';
import { AD_DOMAIN, GIVEN_NAMES, JOB_TITLES, MAIL_DOMAIN, OFFICES, SURNAMES } from './catalog.ts';
import type { Account } from './types.ts';

/** The properties Graph returns when the request has no `$select` (mde-api.md §2.9). */
export const GRAPH_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export function generateUser(rng: Rng, index: number, domainSid: string): GraphUser {
  const givenName = rng.pick(GIVEN_NAMES);
  const surname = rng.pick(SURNAMES);
  const sam = `${givenName[0]}${surname}${index}`.toLowerCase();
  const isGuest = rng.chance(0.03);
  const upn = isGuest ? `${sam}_fabrikam.test#EXT#@${MAIL_DOMAIN}` : `${sam}@${MAIL_DOMAIN}`;
  return {
    businessPhones: rng.chance(0.3)
      ? [`+1 425 555 ${String(rng.int(0, 9999)).padStart(4, '0')}`]
      : [],
    displayName: `${givenName} ${surname}`,
    givenName: rng.chance(0.05) ? null : givenName,
    jobTitle: rng.pick(JOB_TITLES),
    mail: rng.chance(0.9) ? `${sam}@${MAIL_DOMAIN}` : null,
    mobilePhone: null,
    officeLocation: rng.pick(OFFICES),
    preferredLanguage: rng.pick(['en-US', null]),
    surname,
    userPrincipalName: upn,
    id: rng.guid(),
    accountEnabled: rng.chance(0.95),
    department: rng.pick(['Sales', 'Engineering', 'Finance', 'IT', null]),
    employeeId: rng.chance(0.8) ? String(100000 + index) : null,
    onPremisesSamAccountName: isGuest ? null : sam,
    onPremisesDomainName: isGuest ? null : `${AD_DOMAIN.toLowerCase()}.test`,
    onPremisesSecurityIdentifier: isGuest ? null : `${domainSid}-${1100 + index}`,
  };
}

/** A directory account for Graph user `userIndex`, as Defender reports it on a machine. */
export function directoryAccount(user: GraphUser, userIndex: number, rng: Rng): Account {
  return {
    domain: AD_DOMAIN,
    name: user.onPremisesSamAccountName ?? `user${userIndex}`,
    sid: user.onPremisesSecurityIdentifier ?? null,
    userIndex,
    isDomainAdmin: rng.chance(0.05),
  };
}

/** A local account on the machine itself; its domain is the short host name. */
export function localAccount(rng: Rng, hostName: string, machineSid: string): Account {
  const short = (hostName.split('.')[0] ?? hostName).toUpperCase();
  const name = rng.pick(['administrator', 'localadmin', 'svc_backup', 'user']);
  return {
    domain: short,
    name,
    sid: `${machineSid}-${name === 'administrator' ? 500 : 1001}`,
    userIndex: null,
    isDomainAdmin: false,
  };
}
