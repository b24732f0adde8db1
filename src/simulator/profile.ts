/**
 * The config profile `--write-profile` writes and `mde-car --config` reads: one connection
 * with one configuration pointing login, API and Graph at the simulator (cloud `custom`), the
 * CA file to trust, and optionally the store path. The profile holds the client secret, so it
 * is written with mode 0600.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface ProfileOptions {
  /** Absolute or relative path of the CA file; made absolute in the profile. */
  caFile: string;
  dbPath?: string;
}

export interface SimulatorProfile {
  connection: {
    name: string;
    description: string;
    frequencyMinutes: number;
    hostPort: number;
    configurations: {
      name: string;
      description: string;
      tenantId: string;
      clientId: string;
      clientSecret: string;
      cloud: 'custom';
      loginUrl: string;
      apiUrl: string;
      graphUrl: string;
      apiScope: string;
      graphScope: string;
    }[];
  };
  http: { caFile?: string };
  target?: { dbPath: string };
}

export interface ProfileIdentity {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export function buildProfile(id: ProfileIdentity, options?: ProfileOptions): SimulatorProfile {
  const profile: SimulatorProfile = {
    connection: {
      name: 'mde-simulator',
      description: 'Local-Defender-simulator',
      frequencyMinutes: 60,
      hostPort: Number(new URL(id.url).port),
      configurations: [
        {
          name: 'simulator',
          description: 'Built-in-simulator',
          tenantId: id.tenantId,
          clientId: id.clientId,
          clientSecret: id.clientSecret,
          cloud: 'custom',
          loginUrl: id.url,
          apiUrl: id.url,
          graphUrl: id.url,
          apiScope: 'https://api.securitycenter.microsoft.com/.default',
          graphScope: 'https://graph.microsoft.com/.default',
        },
      ],
    },
    http: options?.caFile ? { caFile: resolve(options.caFile) } : {},
  };
  if (options?.dbPath) profile.target = { dbPath: options.dbPath };
  return profile;
}

/**
 * Writes the CA certificate beside the profile (`sim.json` → `sim.ca.pem`) and the profile itself
 * (mode 0600); returns both paths.
 */
export function writeProfileFiles(
  profilePath: string,
  caPem: string,
  id: ProfileIdentity,
  dbPath?: string,
): { profilePath: string; caFile: string } {
  const absolute = resolve(profilePath);
  const caFile = join(
    dirname(absolute),
    `${absolute
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.json$/i, '')}.ca.pem`,
  );
  writeFileSync(caFile, caPem, { mode: 0o644 });
  const profile = buildProfile(id, { caFile, dbPath });
  writeFileSync(absolute, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file; the secret must not stay world-readable.
  chmodSync(absolute, 0o600);
  return { profilePath: absolute, caFile };
}
