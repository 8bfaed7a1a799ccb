/**
 * grpc-js passes an IP address as the TLS server name when the target is an
 * IP, and Node then prints DEP0123 ("Setting the TLS ServerName to an IP
 * address is not permitted"). It is harmless here (verification uses the IP
 * SANs of lnd's cert) and users must not see it. Every other warning passes.
 */
let installed = false;

export function silenceTlsServerNameWarning(): void {
  if (installed) return;
  installed = true;
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const code =
      typeof rest[0] === 'object' && rest[0] !== null
        ? (rest[0] as { code?: string }).code
        : typeof rest[1] === 'string'
          ? rest[1]
          : undefined;
    if (code === 'DEP0123') return;
    if (typeof warning === 'object' && warning !== null && (warning as { code?: string }).code === 'DEP0123') return;
    original(warning, ...rest);
  }) as typeof process.emitWarning;
}
