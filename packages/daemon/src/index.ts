/**
 * Starts, adopts and stops detached service processes tracked by pid files. The embedded Temporal and
 * PostgreSQL use it so that a crash of `ballast up` leaves them running and the next start adopts them.
 *
 * @example
 * const live = liveProcessFromPidFile(pidFile) ?? spawnDetached({ command, args, logFile });
 * writePidFile(pidFile, live);
 */
export * from './proc.js';
export * from './pid-file.js';
export * from './spawn-detached.js';
export * from './wait.js';
export * from './port-in-use.js';
