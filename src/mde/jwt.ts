/**
 * Reads the claims of an access token without verifying it: the connector only needs `aud`
 * and `roles` to explain a 403 (field fault B10) and to plan the sync; the API verifies.
 */

export interface TokenClaims {
  aud?: string;
  roles?: string[];
  tid?: string;
  appid?: string;
  exp?: number;
  [claim: string]: unknown;
}

/** The payload of a JWT, or undefined when the token is not a decodable JWT. */
export function decodeJwtClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as TokenClaims) : undefined;
  } catch {
    // Limitation: an opaque (non-JWT) token has no readable roles; callers report "unknown".
    return undefined;
  }
}

/** The `roles` claim as a list of strings (empty when absent). */
export function rolesOf(claims: TokenClaims | undefined): string[] {
  const roles = claims?.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
