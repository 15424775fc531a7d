/**
 * The few `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509) checks for at load time.
 * The `reflect-metadata` package is not a project dependency; this minimal version keeps metadata in a
 * WeakMap per target and property, which is all tsyringe uses. Test-only.
 */
type MetadataStore = Map<string | symbol | undefined, Map<unknown, unknown>>;
const store = new WeakMap<object, MetadataStore>();

function table(target: object, property: string | symbol | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let values = byProperty.get(property);
  if (!values && create) {
    values = new Map();
    byProperty.set(property, values);
  }
  return values;
}

interface ReflectWithMetadata {
  getMetadata?: unknown;
  getOwnMetadata?: unknown;
  defineMetadata?: unknown;
  metadata?: unknown;
}

const reflect = Reflect as unknown as ReflectWithMetadata;
if (typeof reflect.getMetadata !== 'function') {
  const getOwnMetadata = (key: unknown, target: object, property?: string | symbol): unknown => table(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: object, property?: string | symbol): unknown => {
    for (let current: object | null = target; current; current = Object.getPrototypeOf(current) as object | null) {
      const values = table(current, property, false);
      if (values?.has(key)) return values.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: object, property?: string | symbol): void => {
    table(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = getOwnMetadata;
  reflect.getMetadata = getMetadata;
  reflect.defineMetadata = defineMetadata;
  reflect.metadata = (key: unknown, value: unknown) => (target: object, property?: string | symbol): void => defineMetadata(key, value, target, property);
}

export {};
