// Enumerates the authenticated routes from the OpenAPI document and builds a plausible (schema-valid)
// request for each, so suites that sweep "every route" pick up new routes automatically.
import { fixture, uploadForm } from './support.js';

export interface ApiRoute {
  method: string;
  /** OpenAPI template, e.g. /api/v1/conversations/{id}. */
  template: string;
  params: string[];
  /** JSON body sample, when the operation documents a JSON request body. */
  jsonBody?: unknown;
  /** True when the operation takes an uploaded file (multipart). */
  multipart: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every /api/v1 operation except the OpenAPI document itself. */
export function apiRoutes(doc: any): ApiRoute[] {
  const out: ApiRoute[] = [];
  for (const [template, item] of Object.entries<any>(doc.paths)) {
    if (!template.startsWith('/api/v1/') || template === '/api/v1/openapi.json') continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const content = op.requestBody?.content ?? {};
      const multipart = Boolean(content['multipart/form-data']) || /\/import$/.test(template);
      const schema = content['application/json']?.schema;
      out.push({ method: method.toUpperCase(), template, params, multipart, jsonBody: schema ? sample(schema) : undefined });
    }
  }
  return out.sort((a, b) => (a.template + a.method).localeCompare(b.template + b.method));
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

/** A request body for the route: its JSON sample, or a small VTT upload for multipart routes. */
export function requestBody(route: ApiRoute): { body?: unknown; raw?: FormData } {
  if (route.multipart) return { raw: uploadForm('zoom-roadmap.vtt', fixture('zoom-roadmap.vtt'), {}, 'text/vtt') };
  if (route.jsonBody !== undefined) return { body: route.jsonBody };
  return {};
}

/** A minimal instance of a JSON schema that fills every documented property. */
export function sample(schema: any, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('default' in schema && schema.default !== undefined) return schema.default;
  for (const k of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[k])) {
      const option = schema[k].find((s: any) => s.type !== 'null') ?? schema[k][0];
      return sample(option, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: any) => sample(s, depth + 1)));
  const type = Array.isArray(schema.type) ? (schema.type.find((x: string) => x !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<any>(schema.properties ?? {})) o[k] = sample(v, depth + 1);
      return o;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}, depth + 1));
    case 'string':
      if (schema.format === 'date-time') return '2026-03-18T14:00:00Z';
      if (schema.format === 'date') return '2026-03-18';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://hooks.example.com/colloquy';
      return 'sample text'.padEnd(Math.max(schema.minLength ?? 1, 11), 'x').slice(0, schema.maxLength ?? 1000);
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 0, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0, 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return schema.properties ? sample({ ...schema, type: 'object' }, depth) : {};
  }
}
