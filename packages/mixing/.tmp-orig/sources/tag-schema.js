import { createHash } from 'node:crypto';
export const DEFAULT_TAG_SCHEMA = Object.freeze({
    id: 'id',
    kind: 'tags.kind',
    trait: 'tags.trait',
    domain: 'tags.domain',
});
/** Field numbers used by the scanner; the order is also the order of the index's tag columns. */
export const Field = { id: 0, kind: 1, trait: 2, domain: 3 };
export const FIELD_NAMES = ['id', 'kind', 'trait', 'domain'];
export function resolveTagSchema(partial) {
    const schema = { ...DEFAULT_TAG_SCHEMA, ...(partial ?? {}) };
    for (const name of FIELD_NAMES) {
        const path = schema[name];
        if (typeof path !== 'string' || path === '' || path.split('.').some((s) => s === '')) {
            throw new TypeError(`tagSchema.${name} must be a dotted path like 'tags.${name}', got ${JSON.stringify(path)}`);
        }
    }
    return schema;
}
/** Empty for the default schema, else a short digest, so registrations under other schemas live apart. */
export function tagSchemaKey(schema) {
    if (FIELD_NAMES.every((n) => schema[n] === DEFAULT_TAG_SCHEMA[n]))
        return '';
    return createHash('sha256')
        .update(JSON.stringify(FIELD_NAMES.map((n) => schema[n])))
        .digest('hex')
        .slice(0, 16);
}
//# sourceMappingURL=tag-schema.js.map