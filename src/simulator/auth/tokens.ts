/**
 * Access tokens: RS256 JWTs signed with the simulator's key, carrying the claims of a real
 * app-only token (mde-api.md §1.2, sample token-claims-decoded.json): `aud`, `iss`, `iat`,
 * `nbf`, `exp`, `appid`, `tid`, `roles`, `ver`. Times follow the auth clock (wall clock plus
 * every simulated advance), so advancing the simulated clock also expires tokens.
 */
import {
  createHash,
  createPublicKey,
  sign,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  appid: string;
  tid: string;
  roles: string[];
  [claim: string]: unknown;
}

/** The claims a caller chooses; the issuer adds the times. */
export interface TokenContent {
  aud: string;
  iss: string;
  appid: string;
  tid: string;
  roles: string[];
  [claim: string]: unknown;
}

export type TokenCheck =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Real tokens are back-dated about five minutes: `exp - iat` is 3900 s for `expires_in` 3599. */
const BACKDATE_SECONDS = 300;

export class TokenIssuer {
  readonly keyId: string;
  private readonly publicKey: KeyObject;

  constructor(
    private readonly privateKeyPem: string,
    certificatePem: string,
  ) {
    const der = new X509Certificate(certificatePem).raw;
    this.keyId = base64url(createHash('sha1').update(der).digest());
    this.publicKey = createPublicKey(certificatePem);
  }

  /** JWKS document for the `jwks_uri` of the OpenID metadata. */
  jwks(certificatePem: string): unknown {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const x5c = certificatePem.replace(/-----[^-]+-----|\s/g, '');
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.keyId,
          x5t: this.keyId,
          n: jwk.n,
          e: jwk.e,
          x5c: [x5c],
        },
      ],
    };
  }

  issue(
    claims: TokenContent,
    nowMs: number,
    lifetimeSeconds: number,
  ): { token: string; expiresOn: number } {
    const now = Math.floor(nowMs / 1000);
    const full = {
      ...claims,
      iat: now - BACKDATE_SECONDS,
      nbf: now - BACKDATE_SECONDS,
      exp: now + lifetimeSeconds,
    };
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.keyId, kid: this.keyId };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(full))}`;
    const signature = sign('RSA-SHA256', Buffer.from(signingInput), this.privateKeyPem);
    return { token: `${signingInput}.${base64url(signature)}`, expiresOn: full.exp };
  }

  check(token: string, nowMs: number): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [header = '', payload = '', signature = ''] = parts;
    const isValid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!isValid) return { ok: false, reason: 'signature' };
    const claims = decodeSegment(payload) as TokenClaims | undefined;
    if (!claims || typeof claims.exp !== 'number') return { ok: false, reason: 'malformed' };
    if (Math.floor(nowMs / 1000) >= claims.exp) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}

export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Decodes one JWT segment as JSON; undefined when it is not JSON. */
export function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
