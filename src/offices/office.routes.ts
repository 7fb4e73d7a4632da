import { z } from 'zod';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { officeCodeSchema } from '../movements/declaration.js';
import { validationError } from '../shared/errors.js';
import { OFFICE_ROLES, officeInputSchema } from './office.js';

const parseOfficeBody = (body: unknown) => {
  const parsed = officeInputSchema.safeParse(body);
  if (!parsed.success) {
    throw validationError(
      'The office is invalid',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('/'), message: issue.message })),
    );
  }
  return parsed.data;
};

export const registerOfficeRoutes = (api: Api, { offices }: AppContext): void => {
  api.get(
    '/offices',
    {
      config: { permission: 'offices:read' },
      schema: {
        tags: ['offices'],
        summary: 'List customs offices',
        querystring: z.object({
          role: z.enum(OFFICE_ROLES).optional(),
          country: z.string().regex(/^[A-Z]{2}$/).optional(),
        }),
      },
    },
    async (request) => ({
      items: offices
        .list()
        .filter((office) => (request.query.role ? office.role === request.query.role : true))
        .filter((office) => (request.query.country ? office.country === request.query.country : true)),
    }),
  );

  api.get(
    '/offices/:code',
    { config: { permission: 'offices:read' }, schema: { tags: ['offices'], summary: 'One customs office', params: z.object({ code: officeCodeSchema }) } },
    async (request) => offices.get(request.params.code),
  );

  api.post(
    '/offices',
    {
      config: { permission: 'offices:write' },
      schema: {
        tags: ['offices'],
        summary: 'Register a customs office',
        body: z.object({ code: officeCodeSchema }).and(officeInputSchema),
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown> | undefined;
      const code = officeCodeSchema.safeParse(body?.code);
      if (!code.success) throw validationError('The office is invalid', [{ path: 'code', message: code.error.issues[0]?.message ?? 'is invalid' }]);
      const office = await offices.create(code.data, parseOfficeBody(body));
      return reply.status(201).header('location', `/api/v1/offices/${office.code}`).send(office);
    },
  );

  api.put(
    '/offices/:code',
    {
      config: { permission: 'offices:write' },
      schema: {
        tags: ['offices'],
        summary: 'Change a customs office',
        params: z.object({ code: officeCodeSchema }),
        body: officeInputSchema,
      },
    },
    async (request) => offices.update(request.params.code, parseOfficeBody(request.body)),
  );
};
