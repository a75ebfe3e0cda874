/** Dotted paths into a record for the fields the mixer reads. */
export interface TagSchema {
    id: string;
    kind: string;
    trait: string;
    domain: string;
}
export declare const DEFAULT_TAG_SCHEMA: Readonly<TagSchema>;
/** Field numbers used by the scanner; the order is also the order of the index's tag columns. */
export declare const Field: {
    readonly id: 0;
    readonly kind: 1;
    readonly trait: 2;
    readonly domain: 3;
};
export type Field = (typeof Field)[keyof typeof Field];
export declare const FIELD_NAMES: readonly ["id", "kind", "trait", "domain"];
export declare function resolveTagSchema(partial: Partial<TagSchema> | undefined): TagSchema;
/** Empty for the default schema, else a short digest, so registrations under other schemas live apart. */
export declare function tagSchemaKey(schema: TagSchema): string;
//# sourceMappingURL=tag-schema.d.ts.map