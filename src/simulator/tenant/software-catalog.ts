/**
 * The software products generated machines run, with the versions and OS families each
 * appears on; CVEs in the tenant's catalogue are tied to these products.
 */
import type { OsFamily } from './catalog.ts';

export interface SoftwareProduct {
  vendor: string;
  name: string;
  versions: readonly string[];
  families: readonly OsFamily[];
}

export const SOFTWARE: readonly SoftwareProduct[] = [
  {
    vendor: 'microsoft',
    name: 'windows_10',
    versions: ['10.0.19045.5608', '10.0.19044.4291'],
    families: ['windows'],
  },
  {
    vendor: 'microsoft',
    name: 'windows_11',
    versions: ['10.0.22631.4317', '10.0.26100.2033'],
    families: ['windows'],
  },
  {
    vendor: 'microsoft',
    name: 'windows_server_2019',
    versions: ['10.0.17763.6414'],
    families: ['server'],
  },
  {
    vendor: 'microsoft',
    name: 'windows_server_2022',
    versions: ['10.0.20348.2762'],
    families: ['server'],
  },
  {
    vendor: 'microsoft',
    name: 'edge_chromium-based',
    versions: ['129.0.2792.89', '131.0.2903.51'],
    families: ['windows', 'server', 'mac'],
  },
  {
    vendor: 'microsoft',
    name: '.net_framework',
    versions: ['4.8.0.0', '4.8.1.0'],
    families: ['windows', 'server'],
  },
  {
    vendor: 'microsoft',
    name: 'office',
    versions: ['16.0.17928.20156'],
    families: ['windows', 'mac'],
  },
  {
    vendor: 'google',
    name: 'chrome',
    versions: ['130.0.6723.117', '131.0.6778.86'],
    families: ['windows', 'mac', 'linux'],
  },
  {
    vendor: 'mozilla',
    name: 'firefox',
    versions: ['132.0.1', '115.17.0'],
    families: ['windows', 'mac', 'linux'],
  },
  {
    vendor: 'oracle',
    name: 'jre',
    versions: ['8.0.4310.10', '17.0.12.0'],
    families: ['windows', 'server', 'linux'],
  },
  {
    vendor: 'vmware',
    name: 'tools',
    versions: ['12.0.6.0', '12.4.5.0'],
    families: ['windows', 'server'],
  },
  {
    vendor: 'openssl',
    name: 'openssl',
    versions: ['3.0.13', '1.1.1w'],
    families: ['linux', 'server'],
  },
  { vendor: 'red_hat', name: 'kernel', versions: ['0:5.14.0-427.42.1.el9_4'], families: ['linux'] },
  { vendor: 'canonical', name: 'linux_kernel', versions: ['5.15.0-124.134'], families: ['linux'] },
  { vendor: 'apple', name: 'macos', versions: ['14.5', '15.1'], families: ['mac'] },
  { vendor: '7-zip', name: '7-zip', versions: ['23.01', '19.00'], families: ['windows', 'server'] },
  { vendor: 'notepad++', name: 'notepad++', versions: ['8.6.9', '8.5.8'], families: ['windows'] },
  {
    vendor: 'adobe',
    name: 'acrobat_reader_dc',
    versions: ['24.004.20220'],
    families: ['windows', 'mac'],
  },
  {
    vendor: 'apache',
    name: 'log4j',
    versions: ['2.14.1', '2.17.1'],
    families: ['server', 'linux'],
  },
  {
    vendor: 'python',
    name: 'python',
    versions: ['3.11.9', '3.8.10'],
    families: ['windows', 'linux', 'mac'],
  },
];
