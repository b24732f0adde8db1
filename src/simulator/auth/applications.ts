/**
 * The Entra applications the simulated tenant knows, their credentials and granted roles, and
 * the resources a token can be asked for (mde-api.md §1.1, §1.4, §2.9).
 */
import { X509Certificate } from 'node:crypto';
import { ConnectorError } from '../../errors.ts';

export interface SimApplication {
  clientId: string;
  clientSecret?: string;
  /** PEM certificate whose key signs `client_assertion` JWTs. */
  certificatePem?: string;
  /** WindowsDefenderATP application roles. */
  roles: string[];
  /** Microsoft Graph application roles. */
  graphRoles?: string[];
}

/** Every Defender role the connector might meet; the default application holds them all. */
export const ALL_MDE_ROLES = [
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Alert.Read.All',
  'Alert.ReadWrite.All',
  'AdvancedQuery.Read.All',
  'User.Read.All',
  'Vulnerability.Read.All',
  'Software.Read.All',
  'SecurityRecommendation.Read.All',
];
export const ALL_GRAPH_ROLES = ['User.Read.All'];

export const MDE_AUDIENCE = 'https://api.securitycenter.microsoft.com';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/**
 * Resource identifiers accepted in `scope` (v2, before `/.default`) or `resource` (v1), and
 * the audience the token then carries. The commercial audience stays the same whichever MDE
 * alias is asked for (mde-api.md §6 Q20).
 */
const RESOURCES: Record<string, string> = {
  'https://api.securitycenter.microsoft.com': MDE_AUDIENCE,
  'https://api.security.microsoft.com': MDE_AUDIENCE,
  'https://api.securitycenter.windows.com': MDE_AUDIENCE,
  'https://securitycenter.onmicrosoft.com/windowsatpservice': MDE_AUDIENCE,
  'fc780465-2017-40d4-a0c5-307022471b92': MDE_AUDIENCE,
  'https://graph.microsoft.com': GRAPH_AUDIENCE,
  '00000003-0000-0000-c000-000000000000': GRAPH_AUDIENCE,
};

/** The audience for a v2 `scope` value, or undefined when the scope is not valid. */
export function audienceForScope(scope: string): string | undefined {
  const scopes = scope.trim().split(/\s+/);
  if (scopes.length !== 1) return undefined;
  const match = /^(.*)\/\.default$/i.exec(scopes[0] ?? '');
  return match ? audienceForResource(match[1] ?? '') : undefined;
}

/** The audience for a v1 `resource` value. */
export function audienceForResource(resource: string): string | undefined {
  return RESOURCES[resource.replace(/\/+$/, '').toLowerCase()];
}

/** Throws on a certificate that cannot be parsed, naming the application. */
export function checkCertificate(app: SimApplication): void {
  if (!app.certificatePem) return;
  try {
    new X509Certificate(app.certificatePem);
  } catch (err) {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `certificatePem of simulator application ${app.clientId} is not a PEM certificate; pass the certificate (not the key) in PEM form`,
      { cause: err },
    );
  }
}
