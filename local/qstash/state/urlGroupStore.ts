/** An endpoint of a URL group, as the SDK's `Endpoint` type has it. */
export interface Endpoint {
  name?: string;
  url: string;
}

/** A URL group ("topic" in the v2 paths), as the SDK's `UrlGroup` type has it. */
export interface UrlGroup {
  name: string;
  createdAt: number;
  updatedAt: number;
  endpoints: Endpoint[];
}

/** A reference to an endpoint for removal: by name, by URL, or both. */
export type EndpointRef = { name?: string; url?: string };

export interface UrlGroupStore {
  /** Adds endpoints, replacing one with the same name or URL; creates the group if needed. */
  upsert(name: string, endpoints: Endpoint[], now: number): UrlGroup;
  /** Removes matching endpoints; `undefined` when there is no such group. */
  removeEndpoints(name: string, refs: EndpointRef[], now: number): UrlGroup | undefined;
  get(name: string): UrlGroup | undefined;
  list(): UrlGroup[];
  delete(name: string): boolean;
}

const sameEndpoint = (a: EndpointRef, b: EndpointRef): boolean =>
  (a.name !== undefined && a.name === b.name) || (a.url !== undefined && a.url === b.url);

/**
 * In-memory URL groups.
 *
 * @example
 * const groups = createUrlGroupStore();
 * groups.upsert("readers", [{ name: "eu", url: "http://127.0.0.1:8091/v1/ingest" }], Date.now());
 */
export const createUrlGroupStore = (): UrlGroupStore => {
  const byName = new Map<string, UrlGroup>();
  const copy = (group: UrlGroup): UrlGroup => ({
    ...group,
    endpoints: group.endpoints.map((e) => ({ ...e })),
  });

  return {
    upsert(name, endpoints, now) {
      const group = byName.get(name) ?? { name, createdAt: now, updatedAt: now, endpoints: [] };
      for (const endpoint of endpoints) {
        const kept = group.endpoints.filter((e) => !sameEndpoint(e, endpoint));
        group.endpoints = [...kept, { ...endpoint }];
      }
      group.updatedAt = now;
      byName.set(name, group);
      return copy(group);
    },
    removeEndpoints(name, refs, now) {
      const group = byName.get(name);
      if (!group) return undefined;
      group.endpoints = group.endpoints.filter((e) => !refs.some((ref) => sameEndpoint(ref, e)));
      group.updatedAt = now;
      return copy(group);
    },
    get: (name) => {
      const group = byName.get(name);
      return group && copy(group);
    },
    list: () => [...byName.values()].map(copy),
    delete: (name) => byName.delete(name),
  };
};
