/**
 * Certificate credentials: the client signs a JWT (`client_assertion`) with the key of a
 * certificate registered on the application; Entra checks the signature with that
 * certificate, the audience (the token endpoint), issuer and subject (the client id) and the
 * expiry. Errors use the AADSTS codes Entra returns for these cases.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { SimApplication } from './applications.ts';
import { decodeSegment } from './tokens.ts';

export interface AssertionProblem {
  code: number;
  text: string;
}

const ALGORITHMS: Record<string, { digest: string; pss: boolean }> = {
  RS256: { digest: 'RSA-SHA256', pss: false },
  PS256: { digest: 'RSA-SHA256', pss: true },
};

export function verifyClientAssertion(
  assertion: string,
  app: SimApplication,
  audiences: string[],
  nowMs: number,
): AssertionProblem | undefined {
  if (!app.certificatePem) {
    return {
      code: 700027,
      text: `Client assertion contains an invalid signature. No certificate is registered for app '${app.clientId}'.`,
    };
  }
  const [headerText = '', payloadText = '', signature = ''] = assertion.split('.');
  const header = decodeSegment(headerText) as { alg?: string } | undefined;
  const payload = decodeSegment(payloadText) as
    { aud?: string; iss?: string; sub?: string; exp?: number } | undefined;
  const algorithm = ALGORITHMS[header?.alg ?? ''];
  if (!header || !payload || !algorithm)
    return { code: 50027, text: 'JWT token is invalid or malformed.' };

  const key = createPublicKey(app.certificatePem);
  const data = Buffer.from(`${headerText}.${payloadText}`);
  const sig = Buffer.from(signature, 'base64url');
  const isValid = algorithm.pss
    ? verify(algorithm.digest, data, { key, padding: 6, saltLength: 32 }, sig)
    : verify(algorithm.digest, data, key, sig);
  if (!isValid) return { code: 700027, text: 'Client assertion failed signature validation.' };

  if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
    return {
      code: 700021,
      text: `Client assertion application identifier doesn't match 'client_id' parameter.`,
    };
  }
  if (!audiences.some((a) => a.toLowerCase() === String(payload.aud ?? '').toLowerCase())) {
    return {
      code: 700038,
      text: `The audience '${payload.aud}' in the client assertion is not valid. It must be the token endpoint '${audiences[0]}'.`,
    };
  }
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs) {
    return { code: 700024, text: 'Client assertion is not within its valid time range.' };
  }
  return undefined;
}
