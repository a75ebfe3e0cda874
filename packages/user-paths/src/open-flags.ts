import { constants } from 'node:fs';

/** How a user's file is opened: read-only, never through a final symlink, never blocking on a FIFO, never as a terminal. */
export const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
