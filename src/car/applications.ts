/**
 * Application vertices: the operating system of a machine and installed software. Keys are
 * lower-case `vendor:name:version` for software (as the existing connector, car-service.md
 * §4.5) and `os:<platform>:<version>` for an OS, so Windows 10 21H2 and 22H2 stay apart
 * (the existing connector keyed the OS by platform alone, §6).
 */
import type { Machine } from '../mde/types.ts';
import type { VertexRecord } from './types.ts';

/** The OS application of a machine, or undefined when Defender does not name the platform. */
export function osApplication(machine: Machine): VertexRecord | undefined {
  const platform = text(machine.osPlatform);
  if (platform === undefined) return undefined;

  const version = text(machine.version) ?? text(machine.osVersion);
  const id = ['os', platform, version].filter((part) => part !== undefined).join(':');
  return {
    external_id: id.toLowerCase(),
    name: version === undefined ? platform : `${platform} ${version}`,
    is_os: true,
    properties: { platform, version: version ?? null },
  };
}

/** The application key of installed software; undefined without a name. */
export function softwareKey(vendor: unknown, name: unknown, version: unknown): string | undefined {
  const softwareName = text(name);
  if (softwareName === undefined) return undefined;
  return [text(vendor) ?? '', softwareName, text(version) ?? ''].join(':').toLowerCase();
}

/** An installed-software application vertex. */
export function softwareApplication(
  vendor: unknown,
  name: unknown,
  version: unknown,
): VertexRecord | undefined {
  const key = softwareKey(vendor, name, version);
  if (key === undefined) return undefined;
  return {
    external_id: key,
    name: [text(vendor), text(name), text(version)].filter(Boolean).join(' '),
    is_os: false,
    properties: {
      vendor: text(vendor) ?? null,
      product: text(name) ?? null,
      version: text(version) ?? null,
    },
  };
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
