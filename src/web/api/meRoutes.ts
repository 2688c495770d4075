import type Router from '@koa/router';
import { ROLES } from '../../roster/types';
import { sectionsOf, seesTalkOverview } from '../access';
import { signInWords } from '../auth/signIn';
import type { WebDeps } from '../webDeps';
import type { ApiContext } from './apiRouter';
import type { Me } from './contract';

/** Who is signed in, what they may open, and the token their changes must carry. */
export function meRoutes(deps: WebDeps): (router: Router) => void {
  return (router) => {
    router.get('/me', async (ctx) => {
      const { person, roles, session, admin } = (ctx as ApiContext).state.viewer;
      const units = new Map((await deps.roster.units()).map((u) => [u.id, u.name]));
      const me: Me = {
        person: { code: person.code, name: person.name, post: person.post, unit: units.get(person.unitId) ?? '' },
        roles: roles.map((r) => ({ role: r.role, label: ROLES[r.role], unit: units.get(r.unitId) ?? '' })),
        sections: sectionsOf((ctx as ApiContext).state.viewer),
        csrfToken: session.csrf,
        signedInVia: signInWords(session.channel, session.flow),
        manages: admin,
        talkOverview: seesTalkOverview((ctx as ApiContext).state.viewer),
      };
      ctx.body = me;
    });
  };
}
