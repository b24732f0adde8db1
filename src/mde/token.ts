/**
 * Access tokens for the Defender API and Graph through @azure/identity (client secret or
 * certificate). A token is reused until two minutes before it expires. `refresh` builds a new
 * credential object, because a credential caches its token and would hand the refused one back
 * (DESIGN.md §10).
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type TokenCredential,
} from '@azure/identity';
import type { DefenderConfiguration } from '../config/types.ts';
import { MdeAuthError, MdeHttpError } from '../errors.ts';
import type { Transport } from './http.ts';
import { identityHttpClient } from './identity-http.ts';

const RENEW_BEFORE_EXPIRY_MS = 120_000;

export interface TokenSourceOptions {
  configuration: DefenderConfiguration;
  transport: Transport;
  now: () => Date;
  onTokenCall: (wireBytes: number) => void;
}

interface Cached {
  token: string;
  expiresAtMs: number;
}

/** Hands out bearer tokens per scope and refreshes them on request. */
export class TokenSource {
  private credential: TokenCredential;
  private readonly cache = new Map<string, Cached>();
  private networkError: unknown;
  refreshes = 0;

  constructor(private readonly options: TokenSourceOptions) {
    this.credential = this.newCredential();
  }

  /** A token for `scope`, from cache unless it expires within two minutes. */
  async get(scope: string): Promise<string> {
    const cached = this.cache.get(scope);
    if (cached && cached.expiresAtMs - RENEW_BEFORE_EXPIRY_MS > this.options.now().getTime())
      return cached.token;
    return this.acquire(scope);
  }

  /** Drops the token of `scope` and gets a new one from a fresh credential. */
  async refresh(scope: string): Promise<string> {
    this.cache.delete(scope);
    this.credential = this.newCredential();
    this.refreshes += 1;
    return this.acquire(scope);
  }

  private async acquire(scope: string): Promise<string> {
    this.networkError = undefined;
    try {
      const result = await this.credential.getToken(scope);
      if (!result) throw new Error('no token returned');
      this.cache.set(scope, { token: result.token, expiresAtMs: result.expiresOnTimestamp });
      return result.token;
    } catch (err) {
      throw this.toError(err, scope);
    }
  }

  private toError(err: unknown, scope: string): Error {
    const { configuration } = this.options;
    const loginUrl = configuration.endpoints.loginUrl;
    if (this.networkError !== undefined) {
      return new MdeHttpError(
        'MDE_NETWORK',
        `login host ${loginUrl} could not be reached; check the network, proxy and http.caFile`,
        {
          cause: this.networkError,
          url: loginUrl,
        },
      );
    }
    const described = describeAuthFailure(err);
    const aadCode = described.aadCode;
    const next =
      aadCode === undefined
        ? 'check tenantId, clientId, the secret or certificate and the cloud profile'
        : adviceFor(aadCode);
    return new MdeAuthError(
      `Entra ID at ${loginUrl} refused a token for client ${configuration.clientId} in tenant ${configuration.tenantId} (scope ${scope})` +
        `${described.summary ? `: ${described.summary}` : ''}; ${next}`,
      {
        cause: err,
        ...(aadCode === undefined ? {} : { aadCode }),
        details: { status: described.status },
      },
    );
  }

  private newCredential(): TokenCredential {
    const { configuration, transport, onTokenCall } = this.options;
    const httpClient = identityHttpClient(transport, {
      onResponse: onTokenCall,
      onNetworkError: (e) => {
        this.networkError = e;
      },
    });
    const common = {
      authorityHost: configuration.endpoints.loginUrl,
      disableInstanceDiscovery: true,
      httpClient,
      retryOptions: { maxRetries: 1, retryDelayInMs: 500 },
    };
    if (configuration.certificatePath !== undefined) {
      return new ClientCertificateCredential(
        configuration.tenantId,
        configuration.clientId,
        {
          certificatePath: configuration.certificatePath,
          ...(configuration.certificatePassword === undefined
            ? {}
            : { certificatePassword: configuration.certificatePassword }),
        },
        common,
      );
    }
    return new ClientSecretCredential(
      configuration.tenantId,
      configuration.clientId,
      configuration.clientSecret ?? '',
      common,
    );
  }
}

/** Status, AADSTS number and a short reason from an @azure/identity error (never a secret). */
function describeAuthFailure(err: unknown): {
  status?: number;
  aadCode?: number;
  summary?: string;
} {
  const e = err as {
    statusCode?: number;
    errorResponse?: { error?: string; errorDescription?: string; errorCodes?: number[] };
    message?: string;
  };
  const description = e.errorResponse?.errorDescription ?? e.message ?? '';
  const match = /AADSTS(\d+)/.exec(description);
  const aadCode = e.errorResponse?.errorCodes?.[0] ?? (match ? Number(match[1]) : undefined);
  const error = e.errorResponse?.error;
  const parts = [error, aadCode === undefined ? undefined : `AADSTS${aadCode}`].filter(Boolean);
  return {
    ...(e.statusCode === undefined ? {} : { status: e.statusCode }),
    ...(aadCode === undefined ? {} : { aadCode }),
    summary: parts.join(' '),
  };
}

/** What to do next for the AADSTS codes of mde-api.md §1.3. */
function adviceFor(aadCode: number): string {
  switch (aadCode) {
    case 7000215:
      return 'the client secret is wrong: use the secret value, not its id';
    case 7000222:
      return 'the client secret has expired: create a new one';
    case 700016:
      return 'the client id is not known in this tenant: check clientId and tenantId';
    case 90002:
      return 'the tenant was not found: check tenantId and the cloud profile';
    case 70011:
      return 'the scope is not valid: check the cloud profile or apiScope';
    default:
      return 'check tenantId, clientId, the secret or certificate and the cloud profile';
  }
}
