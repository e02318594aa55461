import type { DolphinNames } from '../../version';
import type { FakeDolphinState } from '../fake-state';
import { ApiError, FakeCore, MapError, num, type Params, type Route, r, routePaths } from './core';

/**
 * The fake's projects and task codes.
 */
export class FakeProjects extends FakeCore {
  protected projectJson(p: FakeDolphinState['projects'][number]): Record<string, unknown> {
    return {
      id: p['id'],
      userId: 1,
      userName: 'admin',
      code: p['code'],
      name: p['name'],
      description: p['description'],
      createTime: p['createTime'],
      updateTime: p['createTime'],
      perm: 7,
      defCount: this.state.workflows.filter((w) => w.projectCode === p['code']).length,
    };
  }

  protected createProject(p: Params): unknown {
    const name = p['projectName'] ?? '';
    if (this.state.projects.some((x) => x.name === name)) {
      // map-style error: HTTP 201 with a failing code
      return new MapError(10019, `project ${name} already exists`);
    }
    if ((p['description'] ?? '').length > 255) return new MapError(1400004, 'description too long');
    const project = {
      id: this.id(),
      code: this.code(),
      name,
      description: p['description'] ?? '',
      createTime: this.now(),
    };
    this.state.projects.push(project);
    return this.projectJson(project);
  }

  /** The projects endpoints. */
  protected projectsRoutes(n: DolphinNames): Route[] {
    const { P } = routePaths(n);
    return [
      r(
        'GET',
        '/projects',
        10049,
        ({ p }) =>
          this.page(
            p,
            this.state.projects
              .filter((x) => !p['searchVal'] || x.name.includes(p['searchVal']))
              .map((x) => this.projectJson(x)),
          ),
        { required: ['pageNo', 'pageSize'] },
      ),
      r('GET', '/projects/list', 10049, () => this.state.projects.map((x) => this.projectJson(x))),
      r('POST', '/projects', 10048, ({ p }) => this.createProject(p), {
        created: true,
        required: ['projectName'],
      }),
      r('GET', P, 10047, ({ m }) => this.projectJson(this.project(m[1]))),
      r('DELETE', P, 10050, ({ m }) => {
        const project = this.project(m[1]);
        if (this.state.workflows.some((w) => w.projectCode === project.code)) {
          throw new ApiError(10137, 'please delete the process definitions in project first!');
        }
        this.state.projects = this.state.projects.filter((x) => x !== project);
        return null;
      }),
      r(
        'GET',
        `${P}/task-definition/gen-task-codes`,
        10000,
        ({ m, p }) => {
          this.project(m[1]);
          const count = num(p['genNum'], 0);
          if (count < 1 || count > 100) throw new ApiError(50017, 'data genNum is not valid');
          const codes = Array.from({ length: count }, () => this.code());
          this.state.issuedCodes.push(...codes.map(String));
          return codes;
        },
        { required: ['genNum'] },
      ),
    ];
  }
}
