import { z } from 'zod';
import { ErrorEnvelope } from './common.js';
import type { RouteContract } from './routes.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request: `error.details.issues` names each bad field and the reason',
  401: 'Not logged in, or the session ended',
  403: 'The role may not do this',
  404: 'Not found or outside the caller’s scope',
  409: 'Conflict with the current state',
  413: 'Body too large',
  422: 'Well-formed but not acceptable (e.g. an invalid import file)',
  429: 'Too many attempts; see Retry-After',
};

type Json = Record<string, unknown>;

/** Converts a zod schema into an OpenAPI 3.1 (JSON Schema 2020-12) schema, collecting named components. */
function toSchema(schema: z.ZodType, components: Json, io: 'input' | 'output'): Json {
  const raw = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  // single-schema output refers to `#/$defs/X`; in the document those live under components
  const out = JSON.parse(JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json & {
    $defs?: Json;
  };
  const defs = out.$defs ?? {};
  for (const [k, v] of Object.entries(defs)) components[k] = v;
  delete out.$defs;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Json): Json[] {
  if (!schema) return [];
  const s = toSchema(schema, components, 'input') as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(s.properties ?? {}).map(([name, sch]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: sch,
    ...(typeof sch.description === 'string' && { description: sch.description }),
  }));
}

/** Builds the OpenAPI 3.1 document from the route contracts. */
export function buildOpenApi(routes: readonly RouteContract[], info: { version: string }): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  const errorRef = toSchema(ErrorEnvelope, components, 'output');
  for (const rt of routes) {
    const p = rt.path.replace(/:(\w+)/g, '{$1}');
    const responses: Json = {};
    responses[String(rt.status)] = rt.produces
      ? { description: 'OK', content: { [rt.produces]: { schema: { type: 'string', format: 'binary' } } } }
      : rt.response
        ? {
            description: 'OK',
            content: { 'application/json': { schema: toSchema(rt.response, components, 'output') } },
          }
        : { description: 'No content' };
    const errs = new Set<number>([
      400,
      ...(rt.auth === 'session' ? [401, 403] : []),
      ...(rt.params ? [404] : []),
      ...(rt.errors ?? []),
    ]);
    for (const code of [...errs].sort()) {
      responses[String(code)] = {
        description: STATUS_TEXT[code] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    }
    const op: Json = {
      operationId: rt.operationId,
      summary: rt.summary,
      tags: rt.tags,
      parameters: [
        ...parameters(rt.params, 'path', components),
        ...parameters(rt.query, 'query', components),
      ],
      responses,
      ...(rt.permission && {
        description: `Requires permission \`${rt.permission}\`; results are limited to the caller’s data scope.`,
      }),
      ...(rt.auth === 'public' ? { security: [] } : {}),
    };
    if (rt.consumes)
      op.requestBody = { required: true, content: { [rt.consumes.type]: { schema: rt.consumes.schema } } };
    else if (rt.body)
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(rt.body, components, 'input') } },
      };
    paths[p] = { ...(paths[p] ?? {}), [rt.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'civicgrid API',
      version: info.version,
      description:
        'Grid-based social governance (网格化社会治理). Authenticate with POST /api/auth/login, then send `Authorization: Bearer <token>` (or the __Host-civicgrid cookie). Errors share one envelope.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: '__Host-civicgrid' },
      },
    },
  };
}
