/** Thrown when a service's port on loopback is already taken by a process that is not ours to adopt. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(
    readonly host: string,
    readonly port: number,
    /** The setting that chooses the port, as a user writes it (`temporal.embeddedPort (BALLAST_TEMPORAL_PORT)`). */
    readonly setting: string,
  ) {
    super(`port ${port} on ${host} is taken by another process; set ${setting} to a free port`);
    this.name = 'PortInUseError';
  }
}
