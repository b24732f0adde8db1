/**
 * A self-signed certificate for the loopback HTTPS servers the product runs (the Defender
 * simulator, test servers). The certificate is its own CA: clients trust it by loading the
 * PEM written out as the "CA file" (config `http.caFile`), never by turning verification off.
 */
import { writeFileSync } from 'node:fs';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  /** PEM certificate; also the CA file clients load. */
  cert: string;
  /** PEM private key. Stays in memory unless the caller writes it. */
  key: string;
}

/** Hosts the certificate is valid for; the servers bind to loopback only. */
const LOOPBACK_NAMES = ['localhost'];
const LOOPBACK_IPS = ['127.0.0.1', '::1'];

/** Generates a fresh RSA-2048 / SHA-256 certificate for localhost, 127.0.0.1 and ::1. */
export function generateLoopbackCertificate(commonName = 'mde-car local CA'): TlsMaterial {
  const altNames = [
    ...LOOPBACK_NAMES.map((value) => ({ type: 2, value })),
    ...LOOPBACK_IPS.map((ip) => ({ type: 7, ip })),
  ];
  const pems = selfsigned.generate([{ name: 'commonName', value: commonName }], {
    days: 30,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Writes the certificate (public part only) where clients can load it as their CA file. */
export function writeCaFile(path: string, material: TlsMaterial): void {
  writeFileSync(path, material.cert, { mode: 0o644 });
}
