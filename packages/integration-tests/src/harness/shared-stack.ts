import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Connection } from '@temporalio/client';
import { msToTs, type SearchAttributeType } from '@temporalio/common';
import { searchAttributes } from '@ballast/workflow-contract';

/**
 * `npm test` starts one Temporal dev server and one PostgreSQL for the whole run and names them in
 * BALLAST_TEST_TEMPORAL_ADDRESS and BALLAST_TEST_DATABASE_URL. A test stack then takes a Temporal
 * namespace and a database of its own on them instead of cold-starting both (several seconds each).
 * Unset (a test file run on its own), every stack starts its own embedded services.
 */
export interface SharedServices {
  readonly temporalAddress?: string | undefined;
  readonly databaseUrl?: string | undefined;
}

export function sharedServices(env: NodeJS.ProcessEnv = process.env): SharedServices {
  return { temporalAddress: env['BALLAST_TEST_TEMPORAL_ADDRESS'] || undefined, databaseUrl: env['BALLAST_TEST_DATABASE_URL'] || undefined };
}

/** Temporal's IndexedValueType numbers (its wire protocol's), by the SDK's name for each type. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

/** A name no other stack of this run (or of another run on the same servers) picks. */
function uniqueName(prefix: string, separator: string): string {
  return [prefix, Date.now().toString(36), randomBytes(4).toString('hex')].join(separator);
}

/**
 * Registers a namespace of its own on the shared Temporal server, with Ballast's search attributes:
 * on the dev server they belong to a namespace, so the ones `start-dev --search-attribute` registered
 * for its own namespaces do not carry over. The dev server serves a new namespace at once.
 */
export async function sharedTemporalNamespace(address: string): Promise<string> {
  const namespace = uniqueName('ballast-test', '-');
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const attributes = Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: attributes });
  } finally {
    await connection.close();
  }
  return namespace;
}

/** A database of its own on the shared PostgreSQL; returns its connection string. */
export async function sharedDatabase(baseUrl: string): Promise<string> {
  // Only [a-z0-9_] from uniqueName: safe to put in the statement, which takes no parameters.
  const name = uniqueName('ballast_test', '_');
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
